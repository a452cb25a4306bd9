// The simulator follows patrol plans (issue 14) on the demo township: the
// seed writes a joint patrol on market days and the herb-season shift; on a
// market day the joint patrol's two simulated teams walk the plan's route,
// stand at each checkpoint, and the plan monitor records a visit of every
// checkpoint by both teams. Time is controlled: the simulator runs on a
// virtual clock (no timer; each tick is one round of reports at the clock's
// time, through the real ingest path) and the rules cycles run at the same
// instants — no wall-clock sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlans } from '../../db/plans';
import type { PatrolPlan } from '../../lib/model';
import { seedDemoTownship } from '../../lib/sim/seed';
import { Simulator } from '../../lib/sim/simulator';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';

const TZ = 'Asia/Shanghai';
/** A Sunday (the default market day): the joint patrol runs 08:00–12:00 in Shanghai, 00:00Z–04:00Z. */
const MARKET_DAY = '2026-11-22';
const REPORT_S = 15;

function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 9301 + 49297) % 233280) / 233280;
}

describe.each(engines())('the simulator follows patrol plans (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let plans: PatrolPlan[];

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 0, now: new Date(`${MARKET_DAY}T00:00:00Z`), townshipTz: TZ, herbSeasonMonths: [5, 6, 7] });
    server = await startTestApp(t.db, {
      env: { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun', RULES_INTERVAL_MS: '600000', PLAN_VISIT_DWELL_S: '60', INGEST_DEVICE_FIXES_PER_10S: '100000' },
    });
    plans = await listPlans(t.db);
    // Seeding the demo township takes minutes on the embedded engine of a loaded machine.
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('seeds a joint patrol on market days and the herb-season shift', () => {
    // The board's order: by name.
    expect(plans.map((p) => [p.name, p.kind, p.recurrence, p.window, p.teams.map((x) => x.forceType), p.checkpoints.length])).toEqual([
      ['采药季早班', 'patrol', { repeat: 'daily', from: '2027-05-01', until: '2027-07-31' }, { start: '05:00', end: '09:00' }, ['motorcycle'], 3],
      ['集市日联合巡逻', 'joint', { repeat: 'market_days', from: null, until: null }, { start: '08:00', end: '12:00' }, ['armband', 'militia'], 3],
    ]);
    expect(plans[1]!.route?.coordinates).toHaveLength(3);
  });

  it('walks the joint patrol’s course on market day: both teams visit every checkpoint', async () => {
    const joint = plans.find((p) => p.kind === 'joint')!;
    const teamIds = joint.teams.map((x) => x.id);
    // Both teams start 200 m south of the market, not yet heard from.
    const [lon, lat] = joint.checkpoints[0]!.point;
    await t.db.query(
      `UPDATE unit_state SET geom = ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326), fix_time = '2020-01-01T00:00:00Z' WHERE team_id = ANY($1::int[])`,
      [teamIds, lon, lat - 200 / 111_320],
    );
    let clock = Date.parse(`${MARKET_DAY}T00:00:00Z`);
    const sim = new Simulator(
      { db: t.db, bus: server.app.bus },
      {
        baseUrl: server.baseUrl,
        reportSeconds: REPORT_S,
        incidentsPerHour: 0,
        random: lcg(3),
        plans: { tz: TZ, marketDays: 'sun', dwellS: 60 },
        now: () => clock,
        timer: false,
        teamIds,
      },
    );
    const visited = async () =>
      (
        await t.db.query<{ checkpoint_id: number; team_id: number }>(
          `SELECT DISTINCT checkpoint_id, team_id FROM patrol_visits WHERE plan_id = $1::int ORDER BY checkpoint_id, team_id`,
          [joint.id],
        )
      ).rows.map((r) => [r.checkpoint_id, r.team_id]);
    const want = [...joint.checkpoints].sort((a, b) => a.id - b.id).flatMap((c) => [...teamIds].sort((a, b) => a - b).map((team) => [c.id, team]));
    try {
      await sim.start();
      await server.app.rules.evaluate(new Date(clock));
      const end = Date.parse(`${MARKET_DAY}T04:00:00Z`);
      let got: number[][] = [];
      for (let i = 1; clock < end; i++) {
        clock += REPORT_S * 1000;
        await sim.tick();
        if (i % 8 !== 0) continue;
        await server.app.rules.evaluate(new Date(clock));
        got = await visited();
        if (got.length === want.length) break;
      }
      expect(got).toEqual(want);
      // Within the occurrence, and well before its end: the course is a few hundred metres.
      expect(clock).toBeLessThan(end);
      const state = sim.unitState(teamIds[0]!)!;
      expect(state.assignmentId).toBeNull();
    } finally {
      sim.stop();
      await sim.settled();
    }
  });
});
