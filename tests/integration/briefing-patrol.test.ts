// The briefing's patrol figures (db/briefing.ts) where the hour masks could go
// wrong: two devices of one team in the same township hour count it once, a
// device's day ends at township midnight (23:59:59 and 00:00:00 are two days,
// two hours, two paths), each cell counts its own hours; and every window read
// in one call gives the same figures as each window read alone. Expected values
// are counted by hand from the rows written here (times with their +08:00 offset).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/client';
import { getBriefingFigures, type BriefingWindow } from '../../db/briefing';
import { townshipDayStart } from '../../lib/model/township-time';
import { engines, freshDb, type TestDb } from '../helpers/db';

const TZ = 'Asia/Shanghai';
const window = (from: string, to: string): BriefingWindow => ({ start: townshipDayStart(from, TZ), end: townshipDayStart(to, TZ) });
const AUGUST = window('2025-08-01', '2025-09-01');
const JULY = window('2025-07-01', '2025-08-01');
const AUGUST_2024 = window('2024-08-01', '2024-09-01');

async function writeFixture(db: Queryable): Promise<Record<'G1' | 'G2', number>> {
  const v = (
    await db.query<{ id: number }>(
      `INSERT INTO villages (code, name, name_en, kind, centre, population)
       VALUES ('PV', '巡村', 'PV', 'village', ST_SetSRID(ST_MakePoint(100.01, 31.005), 4326), 100) RETURNING id`,
    )
  ).rows[0]!.id;
  const grid = async (code: string, west: number) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO grids (code, name, name_en, village_id, geom)
         VALUES ($1::text, $1::text, $1::text, $2::int, ST_Multi(ST_MakeEnvelope($3::float8, 31.0, $3::float8 + 0.01, 31.01, 4326))) RETURNING id`,
        [code, v, west],
      )
    ).rows[0]!.id;
  const grids = { G1: await grid('G1', 100.0), G2: await grid('G2', 100.01) };
  const team = (
    await db.query<{ id: number }>(`INSERT INTO teams (code, name, name_en, force_type, size) VALUES ('PT', '巡队', 'PT', 'armband', 4) RETURNING id`)
  ).rows[0]!.id;
  const device = async (n: number) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO devices (team_id, secret_hash, label) VALUES ($1::int, encode(sha256(convert_to($2::text, 'UTF8')), 'hex'), 'd') RETURNING id`,
        [team, `briefing-patrol-device-00000${n}`],
      )
    ).rows[0]!.id;
  const d1 = await device(1);
  const d2 = await device(2);
  const fix = (deviceId: number, at: string, lon: number, cell: keyof typeof grids) =>
    db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom, grid_id)
       VALUES ($1::int, $2::int, $3::timestamptz, ST_SetSRID(ST_MakePoint($4::float8, 31.005), 4326), $5::int)`,
      [deviceId, team, at, lon, grids[cell]],
    );
  // 5 August, hour 09: D1 in G1 and D2 in G2 at once (one team hour; one hour in each cell).
  await fix(d1, '2025-08-05T09:00:00+08:00', 100.002, 'G1');
  await fix(d1, '2025-08-05T09:20:00+08:00', 100.004, 'G1');
  await fix(d2, '2025-08-05T09:30:00+08:00', 100.012, 'G2');
  // D1 at the last second of 5 August and the first of 6 August: two township days, hours 23 and 00.
  await fix(d1, '2025-08-05T23:59:59+08:00', 100.006, 'G1');
  await fix(d1, '2025-08-06T00:00:00+08:00', 100.016, 'G2');
  await fix(d1, '2025-08-06T00:10:00+08:00', 100.018, 'G2');
  // July: one fix, another window.
  await fix(d2, '2025-07-20T10:00:00+08:00', 100.003, 'G1');
  return grids;
}

/** Metres along the points (lon at latitude 31.005), by a second query: each pair's distance on the spheroid, summed. */
async function metresAlong(db: Queryable, lons: number[]): Promise<number> {
  const { rows } = await db.query<{ m: number }>(
    `SELECT COALESCE(sum(ST_Distance(ST_SetSRID(ST_MakePoint(a.lon, 31.005), 4326)::geography, ST_SetSRID(ST_MakePoint(b.lon, 31.005), 4326)::geography)), 0)::float8 AS m
     FROM unnest($1::float8[]) WITH ORDINALITY AS a(lon, n) JOIN unnest($1::float8[]) WITH ORDINALITY AS b(lon, n) ON b.n = a.n + 1`,
    [lons],
  );
  return rows[0]!.m;
}

describe.each(engines())('the briefing`s patrol figures on %s', (engine) => {
  let t: TestDb;
  let grids: Record<'G1' | 'G2', number>;
  const figures = (windows: BriefingWindow[]) => getBriefingFigures(t.db, { windows, tz: TZ, villageId: null, herbMonths: [5, 6, 7] });

  beforeAll(async () => {
    t = await freshDb(engine);
    grids = await writeFixture(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('counts a team hour once across its devices and splits days at township midnight', async () => {
    const [f] = await figures([AUGUST]);
    // Team hours: 5 Aug 09 (D1 and D2) and 23, 6 Aug 00.
    expect(f!.patrolByTeam.map((r) => [r.code, r.hours, r.cells])).toEqual([['PT', 3, 2]]);
    expect(f!.patrolByForce.map((r) => [r.forceType, r.teams, r.hours, r.cells])).toEqual([['armband', 1, 3, 2]]);
    // G1: 5 Aug 09 and 23; G2: 5 Aug 09 (D2) and 6 Aug 00.
    expect(f!.byGrid.map((g) => [g.gridId, g.patrolHours])).toEqual([
      [grids.G1, 2],
      [grids.G2, 2],
    ]);
    expect(f!.gridsNotPatrolled).toBe(0);
    // Paths: D1 on 5 Aug (three fixes), D1 on 6 Aug (two), D2 on 5 Aug (one: no length). Not the jump over midnight.
    const km = ((await metresAlong(t.db, [100.002, 100.004, 100.006])) + (await metresAlong(t.db, [100.016, 100.018]))) / 1000;
    expect(f!.patrolByTeam[0]!.km).toBeCloseTo(km, 2);
    expect(f!.patrolKm).toBeCloseTo(km, 2);
  });

  it('gives every window read in one call the figures it has when read alone', async () => {
    const together = await figures([AUGUST, JULY, AUGUST_2024]);
    const alone = [(await figures([AUGUST]))[0], (await figures([JULY]))[0], (await figures([AUGUST_2024]))[0]];
    expect(together).toEqual(alone);
    expect(together.map((f) => f.patrolByTeam.map((r) => r.hours))).toEqual([[3], [1], []]);
    expect(together.map((f) => f.gridsNotPatrolled)).toEqual([0, 1, 2]);
  });
});
