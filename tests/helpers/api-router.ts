// The app's own route handlers (app/api/**/route.ts), served behind the real
// gate without Next: integration tests reach every handler over HTTP with real
// sessions and a real database, in milliseconds instead of a Next build.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Route {
  method: string;
  re: RegExp;
  names: string[];
  handler: Handler;
}

const API_DIR = join(import.meta.dirname, '..', '..', 'app', 'api');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return entry === 'route.ts' ? [path] : [];
  });
}

/** Loads every route module once; returns a node request handler for startTestApp's `web`. */
export async function apiRouter(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const routes: Route[] = [];
  for (const file of routeFiles()) {
    const path = `/api/${relative(API_DIR, join(file, '..')).split('\\').join('/')}`;
    const names = [...path.matchAll(/\[([a-z]+)\]/g)].map((m) => m[1]!);
    const re = new RegExp(`^${path.replace(/\[[a-z]+\]/g, '([^/]+)')}$`);
    const mod = (await import(pathToFileURL(file).href)) as Partial<Record<(typeof METHODS)[number], Handler>>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler) routes.push({ method, re, names, handler });
    }
  }
  return (req, res) =>
    void serve(routes, req, res).catch((err: unknown) => {
      // Only a malformed %-escape in a path gets here; anything else is a bug the test should see.
      res.writeHead(err instanceof URIError ? 400 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_request', message: String(err) } }));
    });
}

async function serve(routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  for (const r of routes) {
    const m = r.method === method ? r.re.exec(url.pathname) : null;
    if (!m) continue;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    // The body streams to the handler as it arrives, as Next hands it over
    // (the request itself as the body): a handler that stops reading early is
    // not waiting for the rest.
    const body = method === 'GET' || method === 'HEAD' ? undefined : (req as unknown as ReadableStream<Uint8Array>);
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    const response = await r.handler(new Request(url, { method, headers, body, duplex: 'half' } as RequestInit), { params: Promise.resolve(params) });
    const out = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(out);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: `test router: no handler for ${method} ${url.pathname}` } }));
}

/** One JSON request to a test app as `who` (a signed-in person's cookie; null for nobody). */
export async function callApi(baseUrl: string, who: { cookie: string } | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}
