// The plan alerts besides checkpoint_overdue (issue 14) on a real database,
// through the real ingest path and the rules engine, with time controlled:
// fixes carry explicit times on a past township day and every rules cycle
// runs at an explicit instant. plan_team_unready: raised at the occurrence's
// start for a team off duty or without a recent fix, cleared by a fix, by
// coming on duty, and by the occurrence's end. joint_patrol_split: raised
// when a joint plan's teams stay further apart than the distance for the set
// minutes, not for a shorter split, cleared when they are back together.
// And a device's backlog uploaded in one batch counts all its fixes for
// checkpoint visits (the writer announces every stored fix, not only the
// newest per unit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, LonLat, PatrolPlan } from '../../lib/model';
import { splitRuleKey, unreadyRuleKey } from '../../lib/plans/plan-alerts';
import { createPlan } from '../../lib/plans/service';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-20';
/** The plans run 18:00–02:00 in Shanghai: 10:00Z–18:00Z. */
const at = (hhmmss: string, day = DAY) => new Date(`${day}T${hhmmss}Z`);
const north = ([lon, lat]: LonLat, m: number): LonLat => [lon, lat + m / 111_320];

describe.each(engines())('plan alerts: team not ready, joint patrol split (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let town: DispatchTownship;
  let joint: PatrolPlan;
  let solo: PatrolPlan;
  const A: LonLat = [100.004, 31.006];

  const post = async (team: number, time: Date, [lon, lat]: LonLat) => {
    const res = await fetch(`${server.baseUrl}/ingest/osmand?id=${town.teams[team]!.secret}&lat=${lat}&lon=${lon}&timestamp=${time.getTime() / 1000}`, { method: 'POST' });
    expect(res.status, await res.text()).toBe(200);
  };
  const cycle = (time: Date) => server.app.rules.evaluate(time);
  const planKinds = (alerts: Alert[]) =>
    alerts.filter((a) => a.kind === 'plan_team_unready' || a.kind === 'joint_patrol_split').map((a) => [a.kind, a.teamId, a.message]);
  const history = async (ruleKey: string) =>
    (
      await t.db.query<{ raised_at: Date; cleared_by: string | null; cleared_at: Date | null }>(
        `SELECT raised_at, cleared_by, cleared_at FROM alerts WHERE rule_key = $1::text ORDER BY id`,
        [ruleKey],
      )
    ).rows.map((r) => [new Date(r.raised_at).toISOString(), r.cleared_by, r.cleared_at && new Date(r.cleared_at).toISOString()]);
  const setOnDuty = (team: number, onDuty: boolean) => t.db.query(`UPDATE teams SET on_duty = $2::boolean WHERE id = $1::int`, [town.teams[team]!.id, onDuty]);

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, {
      web: await apiRouter(),
      env: {
        TOWNSHIP_TZ: TZ,
        RULES_INTERVAL_MS: '600000',
        INGEST_DEVICE_FIXES_PER_10S: '1000',
        ALERT_COVERAGE_GAP_HOURS: '720',
        PLAN_START_FIX_MINUTES: '10',
        PLAN_SPLIT_DISTANCE_M: '300',
        PLAN_SPLIT_MINUTES: '5',
      },
    });
    town = await insertDispatchTownship(t.db);
    await t.db.query(`UPDATE unit_state SET fix_time = '2020-01-01T00:00:00Z'`);
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
    const actor = { actorUserId: (await signIn(t.db, 'coordinator')).userId, actor: 'coordinator-li', role: 'coordinator' as const, ip: null };
    const deps = { db: t.db, bus: server.app.bus, config: { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun' }, now: () => at('00:00:00') };
    const base = { recurrence: { repeat: 'once' as const, date: DAY }, window: { start: '18:00', end: '02:00' }, areaGridIds: [rows[0]!.id], areaPolygon: null, route: null };
    const checkpoint = { keyLocationId: null, point: A, name: 'Market', radiusM: 50, frequency: null };
    joint = await createPlan(deps, { actor, plan: { ...base, kind: 'joint', name: '集市联合巡逻', teamIds: [town.teams[0]!.id, town.teams[1]!.id], checkpoints: [checkpoint] } });
    solo = await createPlan(deps, { actor, plan: { ...base, kind: 'patrol', name: '夜巡', teamIds: [town.teams[2]!.id], checkpoints: [checkpoint] } });
    // The solo plan's team goes off duty after its plan was written (a plan for an off-duty team is refused).
    await setOnDuty(2, false);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('raises plan_team_unready at the start for a team without a recent fix and a team off duty, not for one that reported', async () => {
    await post(0, at('09:55:00'), A);
    await post(2, at('09:58:00'), A);
    expect(planKinds((await cycle(at('09:59:00'))).raised)).toEqual([]);
    const started = await cycle(at('10:00:30'));
    expect(planKinds(started.raised)).toEqual([
      ['plan_team_unready', town.teams[1]!.id, `${town.teams[1]!.code} has sent no position since 17:50 for plan "集市联合巡逻", which started at 18:00`],
      ['plan_team_unready', town.teams[2]!.id, `${town.teams[2]!.code} is not on duty for plan "夜巡", which started at 18:00`],
    ]);
    expect(planKinds((await cycle(at('10:01:00'))).raised)).toEqual([]);
  });

  it('clears plan_team_unready when the team sends a fix, and when it comes on duty', async () => {
    await post(1, at('10:03:00'), north(A, 20));
    const fixed = await cycle(at('10:03:30'));
    expect(planKinds(fixed.cleared).map(([kind, team]) => [kind, team])).toEqual([['plan_team_unready', town.teams[1]!.id]]);
    expect(await history(unreadyRuleKey(joint.id, DAY, town.teams[1]!.id))).toEqual([['2026-11-20T10:00:30.000Z', 'rule', '2026-11-20T10:03:30.000Z']]);
    await setOnDuty(2, true);
    const back = await cycle(at('10:04:00'));
    expect(planKinds(back.cleared).map(([kind, team]) => [kind, team])).toEqual([['plan_team_unready', town.teams[2]!.id]]);
  });

  it('raises joint_patrol_split only after the teams stay apart for the set minutes, and clears it when they are back together', async () => {
    await post(0, at('10:10:00'), A);
    await post(1, at('10:10:00'), north(A, 500));
    expect(planKinds((await cycle(at('10:10:30'))).raised)).toEqual([]);
    // Four minutes apart: not yet.
    expect(planKinds((await cycle(at('10:14:30'))).raised)).toEqual([]);
    const split = await cycle(at('10:15:30'));
    expect(planKinds(split.raised)).toEqual([
      ['joint_patrol_split', town.teams[0]!.id, `Joint patrol "集市联合巡逻" has split: ${town.teams[0]!.code} and ${town.teams[1]!.code} are 500 m apart (more than 300 m for 5 min)`],
    ]);
    await post(1, at('10:20:00'), north(A, 100));
    const together = await cycle(at('10:20:30'));
    expect(planKinds(together.cleared).map(([kind]) => kind)).toEqual(['joint_patrol_split']);
    expect(await history(splitRuleKey(joint.id, DAY))).toEqual([['2026-11-20T10:15:30.000Z', 'rule', '2026-11-20T10:20:30.000Z']]);
    // A short split (two minutes) raises nothing.
    await post(1, at('10:30:00'), north(A, 600));
    expect(planKinds((await cycle(at('10:30:30'))).raised)).toEqual([]);
    await post(1, at('10:32:00'), north(A, 50));
    expect(planKinds((await cycle(at('10:35:30'))).raised)).toEqual([]);
  });

  it('a backlog uploaded in one batch counts every fix for visits, not only its newest', async () => {
    const fixes = [
      ['10:40:00', north(A, 300)],
      ['10:41:00', A],
      ['10:42:10', north(A, 10)],
      ['10:43:00', north(A, 300)],
    ] as const;
    const res = await fetch(`${server.baseUrl}/ingest/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: fixes.map(([time, [lon, lat]]) => ({ device: town.teams[0]!.secret, time: at(time).toISOString(), lon, lat })) }),
    });
    expect(res.status, await res.text()).toBe(200);
    await cycle(at('10:44:00'));
    const { rows } = await t.db.query<{ arrived_at: Date; left_at: Date | null }>(
      `SELECT arrived_at, left_at FROM patrol_visits WHERE plan_id = $1::int AND team_id = $2::int ORDER BY arrived_at`,
      [joint.id, town.teams[0]!.id],
    );
    expect(rows.map((r) => [new Date(r.arrived_at).toISOString(), r.left_at && new Date(r.left_at).toISOString()])).toEqual([
      ['2026-11-20T10:41:00.000Z', '2026-11-20T10:42:10.000Z'],
    ]);
  });

  it('clears plan_team_unready when the occurrence ends', async () => {
    await setOnDuty(2, false);
    const off = await cycle(at('17:00:00'));
    expect(planKinds(off.raised).map(([kind, team]) => [kind, team])).toEqual([['plan_team_unready', town.teams[2]!.id]]);
    // 02:00:30 in Shanghai: the occurrence is over.
    const ended = await cycle(at('18:00:30'));
    expect(planKinds(ended.cleared).map(([kind, team]) => [kind, team])).toEqual([['plan_team_unready', town.teams[2]!.id]]);
    expect(await history(unreadyRuleKey(solo.id, DAY, town.teams[2]!.id))).toEqual([
      ['2026-11-20T10:00:30.000Z', 'rule', '2026-11-20T10:04:00.000Z'],
      ['2026-11-20T17:00:00.000Z', 'rule', '2026-11-20T18:00:30.000Z'],
    ]);
  });
});
