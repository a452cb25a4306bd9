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

/**
 * Streams `totalBytes` of body with Transfer-Encoding: chunked (no length
 * declared) and stops writing as soon as the server answers. Returns the
 * answer and how many bytes had been written by then.
 */
export function chunkedUpload(
  baseUrl: string,
  { method = 'POST', path, headers = {}, totalBytes, timeoutMs = 30_000 }: { method?: string; path: string; headers?: Record<string, string>; totalBytes: number; timeoutMs?: number },
): Promise<RawAnswer & { sentBytes: number }> {
  const { hostname, port } = new URL(baseUrl);
  const chunk = Buffer.alloc(64 * 1024, '{"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      // Keep-alive, as browsers and curl send: with `Connection: close` the server
      // closes right after an early answer, and a client still writing may see
      // the reset before it reads the answer.
      { host: hostname, port, method, path, headers: { 'content-type': 'application/json', ...headers, 'transfer-encoding': 'chunked', connection: 'keep-alive' }, agent: new Agent({ keepAlive: true }), timeout: timeoutMs },
      (res) => {
        answered = true;
        const sentBytes = sent;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), sentBytes });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    // The server may close the connection right after answering, while we are still writing.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = (): void => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}
