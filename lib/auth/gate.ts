import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { toErrorBody } from '../errors';
import { sameOrigin } from './origin';
import { allowed, pageRule, routeKey, ROUTE_RULES } from './permissions';
import type { SessionUser } from '../../db/sessions';
import { CLIENT_ADDRESS_HEADER, encodeIdentity, IDENTITY_HEADER, sessionFromHeaders } from './sessions';

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
  const page = isApi ? undefined : pageRule(pathname);
  if (!isApi && !page) return true;

  try {
    const user = await sessionFromHeaders(db, req.headers);
    if (user) req.headers[IDENTITY_HEADER] = encodeIdentity(user);
    if (page) {
      if (user && page.includes(user.role)) return true;
      if (user && user.role !== 'device') {
        await audit(db, req, user, `GET ${pathname}`);
        refusePage(res, user.role);
        return false;
      }
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
    await audit(db, req, user, key);
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

function audit(db: Db, req: IncomingMessage, user: SessionUser | null, target: string): Promise<void> {
  return appendAudit(db, {
    actorUserId: user?.userId ?? null,
    actor: user?.username ?? null,
    role: user?.role ?? null,
    action: 'http.denied',
    target,
    outcome: 'denied',
    ip: req.socket.remoteAddress ?? null,
  });
}

/** A signed-in person opened a page their role may not: a plain page that says so, with a way back. */
function refusePage(res: ServerResponse, role: string): void {
  res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>403 · GridSight</title>` +
      `<body style="font-family:system-ui,sans-serif;background:#070b11;color:#e6edf5;display:grid;place-items:center;height:100vh;margin:0">` +
      `<main data-testid="page-forbidden"><h1>403</h1><p>此页面不对您的角色（${role}）开放。<br>Your role (${role}) may not open this page.</p>` +
      `<p><a style="color:#38bdf8" href="/">返回地图 · Back to the map</a></p></main></body></html>`,
  );
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}
