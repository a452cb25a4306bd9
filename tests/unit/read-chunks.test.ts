// readChunks (lib/api.ts): the one reader of a raw upload too large to hold in
// memory. It stops at the limit while streaming, whatever the client declared.
import { describe, expect, it } from 'vitest';
import { readBytes, readChunks } from '../../lib/api';
import { AppError } from '../../lib/errors';

function streamed(chunks: number[], headers: Record<string, string> = {}): Request {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next === undefined) controller.close();
      else controller.enqueue(new Uint8Array(next).fill(7));
    },
  });
  return new Request('http://127.0.0.1/api/admin/basemap', { method: 'PUT', body, headers, duplex: 'half' } as RequestInit);
}

async function collect(req: Request, limit: number): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of readChunks(req, limit)) sizes.push(chunk.byteLength);
  return sizes;
}

describe('readChunks', () => {
  it('hands the body over chunk by chunk as it arrives', async () => {
    expect(await collect(streamed([10, 20, 30]), 60)).toEqual([10, 20, 30]);
    expect((await readBytes(streamed([10, 20, 30]), 60)).byteLength).toBe(60);
  });

  it('stops with a 413 at the chunk that passes the limit, handing over none of it', async () => {
    const seen: number[] = [];
    const reading = (async () => {
      for await (const chunk of readChunks(streamed([10, 20, 30, 40]), 45)) seen.push(chunk.byteLength);
    })();
    await expect(reading).rejects.toThrow(/body exceeds the limit; the limit is 45 bytes/);
    await expect(reading).rejects.toBeInstanceOf(AppError);
    expect(seen).toEqual([10, 20]);
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const req = streamed([10], { 'content-length': '46' });
    await expect(collect(req, 45)).rejects.toMatchObject({ code: 'payload_too_large', message: 'body is 46 bytes; the limit is 45 bytes' });
    expect(req.bodyUsed).toBe(false);
  });
});
