// `npm run bench:heatmap`: the dispute heatmap at county scale (issue 13).
//
// A fresh database (a new one on the PostGIS server when DATABASE_URL is set,
// dropped afterwards; the embedded engine otherwise) gets 1,000,000 incidents
// over the last year, generated in SQL (generate_series) in chunks of 100,000
// statements through the rollup's triggers (migration 0011): 70 % disputes,
// four in five around 300 village centres spread over a 60 × 50 km county, the
// rest anywhere in it. Then, per window (7 d, 30 d, 1 y):
//   - the API's answer from the rollup (lib/heatmap.ts getHeatmap, as a
//     viewer sees it) at each bin size the window is served at, p50/p95 and
//     JSON bytes;
//   - the point query /api/heatmap ran before the rollup (disputePoints below:
//     every dispute's point) in the same run, p50/p95 and bytes
//     of the payload it made ({window, from, to, count, points});
//   - binning at request time in SQL (floor of projected x/y, GROUP BY) over
//     incidents, the other way without a rollup.
// Then the map at street zoom: a year (and 30 days) at 100 m in the box on a
// zoom-14 screen around a village (the `bbox` parameter), p50/p95 and bytes.
// Writes .bench/heatmap.json and prints a Markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '../db/client';
import { migrate } from '../db/migrate';
import { isoRequired } from '../db/rows';
import { getHeatmap } from '../lib/heatmap';
import { DISPUTE_CATEGORIES, HEATMAP_BIN_SIZES, HEATMAP_WINDOWS, HEATMAP_WINDOW_DAYS, type HeatmapBinSize, type HeatmapWindow } from '../lib/model';
import { heatmapBoxAreaM2, heatmapBoxBins, heatmapBoxParam, heatmapPaddedBox } from '../lib/model/heatmap-viewport';
import { freshDatabase } from './fresh-db';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const CHUNK = 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 7);
const TARGET_P50_MS = 50;
const progress = (msg: string) => process.stderr.write(`[bench:heatmap] ${msg}\n`);

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function measure<T>(runs: number, warmups: number, fn: () => Promise<T>): Promise<{ p50: number; p95: number; last: T }> {
  for (let i = 0; i < warmups; i++) await fn();
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await time(fn);
    ms.push(r.ms);
    last = r.value;
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), last: last! };
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/**
 * The baseline: dispute incidents in a window as a flat [lon, lat, weight, …]
 * array, what /api/heatmap sent before the rollup (db/heatmap.ts). Not for any
 * page: it hands out exact incident points.
 */
async function disputePoints(
  db: Queryable,
  { days, categories }: { days: number; categories: readonly string[] },
): Promise<{ from: string; to: string; points: number[] }> {
  const { rows } = await db.query<{ lon: number; lat: number; severity: number; from_t: Date | string; to_t: Date | string }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, severity,
            now() - make_interval(days => $1::int) AS from_t, now() AS to_t
     FROM incidents
     WHERE reported_at > now() - make_interval(days => $1::int) AND category = ANY($2::text[])`,
    [days, categories],
  );
  const points = new Array<number>(rows.length * 3);
  rows.forEach((r, i) => {
    points[i * 3] = Number(r.lon);
    points[i * 3 + 1] = Number(r.lat);
    points[i * 3 + 2] = Number(r.severity);
  });
  const now = new Date();
  return {
    from: rows[0] ? isoRequired(rows[0].from_t) : new Date(now.getTime() - days * 86_400_000).toISOString(),
    to: rows[0] ? isoRequired(rows[0].to_t) : now.toISOString(),
    points,
  };
}

const target = await freshDatabase('gs_bench_heatmap');
const { db } = target;
progress(`database: ${target.label}`);
try {
  await migrate(db);
  // The county lies at 31° N: the grid's reference latitude (the server sets it from the township at start-up).
  await db.query(`UPDATE heatmap_settings SET ref_lat = 31, time_zone = 'Asia/Shanghai'`);

  // 300 village centres in a 60 × 50 km county (100.0–100.63° E, 31.0–31.45° N).
  await db.query(`CREATE TEMP TABLE bench_villages AS
    SELECT v AS id, 100.0 + random() * 0.63 AS lon, 31.0 + random() * 0.45 AS lat FROM generate_series(0, 299) AS v`);
  const load0 = performance.now();
  for (let start = 0; start < INCIDENTS; start += CHUNK) {
    const n = Math.min(CHUNK, INCIDENTS - start);
    // Setup limit per statement (the usual 5 s is a request's): 100,000 rows and their rollup in one statement.
    const r = await time(() =>
      db.transaction((tx) => tx.query(
        `INSERT INTO incidents (category, severity, status, outcome, title, geom, reported_at)
         SELECT CASE WHEN x.c < 0.7 THEN (ARRAY['neighbour_dispute', 'family_dispute', 'land_grazing_dispute', 'wage_labour_dispute'])[1 + floor(x.c / 0.175)::int]
                     ELSE (ARRAY['citizen_request', 'traffic', 'fire'])[1 + floor((x.c - 0.7) / 0.1)::int] END,
                1 + floor(random() * 4)::int, 'closed', 'other', 'bench',
                CASE WHEN x.u < 0.8
                  -- about ±1 km around the village (a sum of three uniforms: bell-shaped)
                  THEN ST_SetSRID(ST_MakePoint(v.lon + (random() + random() + random() - 1.5) * 0.012,
                                               v.lat + (random() + random() + random() - 1.5) * 0.010), 4326)
                  ELSE ST_SetSRID(ST_MakePoint(100.0 + random() * 0.63, 31.0 + random() * 0.45), 4326) END,
                now() - random() * interval '365 days'
         FROM (SELECT g, random() AS c, random() AS u, floor(random() * 300)::int AS vid FROM generate_series(1, $1::int) AS g) x
         JOIN bench_villages v ON v.id = x.vid`,
        [n],
      ), { setup: true }),
    );
    progress(`inserted ${(start + n).toLocaleString('en')} incidents (this chunk ${(r.ms / 1000).toFixed(1)} s with the rollup triggers)`);
  }
  const loadMs = performance.now() - load0;
  // As autovacuum leaves a table after a load: statistics and the visibility map (index-only scans).
  await db.exec('VACUUM ANALYZE incidents');
  await db.exec('VACUUM ANALYZE heatmap_bins_day');
  await db.exec('VACUUM ANALYZE heatmap_bins_month');
  const sizes = (
    await db.query<{ day_rows: number; month_rows: number; day_mb: number; month_mb: number }>(
      `SELECT (SELECT count(*)::int FROM heatmap_bins_day) AS day_rows, (SELECT count(*)::int FROM heatmap_bins_month) AS month_rows,
              round(pg_total_relation_size('heatmap_bins_day') / 1048576.0)::int AS day_mb,
              round(pg_total_relation_size('heatmap_bins_month') / 1048576.0)::int AS month_mb`,
    )
  ).rows[0]!;
  progress(`rollup: ${sizes.day_rows.toLocaleString('en')} day rows (${sizes.day_mb} MB), ${sizes.month_rows.toLocaleString('en')} month rows (${sizes.month_mb} MB)`);

  // One new incident, as the report form writes it: the cost the triggers add per write.
  const single = await measure(20, 2, () =>
    db.query(
      `INSERT INTO incidents (category, severity, title, geom) VALUES ('family_dispute', 2, 'bench single', ST_SetSRID(ST_MakePoint(100.3, 31.2), 4326))`,
    ),
  );
  await db.query(`DELETE FROM incidents WHERE title = 'bench single'`);

  interface Row {
    window: HeatmapWindow;
    points: number;
    bins: Record<HeatmapBinSize, { p50: number; p95: number; bins: number; shown: number; withheld: number; bytes: number; served: HeatmapBinSize }>;
    baseline: { p50: number; p95: number; bytes: number };
    sqlBinning: { p50: number; p95: number };
    ratioP50: number;
  }
  const results: Row[] = [];
  for (const window of HEATMAP_WINDOWS) {
    const bins = {} as Row['bins'];
    for (const binM of HEATMAP_BIN_SIZES) {
      const m = await measure(RUNS, 3, () => getHeatmap(db, { window, binM, role: 'viewer' }));
      // A size finer than the window's finest (HEATMAP_FINEST_BIN) is served at that one.
      bins[binM] = { p50: m.p50, p95: m.p95, bins: m.last.n.length, shown: m.last.count, withheld: m.last.withheld, bytes: bytes(m.last), served: m.last.binM };
      progress(`${window} bins of ${binM} m: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, ${m.last.n.length} bins, ${bytes(m.last)} B`);
    }
    const days = HEATMAP_WINDOW_DAYS[window];
    const base = await measure(BASELINE_RUNS, 1, () => disputePoints(db, { days, categories: DISPUTE_CATEGORIES }));
    const basePayload = { window, from: base.last.from, to: base.last.to, count: base.last.points.length / 3, points: base.last.points };
    progress(`${window} points (before): p50 ${base.p50.toFixed(0)} ms, ${basePayload.count} points, ${bytes(basePayload)} B`);
    const naive = await measure(BASELINE_RUNS, 1, () =>
      db.query(
        `SELECT floor(ST_X(geom) * 111320 * cos(radians(31)) / 1600)::int AS ix, floor(ST_Y(geom) * 110574 / 1600)::int AS iy, count(*)::int AS n
         FROM incidents WHERE reported_at > now() - make_interval(days => $1::int) AND category = ANY($2::text[])
         GROUP BY 1, 2`,
        [days, DISPUTE_CATEGORIES],
      ),
    );
    progress(`${window} binning at request time in SQL: p50 ${naive.p50.toFixed(0)} ms`);
    results.push({
      window,
      points: basePayload.count,
      bins,
      baseline: { p50: base.p50, p95: base.p95, bytes: bytes(basePayload) },
      sqlBinning: { p50: naive.p50, p95: naive.p95 },
      ratioP50: base.p50 / bins[1600].p50,
    });
  }

  // The map at street zoom (zoom 14 on a 1,600 × 900 px screen: about 13 × 7.4 km at 31°) over a village, asking
  // as heatmapRequestFor does: the screen with its margin, at 100 m, where the whole township is served at 400 m
  // (30 d) or 1,600 m (1 y).
  const village = (await db.query<{ lon: number; lat: number }>(`SELECT lon, lat FROM bench_villages WHERE id = 0`)).rows[0]!;
  const [halfW, halfH] = [6_550 / (111_320 * Math.cos((31 * Math.PI) / 180)), 3_685 / 110_574];
  const box = heatmapPaddedBox([village.lon - halfW, village.lat - halfH, village.lon + halfW, village.lat + halfH]);
  interface ViewportRow {
    window: HeatmapWindow;
    role: 'viewer' | 'coordinator';
    p50: number;
    p95: number;
    bins: number;
    shown: number;
    withheld: number;
    bytes: number;
  }
  const viewport: ViewportRow[] = [];
  for (const [window, role] of [['1y', 'viewer'], ['1y', 'coordinator'], ['30d', 'viewer']] as const) {
    const m = await measure(RUNS, 3, () => getHeatmap(db, { window, binM: 100, role, box }));
    if (m.last.binM !== 100) throw new Error(`the street box was served at ${m.last.binM} m, not 100 m`);
    viewport.push({ window, role, p50: m.p50, p95: m.p95, bins: m.last.n.length, shown: m.last.count, withheld: m.last.withheld, bytes: bytes(m.last) });
    progress(`${window} street box at 100 m as ${role}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, ${m.last.n.length} bins, ${bytes(m.last)} B`);
  }

  const f = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
  const kb = (b: number) => (b < 10_240 ? `${(b / 1024).toFixed(1)} kB` : b < 1_048_576 ? `${(b / 1024).toFixed(0)} kB` : `${(b / 1_048_576).toFixed(1)} MB`);
  console.log(`\nHeatmap, ${INCIDENTS.toLocaleString('en')} incidents over a year, ${target.label}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GB`);
  console.log(`Load through the triggers: ${(loadMs / 1000).toFixed(0)} s (${Math.round(INCIDENTS / (loadMs / 1000)).toLocaleString('en')} incidents/s); one incident insert p50 ${f(single.p50)} ms, p95 ${f(single.p95)} ms`);
  console.log(`Rollup: ${sizes.day_rows.toLocaleString('en')} day rows (${sizes.day_mb} MB), ${sizes.month_rows.toLocaleString('en')} month rows (${sizes.month_mb} MB)\n`);
  console.log('| window | disputes | bins 1600 m p50 / p95 | bytes | bins 400 m p50 / p95 | bytes | bins 100 m p50 / p95 | bytes | points (before) p50 / p95 | bytes | SQL binning p50 | ratio p50 (1600 m) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const b = (s: HeatmapBinSize) =>
      r.bins[s].served === s
        ? `**${f(r.bins[s].p50)}** / ${f(r.bins[s].p95)} ms (${r.bins[s].bins.toLocaleString('en')} bins) | ${kb(r.bins[s].bytes)}`
        : `served at ${r.bins[s].served} m | –`;
    console.log(
      `| ${r.window} | ${r.points.toLocaleString('en')} | ${b(1600)} | ${b(400)} | ${b(100)} | ${f(r.baseline.p50)} / ${f(r.baseline.p95)} ms | ${kb(r.baseline.bytes)} | ${f(r.sqlBinning.p50)} ms | ${r.ratioP50.toFixed(0)}× |`,
    );
  }
  const boxKm2 = heatmapBoxAreaM2(box) / 1e6;
  console.log(`\nStreet zoom: bbox=${heatmapBoxParam(box)} (${boxKm2.toFixed(0)} km², ${Math.round(heatmapBoxBins(box, 100)).toLocaleString('en')} bins of 100 m by area) at 100 m\n`);
  console.log('| window | as | p50 / p95 | bins sent | incidents shown / withheld | bytes |');
  console.log('|---|---|---|---|---|---|');
  for (const v of viewport) {
    console.log(`| ${v.window} | ${v.role} | **${f(v.p50)}** / ${f(v.p95)} ms | ${v.bins.toLocaleString('en')} | ${v.shown.toLocaleString('en')} / ${v.withheld.toLocaleString('en')} | ${kb(v.bytes)} |`);
  }
  const worst = Math.max(...results.flatMap((r) => HEATMAP_BIN_SIZES.filter((s) => r.bins[s].served === s).map((s) => r.bins[s].p50)));
  console.log(`\nTarget: every window's bins < ${TARGET_P50_MS} ms p50: ${worst < TARGET_P50_MS ? 'met' : 'NOT met'} (worst p50 ${f(worst)} ms)`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  writeFileSync(
    join(ROOT, '.bench', 'heatmap.json'),
    JSON.stringify({ date: new Date().toISOString(), database: target.label, incidents: INCIDENTS, loadMs, single, sizes, results, viewport: { box, rows: viewport } }, null, 2),
  );
} finally {
  await target.drop();
}
