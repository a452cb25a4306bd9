// Object-level rules, over HTTP through the real gate and the app's own route
// handlers (tests/helpers/api-router.ts), on a real database: an id the caller
// may not touch is refused and changes nothing; admin actions take effect on
// live sockets; every one of them is in the audit log.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../db/audit';
import { seedDemoTownship } from '../../lib/sim/seed';
import type { AdminUser, AuditRecord, Incident, IncidentView, SessionInfo } from '../../lib/model';
import { SESSION_COOKIE, startSession } from '../../lib/auth/sessions';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Person = Awaited<ReturnType<typeof signIn>>;

describe.each(engines())('object-level checks and admin actions on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let admin: Person;
  let coordinator: Person;
  let viewer: Person;
  let incidentId: number;

  const call = (who: { cookie: string } | null, method: string, path: string, body?: unknown) => callApi(server.baseUrl, who, method, path, body);
  const status = async (who: { cookie: string }, path = '/api/units') => (await call(who, 'GET', path)).status;
  const audit = async (query: string) => (await call(admin, 'GET', `/api/audit?${query}`)).json as AuditRecord[];
  const liveSocket = async (cookie: string): Promise<TestSocket> => {
    const s: TestSocket = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return s;
  };
  const dropped = (s: TestSocket) => new Promise<number>((resolve) => {
    const started = Date.now();
    s.once('disconnect', () => resolve(Date.now() - started));
  });

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 2 });
    server = await startTestApp(t.db, { web: await apiRouter() });
    admin = await signIn(t.db, 'admin');
    coordinator = await signIn(t.db, 'coordinator');
    viewer = await signIn(t.db, 'viewer');
    const { rows } = await t.db.query<{ id: string }>(`SELECT id::text FROM incidents ORDER BY id LIMIT 1`);
    incidentId = Number(rows[0]!.id);
    await t.db.query(`UPDATE incidents SET description = '牧道争议细节', reporter_contact = '137-0000-1111', status = 'reported',
                            outcome = NULL, outcome_note = NULL, resolved_at = NULL, closed_at = NULL WHERE id = $1`, [incidentId]);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("lists only the caller's own sessions, and refuses to end another person's session by guessing its id", async () => {
    const mine = (await call(viewer, 'GET', '/api/auth/sessions')).json as SessionInfo[];
    expect(mine.map((s) => s.id)).toEqual([viewer.sessionId]);
    expect(mine[0]!.current).toBe(true);

    // The viewer tries every id near their own: the coordinator's and admin's sessions among them.
    for (const id of [admin.sessionId, coordinator.sessionId, viewer.sessionId + 1, 999_999]) {
      const r = await call(viewer, 'DELETE', `/api/auth/sessions/${id}`);
      expect(r.status, `session ${id}`).toBe(404);
      expect(r.text).toContain('you have no live session');
    }
    expect(await status(admin)).toBe(200);
    expect(await status(coordinator)).toBe(200);
    const denied = await audit('action=session.revoke&outcome=denied');
    expect(denied.filter((a) => a.actorUserId === viewer.userId)).toHaveLength(4);
  });

  it('ends one of your own other sessions, whose socket drops within 5 s; bad ids are 400 with a reason', async () => {
    const other = await startSession(t.db, { userId: viewer.userId, kind: 'browser', ip: '10.0.0.9', userAgent: 'tablet' });
    const otherCookie = `${SESSION_COOKIE}=${other.token}`;
    const s = await liveSocket(otherCookie);
    const gone = dropped(s);
    const listed = (await call(viewer, 'GET', '/api/auth/sessions')).json as SessionInfo[];
    expect(listed.map((x) => x.id).sort()).toEqual([viewer.sessionId, other.sessionId].sort());
    expect(listed.find((x) => x.id === other.sessionId)).toMatchObject({ current: false, ip: '10.0.0.9', userAgent: 'tablet' });

    expect((await call(viewer, 'DELETE', `/api/auth/sessions/${other.sessionId}`)).status).toBe(204);
    expect(await gone).toBeLessThan(5_000);
    expect(await status({ cookie: otherCookie })).toBe(401);
    expect(await status(viewer)).toBe(200);
    // Ending it twice: it is no longer live.
    expect((await call(viewer, 'DELETE', `/api/auth/sessions/${other.sessionId}`)).status).toBe(404);

    for (const bad of ['abc', '0', '-1', '1.5', '99999999999', '1e3']) {
      const r = await call(viewer, 'DELETE', `/api/auth/sessions/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.text).toContain('session id must be a whole number');
    }
    s.close();
  });

  it('lets an administrator see every live session and revoke a wall display; its socket drops within 5 s', async () => {
    const wall = await signIn(t.db, 'wall');
    const s = await liveSocket(wall.cookie);
    const gone = dropped(s);
    const walls = (await call(admin, 'GET', '/api/admin/sessions?kind=wall')).json as SessionInfo[];
    expect(walls.map((w) => w.id)).toContain(wall.sessionId);
    expect(walls.every((w) => w.kind === 'wall')).toBe(true);
    expect((await call(admin, 'GET', '/api/admin/sessions?kind=phone')).status).toBe(422);

    expect((await call(admin, 'DELETE', `/api/admin/sessions/${wall.sessionId}`)).status).toBe(204);
    expect(await gone).toBeLessThan(5_000);
    expect(await status(wall)).toBe(401);
    expect((await call(admin, 'DELETE', `/api/admin/sessions/${wall.sessionId}`)).status).toBe(404);
    const rows = await audit('action=session.revoke&outcome=ok');
    expect(rows.some((a) => a.target === `session:${wall.sessionId}` && a.actorUserId === admin.userId)).toBe(true);
    s.close();
  });

  it('lets an administrator create, rename, disable and re-enable accounts; a disabled person is out at once', async () => {
    const created = await call(admin, 'POST', '/api/admin/users', { username: 'dorje.c', displayName: '多吉', role: 'coordinator', password: 'a long passphrase 1' });
    expect(created.status).toBe(201);
    const user = created.json as AdminUser;
    expect(user).toMatchObject({ username: 'dorje.c', role: 'coordinator', disabled: false, liveSessions: 0 });
    expect(created.text).not.toContain('passphrase');

    expect((await call(admin, 'POST', '/api/admin/users', { username: 'dorje.c', displayName: 'x', role: 'viewer', password: 'another long one' })).status).toBe(409);
    const invalid = await call(admin, 'POST', '/api/admin/users', { username: 'Dorje C', displayName: '', role: 'root', password: 'short' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toMatch(/username.*displayName|displayName.*username/);

    const login = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'dorje.c', password: 'a long passphrase 1' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const s = await liveSocket(cookie);
    const gone = dropped(s);

    const renamed = await call(admin, 'PATCH', `/api/admin/users/${user.id}`, { displayName: '多吉 Dorje' });
    expect((renamed.json as AdminUser).displayName).toBe('多吉 Dorje');
    expect((await call(admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect(await gone).toBeLessThan(5_000);
    expect(await status({ cookie })).toBe(401);
    const refused = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'dorje.c', password: 'a long passphrase 1' }) });
    expect(refused.status).toBe(401);

    expect(((await call(admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: false })).json as AdminUser).disabled).toBe(false);
    const listed = (await call(admin, 'GET', '/api/admin/users')).json as AdminUser[];
    expect(listed.find((u) => u.id === user.id)).toMatchObject({ disabled: false, displayName: '多吉 Dorje' });

    const trail = await audit(`actor=${encodeURIComponent(await whoIs(admin))}`);
    expect(trail.filter((a) => a.target === `user:${user.id}`).map((a) => a.action)).toEqual(['user.update', 'user.update', 'user.update', 'user.create']);
    expect(JSON.stringify(trail)).not.toContain('passphrase');
  });

  it('refuses an administrator disabling or demoting themselves, unknown ids, and empty or unknown changes', async () => {
    expect((await call(admin, 'PATCH', `/api/admin/users/${admin.userId}`, { disabled: true })).status).toBe(409);
    expect((await call(admin, 'PATCH', `/api/admin/users/${admin.userId}`, { role: 'viewer' })).status).toBe(409);
    expect(await status(admin)).toBe(200);
    expect((await call(admin, 'PATCH', '/api/admin/users/2147483647', { displayName: 'x' })).status).toBe(404);
    expect((await call(admin, 'PATCH', `/api/admin/users/${viewer.userId}`, {})).status).toBe(422);
    expect((await call(admin, 'PATCH', `/api/admin/users/${viewer.userId}`, { isAdmin: true })).status).toBe(422);
    expect((await call(admin, 'PATCH', `/api/admin/users/${viewer.userId}`, { role: 'device' })).status).toBe(422);
  });

  it('moves a promoted or demoted person into the socket rooms of the new role', async () => {
    const person = await signIn(t.db, 'coordinator');
    const s = await liveSocket(person.cookie);
    const gone = dropped(s);
    expect((await call(admin, 'PATCH', `/api/admin/users/${person.userId}`, { role: 'viewer' })).status).toBe(200);
    // The socket joined the detail room as a coordinator: it is dropped, the session stays.
    expect(await gone).toBeLessThan(5_000);
    expect(await status(person)).toBe(200);
    expect((await call(person, 'GET', `/api/incidents/${incidentId}`)).text).not.toContain('牧道争议细节');
    s.close();
  });

  it('projects one incident by role: narrative and contact for staff (an audited read), never for viewers', async () => {
    const staff = await call(coordinator, 'GET', `/api/incidents/${incidentId}`);
    expect((staff.json as Incident).description).toBe('牧道争议细节');
    expect((staff.json as Incident).reporterContact).toBe('137-0000-1111');
    const read = await audit('action=incident.read_detail');
    expect(read.some((a) => a.target === `incident:${incidentId}` && a.actorUserId === coordinator.userId)).toBe(true);

    const redacted = await call(viewer, 'GET', `/api/incidents/${incidentId}`);
    expect(redacted.status).toBe(200);
    expect(redacted.text).not.toMatch(/牧道争议细节|137-0000-1111|"description"|"reporterContact"/);
    expect((await call(viewer, 'GET', '/api/incidents/2147483647')).status).toBe(404);
    expect((await call(viewer, 'GET', '/api/incidents/x')).status).toBe(400);
  });

  it('lets staff change an incident: stored with a timeline entry, pushed to sockets per role, audited; viewers are refused', async () => {
    const staffSocket = await liveSocket(coordinator.cookie);
    const viewerSocket = await liveSocket(viewer.cookie);
    const seen = { staff: null as IncidentView | null, viewer: null as Record<string, unknown> | null };
    staffSocket.on('incident:update', (e) => (seen.staff = e.data));
    viewerSocket.on('incident:update', (e) => (seen.viewer = e.data as unknown as Record<string, unknown>));

    expect((await call(viewer, 'PATCH', `/api/incidents/${incidentId}`, { status: 'closed' })).status).toBe(403);
    const changed = await call(coordinator, 'PATCH', `/api/incidents/${incidentId}`, { status: 'resolved', outcome: 'mediated', severity: 3 });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ id: incidentId, status: 'resolved', outcome: 'mediated', severity: 3 });

    await expect.poll(() => seen.staff?.status, { timeout: 5_000 }).toBe('resolved');
    await expect.poll(() => seen.viewer?.status, { timeout: 5_000 }).toBe('resolved');
    expect(seen.staff!.description).toBe('牧道争议细节');
    expect(seen.viewer).not.toHaveProperty('description');
    expect(seen.viewer).not.toHaveProperty('reporterContact');

    const { rows } = await t.db.query<{ status: string; timeline: { status?: string; by?: string }[] }>(`SELECT status, timeline FROM incidents WHERE id = $1`, [incidentId]);
    expect(rows[0]!.status).toBe('resolved');
    expect(rows[0]!.timeline.slice(-2)).toMatchObject([
      { action: 'resolved', status: 'resolved', by: await whoIs(coordinator) },
      { action: 'severity', severity: 3, by: await whoIs(coordinator) },
    ]);
    const updates = await audit('action=incident.update');
    expect(updates[0]).toMatchObject({ target: `incident:${incidentId}`, actorUserId: coordinator.userId, outcome: 'ok', detail: { from: 'reported', status: 'resolved', severity: 3, outcome: 'mediated' } });

    const closed = (await call(coordinator, 'PATCH', `/api/incidents/${incidentId}`, { status: 'closed' })).json as Incident;
    expect(closed.status).toBe('closed');
    for (const bad of [{}, { status: 'gone' }, { severity: 9 }, { title: 'rewrite' }, []]) {
      expect((await call(coordinator, 'PATCH', `/api/incidents/${incidentId}`, bad)).status, JSON.stringify(bad)).toBe(422);
    }
    expect((await call(coordinator, 'PATCH', '/api/incidents/2147483647', { status: 'closed' })).status).toBe(404);
    staffSocket.close();
    viewerSocket.close();
  });

  it('filters the audit log by outcome and time and pages back with `before`; reading it is itself recorded', async () => {
    for (let i = 0; i < 12; i++) {
      await appendAudit(t.db, { actorUserId: null, actor: 'pager', role: null, action: 'login', outcome: i % 3 === 0 ? 'ok' : 'failed', ip: '10.1.1.1' });
    }
    const firstPage = await audit('actor=pager&limit=5');
    const secondPage = await audit(`actor=pager&limit=5&before=${firstPage.at(-1)!.id}`);
    const rest = await audit(`actor=pager&limit=5&before=${secondPage.at(-1)!.id}`);
    expect([firstPage.length, secondPage.length, rest.length]).toEqual([5, 5, 2]);
    expect(new Set([...firstPage, ...secondPage, ...rest].map((a) => a.id)).size).toBe(12);
    expect((await audit('actor=pager&outcome=ok')).map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await audit('actor=pager&action=logout')).toEqual([]);

    await call(viewer, 'GET', '/api/audit');
    const denied = await audit('outcome=denied&limit=1000');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((a) => a.outcome === 'denied')).toBe(true);
    const future = await audit(`since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future).toEqual([]);
    const past = await audit(`until=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(past).toEqual([]);
    expect((await call(admin, 'GET', '/api/audit?since=yesterday')).status).toBe(422);
    expect((await call(admin, 'GET', '/api/audit?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z')).status).toBe(422);
    const reads = await audit('action=audit.read&limit=1000');
    expect(reads.some((a) => (a.detail as { filter?: { outcome?: string } } | null)?.filter?.outcome === 'denied')).toBe(true);
  });

  /** The username signIn() gave a person. */
  async function whoIs(p: Person): Promise<string> {
    const { rows } = await t.db.query<{ username: string }>(`SELECT username FROM users WHERE id = $1`, [p.userId]);
    return rows[0]!.username;
  }
});
