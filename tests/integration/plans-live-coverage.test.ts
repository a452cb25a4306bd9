// GET /api/plans/live's map data (issue 14): each live plan's shape and the
// share of its route covered so far, from its teams' fixes since the
// occurrence began, by the plan-vs-actual report's statement (db/plan-report.ts).
// The route runs along lat 31.005 from lon 100.001 to 100.009: 763 m on the
// spheroid, which PostGIS's geography ST_Segmentize(…, 10) halves until every
// piece is at most 10 m: 128 pieces of 5.96 m. A fix at its middle covers the
// 14 pieces whose middles are within 40 m (PLAN_ROUTE_COVER_M's default):
// 14 / 128 = 0.109. Another team's fix, a fix before the occurrence began and
// one 111 m off the route add nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPositions } from '../../db/positions';
import { createPlan, plansLive } from '../../lib/plans/service';
import type { LonLat, PatrolPlan } from '../../lib/model';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';
import { fixRow } from '../helpers/fixes';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-20';
/** The occurrence runs 18:00–02:00 in Shanghai: 10:00Z–18:00Z. */
const at = (hhmmss: string) => new Date(`${DAY}T${hhmmss}Z`);
const CONFIG = { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun' };
const ROUTE: LonLat[] = [
  [100.001, 31.005],
  [100.009, 31.005],
];

describe.each(engines())('live plan shapes and route coverage (%s)', (engine) => {
  let t: TestDb;
  let town: DispatchTownship;
  let routed: PatrolPlan;
  let plain: PatrolPlan;
  const deviceOf = async (teamId: number) => (await t.db.query<{ id: number }>(`SELECT id FROM devices WHERE team_id = $1::int`, [teamId])).rows[0]!.id;
  const fix = (deviceId: number, time: Date, place: LonLat) => fixRow(deviceId, time.getTime(), place);

  beforeAll(async () => {
    t = await freshDb(engine);
    town = await insertDispatchTownship(t.db);
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
    const deps = { db: t.db, config: CONFIG, now: () => at('00:00:00') };
    const actor = { actorUserId: (await signIn(t.db, 'coordinator')).userId, actor: 'coordinator-li', role: 'coordinator' as const, ip: null };
    const base = { kind: 'patrol' as const, recurrence: { repeat: 'once' as const, date: DAY }, window: { start: '18:00', end: '02:00' }, areaGridIds: [rows[0]!.id], areaPolygon: null, checkpoints: [] };
    routed = await createPlan(deps, { actor, plan: { ...base, name: '沿河路线', teamIds: [town.teams[0]!.id], route: { type: 'LineString', coordinates: ROUTE } } });
    plain = await createPlan(deps, { actor, plan: { ...base, name: '网格巡查', teamIds: [town.teams[1]!.id], route: null } });
    const mine = await deviceOf(town.teams[0]!.id);
    const theirs = await deviceOf(town.teams[2]!.id);
    await insertPositions(t.db, [
      // Before the occurrence began (09:59Z), at the route's end: not counted.
      fix(mine, at('09:59:00'), [100.009, 31.005]),
      // During it, at the middle: counted.
      fix(mine, at('11:00:00'), [100.005, 31.005]),
      // 110.9 m north of the route (on the spheroid, as PostGIS measures): outside both tolerances.
      fix(mine, at('11:05:00'), [100.003, 31.006]),
      // Another team at the route's start: not this plan's.
      fix(theirs, at('11:10:00'), [100.001, 31.005]),
    ]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('answers each live plan with its area and route, and the share of the route its teams covered', async () => {
    const live = await plansLive({ db: t.db, config: CONFIG, now: () => at('12:00:00') }, { role: 'viewer' });
    const shape = live.shapes.find((s) => s.planId === routed.id)!;
    expect(shape.route).toEqual({ type: 'LineString', coordinates: ROUTE });
    expect(shape.area?.type).toBe('MultiPolygon');
    expect(live.shapes.map((s) => s.planId).sort()).toEqual([routed.id, plain.id].sort());
    expect(live.coverage.find((c) => c.planId === routed.id)).toEqual({ planId: routed.id, day: DAY, share: 0.109 });
    expect(live.coverage.find((c) => c.planId === plain.id)).toEqual({ planId: plain.id, day: DAY, share: null });
  });

  it('counts only fixes up to now: at 10:30Z the middle fix has not happened yet', async () => {
    const live = await plansLive({ db: t.db, config: CONFIG, now: () => at('10:30:00') }, { role: 'viewer' });
    expect(live.coverage.find((c) => c.planId === routed.id)!.share).toBe(0);
  });

  it('a wider PLAN_ROUTE_COVER_M covers more of the same route', async () => {
    const live = await plansLive({ db: t.db, config: { ...CONFIG, PLAN_ROUTE_COVER_M: 100 }, now: () => at('12:00:00') }, { role: 'viewer' });
    // 100 m either side of the middle fix: the 34 pieces of 128 whose middles lie within 100 m of it; the fix 110.9 m off the route still misses.
    expect(live.coverage.find((c) => c.planId === routed.id)!.share).toBe(0.266);
  });
});
