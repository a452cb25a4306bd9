// The heatmap rollup (migration 0011) and GET /api/heatmap over it. The rollup
// is compared with a direct count of the incidents table after inserts,
// updates (place, category, time, and a status change that must not touch it),
// deletes and a truncate; the township day edge is written out with its
// offset (23:30 and 00:30 in Shanghai fall on one UTC day, two township days).
// The API is read as every role: viewers and walls get bins of 3 or more
// incidents only, never a coordinate of an incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/client';
import { syncHeatmapSettings } from '../../db/heatmap';
import { DISPUTE_CATEGORIES, HEATMAP_FINEST_BIN, type HeatmapPayload } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

interface BinRow {
  bin_m: number;
  at: string;
  ix: number;
  iy: number;
  n: number;
}

const key = (r: BinRow) => `${r.bin_m}|${r.at}|${r.ix}|${r.iy}`;
const asMap = (rows: BinRow[]) => new Map(rows.map((r) => [key(r), Number(r.n)]));

/** The rollup's non-empty rows: per day, or per township month. */
async function rollup(db: Queryable, table: 'day' | 'month'): Promise<Map<string, number>> {
  const col = table === 'day' ? 'day' : 'month';
  const { rows } = await db.query<BinRow>(
    `SELECT bin_m, ${col}::text AS at, ix, iy, n FROM heatmap_bins_${table} WHERE n <> 0`,
  );
  return asMap(rows);
}

/** The same counts straight from the dispute incidents (a scan: what the rollup spares each request). */
async function direct(db: Queryable, table: 'day' | 'month'): Promise<Map<string, number>> {
  const at = table === 'day' ? `(i.reported_at AT TIME ZONE s.time_zone)::date` : `date_trunc('month', i.reported_at AT TIME ZONE s.time_zone)::date`;
  const { rows } = await db.query<BinRow>(
    `SELECT z.bin_m, ${at}::text AS at,
            floor(ST_X(i.geom) * 111320 * cos(radians(s.ref_lat)) / z.bin_m)::int AS ix,
            floor(ST_Y(i.geom) * 110574 / z.bin_m)::int AS iy, count(*)::int AS n
     FROM incidents i CROSS JOIN heatmap_settings s CROSS JOIN (VALUES (100), (400), (1600)) AS z(bin_m)
     WHERE i.category = ANY($1::text[])
     GROUP BY 1, 2, 3, 4`,
    [DISPUTE_CATEGORIES],
  );
  return asMap(rows);
}

async function expectRollupMatches(db: Queryable): Promise<void> {
  expect(await rollup(db, 'day')).toEqual(await direct(db, 'day'));
  expect(await rollup(db, 'month')).toEqual(await direct(db, 'month'));
}

async function addIncident(db: Queryable, { title, category = 'neighbour_dispute', lon, lat, at }: { title: string; category?: string; lon: number; lat: number; at: string }): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO incidents (category, severity, title, geom, reported_at)
     VALUES ($1::text, 2, $2::text, ST_SetSRID(ST_MakePoint($3::float8, $4::float8), 4326), $5::timestamptz) RETURNING id::text`,
    [category, title, lon, lat, at],
  );
  return Number(rows[0]!.id);
}

describe.each(engines())('heatmap rollup (%s)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(engine);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('counts 23:30 and 00:30 in Shanghai on two township days (one UTC day), and 30 June 23:30 / 1 July 00:30 in two months', async () => {
    await addIncident(t.db, { title: '晚间邻里纠纷', lon: 100.31, lat: 31.21, at: '2025-06-10T23:30:00+08:00' });
    await addIncident(t.db, { title: '凌晨邻里纠纷', lon: 100.31, lat: 31.21, at: '2025-06-11T00:30:00+08:00' });
    await addIncident(t.db, { title: '月末家庭纠纷', category: 'family_dispute', lon: 100.31, lat: 31.21, at: '2025-06-30T23:30:00+08:00' });
    await addIncident(t.db, { title: '月初家庭纠纷', category: 'family_dispute', lon: 100.31, lat: 31.21, at: '2025-07-01T00:30:00+08:00' });
    // A fire at the same place and time: not a dispute, never in the rollup.
    await addIncident(t.db, { title: '深夜火情', category: 'fire', lon: 100.31, lat: 31.21, at: '2025-06-10T23:30:00+08:00' });
    const days = await t.db.query<{ day: string; n: number }>(`SELECT day::text AS day, n FROM heatmap_bins_day WHERE bin_m = 1600 ORDER BY day`);
    expect(days.rows).toEqual([
      { day: '2025-06-10', n: 1 },
      { day: '2025-06-11', n: 1 },
      { day: '2025-06-30', n: 1 },
      { day: '2025-07-01', n: 1 },
    ]);
    const months = await t.db.query<{ month: string; n: number }>(`SELECT month::text AS month, n FROM heatmap_bins_month WHERE bin_m = 100 ORDER BY month`);
    expect(months.rows).toEqual([
      { month: '2025-06-01', n: 3 },
      { month: '2025-07-01', n: 1 },
    ]);
    await expectRollupMatches(t.db);
  });

  it('recounts on a change of township zone: in UTC the four fall on 10 June and 30 June', async () => {
    expect(await t.db.transaction((tx) => syncHeatmapSettings(tx, { timeZone: 'UTC' }))).toBe(true);
    expect(await t.db.transaction((tx) => syncHeatmapSettings(tx, { timeZone: 'UTC' }))).toBe(false);
    const days = await t.db.query<{ day: string; n: number }>(
      `SELECT day::text AS day, sum(n)::int AS n FROM heatmap_bins_day WHERE bin_m = 400 GROUP BY day ORDER BY day`,
    );
    expect(days.rows).toEqual([
      { day: '2025-06-10', n: 2 },
      { day: '2025-06-30', n: 2 },
    ]);
    await expectRollupMatches(t.db);
    expect(await t.db.transaction((tx) => syncHeatmapSettings(tx, { timeZone: 'Asia/Shanghai' }))).toBe(true);
    await expectRollupMatches(t.db);
  });

  it('follows a move, a new category, a new time and a delete; a status change leaves it alone', async () => {
    const id = await addIncident(t.db, { title: '土地放牧纠纷', category: 'land_grazing_dispute', lon: 100.35, lat: 31.25, at: '2025-06-12T10:00:00+08:00' });
    await expectRollupMatches(t.db);
    await t.db.query(`UPDATE incidents SET geom = ST_SetSRID(ST_MakePoint(100.38, 31.26), 4326) WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    // Due north, then due east (about 2 km: another bin at every size): each coordinate alone reaches the rollup.
    await t.db.query(`UPDATE incidents SET geom = ST_SetSRID(ST_MakePoint(100.38, 31.28), 4326) WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    await t.db.query(`UPDATE incidents SET geom = ST_SetSRID(ST_MakePoint(100.40, 31.28), 4326) WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    await t.db.query(`UPDATE incidents SET category = 'wage_labour_dispute' WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    // Out of the heatmap's categories and back.
    await t.db.query(`UPDATE incidents SET category = 'traffic' WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    await t.db.query(`UPDATE incidents SET category = 'wage_labour_dispute' WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    await t.db.query(`UPDATE incidents SET reported_at = '2025-06-12T23:59:00+08:00' WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    // Across the township midnight: the 12th loses it, the 13th gains it.
    await t.db.query(`UPDATE incidents SET reported_at = '2025-06-13T00:01:00+08:00' WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
    const before = await rollup(t.db, 'day');
    await t.db.query(`UPDATE incidents SET status = 'dispatched', updated_at = now() WHERE id = $1::bigint`, [id]);
    expect(await rollup(t.db, 'day')).toEqual(before);
    await t.db.query(`DELETE FROM incidents WHERE id = $1::bigint`, [id]);
    await expectRollupMatches(t.db);
  });

  it('matches a direct count after 600 incidents in one statement, a bulk move and a bulk delete', async () => {
    await t.db.query(
      `INSERT INTO incidents (category, severity, title, geom, reported_at)
       SELECT (ARRAY['neighbour_dispute', 'family_dispute', 'land_grazing_dispute', 'wage_labour_dispute', 'fire'])[1 + g % 5],
              1 + g % 4, '批量事件 ' || g,
              ST_SetSRID(ST_MakePoint(100.3 + (g * 7919 % 997) / 10000.0, 31.2 + (g * 104729 % 991) / 10000.0), 4326),
              timestamptz '2025-05-01T00:00:00+08:00' + make_interval(mins => g * 97)
       FROM generate_series(1, 600) AS g`,
    );
    await expectRollupMatches(t.db);
    await t.db.query(
      `UPDATE incidents SET geom = ST_Translate(geom, 0.004, -0.003), reported_at = reported_at + interval '5 hours'
       WHERE title LIKE '批量事件 %' AND id % 3 = 0`,
    );
    await expectRollupMatches(t.db);
    await t.db.query(`DELETE FROM incidents WHERE title LIKE '批量事件 %' AND id % 4 = 1`);
    await expectRollupMatches(t.db);
    const total = await t.db.query<{ n: number; i: number }>(
      `SELECT (SELECT sum(n)::int FROM heatmap_bins_month WHERE bin_m = 1600) AS n,
              (SELECT count(*)::int FROM incidents WHERE category = ANY($1::text[])) AS i`,
      [DISPUTE_CATEGORIES],
    );
    expect(total.rows[0]!.n).toBe(total.rows[0]!.i);
  });

  it('counts exactly the categories the heatmap shows (DISPUTE_CATEGORIES)', async () => {
    const { rows } = await t.db.query<{ category: string }>(`SELECT category FROM heatmap_categories ORDER BY category`);
    expect(rows.map((r) => r.category)).toEqual([...DISPUTE_CATEGORIES].sort());
  });

  it('empties with TRUNCATE incidents', async () => {
    await t.db.query('TRUNCATE incidents CASCADE');
    expect((await rollup(t.db, 'day')).size).toBe(0);
    expect((await rollup(t.db, 'month')).size).toBe(0);
  });
});

/** The bin of 100 m holding (lon, lat) at the default reference latitude (30°): its centre. */
function centreOf100(lon: number, lat: number): [number, number] {
  const kx = 111320 * Math.cos((30 * Math.PI) / 180);
  return [((Math.floor((lon * kx) / 100) + 0.5) * 100) / kx, ((Math.floor((lat * 110574) / 100) + 0.5) * 100) / 110574];
}

/** The centre of bin (ix, iy) of `size` metres at the default reference latitude (30°). */
function binCentre(size: number, ix: number, iy: number): [number, number] {
  const kx = 111320 * Math.cos((30 * Math.PI) / 180);
  return [((ix + 0.5) * size) / kx, ((iy + 0.5) * size) / 110574];
}

describe.each(engines())('GET /api/heatmap (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  /** Every incident's coordinates, to look for in the payloads. */
  let places: [number, number][] = [];

  beforeAll(async () => {
    t = await freshDb(engine);
    // Two days ago: inside every window whatever the hour. Cluster A: five disputes within a few metres
    // of one 100 m bin's centre; B: two, 5 km east; C: one, 10 km east; four fires (not disputes) by A;
    // D: three disputes 40 days ago, 5 km north (the year's window only).
    const [ax, ay] = centreOf100(100.3, 31.2);
    const recent = `now() - interval '2 days'`;
    const rows: [string, number, number, string][] = [];
    for (let i = 0; i < 5; i++) rows.push(['neighbour_dispute', ax + (i - 2) * 0.00004, ay + (i % 2 ? 0.00003 : -0.00003), recent]);
    const [bx, by] = centreOf100(ax + 0.05, ay);
    rows.push(['family_dispute', bx - 0.00002, by, recent], ['family_dispute', bx + 0.00001, by + 0.00002, recent]);
    const [cx, cy] = centreOf100(ax + 0.1, ay);
    rows.push(['wage_labour_dispute', cx + 0.00003, cy - 0.00001, recent]);
    for (let i = 0; i < 4; i++) rows.push(['fire', ax + 0.00001 * i, ay + 0.00001, recent]);
    const [dx, dy] = centreOf100(ax, ay + 0.05);
    for (let i = 0; i < 3; i++) rows.push(['land_grazing_dispute', dx + 0.00002 * i, dy - 0.00002, `now() - interval '40 days'`]);
    for (const [i, [category, lon, lat, at]] of rows.entries()) {
      await t.db.query(
        `INSERT INTO incidents (category, severity, title, geom, reported_at)
         VALUES ($1::text, 2, $2::text, ST_SetSRID(ST_MakePoint($3::float8, $4::float8), 4326), ${at})`,
        [category, `热力测试事件 ${i}`, lon, lat],
      );
    }
    const stored = await t.db.query<{ lon: number; lat: number }>(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents`);
    places = stored.rows.map((r) => [Number(r.lon), Number(r.lat)]);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { RULES_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const get = async (who: { cookie: string } | null, query: string) => callApi(server.baseUrl, who, 'GET', `/api/heatmap${query}`);

  /** No bin under 3 and no coordinate that is an incident's (not even one of the two). */
  function expectNoSinglePoint(body: HeatmapPayload): void {
    expect(body.minCount).toBe(3);
    expect(body.n.every((n) => n >= 3)).toBe(true);
    const lons = new Set(places.map(([lon]) => lon));
    const lats = new Set(places.map(([, lat]) => lat));
    expect(body.lon.filter((v) => lons.has(v))).toEqual([]);
    expect(body.lat.filter((v) => lats.has(v))).toEqual([]);
  }

  it.each(['viewer', 'wall'] as const)('gives the %s bins of 3 or more only: smaller ones merged into a wider bin, the rest counted as withheld', async (role) => {
    const who = await signIn(t.db, role);
    const [ax] = centreOf100(100.3, 31.2);
    const [bx] = centreOf100(ax + 0.05, 31.2);
    const [cx] = centreOf100(ax + 0.1, 31.2);
    // B (2) and C (1) lie on one row of bins, 4.8 km apart: they are shown together (3) when the
    // bin 4× or 16× wider than the one served holds both, and withheld otherwise.
    const kx = 111320 * Math.cos((30 * Math.PI) / 180);
    const together = (size: number) => [4, 16].some((k) => Math.floor((bx * kx) / (size * k)) === Math.floor((cx * kx) / (size * k)));
    for (const bin of [100, 400, 1600]) {
      const week = await get(who, `?window=7d&bin=${bin}`);
      expect(week.status, week.text).toBe(200);
      const body = week.json as HeatmapPayload;
      expectNoSinglePoint(body);
      // A alone is its own bin (5).
      const merged = together(bin);
      expect({ n: [...body.n].sort(), count: body.count, withheld: body.withheld, binM: body.binM }).toEqual(
        merged ? { n: [3, 5], count: 8, withheld: 0, binM: bin } : { n: [5], count: 5, withheld: 3, binM: bin },
      );
      const year = (await get(who, `?window=1y&bin=${bin}`)).json as HeatmapPayload;
      expectNoSinglePoint(year);
      expect(year.binM).toBe(Math.max(bin, HEATMAP_FINEST_BIN['1y']));
      // D (3, 40 days ago) adds a bin of its own.
      expect({ n: [...year.n].sort(), count: year.count, withheld: year.withheld }).toEqual(
        together(year.binM) ? { n: [3, 3, 5], count: 11, withheld: 0 } : { n: [3, 5], count: 8, withheld: 3 },
      );
    }
    // At 100 m the 1.6 km bin is the widest a small bin is merged into: B and C stay apart.
    expect(together(100)).toBe(false);
  });

  it('gives staff every bin, still as bins: centres of 100 m squares, not incident points', async () => {
    for (const role of ['coordinator', 'admin'] as const) {
      const who = await signIn(t.db, role);
      const r = await get(who, '?window=7d&bin=100');
      expect(r.status, r.text).toBe(200);
      const body = r.json as HeatmapPayload;
      expect(body.minCount).toBe(1);
      expect(body.withheld).toBe(0);
      const bins = body.n.map((n, i) => ({ n, lon: body.lon[i]!, lat: body.lat[i]! })).sort((a, b) => a.lon - b.lon);
      expect(bins.map((b) => b.n)).toEqual([5, 2, 1]);
      const [ax, ay] = centreOf100(100.3, 31.2);
      expect(bins[0]!.lon).toBeCloseTo(ax, 6);
      expect(bins[0]!.lat).toBeCloseTo(ay, 6);
      const lons = new Set(places.map(([lon]) => lon));
      expect(body.lon.filter((v) => lons.has(v))).toEqual([]);
    }
  });

  it('answers in columns with the window from the start of a township day; refuses a bin it does not keep', async () => {
    const who = await signIn(t.db, 'viewer');
    const r = await get(who, '?window=30d');
    const body = r.json as HeatmapPayload;
    expect(Object.keys(body).sort()).toEqual(['binM', 'count', 'from', 'lat', 'lon', 'minCount', 'n', 'to', 'window', 'withheld']);
    expect(body.binM).toBe(400);
    expect(body.window).toBe('30d');
    expect(body.lon.length).toBe(body.n.length);
    expect(body.lat.length).toBe(body.n.length);
    // The window starts at a Shanghai midnight (16:00 UTC), 29 or 30 days before `to`.
    expect(body.from).toMatch(/T16:00:00\.000Z$/);
    const span = (Date.parse(body.to) - Date.parse(body.from)) / 86_400_000;
    expect(span).toBeGreaterThan(29);
    expect(span).toBeLessThanOrEqual(30);
    expect((await get(who, '?window=30d&bin=200')).status).toBe(422);
    expect((await get(who, '?window=2y')).status).toBe(422);
    expect((await get(null, '?window=7d')).status).toBe(401);
  });

  // Last: it adds incidents the tests above do not expect.
  it('shows viewers small bins merged into the bin 4× or 16× wider, centred on that bin; staff still see them apart', async () => {
    // 11 km south of A, in a row of 1.6 km bins of its own. E: two disputes in one 100 m bin and one in
    // the next bin east, inside one 400 m bin (3 at 4×). F: one in each of three 400 m bins of one 1.6 km bin (3 at 16×).
    const kx = 111320 * Math.cos((30 * Math.PI) / 180);
    const hx = Math.floor((100.3 * kx) / 1600);
    const hy = Math.floor(((31.2 - 0.1) * 110574) / 1600);
    const e1 = binCentre(100, 16 * hx, 16 * hy);
    const e2 = binCentre(100, 16 * hx + 1, 16 * hy);
    const added: [number, number][] = [
      [e1[0] + 0.00001, e1[1]],
      [e1[0] - 0.00001, e1[1] + 0.00001],
      [e2[0], e2[1] - 0.00001],
      ...[0, 1, 2].map((j) => binCentre(400, 4 * (hx + 2) + j, 4 * hy)).map(([x, y]): [number, number] => [x + 0.00002, y - 0.00002]),
    ];
    for (const [i, [lon, lat]] of added.entries()) {
      await t.db.query(
        `INSERT INTO incidents (category, severity, title, geom, reported_at)
         VALUES ('family_dispute', 2, $1::text, ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326), now() - interval '2 days')`,
        [`合并测试事件 ${i}`, lon, lat],
      );
    }
    const stored = await t.db.query<{ lon: number; lat: number }>(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents WHERE title LIKE '合并测试事件 %'`);
    places = [...places, ...stored.rows.map((r): [number, number] => [Number(r.lon), Number(r.lat)])];

    const body = (await get(await signIn(t.db, 'viewer'), '?window=7d&bin=100')).json as HeatmapPayload;
    expectNoSinglePoint(body);
    // A (5) as it is, E and F (3 each) merged, B and C (3) still withheld: 1.6 km is the widest merge at 100 m.
    expect({ n: [...body.n].sort(), count: body.count, withheld: body.withheld }).toEqual({ n: [3, 3, 5], count: 11, withheld: 3 });
    const shown = body.n.map((n, i) => ({ n, lon: body.lon[i]!, lat: body.lat[i]! })).filter((b) => b.n === 3).sort((a, b) => a.lon - b.lon);
    const [e, f] = [binCentre(400, 4 * hx, 4 * hy), binCentre(1600, hx + 2, hy)];
    expect(shown[0]!.lon).toBeCloseTo(e[0], 6);
    expect(shown[0]!.lat).toBeCloseTo(e[1], 6);
    expect(shown[1]!.lon).toBeCloseTo(f[0], 6);
    expect(shown[1]!.lat).toBeCloseTo(f[1], 6);

    const staff = (await get(await signIn(t.db, 'coordinator'), '?window=7d&bin=100')).json as HeatmapPayload;
    expect({ n: [...staff.n].sort(), count: staff.count, withheld: staff.withheld }).toEqual({ n: [1, 1, 1, 1, 1, 2, 2, 5], count: 14, withheld: 0 });
  });
});
