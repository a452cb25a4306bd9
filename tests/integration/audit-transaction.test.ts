// A change and its audit row commit together, and the bus hears of it only
// after the commit (issue 9 §2): when the audit log refuses the row, the
// change is rolled back and nothing is pushed. The refusal is real — a trigger
// on audit_log in this test's own database, not a mock — and every kind of
// audited change is tried: incidents, accounts, sessions, sign-in, and the
// audited reads, which hand out nothing they could not record.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvents } from '../../lib/bus';
import { apiRouter, callApi } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('a change and its audit row commit together on %s', (engine) => {
  /** Everything published on the bus, in order. */
  const published: (keyof BusEvents)[] = [];
  let t: TestDb;
  let server: RunningApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let coordinator: typeof admin;

  const call = (who: { cookie: string } | null, method: string, path: string, body?: unknown) => callApi(server.baseUrl, who, method, path, body);
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  const report = (title: string) => ({ category: 'family_dispute', severity: 2, title, description: '双方争执', position: [100.5, 31.2] });

  /** From now on every INSERT into audit_log fails, inside whatever transaction it is part of. */
  const refuseAuditWrites = () => t.db.exec(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
  /** A failed request: a 5xx with the usual error body, and nothing of the data in it. */
  const expectFailed = (r: { status: number; text: string }, what: string) => {
    expect(r.status, `${what}: ${r.text}`).toBeGreaterThanOrEqual(500);
    expect(JSON.parse(r.text), what).toEqual({ error: { code: 'internal', message: expect.any(String) } });
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    await t.db.exec(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log refuses writes in this test'; END $$`);
    server = await startTestApp(t.db, { web: await apiRouter() });
    for (const event of ['incident:new', 'incident:update', 'alert:new', 'session:ended'] as const) {
      server.app.bus.subscribe(event, () => published.push(event));
    }
    admin = await signIn(t.db, 'admin');
    coordinator = await signIn(t.db, 'coordinator');
  });
  afterEach(async () => {
    await t.db.exec(`DROP TRIGGER IF EXISTS test_refuse_audit ON audit_log`);
    published.length = 0;
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('a failing audit write leaves no incident and publishes nothing; once it succeeds, that is the first push', async () => {
    const socket = await connectSocket(server.baseUrl, coordinator.cookie);
    const pushed: string[] = [];
    socket.on('incident:new', (e) => pushed.push(e.data.title));
    await refuseAuditWrites();
    expectFailed(await call(coordinator, 'POST', '/api/incidents', report('审计失败的上报')), 'POST /api/incidents');
    expect(await count(`incidents WHERE title = $1`, ['审计失败的上报'])).toBe(0);
    expect(published).toEqual([]);

    // The audit log takes writes again: the next report is stored, audited and
    // pushed, and the socket has seen nothing before it (events arrive in order).
    await t.db.exec(`DROP TRIGGER test_refuse_audit ON audit_log`);
    const arrived = waitForEvent(socket, 'incident:new', (e) => e.data.title === '审计恢复后的上报');
    expect((await call(coordinator, 'POST', '/api/incidents', report('审计恢复后的上报'))).status).toBe(201);
    await arrived;
    expect(pushed).toEqual(['审计恢复后的上报']);
    expect(published).toEqual(['incident:new']);
    expect(await count(`audit_log WHERE action = 'incident.create'`)).toBe(1);
    socket.close();
  });

  it('a failing audit write leaves an incident unchanged and publishes no update', async () => {
    const created = await call(coordinator, 'POST', '/api/incidents', report('待更新的上报'));
    const { id } = JSON.parse(created.text) as { id: number };
    published.length = 0;
    await refuseAuditWrites();
    expectFailed(await call(coordinator, 'PATCH', `/api/incidents/${id}`, { status: 'resolved', outcome: 'mediated', severity: 4 }), 'PATCH /api/incidents/[id]');
    const { rows } = await t.db.query<{ status: string; severity: number; steps: number }>(
      `SELECT status, severity, jsonb_array_length(timeline) AS steps FROM incidents WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'reported', severity: 2, steps: 1 }]);
    expect(published).toEqual([]);
  });

  it('a failing audit write creates no account, changes none, and ends no one’s sockets (nothing on the bus)', async () => {
    const viewer = await signIn(t.db, 'viewer');
    await refuseAuditWrites();
    expectFailed(await call(admin, 'POST', '/api/admin/users', { username: 'audit-less', displayName: '无审计', role: 'viewer', password: 'a long enough passphrase' }), 'POST /api/admin/users');
    expect(await count(`users WHERE username = 'audit-less'`)).toBe(0);

    for (const change of [{ role: 'coordinator' }, { disabled: true }, { displayName: '改名', password: 'another long passphrase' }]) {
      expectFailed(await call(admin, 'PATCH', `/api/admin/users/${viewer.userId}`, change), `PATCH /api/admin/users/[id] ${JSON.stringify(change)}`);
    }
    const { rows } = await t.db.query<{ role: string; disabled: boolean; display_name: string }>(
      `SELECT role, disabled_at IS NOT NULL AS disabled, display_name FROM users WHERE id = $1`,
      [viewer.userId],
    );
    expect(rows).toEqual([{ role: 'viewer', disabled: false, display_name: expect.stringContaining('viewer') }]);
    expect(published).toEqual([]);
  });

  it('a failing audit write ends no session (revocation by an administrator, by its owner, or logout) and publishes nothing', async () => {
    const person = await signIn(t.db, 'viewer');
    const other = await signIn(t.db, 'coordinator');
    await refuseAuditWrites();
    expectFailed(await call(admin, 'DELETE', `/api/admin/sessions/${person.sessionId}`), 'DELETE /api/admin/sessions/[id]');
    expectFailed(await call(other, 'DELETE', `/api/auth/sessions/${other.sessionId}`), 'DELETE /api/auth/sessions/[id]');
    const logout = await call(person, 'POST', '/api/auth/logout');
    expectFailed(logout, 'POST /api/auth/logout');
    // A failed logout does not tell the browser to forget a session that is still live.
    expect(logout.headers.get('set-cookie')).toBeNull();
    expect(await count(`sessions WHERE id = ANY($1::bigint[]) AND revoked_at IS NULL`, [[person.sessionId, other.sessionId]])).toBe(2);
    expect(published).toEqual([]);
    await t.db.exec(`DROP TRIGGER test_refuse_audit ON audit_log`);
    for (const who of [person, other]) expect((await call(who, 'GET', '/api/auth/me')).status).toBe(200);
  });

  it('a failing audit write starts no session at sign-in', async () => {
    const person = await signIn(t.db, 'coordinator');
    const { rows } = await t.db.query<{ username: string }>(`SELECT username FROM users WHERE id = $1`, [person.userId]);
    const before = await count(`sessions WHERE user_id = $1`, [person.userId]);
    await refuseAuditWrites();
    const r = await call(null, 'POST', '/api/auth/login', { username: rows[0]!.username, password: person.password });
    expectFailed(r, 'POST /api/auth/login');
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await count(`sessions WHERE user_id = $1`, [person.userId])).toBe(before);
  });

  it('an audited read hands out nothing it could not record', async () => {
    const created = await call(coordinator, 'POST', '/api/incidents', report('敏感细节'));
    const { id } = JSON.parse(created.text) as { id: number };
    await refuseAuditWrites();
    for (const path of [`/api/incidents/${id}`, '/api/incidents', '/api/audit']) {
      const r = await call(admin, 'GET', path);
      expectFailed(r, `GET ${path}`);
      expect(r.text).not.toContain('双方争执');
    }
  });
});
