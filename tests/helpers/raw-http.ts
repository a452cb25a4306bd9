// HTTP requests with the request target sent exactly as written. fetch (and
// the URL class) normalise a path before sending it — `/./api/units` leaves as
// `/api/units` — so a test of what the server does with odd spellings needs
// node's http.request, which puts `path` on the wire as-is.
import { Agent, request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request; rejects when no answer arrives within `timeoutMs` (a server that never answers fails fast). */
export function rawRequest(
  baseUrl: string,
  { method = 'GET', path, headers = {}, body, timeoutMs = 5_000 }: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The next chunk of a streamed body, given how many bytes went before it; null ends the body. */
export type ChunkSource = (sentBytes: number) => Buffer | null | Promise<Buffer | null>;

/** `totalBytes` of JSON-looking filler in 64 KiB chunks. */
export function fillerChunks(totalBytes: number): ChunkSource {
  const chunk = Buffer.alloc(64 * 1024, '{"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}');
  return (sent) => (sent < totalBytes ? chunk : null);
}

/**
 * Streams a body chunk by chunk (Transfer-Encoding: chunked unless the
 * headers declare a content-length) and stops writing as soon as the server
 * answers. Returns the answer, how many bytes had been written by then, and
 * whether the body had ended before the answer came.
 */
export function chunkedUpload(
  baseUrl: string,
  {
    method = 'POST',
    path,
    headers = {},
    totalBytes,
    chunks,
    timeoutMs = 30_000,
  }: { method?: string; path: string; headers?: Record<string, string>; timeoutMs?: number } & (
    | { totalBytes: number; chunks?: never }
    | { chunks: ChunkSource; totalBytes?: never }
  ),
): Promise<RawAnswer & { sentBytes: number; endedBeforeAnswer: boolean }> {
  const { hostname, port } = new URL(baseUrl);
  const next = chunks ?? fillerChunks(totalBytes ?? 0);
  const declared = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let ended = false;
    const req = request(
      // Keep-alive, as browsers and curl send: with `Connection: close` the server
      // closes right after an early answer, and a client still writing may see
      // the reset before it reads the answer.
      {
        host: hostname,
        port,
        method,
        path,
        headers: { 'content-type': 'application/json', ...headers, ...(declared ? {} : { 'transfer-encoding': 'chunked' }), connection: 'keep-alive' },
        agent: new Agent({ keepAlive: true }),
        timeout: timeoutMs,
      },
      (res) => {
        answered = true;
        const sentBytes = sent;
        const endedBeforeAnswer = ended;
        const body: Buffer[] = [];
        res.on('data', (c: Buffer) => body.push(c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(body).toString('utf8'), sentBytes, endedBeforeAnswer });
        });
        res.on('error', reject);
      },
    );
    req.flushHeaders();
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    // The server may close the connection right after answering, while we are still writing.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = async (): Promise<void> => {
      while (!answered) {
        const chunk = await next(sent);
        if (answered) return;
        if (chunk === null) {
          ended = true;
          req.end();
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise<void>((r) => req.once('drain', () => r()));
      }
    };
    pump().catch(reject);
  });
}
