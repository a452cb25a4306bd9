// Live checkpoint compliance (issue 14) on a real database, through the real
// ingest path: fixes POSTed to the gateway are committed by the writer, and
// the plan monitor finds visits in the committed batches in memory (a
// pass-through shorter than the dwell is none; a dwell is one). Time is
// controlled: fixes carry explicit times on a past township day, and every
// rules cycle runs at an explicit instant. A missed slot raises the
// checkpoint_overdue alert, a visit clears it; a dispatch of the plan's team
// suspends its obligations (suspended, not overdue); GET /api/plans/live
// gives the states, with the suspending incident for staff only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_ROLES, STAFF_ROLES, type Alert, type CheckpointChanges, type LonLat, type PatrolPlan, type PlanInput, type PlansLive } from '../../lib/model';
import { changePlan, createPlan, plansLive, removePlan } from '../../lib/plans/service';
import { overdueRuleKey } from '../../lib/plans/monitor';
import { apiRouter, callApi } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-20';
/** 18:00 on 20 November in Shanghai (UTC+8): the plans' occurrence runs 10:00Z–18:00Z. */
const at = (hhmmss: string) => new Date(`${DAY}T${hhmmss}Z`);
/** `m` metres north of a point. */
const north = ([lon, lat]: LonLat, m: number): LonLat => [lon, lat + m / 111_320];
const CONFIG = { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun' };

describe.each(engines())('checkpoint compliance (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let town: DispatchTownship;
  let patrol: PatrolPlan;
  let other: PatrolPlan;
  const A: LonLat = [100.004, 31.006];
  const B: LonLat = [100.008, 31.002];
  const C: LonLat = [100.002, 31.008];
  const events = { changes: [] as CheckpointChanges[] };
  /** What the later steps need to write plans as beforeAll did. */
  let plans: { deps: Parameters<typeof createPlan>[0]; actor: Parameters<typeof createPlan>[1]['actor']; input: (name: string, team: number, points: [LonLat, string][]) => PlanInput };

  const post = async (team: number, time: Date, [lon, lat]: LonLat) => {
    const res = await fetch(`${server.baseUrl}/ingest/osmand?id=${town.teams[team]!.secret}&lat=${lat}&lon=${lon}&timestamp=${time.getTime() / 1000}`, { method: 'POST' });
    expect(res.status, await res.text()).toBe(200);
  };
  const cycle = (time: Date) => server.app.rules.evaluate(time);
  /** This file's alerts (the other rules run in the same cycles: the fixture's teams go stale and offline). */
  const overdue = (alerts: Alert[]) => alerts.filter((a) => a.kind === 'checkpoint_overdue');
  const visits = async () =>
    (
      await t.db.query<{ checkpoint_id: number; team_id: number; day: string; arrived_at: Date; left_at: Date | null }>(
        `SELECT checkpoint_id, team_id, day::text AS day, arrived_at, left_at FROM patrol_visits ORDER BY arrived_at`,
      )
    ).rows.map((r) => [r.checkpoint_id, r.team_id, r.day, new Date(r.arrived_at).toISOString(), r.left_at === null ? null : new Date(r.left_at).toISOString()]);
  const alertOf = async (ruleKey: string) =>
    (await t.db.query<{ kind: string; cleared_by: string | null; cleared_at: Date | null; raised_at: Date; team_id: number }>(
      `SELECT kind, cleared_by, cleared_at, raised_at, team_id FROM alerts WHERE rule_key = $1::text ORDER BY id`,
      [ruleKey],
    )).rows.map((r) => ({ kind: r.kind, teamId: r.team_id, raisedAt: new Date(r.raised_at).toISOString(), clearedBy: r.cleared_by, clearedAt: r.cleared_at && new Date(r.cleared_at).toISOString() }));
  const stateOf = (plan: PatrolPlan, live: PlansLive) =>
    live.occurrences.find((o) => o.planId === plan.id && o.day === DAY)!.checkpoints.map((c) => [c.seq, c.state]);

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, {
      web: await apiRouter(),
      env: { TOWNSHIP_TZ: TZ, RULES_INTERVAL_MS: '600000', PLAN_VISIT_DWELL_S: '60', INGEST_DEVICE_FIXES_PER_10S: '1000', ALERT_COVERAGE_GAP_HOURS: '720' },
    });
    town = await insertDispatchTownship(t.db);
    // The fixture's teams were last heard "now": the fixes below are older, and only a newer fix moves a unit.
    await t.db.query(`UPDATE unit_state SET fix_time = '2020-01-01T00:00:00Z'`);
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
    const ACTOR = { actorUserId: (await signIn(t.db, 'coordinator')).userId, actor: 'coordinator-li', role: 'coordinator' as const, ip: null };
    const deps = { db: t.db, bus: server.app.bus, config: CONFIG, now: () => at('00:00:00') };
    const base = { kind: 'patrol' as const, recurrence: { repeat: 'once' as const, date: DAY }, window: { start: '18:00', end: '02:00' }, areaGridIds: [rows[0]!.id], areaPolygon: null, route: null };
    const point = (p: LonLat, name: string, frequency: { everyMinutes: number; start: string; end: string } | null) => ({ keyLocationId: null, point: p, name, radiusM: 50, frequency });
    patrol = await createPlan(deps, {
      actor: ACTOR,
      plan: { ...base, name: '集市夜巡', teamIds: [town.teams[0]!.id], checkpoints: [point(A, 'Market', { everyMinutes: 120, start: '18:00', end: '02:00' }), point(B, 'Bridge', null)] },
    });
    other = await createPlan(deps, {
      actor: ACTOR,
      plan: { ...base, name: '学校巡逻', teamIds: [town.teams[1]!.id], checkpoints: [point(C, 'School', { everyMinutes: 60, start: '18:00', end: '02:00' })] },
    });
    server.app.bus.subscribe('plans:checkpoints', (c) => events.changes.push(c));
    plans = {
      deps,
      actor: ACTOR,
      input: (name, team, points) => ({ ...base, name, teamIds: [town.teams[team]!.id], checkpoints: points.map(([p, n]) => point(p, n, null)) }),
    };
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('loads the live occurrence at the first cycle: both plans, every checkpoint due, pushed to live screens (a wall too)', async () => {
    const socket = await connectSocket(server.baseUrl, (await signIn(t.db, 'wall')).cookie);
    const pushed = waitForEvent(socket, 'plans:checkpoints', () => true);
    await cycle(at('10:00:30'));
    expect(server.app.rules.plans.stats.watched).toBe(3);
    const first = { p: [patrol.id, patrol.id, other.id], d: [DAY, DAY, DAY], c: patrol.checkpoints.map((c) => c.id).concat(other.checkpoints[0]!.id), s: ['due', 'due', 'due'] };
    expect(events.changes).toEqual([first]);
    expect((await pushed).data).toEqual(first);
    socket.disconnect();
  });

  it('a pass-through shorter than the dwell is no visit; a dwell is one, from its first fix inside to the last', async () => {
    // Through the market: 30 s inside.
    await post(0, at('10:05:00'), north(A, 200));
    await post(0, at('10:05:20'), north(A, 30));
    await post(0, at('10:05:50'), north(A, -30));
    await post(0, at('10:06:10'), north(A, -200));
    // At the bridge: 70 s inside, then gone.
    await post(0, at('10:10:00'), north(B, 40));
    await post(0, at('10:10:30'), north(B, 0));
    await post(0, at('10:11:10'), north(B, -20));
    await post(0, at('10:11:40'), north(B, -300));
    const result = await cycle(at('10:15:00'));
    expect(await visits()).toEqual([[patrol.checkpoints[1]!.id, town.teams[0]!.id, DAY, '2026-11-20T10:10:00.000Z', '2026-11-20T10:11:10.000Z']]);
    expect(overdue(result.raised)).toEqual([]);
    expect(events.changes.at(-1)).toEqual({ p: [patrol.id], d: [DAY], c: [patrol.checkpoints[1]!.id], s: ['visited'] });
  });

  it('a missed slot raises checkpoint_overdue once; a visit in the next slot clears it', async () => {
    const key = overdueRuleKey(patrol.checkpoints[0]!.id, DAY);
    // 20:00:30 in Shanghai: the market's 18:00–20:00 slot and the school's 19:00–20:00 one went unvisited.
    const late = await cycle(at('12:00:30'));
    expect(overdue(late.raised).map((a) => [a.teamId, a.message])).toEqual([
      [town.teams[0]!.id, 'Checkpoint 1 "Market" of plan "集市夜巡" was not visited by 20:00'],
      [town.teams[1]!.id, 'Checkpoint 1 "School" of plan "学校巡逻" was not visited by 20:00'],
    ]);
    const again = await cycle(at('12:05:00'));
    expect(overdue(again.raised)).toEqual([]);
    expect(await alertOf(key)).toEqual([{ kind: 'checkpoint_overdue', teamId: town.teams[0]!.id, raisedAt: '2026-11-20T12:00:30.000Z', clearedBy: null, clearedAt: null }]);
    await post(0, at('12:20:00'), north(A, 10));
    await post(0, at('12:21:00'), north(A, 10));
    const paid = await cycle(at('12:25:00'));
    expect(overdue(paid.cleared).map((a) => a.teamId)).toEqual([town.teams[0]!.id]);
    expect(await alertOf(key)).toEqual([
      { kind: 'checkpoint_overdue', teamId: town.teams[0]!.id, raisedAt: '2026-11-20T12:00:30.000Z', clearedBy: 'rule', clearedAt: '2026-11-20T12:25:00.000Z' },
    ]);
    // The team is still there: the visit has no left time yet.
    expect((await visits()).at(-1)).toEqual([patrol.checkpoints[0]!.id, town.teams[0]!.id, DAY, '2026-11-20T12:20:00.000Z', null]);
  });

  it('a dispatch of the plan team suspends its obligations (suspended, not overdue, the live view names the incident for staff); after release a missed slot is overdue again', async () => {
    const { rows: inc } = await t.db.query<{ id: string }>(
      `INSERT INTO incidents (category, severity, status, title, source, geom, reported_at, timeline)
       VALUES ('noise', 2, 'dispatched', '夜间噪音', 'coordinator', ST_SetSRID(ST_MakePoint(100.001, 31.001), 4326), $1::timestamptz, '[]'::jsonb) RETURNING id::text`,
      [at('12:30:00').toISOString()],
    );
    const incidentId = Number(inc[0]!.id);
    const { rows: asg } = await t.db.query<{ id: string }>(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by) VALUES ($1::bigint, $2::int, $3::timestamptz, 'coordinator-li') RETURNING id::text`,
      [incidentId, town.teams[1]!.id, at('12:40:00').toISOString()],
    );
    const key = overdueRuleKey(other.checkpoints[0]!.id, DAY);
    // 20:50: the team was sent away at 20:40: the school is no longer owed, its alert clears.
    const sent = await cycle(at('12:50:00'));
    expect(overdue(sent.cleared).map((a) => a.teamId)).toEqual([town.teams[1]!.id]);
    const live = (role: 'coordinator' | 'viewer') => plansLive({ db: t.db, config: CONFIG, now: () => at('13:10:00') }, { role });
    const staff = await live('coordinator');
    expect(stateOf(other, staff)).toEqual([[1, 'suspended']]);
    expect(staff.occurrences.find((o) => o.planId === other.id)!.checkpoints[0]!.suspendedBy).toEqual([incidentId]);
    expect((await live('viewer')).occurrences.find((o) => o.planId === other.id)!.checkpoints[0]).toMatchObject({ state: 'suspended', suspendedBy: [] });
    // Every person role: staff see the incident, the others the state only.
    for (const role of PERSON_ROLES) {
      const cp = (await plansLive({ db: t.db, config: CONFIG, now: () => at('13:10:00') }, { role })).occurrences.find((o) => o.planId === other.id)!.checkpoints[0]!;
      expect([role, cp.state, cp.suspendedBy]).toEqual([role, 'suspended', (STAFF_ROLES as readonly string[]).includes(role) ? [incidentId] : []]);
    }
    expect(stateOf(patrol, staff)).toEqual([[1, 'visited'], [2, 'visited']]);
    // 21:00–22:00 runs wholly under the dispatch: suspended when it ends, no alert.
    const under = await cycle(at('14:00:30'));
    expect(overdue(under.raised)).toEqual([]);
    // Released at 22:20: the 22:00–23:00 slot it overlapped is suspended, 23:00–24:00 is owed again.
    await t.db.query(`UPDATE assignments SET released_at = $2::timestamptz, release_reason = 'resolved' WHERE id = $1::bigint`, [Number(asg[0]!.id), at('14:20:00').toISOString()]);
    expect(overdue((await cycle(at('15:00:30'))).raised).filter((a) => a.teamId === town.teams[1]!.id)).toEqual([]);
    const missed = await cycle(at('16:00:30'));
    expect(overdue(missed.raised).filter((a) => a.teamId === town.teams[1]!.id).map((a) => a.message)).toEqual(['Checkpoint 1 "School" of plan "学校巡逻" was not visited by 00:00']);
    expect((await alertOf(key)).map((a) => [a.raisedAt, a.clearedBy, a.clearedAt])).toEqual([
      ['2026-11-20T12:00:30.000Z', 'rule', '2026-11-20T12:50:00.000Z'],
      ['2026-11-20T16:00:30.000Z', null, null],
    ]);
    const after = await plansLive({ db: t.db, config: CONFIG, now: () => at('16:00:30') }, { role: 'coordinator' });
    expect(after.occurrences.find((o) => o.planId === other.id)!.checkpoints[0]).toMatchObject({
      state: 'overdue',
      periodStart: '2026-11-20T15:00:00.000Z',
      periodEnd: '2026-11-20T16:00:00.000Z',
      nextDueAt: '2026-11-20T17:00:00.000Z',
      lastVisitAt: null,
      suspendedBy: [],
    });
  });

  it('GET /api/plans/live answers every person, and nobody signed out', async () => {
    for (const role of ['admin', 'coordinator', 'viewer', 'wall'] as const) {
      const res = await callApi(server.baseUrl, await signIn(t.db, role), 'GET', '/api/plans/live');
      expect([role, res.status]).toEqual([role, 200]);
      expect(Object.keys(res.json as PlansLive).sort()).toEqual(['coverage', 'day', 'occurrences', 'serverTime', 'shapes', 'timeZone']);
    }
    expect((await callApi(server.baseUrl, null, 'GET', '/api/plans/live')).status).toBe(401);
  });

  it('a plan created, changed or removed after a cycle is what the next cycle watches and pushes', async () => {
    await cycle(at('16:05:00'));
    expect(server.app.rules.plans.stats.watched).toBe(3);
    const added = await createPlan(plans.deps, { actor: plans.actor, plan: plans.input('河边巡逻', 2, [[A, 'River']]) });
    await cycle(at('16:06:00'));
    expect(server.app.rules.plans.stats.watched).toBe(4);
    expect(events.changes.at(-1)).toEqual({ p: [added.id], d: [DAY], c: [added.checkpoints[0]!.id], s: ['due'] });
    const changed = await changePlan(plans.deps, { id: added.id, actor: plans.actor, plan: plans.input('河边巡逻', 2, [[A, 'River'], [B, 'Ford']]) });
    await cycle(at('16:07:00'));
    expect(server.app.rules.plans.stats.watched).toBe(5);
    expect(events.changes.at(-1)).toEqual({ p: [added.id, added.id], d: [DAY, DAY], c: changed.checkpoints.map((c) => c.id), s: ['due', 'due'] });
    await removePlan(plans.deps, { id: added.id, actor: plans.actor });
    await cycle(at('16:08:00'));
    expect(server.app.rules.plans.stats.watched).toBe(3);
  });
});
