import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress, clientSecure, type TrustedProxy } from '../http/client-address';
import { appendAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { toErrorBody } from '../errors';
import { bodyLimit } from '../http/body-limits';
import type { DeniedAudit } from '../http/denied-audit';
import { isCanonical, parseRequestTarget } from '../http/request-target';
import { homePath } from './next-path';
import { sameOrigin } from './origin';
import { allowed, pageRule, routeKey, ROUTE_RULES } from './permissions';
import type { SessionUser } from '../../db/sessions';
import { CLIENT_ADDRESS_HEADER, CLIENT_SECURE_HEADER, encodeIdentity, IDENTITY_HEADER, sessionFromHeaders } from './sessions';

export interface GateDeps {
  db: Db;
  /** Where denied anonymous requests are written, aggregated per address. */
  deniedAudit: DeniedAudit;
  /** Our own proxy, whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: TrustedProxy;
}

/** Methods the API uses; OPTIONS * is answered with these. */
const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * The one permission check for HTTP: runs before Next sees a request.
 *
 * It decides on exactly the path Next will route: the request target must be
 * a path in canonical form (lib/http/request-target.ts) — no dot segments,
 * repeated slashes, backslashes or needless percent-escapes. A page request
 * in another spelling is redirected (308) to the canonical one, which then
 * comes back through here; anything else is a 400. Any case of `/api` is the
 * API: routes are looked up in ROUTE_RULES (unknown → 404, body declared
 * larger than the route takes → 413, not allowed → 401 or 403). Pages
 * (matched ignoring case) redirect signed-out visitors to /login and take
 * only GET and HEAD; a wall display that opens `/` is sent to /wall. On
 * success the caller's identity travels to the route handler in a header
 * that clients cannot set. Returns true when the request may go on to Next.
 */
export async function gate(deps: GateDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  delete req.headers[IDENTITY_HEADER];
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req, deps.trustProxy);
  req.headers[CLIENT_SECURE_HEADER] = clientSecure(req, deps.trustProxy) ? '1' : '0';
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const target = parseRequestTarget(req.url ?? '/');
  if (target.form === 'asterisk') {
    if (method === 'OPTIONS') {
      res.writeHead(204, { allow: ALLOW });
      res.end();
    } else answer(res, 400, 'bad_request', `the request target "*" is only for OPTIONS`);
    return false;
  }
  if (target.form === 'invalid') {
    answer(res, 400, 'bad_request', `bad request target: ${target.message}`);
    return false;
  }
  const { canonical, query } = target;
  const isApi = /^\/api(\/|$)/i.test(canonical);
  if (!isCanonical(target)) {
    // A browser never sends these spellings for our own links; send it to the one we check.
    if (!isApi && method === 'GET' && /^[\x21-\x7e]*$/.test(query)) {
      res.writeHead(308, { location: `${canonical}${query}` });
      res.end();
    } else {
      answer(res, 400, 'bad_request', `path is not in canonical form (no dot segments, repeated slashes, backslashes or needless %-escapes); use ${canonical}`);
    }
    return false;
  }
  const pathname = canonical;
  if (!isApi && method !== 'GET') {
    // No page takes a body (there are no server actions): Next never reads one.
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'bad_request', message: `${method} is not allowed on pages; use GET` } }));
    return false;
  }
  const page = isApi ? undefined : pageRule(pathname);
  if (!isApi && !page) return true;

  const key = isApi ? routeKey(method, pathname) : null;
  if (isApi && key === null) {
    answer(res, 404, 'not_found', `no API route ${method} ${pathname.slice(0, 100)}`);
    return false;
  }
  if (key !== null) {
    // Before the session is looked up, so an oversized body costs no database work.
    const limit = bodyLimit(key);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Not read: Node discards whatever the client still sends (bounded by the server's requestTimeout).
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'payload_too_large', message: `body is ${declared} bytes; the limit for ${key} is ${limit} bytes` } }));
      return false;
    }
  }

  try {
    const user = await sessionFromHeaders(deps.db, req.headers);
    if (user) req.headers[IDENTITY_HEADER] = encodeIdentity(user);
    if (page) {
      if (user && page.includes(user.role)) return !sentHome(res, user.role, pathname, query);
      if (user && user.role !== 'device') {
        await audit(deps, req, user, `GET ${pathname}`);
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
    if (allowed(ROUTE_RULES[key!], user?.role ?? null)) return true;
    await audit(deps, req, user, key!);
    if (user) answer(res, 403, 'forbidden', `your role (${user.role}) may not ${key}`);
    else answer(res, 401, 'unauthorized', 'sign in first');
    return false;
  } catch (err) {
    const { status, body, headers } = toErrorBody(err);
    if (page) unavailablePage(res, status, headers);
    else {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    }
    return false;
  }
}

/**
 * A role whose home is not the map (the wall display) that opens `/` — a
 * bookmarked or typed address — is sent to its own view, query kept. True
 * when it was redirected.
 */
function sentHome(res: ServerResponse, role: string, pathname: string, query: string): boolean {
  const home = homePath(role);
  if (pathname !== '/' || home === '/') return false;
  res.writeHead(302, { location: /^[\x21-\x7e]*$/.test(query) ? `${home}${query}` : home, 'cache-control': 'no-store' });
  res.end();
  return true;
}

/** Signed-in denials are written one by one; anonymous ones are aggregated per address. */
function audit(deps: GateDeps, req: IncomingMessage, user: SessionUser | null, target: string): Promise<void> {
  const ip = clientAddress(req, deps.trustProxy);
  if (!user) return deps.deniedAudit.record({ ip, target });
  return appendAudit(deps.db, {
    actorUserId: user.userId,
    actor: user.username,
    role: user.role,
    action: 'http.denied',
    target,
    outcome: 'denied',
    ip,
  });
}

const PAGE_STYLE = 'font-family:system-ui,sans-serif;background:#070b11;color:#e6edf5;display:grid;place-items:center;height:100vh;margin:0';
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** A signed-in person opened a page their role may not: a plain page that says so, with a way back. */
function refusePage(res: ServerResponse, role: string): void {
  res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP });
  res.end(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>403 · GridSight</title>` +
      `<body style="${PAGE_STYLE}">` +
      `<main data-testid="page-forbidden"><h1>403</h1><p>此页面不对您的角色（${role}）开放。<br>Your role (${role}) may not open this page.</p>` +
      `<p><a style="color:#38bdf8" href="/">返回地图 · Back to the map</a></p></main></body></html>`,
  );
}

/**
 * The session could not be looked up for a page (the database is down): a
 * small page that says so and reloads itself, instead of the API's JSON.
 */
function unavailablePage(res: ServerResponse, status: number, headers: Record<string, string>): void {
  const retry = headers['Retry-After'] ?? '5';
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store', ...headers });
  const [zh, en] =
    status === 503
      ? ['数据库暂时不可用', 'The database is unavailable; this page retries by itself.']
      : ['服务器内部错误，已记录', 'Internal error; it has been logged. This page retries by itself.'];
  res.end(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="${retry}">` +
      `<title>${status} · GridSight</title><body style="${PAGE_STYLE}">` +
      `<main data-testid="page-unavailable"><h1>${status}</h1><p>${zh} · ${en}</p></main></body></html>`,
  );
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}
