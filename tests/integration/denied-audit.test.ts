// Anonymous denied requests must not flood the append-only audit log (issue
// 8, item 8): a few rows per address per minute, the rest counted into one
// summary row; signed-in denials are still written one by one, and a real
// event stays on the administrator's first page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../db/audit';
import { DeniedAudit } from '../../lib/http/denied-audit';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { rawRequest } from '../helpers/raw-http';

const countDenied = async (t: TestDb, where = 'TRUE'): Promise<number> =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'http.denied' AND ${where}`)).rows[0]!.n;

describe.each(engines())('audit of denied requests (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter() });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('500 anonymous denied requests from one address: a few rows, the rest counted in one summary; a real sign-in stays on the first page', async () => {
    const admin = await signIn(t.db, 'admin');
    const me = JSON.parse((await rawRequest(server.baseUrl, { path: '/api/auth/me', headers: { cookie: admin.cookie } })).body) as { user: { username: string } };
    const login = await rawRequest(server.baseUrl, {
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: me.user.username, password: admin.password }),
    });
    expect(login.status).toBe(200);

    const before = await countDenied(t);
    const paths = ['/api/units', '/api/alerts', '/api/admin/users', '/api/audit'];
    for (let i = 0; i < 500; i++) {
      const answer = await rawRequest(server.baseUrl, { path: paths[i % paths.length]! });
      expect(answer.status).toBe(401);
    }
    const written = (await countDenied(t)) - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(10);

    // The window rolling over (or shutting down) writes what was held back as one row.
    await server.app.deniedAudit.flush();
    const rows = await listAudit(t.db, { action: 'http.denied', limit: 50 });
    const summary = rows.filter((r) => r.detail && typeof r.detail.suppressed === 'number');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ actor: null, outcome: 'denied', ip: '127.0.0.1' });
    expect(Number(summary[0]!.detail!.suppressed) + written).toBe(500);

    const page = JSON.parse((await rawRequest(server.baseUrl, { path: '/api/audit', headers: { cookie: admin.cookie } })).body) as { action: string; outcome: string; actor: string }[];
    expect(page.some((r) => r.action === 'login' && r.outcome === 'ok' && r.actor === me.user.username)).toBe(true);
  });

  it('still writes every denial of a signed-in person, one row each', async () => {
    const viewer = await signIn(t.db, 'viewer');
    const before = await countDenied(t, `role = 'viewer'`);
    for (let i = 0; i < 30; i++) {
      expect((await rawRequest(server.baseUrl, { path: '/api/admin/users', headers: { cookie: viewer.cookie } })).status).toBe(403);
    }
    expect((await countDenied(t, `role = 'viewer'`)) - before).toBe(30);
  });

  it('per address and overall: the first few per address per window, a global cap, summaries when the window rolls over', async () => {
    let now = 1_000_000;
    const denied = new DeniedAudit(t.db, { perAddress: 5, globalPerWindow: 12, windowMs: 60_000, now: () => now });
    const before = await countDenied(t, `target LIKE 'unit-test %'`);
    // Four addresses × 10 denials: 5 each would be 20 rows, the global cap allows 12.
    for (let i = 0; i < 10; i++) {
      for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) await denied.record({ ip, target: `unit-test ${ip}` });
    }
    expect((await countDenied(t, `target LIKE 'unit-test %'`)) - before).toBe(12);
    // The next denial after the window has passed writes the summaries of the last one first.
    now += 60_000;
    await denied.record({ ip: '10.0.0.1', target: 'unit-test 10.0.0.1' });
    const { rows } = await t.db.query<{ ip: string; suppressed: number }>(
      `SELECT ip, (detail->>'suppressed')::int AS suppressed FROM audit_log WHERE action = 'http.denied' AND detail ? 'suppressed' AND ip LIKE '10.0.0.%' ORDER BY ip`,
    );
    expect(rows.reduce((n, r) => n + r.suppressed, 0)).toBe(40 - 12);
    expect(rows.map((r) => r.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect((await countDenied(t, `target LIKE 'unit-test %'`)) - before).toBe(13);
    await denied.close();
  });
});
