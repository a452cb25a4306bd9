// Helpers for app/api route handlers: parse input with zod into a 400/422 with
// a message that names the field, and turn errors into JSON responses.
import type { z } from 'zod';
import { AppError } from './errors';
import { DEFAULT_JSON_BODY_BYTES } from './http/body-limits';

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('invalid_input', describeIssues(r.error));
  return r.data;
}

/**
 * A raw body (an uploaded file) of at most `limitBytes`, chunk by chunk as it
 * arrives: a declared length over the limit is refused (413) before reading,
 * and a body without one as soon as it passes the limit, never read whole
 * first. For a file too large to hold in memory (a basemap archive), the
 * caller writes the chunks on as they come.
 */
export async function* readChunks(req: Request, limitBytes: number): AsyncGenerator<Uint8Array> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new AppError('payload_too_large', `body is ${declared} bytes; the limit is ${limitBytes} bytes`);
  }
  if (!req.body) return;
  const reader = req.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > limitBytes) {
        // Stop here: the rest is never read, let alone buffered. Not cancel():
        // that destroys the connection before the 413 reaches the client.
        throw new AppError('payload_too_large', `body exceeds the limit; the limit is ${limitBytes} bytes`);
      }
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A raw body of at most `limitBytes` in one buffer (readChunks, gathered): for files that fit in memory. */
export async function readBytes(req: Request, limitBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readChunks(req, limitBytes)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Reads a JSON body of at most `limitBytes`, streaming: a body with no
 * declared length is refused (413) as soon as it passes the limit, never read
 * whole first. Malformed JSON is a 400, and so is a NUL character anywhere in
 * it (PostgreSQL text cannot hold one). The gate refuses a declared length
 * over the same limit (lib/http/body-limits.ts) before Next sees the request.
 */
export async function readJson(req: Request, limitBytes = DEFAULT_JSON_BODY_BYTES): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(req, limitBytes));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', 'body is not valid JSON', { cause: err });
  }
  refuseNul(body, 'body');
  return body;
}

/**
 * Throws a 400 naming the first string (value or field name) with a NUL
 * character in it. Iterative: the nesting of a 256 KB body cannot overflow the stack.
 */
function refuseNul(root: unknown, rootName: string): void {
  const stack: [unknown, string][] = [[root, rootName]];
  while (stack.length > 0) {
    const [value, where] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new AppError('bad_request', `${where} must not contain NUL characters`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${where}[${i}]`.slice(0, 100)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const path = `${where}.${k.replaceAll('\u0000', '\\0')}`.slice(0, 100);
        if (k.includes('\u0000')) throw new AppError('bad_request', `${path} (a field name) must not contain NUL characters`);
        stack.push([v, path]);
      }
    }
  }
}

/** The query parameters; a NUL character in a name or value is a 400. */
export function searchParams(req: Request): Record<string, string> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  for (const [k, v] of Object.entries(params)) {
    if (k.includes('\u0000') || v.includes('\u0000')) {
      throw new AppError('bad_request', `query parameter ${k.replaceAll('\u0000', '\\0').slice(0, 64)} must not contain NUL characters`);
    }
  }
  return params;
}

/** Largest id an `int` column holds (users.id); bigserial ids are bounded the same way in URLs. */
const MAX_ID = 2_147_483_647;

/** A `[id]` path segment as a positive integer; anything else is a 400 that says so. */
export function parseId(raw: string, what: string): number {
  const id = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(id >= 1 && id <= MAX_ID)) throw new AppError('bad_request', `${what} id must be a whole number from 1 to ${MAX_ID}`);
  return id;
}
