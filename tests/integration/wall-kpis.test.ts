// The wall's KPI tiles (GET /api/wall/kpis) against a known database: every
// expected figure below is counted by hand from the rows this file writes,
// with township times written out with their offset (+08:00 Shanghai,
// +05:30 Kolkata), never derived from the code under test. The day edges are
// the township's: 23:59 yesterday vs 00:01 today, the same weekday's window
// cut at the same time of day, and the same rows read in another township
// zone give other answers — whatever the process's TZ or the database
// session's TimeZone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/client';
import { loadConfig } from '../../lib/config';
import type { WallKpis } from '../../lib/model';
import { readWallKpis } from '../../lib/wall';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

/** Wednesday 11 June 2025, 09:30 in Shanghai. */
const AS_OF_A = Date.parse('2025-06-11T09:30:00+08:00');
/** Half an hour later, the same day. */
const AS_OF_B = Date.parse('2025-06-11T10:00:00+08:00');
/** A week earlier, Wednesday 4 June 2025, 09:30 in Shanghai. */
const AS_OF_C = Date.parse('2025-06-04T09:30:00+08:00');

const GRID_CODES = ['G01', 'G02', 'G03', 'G04', 'G05', 'G06', 'G07'] as const;
type GridCode = (typeof GRID_CODES)[number];

interface Fixture {
  grids: Record<GridCode, number>;
}

/**
 * The rows: seven grid cells, nine teams, incidents today, yesterday and on
 * the previous Wednesdays, assignments with arrivals, five alerts.
 */
async function writeFixture(db: Queryable): Promise<Fixture> {
  const { rows: v } = await db.query<{ id: number }>(
    `INSERT INTO villages (code, name, name_en, kind, centre, population)
     VALUES ('WV', '墙村', 'Wall village', 'village', ST_SetSRID(ST_MakePoint(100.05, 31.005), 4326), 500) RETURNING id`,
  );
  const grids = {} as Record<GridCode, number>;
  for (const [i, code] of GRID_CODES.entries()) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO grids (code, name, name_en, village_id, geom)
       VALUES ($1::text, $2::text, $3::text, $4::int, ST_Multi(ST_MakeEnvelope($5::float8, 31.0, $5::float8 + 0.01, 31.01, 4326))) RETURNING id`,
      [code, `网格${code}`, `Grid ${code}`, v[0]!.id, 100 + i * 0.01],
    );
    grids[code] = rows[0]!.id;
  }

  // Teams: roster on_duty, and the unit_state status (null: no row, the roster decides).
  const teamSpecs: [code: string, onDuty: boolean, status: string | null][] = [
    ['A', true, 'available'],
    ['B', true, 'available'],
    ['C', true, 'dispatched'],
    ['D', true, 'en_route'],
    ['E', true, 'on_scene'],
    ['F', false, 'off_duty'],
    // Taken off the roster while its unit row still says available: off duty.
    ['G', false, 'available'],
    // Never reported: available from the roster.
    ['H', true, null],
    ['I', false, null],
  ];
  const teams: Record<string, number> = {};
  for (const [code, onDuty, status] of teamSpecs) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size, on_duty) VALUES ($1::text, $2::text, $3::text, 'armband', 4, $4::boolean) RETURNING id`,
      [`W-${code}`, `墙队${code}`, `Wall team ${code}`, onDuty],
    );
    teams[code] = rows[0]!.id;
    if (status) await db.query(`INSERT INTO unit_state (team_id, status) VALUES ($1::int, $2::text)`, [rows[0]!.id, status]);
  }

  const incident = async (name: string, at: string, severity: number, status: string, grid: GridCode | null): Promise<number> => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO incidents (category, severity, status, outcome, title, geom, grid_id, reported_at)
       VALUES ('neighbour_dispute', $1::smallint, $2::text, CASE WHEN $2::text IN ('resolved', 'closed') THEN 'other' END,
               $3::text, ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326), $4::int, $5::timestamptz)
       RETURNING id::text`,
      [severity, status, name, grid === null ? null : grids[grid], at],
    );
    return Number(rows[0]!.id);
  };
  const assignment = async (incidentId: number, team: string, dispatchedAt: string, arrivedAt: string | null, releasedAt: string, reason = 'resolved') => {
    await db.query(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, arrived_at, released_at, release_reason)
       VALUES ($1::bigint, $2::int, $3::timestamptz, 'test', $4::timestamptz, $5::timestamptz, $6::text)`,
      [incidentId, teams[team], dispatchedAt, arrivedAt, releasedAt, reason],
    );
  };

  // Today, Wednesday 11 June (Shanghai).
  const i1 = await incident('I1', '2025-06-11T00:01:00+08:00', 2, 'on_scene', 'G03');
  await assignment(i1, 'A', '2025-06-11T00:02:00+08:00', '2025-06-11T00:11:00+08:00', '2025-06-11T11:00:00+08:00'); // 600 s
  await incident('I2', '2025-06-11T04:00:00+08:00', 1, 'reported', 'G05'); // 01:30 in Kolkata, 20:00 UTC the day before
  const i3 = await incident('I3', '2025-06-11T08:00:00+08:00', 3, 'on_scene', 'G03');
  // The first team was reassigned before it arrived; the team sent instead is the first on scene (1,200 s), a third came later.
  await assignment(i3, 'B', '2025-06-11T08:01:00+08:00', null, '2025-06-11T08:05:00+08:00', 'reassigned');
  await assignment(i3, 'C', '2025-06-11T08:05:00+08:00', '2025-06-11T08:20:00+08:00', '2025-06-11T11:00:00+08:00');
  await assignment(i3, 'D', '2025-06-11T08:10:00+08:00', '2025-06-11T08:30:00+08:00', '2025-06-11T11:00:00+08:00');
  const i4 = await incident('I4', '2025-06-11T09:00:00+08:00', 4, 'resolved', 'G01');
  await assignment(i4, 'E', '2025-06-11T09:01:00+08:00', '2025-06-11T09:05:00+08:00', '2025-06-11T09:20:00+08:00'); // 300 s
  const i5 = await incident('I5', '2025-06-11T09:29:00+08:00', 2, 'dispatched', 'G05');
  await assignment(i5, 'A', '2025-06-11T09:29:30+08:00', '2025-06-11T09:50:00+08:00', '2025-06-11T11:00:00+08:00'); // 1,260 s, after 09:30

  // Yesterday, Tuesday 10 June.
  const y1 = await incident('Y1', '2025-06-10T23:59:00+08:00', 4, 'en_route', 'G01');
  await assignment(y1, 'B', '2025-06-11T00:05:00+08:00', '2025-06-11T00:30:00+08:00', '2025-06-11T11:00:00+08:00'); // arrived today, reported yesterday
  await incident('Y2', '2025-06-10T12:00:00+08:00', 2, 'closed', 'G02');
  await incident('Y3', '2025-06-10T14:00:00+08:00', 2, 'closed', 'G04');
  await incident('Y4', '2025-06-10T18:00:00+08:00', 2, 'closed', 'G07');
  await incident('Y5', '2025-06-10T09:00:00+08:00', 2, 'closed', 'G06'); // 24.5 h before 09:30 today
  await incident('Y6', '2025-06-10T20:00:00+08:00', 2, 'closed', 'G03');

  // The previous Wednesdays.
  await incident('H1', '2025-06-04T00:00:00+08:00', 2, 'closed', 'G06'); // midnight: in
  await incident('H2', '2025-06-04T05:00:00+08:00', 2, 'closed', 'G06');
  await incident('H3', '2025-06-04T09:30:00+08:00', 2, 'closed', 'G06'); // the cut itself: in
  await incident('H4', '2025-06-04T09:31:00+08:00', 2, 'closed', 'G06'); // after 09:30: out (in at 10:00)
  await incident('H5', '2025-06-03T23:59:00+08:00', 2, 'closed', 'G07'); // Tuesday
  await incident('H6', '2025-05-28T08:00:00+08:00', 2, 'reported', 'G06'); // still open
  await incident('H7', '2025-05-28T09:00:00+08:00', 2, 'closed', 'G06');
  await incident('H8', '2025-05-28T18:00:00+08:00', 2, 'closed', 'G06'); // evening: out
  await incident('H9', '2025-05-22T01:00:00+08:00', 2, 'closed', 'G06'); // 21 May was quiet; this is Thursday (Wednesday 22:30 in Kolkata)
  await incident('H10', '2025-05-14T07:00:00+08:00', 2, 'closed', 'G06');
  await incident('H11', '2025-05-07T09:00:00+08:00', 2, 'closed', 'G06'); // five weeks back: out

  // Alerts: three not cleared (two of them not acknowledged), two cleared.
  const alert = async (acknowledged: boolean, cleared: boolean) =>
    db.query(
      `INSERT INTO alerts (kind, severity, team_id, message, raised_at, acknowledged_at, acknowledged_by, cleared_at, cleared_by)
       VALUES ('sos', 4, $1::int, 'SOS', '2025-06-11T08:00:00+08:00',
               CASE WHEN $2::boolean THEN '2025-06-11T08:01:00+08:00'::timestamptz END, CASE WHEN $2::boolean THEN 'someone' END,
               CASE WHEN $3::boolean THEN '2025-06-11T08:02:00+08:00'::timestamptz END, CASE WHEN $3::boolean THEN 'someone' END)`,
      [teams.A, acknowledged, cleared],
    );
  await alert(false, false);
  await alert(false, false);
  await alert(true, false);
  await alert(true, true);
  await alert(false, true);
  return { grids };
}

describe.each(engines())('GET /api/wall/kpis on %s', (engine) => {
  let t: TestDb;
  let fx: Fixture;
  let server: RunningApp;
  const shanghai = { TOWNSHIP_TZ: 'Asia/Shanghai', WALL_ROTATE_S: 45 };
  const kpis = (now: number, config = shanghai) => readWallKpis({ db: t.db, config }, { now });
  const busy = (...cells: [GridCode, number][]) =>
    cells.map(([code, count]) => ({ gridId: fx.grids[code], code, name: `网格${code}`, nameEn: `Grid ${code}`, count }));

  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await writeFixture(t.db);
    // The rules evaluator stays out of the way: the alerts are fixtures.
    server = await startTestApp(t.db, { web: await apiRouter(), env: { TOWNSHIP_TZ: 'Asia/Shanghai', WALL_ROTATE_S: '45', RULES_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('gives every figure at 09:30 on a Wednesday, counted by hand', async () => {
    const expected: WallKpis = {
      asOf: AS_OF_A,
      townshipTz: 'Asia/Shanghai',
      day: '2025-06-11',
      // A, B, H available; C, D, E busy; F, G (off the roster) and I off duty.
      teams: { onDuty: 6, available: 3, busy: 3 },
      // Open: I2 (1); I1, I5, H6 (2); I3 (3); Y1 (4). I4 is resolved, the rest closed.
      openBySeverity: { 1: 1, 2: 3, 3: 1, 4: 1 },
      // I1 at 00:01 … I5 at 09:29; Y1 at 23:59 yesterday is not today.
      incidentsToday: 5,
      // 4 June: H1 00:00, H2, H3 09:30 (3); 28 May: H6, H7 (2); 21 May: none; 14 May: H10 (1) → 6 / 4.
      sameWeekdayAverage: 1.5,
      // I4 300 s, I1 600 s, I3 1,200 s (its first arrival); I5 arrives after 09:30.
      medianResponseSeconds: 600,
      responseSamples: 3,
      openAlerts: 3,
      unacknowledgedAlerts: 2,
      rotateSeconds: 45,
      // Since 09:30 yesterday: G03 I1 I3 Y6; G01 I4 Y1; G05 I2 I5; G02 Y2; G04 Y3; G07 Y4 (6th, left out); G06 only Y5, 24.5 h ago.
      busiestGrids: busy(['G03', 3], ['G01', 2], ['G05', 2], ['G02', 1], ['G04', 1]),
    };
    expect(await kpis(AS_OF_A)).toEqual(expected);
  });

  it('cuts the same weekday at the same time of day, and takes the median of an even number as the mean of the middle two', async () => {
    const k = await kpis(AS_OF_B);
    expect(k.day).toBe('2025-06-11');
    expect(k.incidentsToday).toBe(5);
    // H4 at 09:31 on 4 June is now before the cut: 7 / 4.
    expect(k.sameWeekdayAverage).toBe(1.75);
    // 300, 600, 1,200, 1,260 (I5 arrived at 09:50) → (600 + 1,200) / 2.
    expect(k.medianResponseSeconds).toBe(900);
    expect(k.responseSamples).toBe(4);
  });

  it('counts from township midnight: 00:00 is today, 23:59 the day before is not; fewer than five busy cells and no zeros', async () => {
    const k = await kpis(AS_OF_C);
    expect(k.day).toBe('2025-06-04');
    // H1 00:00, H2 05:00, H3 09:30; H5 23:59 on Tuesday and H4 09:31 are not.
    expect(k.incidentsToday).toBe(3);
    // 28 May: H6, H7; 21 May: none; 14 May: H10; 7 May: H11 → 4 / 4.
    expect(k.sameWeekdayAverage).toBe(1);
    expect(k.medianResponseSeconds).toBeNull();
    expect(k.responseSamples).toBe(0);
    // Since 09:30 on 3 June: H1 H2 H3 in G06, H5 in G07; every other cell 0 and not listed.
    expect(k.busiestGrids).toEqual(busy(['G06', 3], ['G07', 1]));
  });

  it('reads the days in the township zone, not the process TZ or UTC: the same rows in Kolkata', async () => {
    // 09:30 in Shanghai is 07:00 in Kolkata, the same Wednesday; its midnight was 02:30 in Shanghai.
    const k = await kpis(Date.parse('2025-06-11T07:00:00+05:30'), { TOWNSHIP_TZ: 'Asia/Kolkata', WALL_ROTATE_S: 45 });
    expect(k.asOf).toBe(AS_OF_A);
    expect(k.townshipTz).toBe('Asia/Kolkata');
    expect(k.day).toBe('2025-06-11');
    // I2 (01:30), I3, I4, I5; I1 was 21:31 on Tuesday. (A UTC day would give 3, Shanghai's 5.)
    expect(k.incidentsToday).toBe(4);
    // 4 June 00:00–07:00 Kolkata: H2 (02:30), H3 (07:00, the cut); 28 May: H6, H7; 21 May: none (H9 is 22:30);
    // 14 May: H10 (04:30) → 5 / 4.
    expect(k.sameWeekdayAverage).toBe(1.25);
    // I4 300 s and I3 1,200 s.
    expect(k.medianResponseSeconds).toBe(750);
    expect(k.responseSamples).toBe(2);
    // The 24 hours are the same in every zone.
    expect(k.busiestGrids).toEqual(busy(['G03', 3], ['G01', 2], ['G05', 2], ['G02', 1], ['G04', 1]));
  });

  it('answers a signed-in wall over HTTP with the figures as of now and the configured rotation; 401 without a session', async () => {
    const anonymous = await callApi(server.baseUrl, null, 'GET', '/api/wall/kpis');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

    const wall = await signIn(t.db, 'wall');
    const before = Date.now();
    const r = await callApi(server.baseUrl, wall, 'GET', '/api/wall/kpis');
    const after = Date.now();
    expect(r.status, r.text).toBe(200);
    const body = r.json as WallKpis;
    expect(body.asOf).toBeGreaterThanOrEqual(before);
    expect(body.asOf).toBeLessThanOrEqual(after);
    // The figures that do not depend on the hour, as counted above.
    expect({ townshipTz: body.townshipTz, rotateSeconds: body.rotateSeconds, teams: body.teams, open: body.openBySeverity }).toEqual({
      townshipTz: 'Asia/Shanghai',
      rotateSeconds: 45,
      teams: { onDuty: 6, available: 3, busy: 3 },
      open: { 1: 1, 2: 3, 3: 1, 4: 1 },
    });
    expect({ openAlerts: body.openAlerts, unacknowledgedAlerts: body.unacknowledgedAlerts }).toEqual({ openAlerts: 3, unacknowledgedAlerts: 2 });
    // The rest is the service's answer for the same instant (the service is pinned above).
    expect(body).toEqual(await readWallKpis({ db: t.db, config: loadConfig({ TOWNSHIP_TZ: 'Asia/Shanghai', WALL_ROTATE_S: '45' }) }, { now: body.asOf }));
  });
});
