// Path spellings through the real gate (issue 8, items 1 and 11). The gate
// must decide on exactly the path the router behind it will route. Behind the
// gate here is a deliberately lenient router: it folds every spelling a web
// router might fold (dot segments, repeated slashes, backslashes, one round of
// percent-decoding, case, a trailing slash) and, when the result names a
// protected route or page, answers 200 with data, as Next would if the gate
// let the request through. Anything else goes to the app's own handlers. Every
// request is sent with its target exactly as written (node http, not fetch).
import fc from 'fast-check';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_RULES, ROUTE_RULES } from '../../lib/auth/permissions';
import { IDENTITY_HEADER } from '../../lib/auth/sessions';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { rawRequest, type RawAnswer } from '../helpers/raw-http';

const RUNS = 1_500;

/** Every protected API route (path params as `1`) and every protected page, with its method. */
const PROTECTED = [
  ...Object.entries(ROUTE_RULES)
    .filter(([, audience]) => audience !== 'public')
    .map(([key]) => {
      const [method, pattern] = key.split(' ') as [string, string];
      return { method, path: pattern.replace(/\[[a-z]+\]/g, '1') };
    }),
  ...Object.keys(PAGE_RULES).map((path) => ({ method: 'GET', path })),
];

const PROTECTED_PATTERNS = [
  ...Object.entries(ROUTE_RULES)
    .filter(([, audience]) => audience !== 'public')
    .map(([key]) => {
      const [method, pattern] = key.split(' ') as [string, string];
      return { method, re: new RegExp(`^${pattern.toLowerCase().replace(/\[[a-z]+\]/g, '[^/]+')}$`) };
    }),
  ...Object.keys(PAGE_RULES).map((path) => ({ method: 'GET', re: new RegExp(`^${path}$`) })),
];

/** Where a lenient router could take a raw request target, lower-cased; null when it could not parse it. */
function lenientRoute(target: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(target.startsWith('/') ? `http://h${target}` : target).pathname);
  } catch {
    return null;
  }
  const segments: string[] = [];
  for (const s of pathname.replace(/\\/g, '/').split('/')) {
    if (s === '..') segments.pop();
    else if (s !== '' && s !== '.') segments.push(s);
  }
  return `/${segments.join('/')}`.toLowerCase();
}

function isProtected(method: string, routed: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  return PROTECTED_PATTERNS.some((p) => p.method === m && p.re.test(routed));
}

/** %XX of a character, upper- or lower-case hex. */
const pct = (c: string, lower: boolean): string => {
  const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? hex : hex.toUpperCase()}`;
};

const spellChar = (c: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(c) },
    { weight: 1, arbitrary: fc.constant(c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) },
    { weight: 1, arbitrary: fc.boolean().map((lower) => pct(c, lower)) },
  );
const separator = fc.oneof(
  { weight: 10, arbitrary: fc.constant('/') },
  { weight: 4, arbitrary: fc.constantFrom('//', '/./', '/x/../', '\\', '/%2F', '%2f', '/%2e/', '/.%2E/', '/%5C', '/a/%2e%2e/', '///', '/;/') },
);
const PREFIXES = ['', '/.', '/x/..', '/%2e', '/', '/./.', 'http://127.0.0.1', '/..', '/%2E%2E'] as const;
const SUFFIXES = ['', '/', '//', ';', ';x=1', '%20', '#', '#frag', '?', '?a=1', '/.', '.', '%2F', '%2f', '%00', '%', '%E0%A4%A', '%ff', '/..', '~', '%7E', '.rsc', ' '.trim(), '/x/..', '%3B', '%09', '?#'] as const;

/** One arbitrary spelling of a protected route or page, with the method it is called with. */
const spelling = fc
  .constantFrom(...PROTECTED)
  .chain(({ method, path }) => {
    const segments = path.split('/').slice(1);
    const spelledSegments = segments.map((seg) => fc.tuple(separator, fc.tuple(...[...seg].map(spellChar)).map((cs) => cs.join(''))));
    return fc.record({
      method: fc.constant(method),
      path: fc.constant(path),
      target: fc
        .tuple(fc.constantFrom(...PREFIXES), fc.tuple(...spelledSegments), fc.constantFrom(...SUFFIXES))
        .map(([prefix, segs, suffix]) => `${prefix}${segs.map(([sep, s]) => `${sep}${s}`).join('')}${suffix}`),
    });
  });

function expectRefusal(answer: RawAnswer, what: string): void {
  expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBeGreaterThanOrEqual(300);
  expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
  expect(answer.body, what).not.toContain('"leak"');
  const location = answer.headers.location;
  if (answer.status >= 300 && answer.status < 400) {
    // A redirect stays on this origin: a path, never `//host` or `/\host`.
    expect(String(location), what).toMatch(/^\/(?![/\\])/);
  }
}

function expectJsonError(answer: RawAnswer, status: number, message: RegExp): void {
  expect(answer.status, answer.body).toBe(status);
  expect(String(answer.headers['content-type'])).toContain('application/json');
  const body = JSON.parse(answer.body) as { error: { code: string; message: string } };
  expect(body.error.message).toMatch(message);
}

describe.each(engines())('the gate on path spellings (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let adminCookie: string;
  const reached: string[] = [];

  beforeAll(async () => {
    t = await freshDb(engine);
    adminCookie = (await signIn(t.db, 'admin')).cookie;
    const api = await apiRouter();
    server = await startTestApp(t.db, {
      web: (req: IncomingMessage, res: ServerResponse) => {
        reached.push(req.url ?? '');
        const routed = lenientRoute(req.url ?? '');
        if (routed !== null && isProtected(req.method ?? 'GET', routed) && !req.headers[IDENTITY_HEADER]) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ leak: routed }));
          return;
        }
        api(req, res);
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('the lenient router behind the gate would leak each protected route if the gate let it through', async () => {
    for (const { method, path } of PROTECTED) expect(isProtected(method, lenientRoute(path)!), path).toBe(true);
    expect(lenientRoute('/./api/admin/users')).toBe('/api/admin/users');
    expect(lenientRoute('//api/units')).toBe('/api/units');
    expect(lenientRoute('/%61pi/units')).toBe('/api/units');
  });

  it('refuses the spellings from the issue: an API path not in canonical form is a 400 that says so', async () => {
    for (const path of ['/./api/admin/users', '/x/../api/units', '/./api/alerts', '//api/units', '/api/./units', '/%61pi/units', '/api%2Funits', '/api\\units', '/api/units/', '/api//units', '/api/%75nits', '/api/units/.', '/%2e/api/units', '/api/admin/users/%2e%2e/users']) {
      const answer = await rawRequest(server.baseUrl, { path });
      expectJsonError(answer, 400, /path is not in canonical form/);
      expect(answer.body).not.toContain('leak');
    }
    // The canonical spelling still works for someone signed in.
    expect((await rawRequest(server.baseUrl, { path: '/api/admin/users', headers: { cookie: adminCookie } })).status).toBe(200);
  });

  it('redirects a page request to its canonical path, which the gate then checks like any other', async () => {
    const dotted = await rawRequest(server.baseUrl, { path: '/./admin' });
    expect(dotted.status).toBe(308);
    expect(dotted.headers.location).toBe('/admin');
    const canonical = await rawRequest(server.baseUrl, { path: '/admin' });
    expect(canonical.status).toBe(302);
    expect(canonical.headers.location).toBe('/login?next=%2Fadmin');
    for (const [path, to] of [
      ['/x/../admin?tab=users', '/admin?tab=users'],
      ['//evil.example/', '/evil.example'],
      ['/\\evil.example/', '/evil.example'],
      ['/%2F%2Fevil.example', '/evil.example'],
      ['/admin/', '/admin'],
      ['/%61ccount', '/account'],
      ['/admin#x', '/admin'],
    ] as const) {
      const answer = await rawRequest(server.baseUrl, { path });
      expect(answer.status, path).toBe(308);
      expect(answer.headers.location, path).toBe(to);
    }
  });

  it('treats any case of /api as the API (404 for a route with no rule), and any case of a protected page as protected', async () => {
    for (const path of ['/API/units', '/Api/admin/users', '/aPI/alerts']) expectJsonError(await rawRequest(server.baseUrl, { path }), 404, /no API route/);
    for (const path of ['/ADMIN', '/Account', '/aDmIn']) {
      const answer = await rawRequest(server.baseUrl, { path });
      expect(answer.status, path).toBe(302);
      expect(answer.headers.location, path).toMatch(/^\/login\?next=/);
    }
  });

  it('answers a malformed or control-character percent-escape with a 400, never a 500', async () => {
    for (const path of ['/api/incidents/%E0%A4%A', '/api/incidents/%', '/api/incidents/%zz', '/api/incidents/%FF', '/%E0%A4%A', '/login%']) {
      expectJsonError(await rawRequest(server.baseUrl, { path, headers: { cookie: adminCookie } }), 400, /percent-escape/);
    }
    for (const path of ['/api/incidents/%00', '/api/incidents/1%0A', '/admin%09']) {
      expectJsonError(await rawRequest(server.baseUrl, { path, headers: { cookie: adminCookie } }), 400, /control characters/);
    }
  });

  it('answers request targets that are not a path: `*` and absolute URLs are a 400, OPTIONS * a 204 with Allow', async () => {
    expectJsonError(await rawRequest(server.baseUrl, { path: '*' }), 400, /request target/);
    expectJsonError(await rawRequest(server.baseUrl, { method: 'POST', path: '*', body: '{}' }), 400, /request target/);
    const options = await rawRequest(server.baseUrl, { method: 'OPTIONS', path: '*' });
    expect(options.status).toBe(204);
    expect(options.headers.allow).toContain('GET');
    for (const path of ['http://127.0.0.1/api/units', 'http://127.0.0.1/admin', 'https://evil.example/api/alerts']) {
      expectJsonError(await rawRequest(server.baseUrl, { path }), 400, /request target/);
    }
  });

  it('answers paths beside socket.io (/socket.iox, /socket.io.js) instead of leaving them hanging', async () => {
    for (const path of ['/socket.iox', '/socket.io.js', '/socket.io', '/socket.io?EIO=4']) {
      const answer = await rawRequest(server.baseUrl, { path, timeoutMs: 3_000 });
      expect(answer.status, path).toBe(404);
    }
    // socket.io's own path is still socket.io's.
    const handshake = await rawRequest(server.baseUrl, { path: '/socket.io/?EIO=4&transport=polling', timeoutMs: 3_000 });
    expect(handshake.status).not.toBe(404);
  });

  it('refuses methods other than GET and HEAD on pages (there are no server actions), before anything reads a body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', '/login', '/admin', '/_next/static/x.js']) {
        const answer = await rawRequest(server.baseUrl, { method, path, body: '{}', headers: { 'content-type': 'application/json' } });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow, `${method} ${path}`).toBe('GET, HEAD');
      }
    }
  });

  it(`property: ${RUNS} arbitrary spellings of every protected route and page, anonymously — never a 200 with data, never a 5xx`, async () => {
    reached.length = 0;
    await fc.assert(
      fc.asyncProperty(spelling, async ({ method, target }) => {
        const answer = await rawRequest(server.baseUrl, {
          method,
          path: target,
          body: method === 'GET' ? undefined : '{}',
          headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        });
        expectRefusal(answer, `${method} ${target}`);
      }),
      { numRuns: RUNS },
    );
    // Nothing protected got past the gate; what did get past is a path the router cannot take to a protected route.
    expect(reached.filter((u) => isProtected('GET', lenientRoute(u) ?? ''))).toEqual([]);
  });
});
