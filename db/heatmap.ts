// The heatmap rollup (migration 0011): per-day and per-month counts of
// incidents per square bin, kept by triggers on incidents. Reads sum rollup
// rows only, never incidents.
import type { HeatmapBinSize } from '../lib/model';
import { addDays, firstOfMonth } from '../lib/model/township-time';
import type { Queryable } from './client';

/** Metres of one degree of latitude (the grid's y scale; migration 0011 uses the same). */
export const METRES_PER_DEGREE_LAT = 110_574;

export interface HeatmapSettings {
  /** The zone whose calendar days the rollup counts. */
  timeZone: string;
  /** The latitude whose metres of longitude size the bins' x. */
  refLat: number;
  /** Today in timeZone, `YYYY-MM-DD`, by the database's clock. */
  today: string;
  /** The database's now (ISO). */
  now: string;
}

export async function getHeatmapSettings(db: Queryable): Promise<HeatmapSettings> {
  const { rows } = await db.query<{ time_zone: string; ref_lat: number; today: string; now: Date | string }>(
    `SELECT time_zone, ref_lat, (now() AT TIME ZONE time_zone)::date::text AS today, now() AS now
     FROM heatmap_settings WHERE id = 1`,
  );
  const r = rows[0];
  if (!r) throw new Error('heatmap_settings is empty: migration 0011 not applied');
  return { timeZone: r.time_zone, refLat: Number(r.ref_lat), today: r.today, now: new Date(r.now).toISOString() };
}

/**
 * Makes the rollup count days in `timeZone` and size bins at the township's
 * latitude (rounded to a degree, so an edited outline does not move the grid),
 * recounting everything when either changed. Returns whether it recounted.
 */
export async function syncHeatmapSettings(db: Queryable, { timeZone }: { timeZone: string }): Promise<boolean> {
  const { rows } = await db.query<{ changed: boolean }>(
    `UPDATE heatmap_settings s
     SET time_zone = $1::text,
         ref_lat = COALESCE((SELECT round(ST_Y(ST_Centroid(t.geom)))::float8 FROM township t WHERE t.id = 1), s.ref_lat)
     WHERE s.id = 1
       AND (s.time_zone <> $1::text
            OR s.ref_lat <> COALESCE((SELECT round(ST_Y(ST_Centroid(t.geom)))::float8 FROM township t WHERE t.id = 1), s.ref_lat))
     RETURNING true AS changed`,
    [timeZone],
  );
  if (rows.length === 0) return false;
  await db.query('SELECT heatmap_rebuild()');
  return true;
}

/** Inclusive township days `YYYY-MM-DD` read from day rows, and half-open month ranges read from month rows. */
export interface RollupRanges {
  days: { from: string; to: string }[];
  /** First days of months: [from, to). */
  months: { from: string; to: string }[];
}

export interface HeatmapBinRows {
  lon: number[];
  lat: number[];
  n: number[];
  /** Incidents in the bins shown. */
  count: number;
  /** Incidents still under minCount after merging into bins 4× and 16× wider. */
  withheld: number;
}

/** Bins (ix, iy) of one size on the rollup's grid, inclusive ranges: a viewport. */
export interface BinRange {
  ix0: number;
  ix1: number;
  iy0: number;
  iy1: number;
}

/**
 * The bins of `binM` that a box [minLon, minLat, maxLon, maxLat] touches, computed as
 * migration 0011 bins a point (floor(lon · 111,320 · cos(ref_lat) / size), floor(lat · 110,574 / size)).
 */
export function binRangeOfBox(box: readonly [number, number, number, number], binM: number, refLat: number): BinRange {
  const kx = 111_320 * Math.cos(refLat * (Math.PI / 180));
  const [minLon, minLat, maxLon, maxLat] = box;
  return {
    ix0: Math.floor((minLon * kx) / binM),
    ix1: Math.floor((maxLon * kx) / binM),
    iy0: Math.floor((minLat * METRES_PER_DEGREE_LAT) / binM),
    iy1: Math.floor((maxLat * METRES_PER_DEGREE_LAT) / binM),
  };
}

/** The range widened to whole bins `k` times wider (the grids nest: bin i lies in wide bin floor(i / k)). */
export function wholeBins(r: BinRange, k: number): BinRange {
  const lo = (i: number) => Math.floor(i / k) * k;
  return { ix0: lo(r.ix0), ix1: lo(r.ix1) + k - 1, iy0: lo(r.iy0), iy1: lo(r.iy1) + k - 1 };
}

/** The days `from`..`to`, inclusive (`YYYY-MM-DD`). */
function everyDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The first days of the months in [from, to). */
function everyMonth(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m < to; m = firstOfMonth(m, 1)) out.push(m);
  return out;
}

/** Centres rounded to 1e-6° (about 0.1 m): bins are 100 m or more. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Per bin of `binM`, the dispute incidents (heatmap_categories) in the ranges; bins under
 * `minCount` are left out and only their total is returned. One statement over
 * the rollup's primary key (an index-only range per day or month range).
 * With `box` (bins of `binM`), only the bins it touches, and the wider bins holding them.
 * With `villageId`, only the bins whose centre lies in one of the village's cells (the rollup
 * keeps no village), chosen before small bins merge, so a wide bin reaching over the
 * village's edge sums only the village's incidents (the briefing's snapshot of a village).
 */
export async function getHeatmapBins(
  db: Queryable,
  {
    binM,
    ranges,
    refLat,
    minCount,
    box = null,
    villageId = null,
  }: { binM: HeatmapBinSize; ranges: RollupRanges; refLat: number; minCount: number; box?: BinRange | null; villageId?: number | null },
): Promise<HeatmapBinRows> {
  const params: unknown[] = [binM, minCount];
  const parts: string[] = [];
  let shown: (scale: 1 | 4 | 16) => string = () => '';
  if (box) {
    // A viewport: bins outside it are never read. Viewers' bins merge up to 16× wider, so the whole 16× bins
    // the box touches are read: a wide bin's count is the same wherever the box cuts it. Staff bins never
    // merge: the box alone.
    const read = wholeBins(box, minCount > 1 ? 16 : 1);
    params.push(read.ix0, read.ix1, read.iy0, read.iy1, box.ix0, box.ix1, box.iy0, box.iy1);
    const inBox = ' AND ix BETWEEN $3::int AND $4::int AND iy BETWEEN $5::int AND $6::int';
    // A bin shown is one the box touches: at 4× and 16×, a wide bin holding one of the box's bins.
    shown = (scale) =>
      ` AND ix BETWEEN floor($7::int / ${scale}.0)::int AND floor($8::int / ${scale}.0)::int` +
      ` AND iy BETWEEN floor($9::int / ${scale}.0)::int AND floor($10::int / ${scale}.0)::int`;
    // Each day and month listed (= ANY): with (bin_m, day) equal, ix is a range of the primary key and the
    // index reads the box's columns only; under a day range ix would be a filter over every bin of every
    // day (a year's month rows, 360,000 at 100 m on a test table: 203 buffers read against 2,293).
    const days = ranges.days.flatMap((r) => everyDay(r.from, r.to));
    const months = ranges.months.flatMap((r) => everyMonth(r.from, r.to));
    if (days.length > 0) {
      params.push(days);
      parts.push(`SELECT ix, iy, n FROM heatmap_bins_day WHERE bin_m = $1::int AND day = ANY($${params.length}::date[])${inBox}`);
    }
    if (months.length > 0) {
      params.push(months);
      parts.push(`SELECT ix, iy, n FROM heatmap_bins_month WHERE bin_m = $1::int AND month = ANY($${params.length}::date[])${inBox}`);
    }
  } else {
    // One index range per part (a day range or a month range), written out rather than joined from
    // arrays: the planner then sees each range's bounds and reads the primary key, nothing else.
    for (const r of ranges.days) {
      params.push(r.from, r.to);
      parts.push(
        `SELECT ix, iy, n FROM heatmap_bins_day
         WHERE bin_m = $1::int AND day >= $${params.length - 1}::date AND day <= $${params.length}::date`,
      );
    }
    for (const r of ranges.months) {
      params.push(r.from, r.to);
      parts.push(
        `SELECT ix, iy, n FROM heatmap_bins_month
         WHERE bin_m = $1::int AND month >= $${params.length - 1}::date AND month < $${params.length}::date`,
      );
    }
  }
  if (parts.length === 0) return { lon: [], lat: [], n: [], count: 0, withheld: 0 };
  const kx = (111_320 * Math.cos((refLat * Math.PI) / 180)) / binM;
  const ky = METRES_PER_DEGREE_LAT / binM;
  let inVillage = '';
  if (villageId !== null) {
    // The cells' GiST index finds the cell under each bin centre.
    params.push(villageId, kx, ky);
    const [v, x, y] = [params.length - 2, params.length - 1, params.length];
    inVillage =
      ` AND EXISTS (SELECT 1 FROM grids c WHERE c.village_id = $${v}::int` +
      ` AND ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint((ix + 0.5) / $${x}::float8, (iy + 0.5) / $${y}::float8), 4326)))`;
  }
  // Bins under minCount are merged into their parent bin four times wider (the grids nest), and
  // what is still under it into the next one (16×: 1.6 km for 100 m bins, 25.6 km for 1600 m);
  // only what stays under minCount even then is withheld, its total alone reported.
  const { rows } = await db.query<{ ix: number | null; iy: number | null; n: number | string; scale: number }>(
    `WITH g AS (SELECT ix, iy, sum(n)::int AS n FROM (${parts.join(' UNION ALL ')}) r GROUP BY ix, iy HAVING sum(n) > 0${inVillage}),
          m1 AS (SELECT floor(ix / 4.0)::int AS ix, floor(iy / 4.0)::int AS iy, sum(n)::int AS n FROM g WHERE n < $2::int GROUP BY 1, 2),
          m2 AS (SELECT floor(ix / 4.0)::int AS ix, floor(iy / 4.0)::int AS iy, sum(n)::int AS n FROM m1 WHERE n < $2::int GROUP BY 1, 2)
     SELECT ix, iy, n, 1 AS scale FROM g WHERE n >= $2::int${shown(1)}
     UNION ALL
     SELECT ix, iy, n, 4 FROM m1 WHERE n >= $2::int${shown(4)}
     UNION ALL
     SELECT ix, iy, n, 16 FROM m2 WHERE n >= $2::int${shown(16)}
     UNION ALL
     SELECT NULL, NULL, COALESCE(sum(n), 0)::int, 0 FROM m2 WHERE n < $2::int`,
    params,
  );
  const out: HeatmapBinRows = { lon: [], lat: [], n: [], count: 0, withheld: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.ix === null || r.iy === null) {
      out.withheld += n;
      continue;
    }
    const scale = Number(r.scale);
    out.lon.push(round6(((r.ix + 0.5) * scale) / kx));
    out.lat.push(round6(((r.iy + 0.5) * scale) / ky));
    out.n.push(n);
    out.count += n;
  }
  return out;
}
