// readBody (lib/ingest/body.ts) by example: a body up to the limit is read
// whole, a larger one is a 413 whether it says so or not, a broken one a 400.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../lib/errors';
import { readBody } from '../../lib/ingest/body';

const request = (chunks: string[], headers: Record<string, string> = {}) =>
  Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers }) as unknown as IncomingMessage & Readable;
const stream = () => Object.assign(new PassThrough(), { headers: {} });
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);

describe('readBody', () => {
  it('reads every chunk, in order, up to exactly the limit', async () => {
    const body = await readBody(request(['{"a":', '1}'], { 'content-length': '7' }), 7);
    expect(body.toString()).toBe('{"a":1}');
    expect((await readBody(request([]), 0)).length).toBe(0);
  });

  it('refuses a declared length over the limit without reading, and drains the body', async () => {
    const req = request(['12345678'], { 'content-length': '8' });
    const err = await refusal(readBody(req, 7));
    expect([err?.code, err?.message]).toEqual(['payload_too_large', 'body is 8 bytes; the limit is 7']);
    expect(req.readableFlowing).toBe(true);
  });

  it('counts the bytes when the length is not declared, is not a number, or understates the body', async () => {
    for (const headers of [{} as Record<string, string>, { 'content-length': 'Infinity' }, { 'content-length': 'lots' }, { 'content-length': '3' }]) {
      const err = await refusal(readBody(request(['1234', '5678'], headers), 7));
      expect([err?.code, err?.message]).toEqual(['payload_too_large', 'body exceeds the limit of 7 bytes']);
    }
  });

  it('stops keeping chunks once over the limit, and never resolves after refusing', async () => {
    const req = stream();
    const result = refusal(readBody(req as unknown as IncomingMessage, 4));
    req.write('12345');
    req.write('6');
    req.end();
    const err = await result;
    expect(err?.message).toBe('body exceeds the limit of 4 bytes');
  });

  it('refuses a body whose stream fails with a 400 that keeps the cause', async () => {
    const req = stream();
    const result = refusal(readBody(req as unknown as IncomingMessage, 100));
    req.write('12');
    const cause = new Error('aborted');
    req.destroy(cause);
    const err = await result;
    expect([err?.code, err?.message, err?.cause]).toEqual(['bad_request', 'the request body could not be read', cause]);
  });
});
