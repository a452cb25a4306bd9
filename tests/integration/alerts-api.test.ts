// The alerts API over HTTP, through the real gate and the app's own route
// handlers (tests/helpers/api-router.ts): listing with its filters, who may
// acknowledge and clear, the 400/404/409 answers, the audit rows, and the
// alert:update pushed after each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearRuleAlerts, insertAlert, insertRuleAlerts } from '../../db/alerts';
import type { Alert } from '../../lib/model';
import { seedDemoTownship } from '../../lib/sim/seed';
import { apiRouter, callApi } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Person = Awaited<ReturnType<typeof signIn>> & { username: string };

describe.each(engines())('alerts API on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let admin: Person;
  let coordinator: Person;
  let viewer: Person;
  let wall: Person;
  const ids = { sos: 0, stale: 0, staleCleared: 0, gapDone: 0 };
  const updates: Alert[] = [];

  const call = (who: { cookie: string } | null, method: string, path: string) => callApi(server.baseUrl, who, method, path);
  const person = async (role: 'admin' | 'coordinator' | 'viewer' | 'wall'): Promise<Person> => {
    const p = await signIn(t.db, role);
    const { rows } = await t.db.query<{ username: string }>(`SELECT username FROM users WHERE id = $1::int`, [p.userId]);
    return { ...p, username: rows[0]!.username };
  };
  const auditRows = async (action: string) =>
    (await t.db.query<{ actor: string; target: string; outcome: string; detail: unknown }>(`SELECT actor, target, outcome, detail FROM audit_log WHERE action = $1::text ORDER BY id`, [action])).rows;
  const listIds = async (query = '') => ((await call(viewer, 'GET', `/api/alerts${query}`)).json as Alert[]).map((a) => a.id);

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    // The evaluator in the app stays out of the way: these alerts are fixtures.
    server = await startTestApp(t.db, { web: await apiRouter(), env: { RULES_INTERVAL_MS: '600000' } });
    server.app.bus.subscribe('alert:update', (a) => updates.push(a));
    [admin, coordinator, viewer, wall] = [await person('admin'), await person('coordinator'), await person('viewer'), await person('wall')];
    const { rows } = await t.db.query<{ id: number; device: number }>(`SELECT t.id, d.id AS device FROM teams t JOIN devices d ON d.team_id = t.id ORDER BY t.id LIMIT 1`);
    const team = rows[0]!;
    const base = Date.now() - 3_600_000;
    const rule = (ruleKey: string, kind: 'stale' | 'coverage_gap', minutes: number) =>
      insertRuleAlerts(t.db, {
        alerts: [{ ruleKey, kind, severity: kind === 'stale' ? 2 : 1, teamId: kind === 'stale' ? team.id : null, incidentId: null, gridId: kind === 'coverage_gap' ? 1 : null, position: [100.5, 31.2], message: ruleKey }],
        now: new Date(base + minutes * 60_000),
      });
    ids.staleCleared = (await rule(`stale:team:${team.id}`, 'stale', 1))[0]!.id;
    await clearRuleAlerts(t.db, { ruleKeys: [`stale:team:${team.id}`], now: new Date(base + 5 * 60_000) });
    ids.gapDone = (await rule('coverage_gap:grid:1', 'coverage_gap', 2))[0]!.id;
    await t.db.query(`UPDATE alerts SET acknowledged_at = now(), acknowledged_by = 'someone-else', cleared_at = now(), cleared_by = 'rule' WHERE id = $1::bigint`, [ids.gapDone]);
    ids.stale = (await rule(`stale:team:${team.id}`, 'stale', 10))[0]!.id;
    ids.sos = (await insertAlert(t.db, { kind: 'sos', severity: 4, teamId: team.id, deviceId: team.device, position: [100.5, 31.2], message: 'SOS from a team device' })).id;
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('lists the alerts that need attention, newest first, to every signed-in role; none to nobody', async () => {
    // Live, or cleared but not acknowledged; the cleared and acknowledged gap is done with.
    expect(await listIds()).toEqual([ids.sos, ids.stale, ids.staleCleared]);
    const wallList = (await call(wall, 'GET', '/api/alerts')).json as Alert[];
    expect(wallList.map((a) => a.id)).toEqual([ids.sos, ids.stale, ids.staleCleared]);
    const cleared = wallList.find((a) => a.id === ids.staleCleared)!;
    expect({ kind: cleared.kind, clearedBy: cleared.clearedBy, acknowledgedBy: cleared.acknowledgedBy, gridId: cleared.gridId }).toEqual({
      kind: 'stale',
      clearedBy: 'rule',
      acknowledgedBy: null,
      gridId: null,
    });
    expect((await call(null, 'GET', '/api/alerts')).status).toBe(401);
  });

  it('filters by state and kind, and says what is wrong with a bad filter', async () => {
    expect(await listIds('?state=active')).toEqual([ids.sos, ids.stale]);
    expect(await listIds('?state=all')).toEqual([ids.sos, ids.stale, ids.gapDone, ids.staleCleared]);
    expect(await listIds('?kind=stale')).toEqual([ids.stale, ids.staleCleared]);
    expect(await listIds('?kind=coverage_gap&state=all')).toEqual([ids.gapDone]);
    const gap = ((await call(viewer, 'GET', '/api/alerts?kind=coverage_gap&state=all')).json as Alert[])[0]!;
    const { rows } = await t.db.query<{ code: string }>(`SELECT code FROM grids WHERE id = 1`);
    expect({ gridId: gap.gridId, gridCode: gap.gridCode }).toEqual({ gridId: 1, gridCode: rows[0]!.code });
    const badKind = await call(viewer, 'GET', '/api/alerts?kind=fire');
    expect(badKind.status).toBe(422);
    expect(badKind.text).toContain('kind');
    const badState = await call(viewer, 'GET', '/api/alerts?state=open');
    expect(badState.status).toBe(422);
    expect(badState.text).toContain('state');
  });

  it('lets staff acknowledge once (who and when, audited, pushed); a second time is 409 naming who', async () => {
    expect((await call(viewer, 'POST', `/api/alerts/${ids.sos}/acknowledge`)).status).toBe(403);
    expect((await call(wall, 'POST', `/api/alerts/${ids.sos}/acknowledge`)).status).toBe(403);
    expect((await call(null, 'POST', `/api/alerts/${ids.sos}/acknowledge`)).status).toBe(401);

    const before = Date.now();
    const ok = await call(coordinator, 'POST', `/api/alerts/${ids.sos}/acknowledge`);
    expect(ok.status).toBe(200);
    const acked = ok.json as Alert;
    expect({ id: acked.id, acknowledgedBy: acked.acknowledgedBy, clearedAt: acked.clearedAt }).toEqual({ id: ids.sos, acknowledgedBy: coordinator.username, clearedAt: null });
    expect(Date.parse(acked.acknowledgedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(updates.map((a) => [a.id, a.acknowledgedBy])).toEqual([[ids.sos, coordinator.username]]);

    const again = await call(admin, 'POST', `/api/alerts/${ids.sos}/acknowledge`);
    expect(again.status).toBe(409);
    expect(again.text).toContain(`already acknowledged by ${coordinator.username} at ${acked.acknowledgedAt}`);

    // A rule alert is acknowledged the same way, and stays listed while its condition holds.
    expect((await call(admin, 'POST', `/api/alerts/${ids.stale}/acknowledge`)).status).toBe(200);
    expect(await listIds()).toEqual([ids.sos, ids.stale, ids.staleCleared]);
    // Acknowledging a cleared alert takes it off the list.
    expect((await call(admin, 'POST', `/api/alerts/${ids.staleCleared}/acknowledge`)).status).toBe(200);
    expect(await listIds()).toEqual([ids.sos, ids.stale]);

    expect(await auditRows('alert.acknowledge')).toEqual([
      { actor: coordinator.username, target: `alert:${ids.sos}`, outcome: 'ok', detail: { kind: 'sos' } },
      { actor: admin.username, target: `alert:${ids.stale}`, outcome: 'ok', detail: { kind: 'stale' } },
      { actor: admin.username, target: `alert:${ids.staleCleared}`, outcome: 'ok', detail: { kind: 'stale' } },
    ]);
  });

  it('lets staff clear an SOS, never a rule alert (409); clearing twice is 409 naming who', async () => {
    expect((await call(viewer, 'POST', `/api/alerts/${ids.sos}/clear`)).status).toBe(403);
    const rule = await call(admin, 'POST', `/api/alerts/${ids.stale}/clear`);
    expect(rule.status).toBe(409);
    expect(rule.text).toContain('cleared by its rule when the condition ends');

    const ok = await call(admin, 'POST', `/api/alerts/${ids.sos}/clear`);
    expect(ok.status).toBe(200);
    const cleared = ok.json as Alert;
    // Cleared by the admin; the coordinator's acknowledgement stands.
    expect({ clearedBy: cleared.clearedBy, acknowledgedBy: cleared.acknowledgedBy }).toEqual({ clearedBy: admin.username, acknowledgedBy: coordinator.username });
    expect(cleared.clearedAt).not.toBeNull();
    expect(updates.at(-1)).toEqual(cleared);

    const again = await call(coordinator, 'POST', `/api/alerts/${ids.sos}/clear`);
    expect(again.status).toBe(409);
    expect(again.text).toContain(`already cleared by ${admin.username} at ${cleared.clearedAt}`);
    // Acknowledged and cleared: it no longer needs attention.
    expect(await listIds()).toEqual([ids.stale]);
    expect(await auditRows('alert.clear')).toEqual([{ actor: admin.username, target: `alert:${ids.sos}`, outcome: 'ok', detail: { kind: 'sos' } }]);
  });

  it('clearing an SOS nobody acknowledged records the person who cleared it as having acknowledged it; screens hear alert:update', async () => {
    const { rows } = await t.db.query<{ id: number; device: number }>(`SELECT t.id, d.id AS device FROM teams t JOIN devices d ON d.team_id = t.id ORDER BY t.id OFFSET 1 LIMIT 1`);
    const sos = await insertAlert(t.db, { kind: 'sos', severity: 4, teamId: rows[0]!.id, deviceId: rows[0]!.device, position: null, message: 'SOS from a team device' });
    // A viewer's map and a wall display both hear it.
    const sockets = [await connectSocket(server.baseUrl, viewer.cookie), await connectSocket(server.baseUrl, wall.cookie)];
    try {
      const heard = sockets.map((s) => waitForEvent(s, 'alert:update', (e) => e.data.id === sos.id));
      const ok = (await call(coordinator, 'POST', `/api/alerts/${sos.id}/clear`)).json as Alert;
      expect({ clearedBy: ok.clearedBy, acknowledgedBy: ok.acknowledgedBy }).toEqual({ clearedBy: coordinator.username, acknowledgedBy: coordinator.username });
      for (const e of await Promise.all(heard)) expect(e.data).toEqual(ok);
    } finally {
      for (const s of sockets) s.disconnect();
    }
  });

  it('answers 404 for an alert that does not exist and 400 for an id that is not one, changing nothing', async () => {
    const auditBefore = (await auditRows('alert.acknowledge')).length + (await auditRows('alert.clear')).length;
    for (const action of ['acknowledge', 'clear']) {
      const missing = await call(admin, 'POST', `/api/alerts/999999/${action}`);
      expect(missing.status, action).toBe(404);
      expect(missing.text).toContain('no alert 999999');
      for (const bad of ['abc', '0', '-1', '1.5', '99999999999']) {
        const r = await call(admin, 'POST', `/api/alerts/${bad}/${action}`);
        expect(r.status, `${action} ${bad}`).toBe(400);
        expect(r.text).toContain('alert id must be a whole number');
      }
    }
    expect((await auditRows('alert.acknowledge')).length + (await auditRows('alert.clear')).length).toBe(auditBefore);
  });
});
