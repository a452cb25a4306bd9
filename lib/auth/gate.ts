import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { toErrorBody } from '../errors';
import { sameOrigin } from './origin';
import { allowed, PROTECTED_PAGES, routeKey, ROUTE_RULES } from './permissions';
import { CLIENT_ADDRESS_HEADER, IDENTITY_HEADER, sessionFromHeaders } from './sessions';

/**
 * The one permission check for HTTP: runs before Next sees a request. API
 * routes are looked up in ROUTE_RULES (unknown → 404, not allowed → 401 or
 * 403); protected pages redirect to /login. On success the caller's identity
 * travels to the route handler in a header that clients cannot set.
 * Returns true when the request may go on to Next.
 */
export async function gate(db: Db, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  delete req.headers[IDENTITY_HEADER];
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const isApi = pathname === '/api' || pathname.startsWith('/api/');
  const isPage = PROTECTED_PAGES.includes(pathname);
  if (!isApi && !isPage) return true;

  try {
    const user = await sessionFromHeaders(db, req.headers);
    if (user) req.headers[IDENTITY_HEADER] = JSON.stringify(user);
    if (isPage) {
      if (user && user.role !== 'device') return true;
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(pathname)}` });
      res.end();
      return false;
    }
    // Cross-site request forgery: a cookie-carrying change must come from our own pages.
    if (method !== 'GET' && !sameOrigin(req)) {
      answer(res, 403, 'forbidden', 'cross-origin request refused');
      return false;
    }
    const key = routeKey(method, pathname);
    if (key === null) {
      answer(res, 404, 'not_found', `no API route ${method} ${pathname.slice(0, 100)}`);
      return false;
    }
    if (allowed(ROUTE_RULES[key], user?.role ?? null)) return true;
    await appendAudit(db, {
      actorUserId: user?.userId ?? null,
      actor: user?.username ?? null,
      role: user?.role ?? null,
      action: 'http.denied',
      target: key,
      outcome: 'denied',
      ip: req.socket.remoteAddress ?? null,
    });
    if (user) answer(res, 403, 'forbidden', `your role (${user.role}) may not ${key}`);
    else answer(res, 401, 'unauthorized', 'sign in first');
    return false;
  } catch (err) {
    const { status, body, headers } = toErrorBody(err);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
    return false;
  }
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}
