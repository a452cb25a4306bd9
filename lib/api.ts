// Helpers for app/api route handlers: parse input with zod into a 400/422 with
// a message that names the field, and turn errors into JSON responses.
import type { z } from 'zod';
import { AppError } from './errors';

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

/** Reads a JSON body; malformed JSON is a 400, not a 500. */
export async function readJson(req: Request, limitBytes = 256 * 1024): Promise<unknown> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new AppError('payload_too_large', `body is ${declared} bytes; the limit is ${limitBytes}`);
  }
  const text = await req.text();
  if (Buffer.byteLength(text) > limitBytes) throw new AppError('payload_too_large', `body exceeds ${limitBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', 'body is not valid JSON', { cause: err });
  }
}

export function searchParams(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}

/** Largest id an `int` column holds (users.id); bigserial ids are bounded the same way in URLs. */
const MAX_ID = 2_147_483_647;

/** A `[id]` path segment as a positive integer; anything else is a 400 that says so. */
export function parseId(raw: string, what: string): number {
  const id = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(id >= 1 && id <= MAX_ID)) throw new AppError('bad_request', `${what} id must be a whole number from 1 to ${MAX_ID}`);
  return id;
}
