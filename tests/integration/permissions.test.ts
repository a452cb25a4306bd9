// The route × role matrix, socket authentication, and live sockets ending
// with their session. The gate runs in front of a stub instead of Next, so
// this tests the one permission check itself, for every route the app has.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTownship } from '../../lib/sim/seed';
import { revokeLiveSession } from '../../db/sessions';
import { changeIncident, createIncident } from '../../lib/incidents';
import type { Incident, IncidentTimeline, Role } from '../../lib/model';
import { PAGE_RULES, ROUTE_RULES, SOCKET_RULES, allowed } from '../../lib/auth/permissions';
import { IDENTITY_HEADER } from '../../lib/auth/sessions';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship } from '../helpers/dispatch-fixture';
import { pointInFirstGrid } from '../helpers/township';

const API_DIR = join(import.meta.dirname, '..', '..', 'app', 'api');
const PEOPLE = ['admin', 'coordinator', 'viewer', 'wall'] as const;

/** Every `METHOD /api/path` the app exports, read from app/api/**\/route.ts. */
function appRoutes(dir = API_DIR): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...appRoutes(path));
    else if (entry === 'route.ts') {
      const route = `/api/${relative(API_DIR, dir).split('\\').join('/')}`;
      for (const m of readFileSync(path, 'utf8').matchAll(/export async function (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${m[1]} ${route}`);
    }
  }
  return out.sort();
}

describe('the permission table', () => {
  it('has a rule for every API route the app exports, and no rule for a route that does not exist', () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !(r in ROUTE_RULES))).toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((r) => !routes.includes(r))).toEqual([]);
  });
});

describe.each(engines())('the gate and the socket door on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  const cookies = {} as Record<(typeof PEOPLE)[number], { cookie: string; sessionId: number; userId: number }>;
  let lastIdentity: string | undefined;

  beforeAll(async () => {
    t = await freshDb(engine);
    for (const role of PEOPLE) cookies[role] = await signIn(t.db, role);
    server = await startTestApp(t.db, {
      web: (req, res) => {
        lastIdentity = req.headers[IDENTITY_HEADER] as string | undefined;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"reached":true}');
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('answers every route × role as the table says: allowed → reaches the handler, anonymous → 401, other roles → 403', async () => {
    const seen: string[] = [];
    for (const key of Object.keys(ROUTE_RULES)) {
      const [method, pattern] = key.split(' ') as [string, string];
      const path = pattern.replace(/\[[a-z]+\]/g, '1');
      for (const role of [null, ...PEOPLE] as (Role | null)[]) {
        const res = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: role ? { cookie: cookies[role as (typeof PEOPLE)[number]].cookie } : {},
          body: method === 'GET' ? undefined : '{}',
        });
        const expected = allowed(ROUTE_RULES[key], role) ? 200 : role === null ? 401 : 403;
        expect(res.status, `${key} as ${role ?? 'anonymous'}`).toBe(expected);
        seen.push(`${key}:${role}:${res.status}`);
      }
    }
    // Coordinators may report incidents; viewers and wall displays may not.
    expect(seen).toContain('POST /api/incidents:coordinator:200');
    expect(seen).toContain('POST /api/incidents:viewer:403');
    expect(seen).toContain('POST /api/incidents:wall:403');
    expect(seen).toContain('GET /api/units:null:401');
    expect(seen).toContain('PATCH /api/incidents/[id]:coordinator:200');
    expect(seen).toContain('PATCH /api/incidents/[id]:viewer:403');
    expect(seen).toContain('DELETE /api/admin/sessions/[id]:coordinator:403');
    expect(seen).toContain('DELETE /api/auth/sessions/[id]:wall:200');
    // The dispatch loop's routes (issue 10), written out for every role: staff act, everyone sees the timeline.
    const roles = ['null', 'admin', 'coordinator', 'viewer', 'wall'];
    const expected: Record<string, number[]> = {
      'GET /api/incidents/[id]/timeline': [401, 200, 200, 200, 200],
      'GET /api/incidents/[id]/recommendations': [401, 200, 200, 403, 403],
      'POST /api/incidents/[id]/dispatch': [401, 200, 200, 403, 403],
      'POST /api/assignments/[id]/acknowledge': [401, 200, 200, 403, 403],
      'POST /api/assignments/[id]/release': [401, 200, 200, 403, 403],
      'POST /api/alerts/[id]/acknowledge': [401, 200, 200, 403, 403],
      'POST /api/alerts/[id]/clear': [401, 200, 200, 403, 403],
    };
    for (const [route, codes] of Object.entries(expected)) {
      expect(roles.map((role, i) => `${route}:${role}:${codes[i]}`).filter((e) => !seen.includes(e)), route).toEqual([]);
    }
  });

  it('opens each page only to the roles its rule names: others get a 403 page, signed-out visitors the login page', async () => {
    for (const [page, roles] of Object.entries(PAGE_RULES)) {
      for (const role of PEOPLE) {
        const res = await fetch(`${server.baseUrl}${page}`, { headers: { cookie: cookies[role].cookie }, redirect: 'manual' });
        // A wall display that opens the map is sent on to its own view.
        const sentToWall = page === '/' && role === 'wall';
        expect(res.status, `${page} as ${role}`).toBe(!roles.includes(role) ? 403 : sentToWall ? 302 : 200);
        expect(res.headers.get('location'), `${page} as ${role}: redirect`).toBe(sentToWall ? '/wall' : null);
        // The refusal page names the role; the stub behind the gate answers {"reached":true}.
        expect((await res.text()).includes(`(${role})`), `${page} as ${role}: refusal page`).toBe(!roles.includes(role));
      }
      const anonymous = await fetch(`${server.baseUrl}${page}`, { redirect: 'manual' });
      expect(anonymous.status, `${page} signed out`).toBe(302);
      expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(page)}`);
    }
  });

  it('refuses an API path with no rule, redirects a signed-out page visit, and strips a forged identity header', async () => {
    expect((await fetch(`${server.baseUrl}/api/secret-admin-thing`, { headers: { cookie: cookies.admin.cookie } })).status).toBe(404);
    const page = await fetch(`${server.baseUrl}/`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    expect((await fetch(`${server.baseUrl}/`, { headers: { cookie: cookies.viewer.cookie } })).status).toBe(200);

    const forged = JSON.stringify({ sessionId: 1, userId: 1, username: 'x', role: 'admin' });
    await fetch(`${server.baseUrl}/api/health`, { headers: { [IDENTITY_HEADER]: forged } });
    expect(lastIdentity).toBeUndefined();
    await fetch(`${server.baseUrl}/api/units`, { headers: { [IDENTITY_HEADER]: forged } }).then((r) => expect(r.status).toBe(401));
  });

  it('refuses cross-origin changes and cross-origin socket handshakes', async () => {
    const evil = { cookie: cookies.coordinator.cookie, origin: 'http://evil.example' };
    expect((await fetch(`${server.baseUrl}/api/incidents`, { method: 'POST', headers: evil, body: '{}' })).status).toBe(403);
    const ours = { cookie: cookies.coordinator.cookie, origin: server.baseUrl };
    expect((await fetch(`${server.baseUrl}/api/incidents`, { method: 'POST', headers: ours, body: '{}' })).status).toBe(200);

    const s = connect(server.baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: cookies.viewer.cookie, origin: 'http://evil.example' },
    });
    const outcome = await new Promise<string>((resolve) => {
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    s.close();
  });

  it('writes a denied request to the audit log', async () => {
    await fetch(`${server.baseUrl}/api/incidents`, { method: 'POST', headers: { cookie: cookies.viewer.cookie }, body: '{}' });
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'http.denied' AND target = 'POST /api/incidents' AND role = 'viewer'`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('lets only signed-in people open a socket, and joins rooms by role', async () => {
    const anonymous = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
    const refusal = await new Promise<string>((resolve) => anonymous.once('connect_error', (e) => resolve(e.message)));
    expect(refusal).toBe('unauthorized');
    anonymous.close();

    for (const role of PEOPLE) {
      const s = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies[role].cookie } });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      for (const room of ['map'] as const) {
        const ok = await new Promise<boolean>((resolve) => s.emit('join', room, resolve));
        expect(ok, `${role} joins ${room}`).toBe(allowed(SOCKET_RULES[`join:${room}`], role));
      }
      s.close();
    }
  });

  it('ends a live socket within 5 s when its session is revoked elsewhere or ended by logout', async () => {
    for (const end of ['revoked in the database', 'ended on the bus'] as const) {
      const viewer = await signIn(t.db, 'viewer');
      const s = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: viewer.cookie } });
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      const started = Date.now();
      const dropped = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
      if (end === 'revoked in the database') await revokeLiveSession(t.db, { sessionId: viewer.sessionId });
      else server.app.bus.publish('session:ended', viewer.sessionId);
      expect(await dropped, end).toBe('io server disconnect');
      expect(Date.now() - started, end).toBeLessThan(5_000);
      s.close();
    }
  });

  it('viewers and wall displays get incidents over the socket without narrative or reporter contact; staff get them whole', async () => {
    await seedDemoTownship(t.db, { historyDays: 1 });
    const received = {} as Record<(typeof PEOPLE)[number], Record<string, unknown>>;
    const sockets = await Promise.all(
      PEOPLE.map(async (role) => {
        const s = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies[role].cookie } });
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
        s.on('incident:new', (e: { data: Record<string, unknown> }) => (received[role] = e.data));
        return s;
      }),
    );
    const { lon, lat } = await pointInFirstGrid(t.db);
    await createIncident(
      { db: t.db, bus: server.app.bus },
      { category: 'family_dispute', severity: 2, title: '家庭纠纷', description: '双方就赡养问题争执', reporterContact: '138-0000-0000', source: 'coordinator', position: [lon, lat] },
    );
    await expect.poll(() => Object.keys(received).length, { timeout: 5_000 }).toBe(4);
    for (const role of ['admin', 'coordinator'] as const) {
      expect(received[role]!.description, role).toBe('双方就赡养问题争执');
      expect(received[role]!.reporterContact, role).toBe('138-0000-0000');
    }
    for (const role of ['viewer', 'wall'] as const) {
      expect(received[role], role).not.toHaveProperty('description');
      expect(received[role], role).not.toHaveProperty('reporterContact');
      expect(JSON.stringify(received[role])).not.toMatch(/赡养|138-0000/);
      expect(received[role]!.title).toBe('家庭纠纷');
    }
    for (const s of sockets) s.close();
  });

  it('viewers and wall displays get a resolved incident over the socket without its outcome note; staff get it whole', async () => {
    const { lon, lat } = await pointInFirstGrid(t.db);
    const deps = { db: t.db, bus: server.app.bus };
    const created = await createIncident(deps, { category: 'neighbour_dispute', severity: 2, title: '邻里噪音', source: 'coordinator', position: [lon, lat] });
    const received = {} as Record<(typeof PEOPLE)[number], Record<string, unknown>>;
    const sockets = await Promise.all(
      PEOPLE.map(async (role) => {
        const s = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies[role].cookie } });
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
        s.on('incident:update', (e: { data: Record<string, unknown> }) => {
          if (e.data.id === created.id) received[role] = e.data;
        });
        return s;
      }),
    );
    const actor = { actorUserId: cookies.coordinator.userId, actor: 'coordinator', role: 'coordinator' as const, ip: null };
    await changeIncident(deps, { id: created.id, change: { status: 'resolved', outcome: 'other', outcomeNote: '当事人已搬离' }, actor });
    await expect.poll(() => Object.keys(received).length, { timeout: 5_000 }).toBe(4);
    for (const role of ['admin', 'coordinator'] as const) expect(received[role]!.outcomeNote, role).toBe('当事人已搬离');
    for (const role of ['viewer', 'wall'] as const) {
      expect(received[role], role).not.toHaveProperty('outcomeNote');
      expect(JSON.stringify(received[role])).not.toContain('当事人已搬离');
      expect([received[role]!.status, received[role]!.outcome], role).toEqual(['resolved', 'other']);
    }
    for (const s of sockets) s.close();
  });

  it('limits socket events per connection', async () => {
    const s = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies.viewer.cookie } });
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const answers: boolean[] = [];
    for (let i = 0; i < 25; i++) {
      // An event refused by the limiter gets no ack: wait briefly for each.
      answers.push(await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 300);
        s.emit('join', 'map', (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        });
      }));
    }
    expect(answers.filter(Boolean)).toHaveLength(20);
    s.close();
  });

  it('ends browser sessions after 30 min idle or 12 h in all; a wall session outlives both', async () => {
    const browser = await signIn(t.db, 'viewer');
    const idle = await signIn(t.db, 'viewer');
    const wall = await signIn(t.db, 'wall');
    const get = (cookie: string) => fetch(`${server.baseUrl}/api/units`, { headers: { cookie } }).then((r) => r.status);
    // Age the sessions in the database instead of waiting.
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [browser.sessionId]);
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = ANY($1::bigint[])`, [[idle.sessionId, wall.sessionId]]);
    expect(await get(browser.cookie)).toBe(401);
    expect(await get(idle.cookie)).toBe(401);
    expect(await get(wall.cookie)).toBe(200);
    const { rows } = await t.db.query<{ days: number }>(`SELECT extract(day FROM expires_at - now())::int AS days FROM sessions WHERE id = $1`, [wall.sessionId]);
    expect(rows[0]!.days).toBeGreaterThan(365);
  });

  it('keeps an active session alive: a request refreshes last_seen_at (at most once a minute)', async () => {
    const active = await signIn(t.db, 'viewer');
    await t.db.query(`UPDATE sessions SET last_seen_at = now() - interval '20 minutes' WHERE id = $1`, [active.sessionId]);
    expect((await fetch(`${server.baseUrl}/api/units`, { headers: { cookie: active.cookie } })).status).toBe(200);
    const { rows } = await t.db.query<{ idle: number }>(
      `SELECT extract(epoch FROM now() - last_seen_at)::float8 AS idle FROM sessions WHERE id = $1`,
      [active.sessionId],
    );
    expect(rows[0]!.idle).toBeLessThan(60);
  });

  it('refuses a revoked session and a disabled user over HTTP too', async () => {
    const viewer = await signIn(t.db, 'viewer');
    expect((await fetch(`${server.baseUrl}/api/units`, { headers: { cookie: viewer.cookie } })).status).toBe(200);
    await t.db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [viewer.userId]);
    expect((await fetch(`${server.baseUrl}/api/units`, { headers: { cookie: viewer.cookie } })).status).toBe(401);
  });
});

describe.each(engines())('the dispatch routes behind the real handlers on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  const cookies = {} as Record<(typeof PEOPLE)[number], { cookie: string }>;

  beforeAll(async () => {
    t = await freshDb(engine);
    for (const role of PEOPLE) cookies[role] = await signIn(t.db, role);
    server = await startTestApp(t.db, { web: await apiRouter() });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('lets staff act and every person read the timeline; viewers and wall displays are refused before anything changes', async () => {
    const town = await insertDispatchTownship(t.db);
    const created = await callApi(server.baseUrl, cookies.coordinator, 'POST', '/api/incidents', {
      category: 'neighbour_dispute',
      severity: 2,
      title: '权限矩阵',
      description: '仅工作人员可见',
      position: town.inside,
    });
    const id = (created.json as Incident).id;
    const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments`)).rows[0]!.n;
    for (const role of ['viewer', 'wall', null] as const) {
      const who = role ? cookies[role] : null;
      expect((await callApi(server.baseUrl, who, 'POST', `/api/incidents/${id}/dispatch`, { teamId: town.teams[0]!.id })).status, `${role}`).toBe(role ? 403 : 401);
      expect((await callApi(server.baseUrl, who, 'GET', `/api/incidents/${id}/recommendations`)).status, `${role}`).toBe(role ? 403 : 401);
    }
    expect(await count()).toBe(0);

    for (const [k, role] of (['admin', 'coordinator'] as const).entries()) {
      const teamId = town.teams[k]!.id;
      const d = await callApi(server.baseUrl, cookies[role], 'POST', `/api/incidents/${id}/dispatch`, { teamId });
      expect(d.status, `${role} dispatch: ${d.text}`).toBe(200);
      const assignment = (d.json as Incident).assignments.find((a) => a.teamId === teamId)!.id;
      for (const other of ['viewer', 'wall'] as const) {
        expect((await callApi(server.baseUrl, cookies[other], 'POST', `/api/assignments/${assignment}/acknowledge`)).status).toBe(403);
        expect((await callApi(server.baseUrl, cookies[other], 'POST', `/api/assignments/${assignment}/release`, {})).status).toBe(403);
      }
      expect((await callApi(server.baseUrl, cookies[role], 'POST', `/api/assignments/${assignment}/acknowledge`)).status, role).toBe(200);
      expect((await callApi(server.baseUrl, cookies[role], 'POST', `/api/assignments/${assignment}/release`, {})).status, role).toBe(200);
      const recs = await callApi(server.baseUrl, cookies[role], 'GET', `/api/incidents/${id}/recommendations`);
      expect([200, 404, 409, 422], `${role} recommendations: ${recs.status} ${recs.text}`).toContain(recs.status);
    }
    for (const role of PEOPLE) {
      const r = await callApi(server.baseUrl, cookies[role], 'GET', `/api/incidents/${id}/timeline`);
      expect(r.status, role).toBe(200);
      expect((r.json as IncidentTimeline).entries.map((e) => e.action), role).toEqual([
        'reported', 'dispatched', 'acknowledged', 'released', 'status', 'dispatched', 'acknowledged', 'released', 'status',
      ]);
    }
  });
});
