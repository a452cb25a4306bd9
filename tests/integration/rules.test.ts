// The rules evaluator on a real database (lib/rules/evaluator.ts): each alert
// rule raised by the condition it watches and cleared when it ends, once
// across repeated cycles, with its bus events; arrival detected from a
// sequence of fixes moves the assignment, the team and the incident on scene.
// Time is controlled: every cycle runs at an explicit instant, fixes carry
// explicit times, assignments explicit dispatch times. Each test keeps only
// its own teams on duty, so other teams' silence does not mix in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getGridCollection } from '../../db/map-layers';
import { insertPositions } from '../../db/positions';
import { Bus } from '../../lib/bus';
import { loadConfig } from '../../lib/config';
import type { Alert, Incident, LonLat } from '../../lib/model';
import { RulesEvaluator } from '../../lib/rules/evaluator';
import { seedDemoTownship } from '../../lib/sim/seed';
import { engines, freshDb, type TestDb } from '../helpers/db';

const MIN = 60_000;
const HOUR = 3_600_000;
const CONFIG = loadConfig({
  SIM_ENABLED: 'false',
  RULES_INTERVAL_MS: '600000',
  ALERT_UNACK_MINUTES: '3',
  ALERT_STALE_MINUTES: '5',
  ALERT_OFFLINE_MINUTES: '30',
  ALERT_OUTSIDE_AREA_MINUTES: '10',
  ALERT_COVERAGE_GAP_HOURS: '8',
  ARRIVAL_RADIUS_M: '60',
  ARRIVAL_DWELL_S: '30',
});
/** Metres northwards as degrees of latitude (the geography distance is within 0.5 % of this here). */
const north = ([lon, lat]: LonLat, metres: number): LonLat => [lon, lat + metres / 111_320];

describe.each(engines())('rules evaluator on %s', (engine) => {
  let t: TestDb;
  let teams: { patrol: number[]; gridWorker: number };
  let areaInside: LonLat;
  let areaOutside: LonLat;

  /** A new evaluator with its own bus and the events it published. */
  const evaluator = () => {
    const bus = new Bus();
    const events = { raised: [] as Alert[], updated: [] as Alert[], incidents: [] as Incident[], moved: [] as number[][] };
    bus.subscribe('alert:new', (a) => events.raised.push(a));
    bus.subscribe('alert:update', (a) => events.updated.push(a));
    bus.subscribe('incident:update', (i) => events.incidents.push(i));
    bus.subscribe('units:moved', (ids) => events.moved.push(ids));
    return { rules: new RulesEvaluator({ db: t.db, bus, config: CONFIG }), events };
  };
  const onDutyOnly = async (teamIds: number[]) => {
    await t.db.query(`UPDATE teams SET on_duty = (id = ANY($1::int[]))`, [teamIds]);
  };
  const fix = async (teamId: number, at: Date, [lon, lat]: LonLat) => {
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM devices WHERE team_id = $1::int ORDER BY id LIMIT 1`, [teamId]);
    await insertPositions(t.db, [
      { deviceId: rows[0]!.id, fixTime: at.getTime(), lon, lat, speed: null, heading: null, accuracy: null, altitude: null, battery: null, attributes: null },
    ]);
  };
  const newIncident = async (at: LonLat, reportedAt: Date): Promise<number> => {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO incidents (category, severity, status, title, source, geom, reported_at, timeline)
       VALUES ('noise', 2, 'dispatched', '夜间噪音', 'coordinator', ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326), $3::timestamptz, '[]'::jsonb)
       RETURNING id::text`,
      [at[0], at[1], reportedAt.toISOString()],
    );
    return Number(rows[0]!.id);
  };
  const dispatch = async (incidentId: number, teamId: number, at: Date): Promise<number> => {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by) VALUES ($1::bigint, $2::int, $3::timestamptz, 'coordinator-li')
       RETURNING id::text`,
      [incidentId, teamId, at.toISOString()],
    );
    await t.db.query(`UPDATE unit_state SET status = 'dispatched' WHERE team_id = $1::int`, [teamId]);
    return Number(rows[0]!.id);
  };
  const alertRow = async (ruleKey: string) => {
    const { rows } = await t.db.query<{ n: number; live: number; cleared_by: string | null; cleared_at: Date | null; raised_at: Date }>(
      `SELECT count(*) OVER ()::int AS n, count(*) FILTER (WHERE cleared_at IS NULL) OVER ()::int AS live, cleared_by, cleared_at, raised_at
       FROM alerts WHERE rule_key = $1::text ORDER BY id DESC LIMIT 1`,
      [ruleKey],
    );
    return rows[0] ?? null;
  };
  const keys = (alerts: Alert[], kind?: string) => alerts.filter((a) => !kind || a.kind === kind).map((a) => `${a.kind}:${a.teamId ?? a.gridId}`);

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    const { rows } = await t.db.query<{ id: number; force_type: string; has_area: boolean }>(
      `SELECT id, force_type, area IS NOT NULL AS has_area FROM teams WHERE on_duty ORDER BY id`,
    );
    const gridWorker = rows.find((r) => r.force_type === 'grid_worker' && r.has_area)!.id;
    teams = { patrol: rows.filter((r) => r.force_type !== 'grid_worker').slice(0, 6).map((r) => r.id), gridWorker };
    const { rows: pts } = await t.db.query<{ ilon: number; ilat: number; olon: number; olat: number }>(
      `SELECT ST_X(ST_PointOnSurface(t.area)) AS ilon, ST_Y(ST_PointOnSurface(t.area)) AS ilat,
              ST_X(ST_PointOnSurface(g.geom)) AS olon, ST_Y(ST_PointOnSurface(g.geom)) AS olat
       FROM teams t JOIN grids g ON NOT ST_Intersects(g.geom, t.area)
       WHERE t.id = $1::int ORDER BY g.id LIMIT 1`,
      [gridWorker],
    );
    areaInside = [pts[0]!.ilon, pts[0]!.ilat];
    areaOutside = [pts[0]!.olon, pts[0]!.olat];
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('seeds every grid worker with its home grid cell as its area, and no other team with one', async () => {
    const { rows } = await t.db.query<{ force_type: string; n: number; with_area: number; home_area: number }>(
      `SELECT t.force_type, count(*)::int AS n, count(t.area)::int AS with_area,
              count(*) FILTER (WHERE ST_Equals(t.area, g.geom))::int AS home_area
       FROM teams t LEFT JOIN grids g ON g.id = t.home_grid_id GROUP BY t.force_type ORDER BY t.force_type`,
    );
    for (const r of rows) {
      expect({ type: r.force_type, withArea: r.with_area, homeArea: r.home_area }).toEqual(
        r.force_type === 'grid_worker' ? { type: 'grid_worker', withArea: r.n, homeArea: r.n } : { type: r.force_type, withArea: 0, homeArea: 0 },
      );
    }
    expect(rows.find((r) => r.force_type === 'grid_worker')?.n).toBeGreaterThan(0);
  });

  it('stale after 5 min, offline after 30 min (stale cleared), both cleared by a fresh fix; raised once each', async () => {
    const team = teams.patrol[0]!;
    await onDutyOnly([team]);
    const T0 = Date.UTC(2030, 0, 10, 8, 0, 0);
    const at = (minutes: number) => new Date(T0 + minutes * MIN);
    const { rules, events } = evaluator();
    await fix(team, at(0), areaInside);

    expect((await rules.evaluate(at(0))).raised).toEqual([]);
    expect((await rules.evaluate(at(5))).raised).toEqual([]);
    const stale = await rules.evaluate(at(6));
    expect(stale.raised.map((a) => [a.kind, a.teamId, a.severity, a.raisedAt])).toEqual([['stale', team, 2, at(6).toISOString()]]);
    expect((await rules.evaluate(at(7))).raised).toEqual([]);
    expect((await rules.evaluate(at(29))).raised).toEqual([]);

    const offline = await rules.evaluate(at(31));
    expect(offline.raised.map((a) => [a.kind, a.teamId, a.severity])).toEqual([['offline', team, 3]]);
    expect(offline.cleared.map((a) => [a.kind, a.teamId, a.clearedBy, a.clearedAt])).toEqual([['stale', team, 'rule', at(31).toISOString()]]);
    expect((await rules.evaluate(at(40))).raised).toEqual([]);

    await fix(team, at(41), areaInside);
    const back = await rules.evaluate(at(41.5));
    expect(back.cleared.map((a) => [a.kind, a.teamId, a.clearedBy])).toEqual([['offline', team, 'rule']]);
    expect(back.raised).toEqual([]);

    expect(await alertRow(`stale:team:${team}`)).toMatchObject({ n: 1, live: 0, cleared_by: 'rule' });
    expect(await alertRow(`offline:team:${team}`)).toMatchObject({ n: 1, live: 0, cleared_by: 'rule' });
    // Published after each commit: one alert:new per raise, one alert:update per clear.
    expect(keys(events.raised)).toEqual([`stale:${team}`, `offline:${team}`]);
    expect(keys(events.updated)).toEqual([`stale:${team}`, `offline:${team}`]);
    expect(events.updated.every((a) => a.clearedBy === 'rule')).toBe(true);
  });

  it('judges a team that never reported from the evaluator start: offline 30 min later, not at once', async () => {
    const team = teams.patrol[1]!;
    await onDutyOnly([team]);
    const T0 = Date.UTC(2030, 0, 11, 8, 0, 0);
    const { rules } = evaluator();
    expect((await rules.evaluate(new Date(T0))).raised.filter((a) => a.teamId === team)).toEqual([]);
    expect(keys((await rules.evaluate(new Date(T0 + 6 * MIN))).raised)).toEqual([`stale:${team}`]);
    const later = await rules.evaluate(new Date(T0 + 31 * MIN));
    expect(later.raised.map((a) => [a.kind, a.message])).toEqual([['offline', expect.stringContaining('(never reported)')]]);
  });

  it('unacknowledged: raised 3 min after dispatch with its incident, once; cleared by acknowledgement or by release', async () => {
    const [a, b] = [teams.patrol[2]!, teams.patrol[3]!];
    await onDutyOnly([]);
    const T0 = Date.UTC(2030, 0, 12, 8, 0, 0);
    const at = (minutes: number) => new Date(T0 + minutes * MIN);
    const { rules, events } = evaluator();
    const incident = await newIncident(areaOutside, at(-1));
    const first = await dispatch(incident, a, at(0));
    const second = await dispatch(incident, b, at(0.5));

    await rules.evaluate(at(0));
    expect((await rules.evaluate(at(3))).raised).toEqual([]);
    const raised = await rules.evaluate(at(3.25));
    expect(raised.raised.map((x) => [x.kind, x.teamId, x.incidentId, x.severity])).toEqual([['unacknowledged', a, incident, 3]]);
    const both = await rules.evaluate(at(3.75));
    expect(both.raised.map((x) => [x.kind, x.teamId, x.incidentId])).toEqual([['unacknowledged', b, incident]]);
    expect((await rules.evaluate(at(4))).raised).toEqual([]);

    await t.db.query(`UPDATE assignments SET acknowledged_at = $2::timestamptz, acknowledged_by = 'coordinator-li' WHERE id = $1::bigint`, [first, at(4.5).toISOString()]);
    const acked = await rules.evaluate(at(5));
    expect(acked.cleared.map((x) => [x.kind, x.teamId, x.clearedBy])).toEqual([['unacknowledged', a, 'rule']]);

    await t.db.query(`UPDATE assignments SET released_at = $2::timestamptz, release_reason = 'cancelled' WHERE id = $1::bigint`, [second, at(5.5).toISOString()]);
    const released = await rules.evaluate(at(6));
    expect(released.cleared.map((x) => [x.kind, x.teamId])).toEqual([['unacknowledged', b]]);

    expect(await alertRow(`unacknowledged:assignment:${first}`)).toMatchObject({ n: 1, live: 0 });
    expect(await alertRow(`unacknowledged:assignment:${second}`)).toMatchObject({ n: 1, live: 0 });
    expect(events.raised.filter((x) => x.kind === 'unacknowledged').map((x) => x.teamId)).toEqual([a, b]);
    expect(events.updated.filter((x) => x.kind === 'unacknowledged').map((x) => x.teamId)).toEqual([a, b]);
    await t.db.query(`UPDATE assignments SET released_at = $1::timestamptz, release_reason = 'cancelled' WHERE released_at IS NULL`, [at(7).toISOString()]);
  });

  it('outside its area for more than 10 min: raised once, cleared back inside; a dispatched team is exempt', async () => {
    const team = teams.gridWorker;
    await onDutyOnly([team]);
    const T0 = Date.UTC(2030, 0, 13, 8, 0, 0);
    const at = (minutes: number) => new Date(T0 + minutes * MIN);
    const { rules, events } = evaluator();
    const outsideKinds = (r: { raised: Alert[]; cleared: Alert[] }) => ({ raised: keys(r.raised, 'outside_area'), cleared: keys(r.cleared, 'outside_area') });

    // Inside at 0, outside from 1 min on, one fix a minute.
    await fix(team, at(0), areaInside);
    for (let m = 1; m <= 12; m++) await fix(team, at(m), north(areaOutside, m));
    expect(outsideKinds(await rules.evaluate(at(5)))).toEqual({ raised: [], cleared: [] });
    expect(outsideKinds(await rules.evaluate(at(11)))).toEqual({ raised: [], cleared: [] }); // outside since 1 min: exactly 10 min, not more
    const raised = await rules.evaluate(at(11.5));
    expect(outsideKinds(raised)).toEqual({ raised: [`outside_area:${team}`], cleared: [] });
    // Where the team is now: its newest fix (12 min).
    expect(raised.raised.find((a) => a.kind === 'outside_area')?.position).toEqual(north(areaOutside, 12));
    expect(outsideKinds(await rules.evaluate(at(12)))).toEqual({ raised: [], cleared: [] });

    await fix(team, at(13), areaInside);
    expect(outsideKinds(await rules.evaluate(at(13.5)))).toEqual({ raised: [], cleared: [`outside_area:${team}`] });

    // Out again from 14 min; dispatched at 20 min to an incident far away: exempt while the assignment lasts.
    for (let m = 14; m <= 30; m++) await fix(team, at(m), north(areaOutside, m));
    const incident = await newIncident(north(areaInside, 3000), at(19));
    const assignment = await dispatch(incident, team, at(20));
    expect(outsideKinds(await rules.evaluate(at(26)))).toEqual({ raised: [], cleared: [] });
    await t.db.query(`UPDATE assignments SET released_at = $2::timestamptz, release_reason = 'cancelled' WHERE id = $1::bigint`, [assignment, at(27).toISOString()]);
    // Released: outside since 14 min, more than 10 min ago.
    expect(outsideKinds(await rules.evaluate(at(27.5)))).toEqual({ raised: [`outside_area:${team}`], cleared: [] });
    // Sent out again while the alert is live: it clears.
    await dispatch(incident, team, at(28));
    expect(outsideKinds(await rules.evaluate(at(28.5)))).toEqual({ raised: [], cleared: [`outside_area:${team}`] });

    expect(events.raised.filter((a) => a.kind === 'outside_area')).toHaveLength(2);
    expect(events.updated.filter((a) => a.kind === 'outside_area')).toHaveLength(2);
    await t.db.query(`UPDATE assignments SET released_at = $1::timestamptz, release_reason = 'cancelled' WHERE released_at IS NULL`, [at(29).toISOString()]);
  });

  it('coverage gap: none for 8 h after a fresh start, then raised per unpatrolled cell once, cleared by a patrol fix; grid_coverage follows positions', async () => {
    const team = teams.patrol[4]!;
    await onDutyOnly([]);
    const T0 = Date.UTC(2030, 0, 20, 0, 0, 0);
    const at = (hours: number) => new Date(T0 + hours * HOUR);
    const { rules, events } = evaluator();
    const { rows: cell } = await t.db.query<{ id: number; code: string; total: number }>(
      `SELECT id, code, (SELECT count(*)::int FROM grids) AS total FROM grids WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))`,
      areaInside,
    );
    const grid = cell[0]!;
    const gaps = (alerts: Alert[]) => alerts.filter((a) => a.kind === 'coverage_gap');

    await fix(team, at(0.5), areaInside);
    expect(gaps((await rules.evaluate(at(0))).raised)).toEqual([]);
    expect(gaps((await rules.evaluate(at(1))).raised)).toEqual([]);
    expect(gaps((await rules.evaluate(at(7.9))).raised)).toEqual([]);
    // 8 h after the start every cell but the patrolled one is a gap; it follows 30 min later.
    const first = gaps((await rules.evaluate(at(8.1))).raised);
    expect(first).toHaveLength(grid.total - 1);
    expect(first.map((a) => a.gridId)).not.toContain(grid.id);
    expect(first.every((a) => a.severity === 1 && a.position !== null && a.gridCode !== null)).toBe(true);
    const own = gaps((await rules.evaluate(at(8.6))).raised);
    expect(own.map((a) => [a.gridId, a.gridCode])).toEqual([[grid.id, grid.code]]);
    expect(gaps((await rules.evaluate(at(9))).raised)).toEqual([]);

    // A patrol passes: grid_coverage moves, the gap clears, the others stay.
    await fix(team, at(9.2), areaInside);
    const after = await rules.evaluate(at(9.25));
    expect(gaps(after.cleared).map((a) => a.gridId)).toEqual([grid.id]);
    const { rows: cov } = await t.db.query<{ last: Date }>(`SELECT last_patrol_at AS last FROM grid_coverage WHERE grid_id = $1::int`, [grid.id]);
    expect(new Date(cov[0]!.last).toISOString()).toBe(at(9.2).toISOString());
    const props = (await getGridCollection(t.db)).features.find((f) => f.properties.id === grid.id)!.properties;
    expect(props.lastPatrolAt).toBe(at(9.2).toISOString());
    const { rows: live } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE kind = 'coverage_gap' AND cleared_at IS NULL`);
    expect(live[0]!.n).toBe(grid.total - 1);
    expect(events.raised.filter((a) => a.kind === 'coverage_gap')).toHaveLength(grid.total);
    expect(events.updated.filter((a) => a.kind === 'coverage_gap').map((a) => a.gridId)).toEqual([grid.id]);
  });

  it('arrival: 30 s within 60 m of the incident moves the assignment, the team and the incident on scene, once', async () => {
    const team = teams.patrol[5]!;
    await onDutyOnly([team]);
    const T0 = Date.UTC(2030, 1, 1, 8, 0, 0);
    const at = (seconds: number) => new Date(T0 + seconds * 1000);
    const { rules, events } = evaluator();
    const place = areaInside;
    const incident = await newIncident(place, at(-120));
    await fix(team, at(-30), north(place, 20)); // before the dispatch: not counted
    const assignment = await dispatch(incident, team, at(0));
    await fix(team, at(10), north(place, 800));
    await fix(team, at(20), north(place, 300));
    await fix(team, at(30), north(place, 40));
    await fix(team, at(45), north(place, 20));

    expect((await rules.evaluate(at(50))).arrived).toEqual([]);
    await fix(team, at(60), north(place, 10));
    expect((await rules.evaluate(at(61))).arrived).toEqual([{ assignmentId: assignment, at: at(30) }]);
    expect((await rules.evaluate(at(70))).arrived).toEqual([]);

    const { rows } = await t.db.query<{ arrived_at: Date; arrived_by: string; status: string; unit: string }>(
      `SELECT a.arrived_at, a.arrived_by, i.status, u.status AS unit
       FROM assignments a JOIN incidents i ON i.id = a.incident_id JOIN unit_state u ON u.team_id = a.team_id WHERE a.id = $1::bigint`,
      [assignment],
    );
    expect({ ...rows[0]!, arrived_at: new Date(rows[0]!.arrived_at).toISOString() }).toEqual({
      arrived_at: at(30).toISOString(),
      arrived_by: 'detected',
      status: 'on_scene',
      unit: 'on_scene',
    });
    expect(events.incidents.map((i) => [i.id, i.status])).toEqual([[incident, 'on_scene']]);
    expect(events.moved.flat()).toContain(team);
  });

  it('does not detect arrival from fixes that only pass by', async () => {
    const team = teams.patrol[0]!;
    await onDutyOnly([team]);
    const T0 = Date.UTC(2030, 1, 2, 8, 0, 0);
    const at = (seconds: number) => new Date(T0 + seconds * 1000);
    const { rules } = evaluator();
    const incident = await newIncident(areaOutside, at(-60));
    await dispatch(incident, team, at(0));
    for (const [s, m] of [[10, 300], [20, 50], [30, 45], [40, 70], [50, 55], [60, 90]] as const) await fix(team, at(s), north(areaOutside, m));
    expect((await rules.evaluate(at(65))).arrived).toEqual([]);
    const { rows } = await t.db.query<{ status: string }>(`SELECT status FROM incidents WHERE id = $1::bigint`, [incident]);
    expect(rows[0]!.status).toBe('dispatched');
  });
});
