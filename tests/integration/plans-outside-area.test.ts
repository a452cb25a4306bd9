// The out-of-area rule scoped to a running patrol plan (issue 14), on a real
// database through the real ingest path and the rules engine, with time
// controlled. While a plan runs, its team is held to the plan's area (a drawn
// square in the south-west of the test grid) instead of its own (team one's
// own area is the north-east square, where it stands when "outside"), a route-only plan's team to its route widened by
// PLAN_ROUTE_COVER_M (40 m), and only fixes since the occurrence began count.
// Raised after ALERT_OUTSIDE_AREA_MINUTES (10) outside, naming the plan;
// cleared back inside; nothing outside the occurrence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, LonLat } from '../../lib/model';
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
/** Inside the plan's drawn square (100.000–100.005, 31.000–31.005), and outside it in the same grid cell. */
const IN_AREA: LonLat = [100.002, 31.002];
const OFF_AREA: LonLat = [100.008, 31.008];
/** On the route (along lat 31.001 from lon 100.001 to 100.004), and 333 m north of it. */
const ON_ROUTE: LonLat = [100.0025, 31.001];
const OFF_ROUTE: LonLat = [100.0025, 31.004];

describe.each(engines())('the out-of-area rule scoped to a running plan (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let town: DispatchTownship;

  const post = async (team: number, time: Date, [lon, lat]: LonLat) => {
    const res = await fetch(`${server.baseUrl}/ingest/osmand?id=${town.teams[team]!.secret}&lat=${lat}&lon=${lon}&timestamp=${time.getTime() / 1000}`, { method: 'POST' });
    expect(res.status, await res.text()).toBe(200);
  };
  const outside = (alerts: Alert[]) => alerts.filter((a) => a.kind === 'outside_area').map((a) => [a.teamId, a.message]);
  const cycle = (time: Date) => server.app.rules.evaluate(time);

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, {
      web: await apiRouter(),
      env: { TOWNSHIP_TZ: TZ, RULES_INTERVAL_MS: '600000', ALERT_OUTSIDE_AREA_MINUTES: '10', ALERT_COVERAGE_GAP_HOURS: '720', PLAN_ROUTE_COVER_M: '40' },
    });
    town = await insertDispatchTownship(t.db);
    await t.db.query(`UPDATE unit_state SET fix_time = '2020-01-01T00:00:00Z'`);
    // Team one's own area: the north-east square, which holds OFF_AREA and not IN_AREA.
    await t.db.query(`UPDATE teams SET area = ST_Multi(ST_MakeEnvelope(100.005, 31.005, 100.010, 31.010, 4326)) WHERE id = $1::int`, [town.teams[0]!.id]);
    const actor = { actorUserId: (await signIn(t.db, 'coordinator')).userId, actor: 'coordinator-li', role: 'coordinator' as const, ip: null };
    const deps = { db: t.db, bus: server.app.bus, config: { TOWNSHIP_TZ: TZ, TOWNSHIP_MARKET_DAYS: 'sun' }, now: () => at('00:00:00') };
    const base = { kind: 'patrol' as const, recurrence: { repeat: 'once' as const, date: DAY }, window: { start: '18:00', end: '02:00' }, areaGridIds: [] };
    await createPlan(deps, {
      actor,
      plan: {
        ...base,
        name: '西南片夜巡',
        teamIds: [town.teams[0]!.id],
        areaPolygon: { type: 'Polygon', coordinates: [[[100, 31], [100.005, 31], [100.005, 31.005], [100, 31.005], [100, 31]]] },
        route: null,
        checkpoints: [{ keyLocationId: null, point: IN_AREA, name: '路口', radiusM: 50, frequency: null }],
      },
    });
    await createPlan(deps, {
      actor,
      plan: {
        ...base,
        name: '沿河路线',
        teamIds: [town.teams[1]!.id],
        areaPolygon: null,
        route: { type: 'LineString', coordinates: [[100.001, 31.001], [100.004, 31.001]] },
        checkpoints: [{ keyLocationId: null, point: ON_ROUTE, name: '桥头', radiusM: 50, frequency: null }],
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('before the occurrence a team is held to its own area (or none); fixes from before the start do not count', async () => {
    await post(0, at('09:55:00'), OFF_AREA);
    await post(1, at('09:55:00'), OFF_ROUTE);
    expect(outside((await cycle(at('09:59:00'))).raised)).toEqual([]);
    // Started at 10:00; outside since 09:55 (inside the rule's look-back), but the plan's clock starts at 10:00 and its first fix after is 10:01.
    await post(0, at('10:01:00'), OFF_AREA);
    await post(1, at('10:01:00'), OFF_ROUTE);
    expect(outside((await cycle(at('10:05:00'))).raised)).toEqual([]);
    expect(outside((await cycle(at('10:10:30'))).raised)).toEqual([]);
  });

  it('raised after ten minutes outside the plan\'s area (or off its route), naming the plan, even inside the team\'s own area', async () => {
    await post(0, at('10:11:00'), OFF_AREA);
    await post(1, at('10:11:00'), OFF_ROUTE);
    const raised = await cycle(at('10:11:30'));
    expect(outside(raised.raised)).toEqual([
      [town.teams[0]!.id, `${town.teams[0]!.code} has been outside the area of plan "西南片夜巡" for more than 10 min`],
      [town.teams[1]!.id, `${town.teams[1]!.code} has been outside the area of plan "沿河路线" for more than 10 min`],
    ]);
    expect(outside((await cycle(at('10:12:00'))).raised)).toEqual([]);
  });

  it('cleared when the team is back inside the area, or back on its route', async () => {
    await post(0, at('10:20:00'), IN_AREA);
    await post(1, at('10:20:00'), ON_ROUTE);
    const back = await cycle(at('10:20:30'));
    expect(outside(back.cleared).map(([team]) => team)).toEqual([town.teams[0]!.id, town.teams[1]!.id]);
  });

  it('after the occurrence ends nothing holds the team to the plan\'s area: it is back in its own', async () => {
    await post(0, at('18:01:00'), OFF_AREA);
    await post(0, at('18:12:00'), OFF_AREA);
    expect(outside((await cycle(at('18:12:30'))).raised)).toEqual([]);
  });
});
