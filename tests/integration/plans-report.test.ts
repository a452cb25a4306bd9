// Plan vs actual (issue 14) on a real database: checkpoint slots visited on
// time, late, missed and suspended by a dispatch (counted apart), per plan,
// team and force; route coverage computed in PostGIS from the team's fixes;
// time on plan; the briefing shows the same figures for its period; GET
// /api/plans/report answers the plan board's roles and refuses bad days and
// ranges with a 400. Visits and fixes are written as the monitor and the
// ingest writer write them, on a past township day, and the report is read
// at an explicit instant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBriefing } from '../../lib/briefing';
import type { LonLat, PatrolPlan } from '../../lib/model';
import type { PlanReport } from '../../lib/model/plan-report';
import { createPlan } from '../../lib/plans/service';
import { readPlanReport } from '../../lib/plans/report';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-20';
/** The plans run 18:00–22:00 in Shanghai: 10:00Z–14:00Z. */
const at = (hhmmss: string) => new Date(`${DAY}T${hhmmss}Z`);
const NOW = at('20:00:00').getTime();
const CONFIG = { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun', PLAN_ROUTE_COVER_M: 20 };

describe.each(engines())('plan vs actual report (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let town: DispatchTownship;
  let patrol: PatrolPlan;
  let joint: PatrolPlan;
  let report: PlanReport;
  const A: LonLat = [100.004, 31.006];
  const B: LonLat = [100.008, 31.002];
  const C: LonLat = [100.002, 31.008];

  const visit = (plan: PatrolPlan, seq: number, team: number, arrived: string) =>
    t.db.query(
      `INSERT INTO patrol_visits (plan_id, checkpoint_id, team_id, day, arrived_at, left_at) VALUES ($1::int, $2::int, $3::int, $4::date, $5::timestamptz, NULL)`,
      [plan.id, plan.checkpoints[seq - 1]!.id, town.teams[team]!.id, DAY, at(arrived).toISOString()],
    );
  const fixes = (team: number, points: [string, LonLat][]) =>
    t.db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom)
       SELECT d.id, $1::int, u.ts, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)
       FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS u(ts, lon, lat)
       JOIN devices d ON d.team_id = $1::int`,
      [town.teams[team]!.id, points.map(([s]) => at(s).toISOString()), points.map(([, p]) => p[0]), points.map(([, p]) => p[1])],
    );
  const counts = (r: { slots: number; onTime: number; late: number; missed: number; suspended: number; pending: number }) => [r.slots, r.onTime, r.late, r.missed, r.suspended, r.pending];

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { TOWNSHIP_TZ: TZ, RULES_INTERVAL_MS: '600000', PLAN_ROUTE_COVER_M: '20' } });
    town = await insertDispatchTownship(t.db);
    await t.db.query(`UPDATE teams SET force_type = 'militia' WHERE id = $1::int`, [town.teams[2]!.id]);
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
    const actor = { actorUserId: (await signIn(t.db, 'coordinator')).userId, actor: 'coordinator-li', role: 'coordinator' as const, ip: null };
    const deps = { db: t.db, bus: server.app.bus, config: CONFIG, now: () => at('00:00:00') };
    const base = { recurrence: { repeat: 'once' as const, date: DAY }, window: { start: '18:00', end: '22:00' }, areaGridIds: [rows[0]!.id], areaPolygon: null };
    const point = (p: LonLat, name: string, frequency: { everyMinutes: number; start: string; end: string } | null) => ({ keyLocationId: null, point: p, name, radiusM: 50, frequency });
    patrol = await createPlan(deps, {
      actor,
      plan: {
        ...base,
        kind: 'patrol',
        name: '集市巡逻',
        teamIds: [town.teams[0]!.id],
        // About 763 m west to east across the cell.
        route: { type: 'LineString', coordinates: [[100.001, 31.005], [100.009, 31.005]] },
        checkpoints: [point(A, 'Market', { everyMinutes: 60, start: '18:00', end: '22:00' }), point(B, 'Bridge', { everyMinutes: 60, start: '18:00', end: '20:00' })],
      },
    });
    joint = await createPlan(deps, {
      actor,
      plan: { ...base, kind: 'joint', name: '学校联合巡逻', route: null, teamIds: [town.teams[1]!.id, town.teams[2]!.id], checkpoints: [point(C, 'School', null)] },
    });
    // Market: 18:00–19:00 on time; 19:00–20:00 unvisited, paid late by the 20:10 visit (on time for 20:00–21:00);
    // 21:00–22:00 unvisited under a dispatch (suspended). Bridge, 18:00–19:00 and 19:00–20:00: never (missed). School: team 1 only.
    await visit(patrol, 1, 0, '10:20:00');
    await visit(patrol, 1, 0, '12:10:00');
    await visit(joint, 1, 1, '11:30:00');
    const { rows: inc } = await t.db.query<{ id: string }>(
      `INSERT INTO incidents (category, severity, status, title, source, geom, reported_at, timeline)
       VALUES ('noise', 2, 'dispatched', '夜间噪音', 'coordinator', ST_SetSRID(ST_MakePoint(100.001, 31.001), 4326), $1::timestamptz, '[]'::jsonb) RETURNING id::text`,
      [at('13:05:00').toISOString()],
    );
    await t.db.query(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, released_at, release_reason) VALUES ($1::bigint, $2::int, $3::timestamptz, 'coordinator-li', $4::timestamptz, 'resolved')`,
      [Number(inc[0]!.id), town.teams[0]!.id, at('13:10:00').toISOString(), at('13:40:00').toISOString()],
    );
    // Team 0 walks the west half of the route, a fix a minute from 18:00 to 18:20 (inside the cell), then leaves the cell.
    const walk: [string, LonLat][] = Array.from({ length: 21 }, (_, i) => [`10:${String(i).padStart(2, '0')}:00`, [100.001 + i * 0.0002, 31.005]]);
    await fixes(0, [...walk, ['10:21:00', [100.005, 31.02]]]);
    report = await readPlanReport({ db: t.db, config: CONFIG }, { from: DAY, to: DAY }, { now: NOW });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('counts each plan’s slots on time, late, missed, and suspended by a dispatch apart', () => {
    const byName = Object.fromEntries(report.plans.map((p) => [p.name, p]));
    // slots, on time, late, missed, suspended, pending
    expect(counts(byName['集市巡逻']!)).toEqual([6, 2, 1, 2, 1, 0]);
    expect(counts(byName['学校联合巡逻']!)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(counts(report.totals)).toEqual([7, 3, 1, 2, 1, 0]);
  });

  it('counts per team (a joint plan’s team that did not go missed it) and per force', () => {
    expect(report.teams.map((r) => [r.planId, r.code, r.forceType, ...counts(r)])).toEqual([
      [patrol.id, town.teams[0]!.code, 'motorcycle', 6, 2, 1, 2, 1, 0],
      [joint.id, town.teams[1]!.code, 'motorcycle', 1, 1, 0, 0, 0, 0],
      [joint.id, town.teams[2]!.code, 'militia', 1, 0, 0, 1, 0, 0],
    ]);
    expect(report.forces.map((f) => [f.forceType, ...counts(f), f.plannedMinutes])).toEqual([
      ['militia', 1, 0, 0, 1, 0, 0, 240],
      ['motorcycle', 7, 3, 1, 2, 1, 0, 480],
    ]);
  });

  it('computes route coverage from the team’s fixes (the west half and 20 m) and time on plan from the fixes inside the area', () => {
    const p = report.plans.find((x) => x.planId === patrol.id)!;
    expect(p.routeM).toBeGreaterThan(755);
    expect(p.routeM).toBeLessThan(770);
    // 0.004° of 0.008° plus 20 m, in 10 m pieces.
    expect(p.routeCoverage).toBeGreaterThan(0.5);
    expect(p.routeCoverage).toBeLessThan(0.55);
    expect(report.plans.find((x) => x.planId === joint.id)!.routeCoverage).toBeNull();
    // 21 fixes inside a minute apart; the one outside the cell counts nothing.
    expect([p.plannedMinutes, p.onPlanMinutes]).toEqual([240, 21]);
    expect(report.teams.filter((r) => r.planId === joint.id).map((r) => r.onPlanMinutes)).toEqual([0, 0]);
  });

  it('leaves a slot still running pending, and an occurrence not begun out', async () => {
    const mid = await readPlanReport({ db: t.db, config: CONFIG }, { from: DAY, to: DAY }, { now: at('11:30:00').getTime() });
    // 19:30: Market 18–19 on time, 19–20 running (pending), 20–22 not begun; Bridge 18–19 missed, 19–20 running; School visited at 19:30.
    expect(counts(mid.plans.find((p) => p.planId === patrol.id)!)).toEqual([6, 1, 0, 1, 0, 4]);
    expect(mid.plans.find((p) => p.planId === patrol.id)!.plannedMinutes).toBe(90);
    const before = await readPlanReport({ db: t.db, config: CONFIG }, { from: DAY, to: DAY }, { now: at('09:00:00').getTime() });
    expect([before.plans, before.totals.slots]).toEqual([[], 0]);
  });

  it('the briefing of the day shows the same figures', async () => {
    const briefing = await readBriefing({ db: t.db, config: CONFIG }, { period: 'day', from: DAY }, { now: NOW });
    expect(briefing.plans).toEqual(report);
    const week = await readBriefing({ db: t.db, config: CONFIG }, { period: 'week', from: DAY }, { now: NOW });
    expect(week.plans).toEqual(await readPlanReport({ db: t.db, config: CONFIG }, { from: '2026-11-16', to: '2026-11-22' }, { now: NOW }));
    expect(counts(week.plans!.totals)).toEqual(counts(report.totals));
  });

  it('GET /api/plans/report gives the report to the plan board’s roles, not to a wall', async () => {
    for (const role of ['admin', 'coordinator', 'viewer'] as const) {
      const res = await callApi(server.baseUrl, await signIn(t.db, role), 'GET', `/api/plans/report?from=${DAY}&to=${DAY}`);
      expect([role, res.status]).toEqual([role, 200]);
      const body = res.json as PlanReport;
      expect({ ...body, asOf: report.asOf }).toEqual(report);
    }
    expect((await callApi(server.baseUrl, await signIn(t.db, 'wall'), 'GET', `/api/plans/report?from=${DAY}&to=${DAY}`)).status).toBe(403);
    expect((await callApi(server.baseUrl, null, 'GET', `/api/plans/report?from=${DAY}&to=${DAY}`)).status).toBe(401);
  });

  it('refuses bad days and ranges with a 400 that says what is wrong', async () => {
    const me = await signIn(t.db, 'coordinator');
    const cases: [string, string][] = [
      ['?from=2026-02-30&to=2026-03-01', 'from'],
      ['?from=2026-11-20&to=20261121', 'to'],
      [`?from=${DAY}`, 'to'],
      ['?from=2026-11-21&to=2026-11-20', 'to must not be before from'],
      ['?from=2026-01-01&to=2026-12-31', 'at most 92 days (asked for 365)'],
      [`?from=${DAY}&to=${DAY}&village=1`, 'village'],
    ];
    for (const [query, says] of cases) {
      const res = await callApi(server.baseUrl, me, 'GET', `/api/plans/report${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect((res.json as { error: { message: string } }).error.message).toContain(says);
    }
  });
});
