// `npm run bench:briefing`: a year's leadership briefing over 100,000 incidents.
//
// A fresh database (the PostGIS server when DATABASE_URL is set, dropped
// afterwards; the embedded engine in memory otherwise) holding the demo
// township, BENCH_INCIDENTS (default 100,000) generated incidents spread over
// the year briefed (70 % with an assignment, 80 % resolved) and patrol fixes
// of BENCH_DEVICES devices (default 20) every 30 minutes from 08:00 to 18:00
// every day of that year (written straight into positions, then the patrol
// rollup filled as migration 0014's backfill fills it). Then, N times each:
//   - the page's data: readBriefing for period=year (what GET /api/briefing
//     answers), p50/p95 against the target of 500 ms;
//   - the same with one township day of every device marked dirty before
//     each run (what a day of uploads leaves for the briefing to recompute);
//   - getBriefingFigures for the year with its patrols from the rollup and
//     straight from the fixes, alternated (the figures must be equal);
//   - the baseline: the same three windows read in one statement (ratio
//     printed; the service reads one window per statement, concurrently);
//   - the PDF: readBriefing + renderBriefingPdf, against the target of 10 s.
// `npm run bench:briefing -- shot` also writes .bench/briefing-sample.pdf and
// renders its first page with pdf.js in Chromium to docs/briefing-page1.png.
// Exits 1 when a target is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { getBriefingFigures } from '../db/briefing';
import { migrate } from '../db/migrate';
import { refreshIncidentRollup } from '../db/incident-rollup';
import { refreshPatrolRollup } from '../db/patrol-rollup';
import { briefingSpans, readBriefing } from '../lib/briefing';
import { HERB_SEASON_MONTHS } from '../lib/model/briefing';
import { renderBriefingPdf } from '../lib/briefing-pdf';
import { INCIDENT_CATEGORIES } from '../lib/model';
import { townshipDayStart } from '../lib/model/township-time';
import { seedDemoTownship } from '../lib/sim/seed';
import { freshDatabase } from './fresh-db';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TZ = 'Asia/Shanghai';
/** The briefing is asked on this day: the year briefed is 2025. */
const NOW = Date.parse('2026-02-10T09:00:00+08:00');
const YEAR = { from: '2025-01-01', to: '2026-01-01' };
const TARGET_PAGE_MS = 500;
const TARGET_PDF_MS = 10_000;
const progress = (msg: string) => process.stderr.write(`[bench:briefing] ${msg}\n`);

async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

async function main() {
  const shot = process.argv.includes('shot');
  const { db, label, url, drop } = await freshDatabase('gs_bench_briefing');
  try {
    progress(`database: ${label}`);
    await migrate(db);
    await seedDemoTownship(db, { now: new Date(NOW), townshipTz: TZ });
    const start = townshipDayStart(YEAR.from, TZ).toISOString();
    const end = townshipDayStart(YEAR.to, TZ).toISOString();

    // Generating is one long statement per table (the heatmap rollup's trigger runs inside it):
    // on the server it goes through a connection without the app's statement timeout.
    const raw = url ? new pg.Client({ connectionString: url }) : null;
    await raw?.connect();
    const gen = { query: async (sql: string, params?: unknown[]) => (raw ? raw.query(sql, params) : db.query(sql, params)) };
    const [genMs] = await time(async () => {
      // Incidents: uniform over the year, a random cell each (its point on surface), a category and severity at random.
      await gen.query(
        `WITH g AS (SELECT id, ST_PointOnSurface(geom) AS pt, (row_number() OVER (ORDER BY id) - 1)::int AS rn, count(*) OVER ()::int AS total FROM grids),
              s AS (SELECT n, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e FROM generate_series(1, $1::int) AS n)
         INSERT INTO incidents (category, severity, status, outcome, title, geom, grid_id, reported_at, resolved_at, closed_at, source)
         SELECT ($4::text[])[1 + floor(s.a * array_length($4::text[], 1))::int], 1 + floor(s.b * 4)::int,
                CASE WHEN s.d < 0.8 THEN 'closed' ELSE 'reported' END, CASE WHEN s.d < 0.8 THEN 'mediated' END,
                'bench', g.pt, g.id, t.at,
                CASE WHEN s.d < 0.8 THEN t.at + make_interval(mins => 30 + floor(s.e * 600)::int) END,
                CASE WHEN s.d < 0.8 THEN t.at + interval '2 days' END, 'coordinator'
         FROM s
         JOIN g ON g.rn = floor(s.c * g.total)::int
         CROSS JOIN LATERAL (SELECT $2::timestamptz + (($3::timestamptz - $2::timestamptz) * ((s.n - 0.5) / $1::int)) AS at) t`,
        [INCIDENTS, start, end, INCIDENT_CATEGORIES],
      );
      await gen.query(
        `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, arrived_at, released_at, release_reason)
         SELECT i.id, (SELECT id FROM teams ORDER BY id LIMIT 1 OFFSET (i.id % (SELECT count(*) FROM teams))),
                i.reported_at + make_interval(secs => 60 + (i.id % 600)), 'bench',
                i.reported_at + make_interval(secs => 600 + (i.id % 1800)), i.reported_at + interval '3 hours', 'resolved'
         FROM incidents i WHERE i.title = 'bench' AND i.id % 10 < 7`,
      );
      // Patrols: each device walks a small circle around its cell, a fix every 30 minutes from 08:00 to 18:00.
      await gen.query(
        `WITH d AS (
           SELECT v.id AS device_id, v.team_id, g.id AS grid_id, ST_X(ST_PointOnSurface(g.geom)) AS x, ST_Y(ST_PointOnSurface(g.geom)) AS y
           FROM devices v JOIN teams t ON t.id = v.team_id
           JOIN LATERAL (SELECT id, geom FROM grids ORDER BY id LIMIT 1 OFFSET (v.id % (SELECT count(*) FROM grids))) g ON true
           ORDER BY v.id LIMIT $1::int
         )
         INSERT INTO positions (device_id, team_id, fix_time, received_at, geom, grid_id)
         SELECT d.device_id, d.team_id, f.at, f.at,
                ST_SetSRID(ST_MakePoint(d.x + 0.002 * cos(f.k / 2.0), d.y + 0.002 * sin(f.k / 2.0)), 4326), d.grid_id
         FROM d
         CROSS JOIN generate_series(0, 364) AS day
         CROSS JOIN LATERAL (
           SELECT k, ($2::timestamptz + make_interval(days => day, hours => 8, mins => 30 * k)) AS at FROM generate_series(0, 19) AS k
         ) f
         ON CONFLICT DO NOTHING`,
        [DEVICES, start],
      );
      await gen.query('ANALYZE');
    });
    // The fixes were written straight into positions; its insert trigger
    // (migration 0016) marked every device-day dirty: recompute them all now,
    // as migration 0014's backfill does on an existing database, so the runs
    // below time a briefing over a filled rollup (a briefing recomputes at
    // most PATROL_REFRESH_LIMIT device-days).
    const [rollupMs, dirtyLeft] = await time(async () => {
      const raw2 = url ? new pg.Client({ connectionString: url }) : null;
      await raw2?.connect();
      try {
        return await refreshPatrolRollup(raw2 ?? db, TZ, null);
      } finally {
        await raw2?.end();
      }
    });
    progress(`patrol rollup filled in ${(rollupMs / 1000).toFixed(1)} s (${dirtyLeft} device-days left)`);
    // The incidents and assignments were written straight too; their triggers
    // (migration 0018) marked every incident: recompute them all, as the
    // migration's backfill does (a briefing recomputes at most INCIDENT_REFRESH_LIMIT).
    const [incidentRollupMs, incidentsLeft] = await time(async () => {
      const raw2 = url ? new pg.Client({ connectionString: url }) : null;
      await raw2?.connect();
      try {
        return await refreshIncidentRollup(raw2 ?? db, TZ, null);
      } finally {
        await raw2?.end();
      }
    });
    progress(`incident rollup filled in ${(incidentRollupMs / 1000).toFixed(1)} s (${incidentsLeft} incidents left)`);
    await raw?.end();
    const counts = (
      await db.query<{ incidents: number; positions: number; assignments: number }>(
        `SELECT (SELECT count(*) FROM incidents WHERE reported_at >= $1::timestamptz AND reported_at < $2::timestamptz)::int AS incidents,
                (SELECT count(*) FROM positions WHERE fix_time >= $1::timestamptz AND fix_time < $2::timestamptz)::int AS positions,
                (SELECT count(*) FROM assignments)::int AS assignments`,
        [start, end],
      )
    ).rows[0]!;
    progress(`generated in ${(genMs / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

    const deps = { db, config: { TOWNSHIP_TZ: TZ } };
    const query = { period: 'year' as const, from: YEAR.from };
    await readBriefing(deps, query, { now: NOW }); // warm-up
    const page: number[] = [];
    for (let i = 0; i < RUNS; i++) page.push((await time(() => readBriefing(deps, query, { now: NOW })))[0]);

    // As the township sends fixes: before each run, one township day of every
    // device marked dirty again (what a day's uploads leave), recomputed by the
    // briefing before it reads.
    // (The day's fixes rewritten in place: the positions triggers mark their device-days, as an upload does.)
    const markDay = () =>
      db.query(`UPDATE positions SET received_at = received_at WHERE fix_time >= $1::timestamptz AND fix_time < $2::timestamptz`, [
        townshipDayStart('2025-12-31', TZ).toISOString(),
        townshipDayStart('2026-01-01', TZ).toISOString(),
      ]);
    const pageDirty: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await markDay();
      pageDirty.push((await time(() => readBriefing(deps, query, { now: NOW })))[0]);
    }

    // The patrols' share, from the rollup and straight from the fixes (the
    // statement before the rollup), alternated so drift falls on both alike,
    // for the year; the two must give the same figures.
    const yearWindow = [{ start: new Date(start), end: new Date(end) }];
    const figuresFrom = (patrolSource: 'auto' | 'positions') =>
      getBriefingFigures(db, { windows: yearWindow, tz: TZ, villageId: null, herbMonths: HERB_SEASON_MONTHS, patrolSource });
    const fromRollup: number[] = [];
    const fromPositions: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      fromRollup.push((await time(() => figuresFrom('auto')))[0]);
      fromPositions.push((await time(() => figuresFrom('positions')))[0]);
    }
    const same = JSON.stringify(await figuresFrom('auto')) === JSON.stringify(await figuresFrom('positions'));
    if (!same) progress('THE ROLLUP AND THE FIXES GIVE DIFFERENT FIGURES');

    // The incidents' share likewise: from the incident rollup and straight
    // from the incidents (the statement before the rollup), alternated; equal figures.
    const incidentFigures = (incidentSource: 'auto' | 'incidents') =>
      getBriefingFigures(db, { windows: yearWindow, tz: TZ, villageId: null, herbMonths: HERB_SEASON_MONTHS, incidentSource });
    const incFromRollup: number[] = [];
    const incFromIncidents: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      incFromRollup.push((await time(() => incidentFigures('auto')))[0]);
      incFromIncidents.push((await time(() => incidentFigures('incidents')))[0]);
    }
    const incidentsSame = JSON.stringify(await incidentFigures('auto')) === JSON.stringify(await incidentFigures('incidents'));
    if (!incidentsSame) progress('THE INCIDENT ROLLUP AND THE INCIDENTS GIVE DIFFERENT FIGURES');

    // Baseline: every window in one statement (the year, the year before, and the year before again as "a year earlier").
    const spans = briefingSpans(query, '2026-02-10');
    const windows = [spans.current, spans.previous, spans.yearAgo].map((s) => ({ start: townshipDayStart(s.from, TZ), end: townshipDayStart(s.to, TZ) }));
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push((await time(() => getBriefingFigures(db, { windows, tz: TZ, villageId: null, herbMonths: HERB_SEASON_MONTHS })))[0]);
    }

    const pdf: number[] = [];
    let bytes: Buffer = Buffer.alloc(0);
    for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 3)); i++) {
      const [ms, out] = await time(async () => renderBriefingPdf(await readBriefing(deps, query, { now: NOW }), 'zh'));
      pdf.push(ms);
      bytes = out;
    }
    const b = await readBriefing(deps, query, { now: NOW });

    const result = {
      date: new Date().toISOString(),
      database: label,
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      data: { ...counts, briefedIncidents: b.current.figures.incidents, patrolKm: b.current.figures.patrolKm },
      pageMs: { p50: Math.round(percentile(page, 50)), p95: Math.round(percentile(page, 95)), target: TARGET_PAGE_MS },
      pageOneDayDirtyMs: { p50: Math.round(percentile(pageDirty, 50)), p95: Math.round(percentile(pageDirty, 95)), dirtyDeviceDays: DEVICES },
      rollupBackfillMs: Math.round(rollupMs),
      incidentRollupBackfillMs: Math.round(incidentRollupMs),
      yearFiguresMs: { rollupP50: Math.round(percentile(fromRollup, 50)), positionsP50: Math.round(percentile(fromPositions, 50)), same },
      yearIncidentFiguresMs: {
        rollupP50: Math.round(percentile(incFromRollup, 50)),
        rollupP95: Math.round(percentile(incFromRollup, 95)),
        incidentsP50: Math.round(percentile(incFromIncidents, 50)),
        incidentsP95: Math.round(percentile(incFromIncidents, 95)),
        same: incidentsSame,
      },
      baselineMs: { p50: Math.round(percentile(baseline, 50)), p95: Math.round(percentile(baseline, 95)) },
      ratio: Number((percentile(baseline, 50) / percentile(page, 50)).toFixed(2)),
      pdfMs: { p50: Math.round(percentile(pdf, 50)), max: Math.round(Math.max(...pdf)), target: TARGET_PDF_MS, bytes: bytes.length },
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(join(ROOT, '.bench'), { recursive: true });
    writeFileSync(join(ROOT, '.bench', 'briefing.json'), JSON.stringify(result, null, 2));
    if (shot) await pageImage(bytes);
    const missed = !same || !incidentsSame || result.pageMs.p95 > TARGET_PAGE_MS || result.pageOneDayDirtyMs.p95 > TARGET_PAGE_MS || result.pdfMs.max > TARGET_PDF_MS;
    if (missed) progress('TARGET MISSED');
    process.exitCode = missed ? 1 : 0;
  } finally {
    // BENCH_KEEP=1 leaves the server database for EXPLAIN ANALYZE (its URL is printed).
    if (process.env.BENCH_KEEP === '1' && url) progress(`kept ${url}`);
    else await drop();
  }
}

/** Page 1 of the PDF as a PNG: pdf.js (the devDependency) draws it on a canvas in Chromium, offline. */
async function pageImage(pdf: Buffer): Promise<void> {
  writeFileSync(join(ROOT, '.bench', 'briefing-sample.pdf'), pdf);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1684, height: 1191 } });
    const lib = join(ROOT, 'node_modules', 'pdfjs-dist', 'legacy', 'build');
    await page.route('http://pdf.local/**', async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === 'doc.pdf') return route.fulfill({ body: pdf, contentType: 'application/pdf' });
      if (name === 'index.html') return route.fulfill({ body: '<!doctype html><body style="margin:0"><canvas id="c"></canvas></body>', contentType: 'text/html' });
      return route.fulfill({ path: join(lib, name), contentType: 'text/javascript' });
    });
    await page.goto('http://pdf.local/index.html');
    await page.evaluate(async () => {
      const pdfjs = (await import('http://pdf.local/pdf.mjs' as string)) as typeof import('pdfjs-dist');
      pdfjs.GlobalWorkerOptions.workerSrc = 'http://pdf.local/pdf.worker.mjs';
      const doc = await pdfjs.getDocument({ url: 'http://pdf.local/doc.pdf' }).promise;
      const p = await doc.getPage(1);
      const viewport = p.getViewport({ scale: 2 });
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      canvas.width = viewport.width;
      canvas.height = viewport.height;
      await p.render({ canvas, viewport }).promise;
    });
    await page.locator('#c').screenshot({ path: join(ROOT, 'docs', 'briefing-page1.png') });
    progress('wrote .bench/briefing-sample.pdf and docs/briefing-page1.png');
  } finally {
    await browser.close();
  }
}

await main();
