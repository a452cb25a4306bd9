// `npm run bench:ingest`: device ingest throughput and latency on the PostGIS
// server (DATABASE_URL; the embedded engine is measured when it is unset),
// with the database's own ceiling and a naive baseline from the same run, and
// the same load with the rules evaluator (arrival detection + alert rules)
// off and on, alternated off-on-on-off so drift over the run cancels out.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';
import { RulesEvaluator } from '../lib/rules/evaluator';
import { freshDatabase } from './fresh-db';
import { countRows, loadTownship, resetStats, runLoad } from './ingest-load';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DEVICES = 2_000;
/** Rules phases: teams on an active assignment, each reporting live once a second from 100–200 m of its incident. */
const ASSIGNED_TEAMS = 20;
/** The evaluator 10× more often than the default RULES_INTERVAL_MS. */
const RULES_INTERVAL_MS = 500;

const { db, label, drop } = await freshDatabase();
try {
  const { lon, lat, identifiers, devicesFile } = await loadTownship(db, DEVICES);

  // 1. The database's own ceiling: one INSERT … SELECT into the same table.
  const CEILING_ROWS = 200_000;
  let t = performance.now();
  const { rows: devs } = await db.query<{ id: number; team_id: number }>('SELECT id, team_id FROM devices ORDER BY id');
  // Setup time limit: on a busy machine 200,000 rows can take longer than a request's 5 s.
  await db.transaction(
    (tx) =>
      tx.query(
        `INSERT INTO positions (device_id, team_id, fix_time, geom, speed, battery)
         SELECT ($4::int[])[1 + g % $6::int], ($5::int[])[1 + g % $6::int], to_timestamp(1e9 + g),
                ST_SetSRID(ST_MakePoint($1::float8 + (g % 997) * 1e-5, $2::float8), 4326), 1, 80
         FROM generate_series(1, $3::int) g`,
        [lon, lat, CEILING_ROWS, devs.map((d) => d.id), devs.map((d) => d.team_id), devs.length],
      ),
    { setup: true },
  );
  const ceiling = CEILING_ROWS / ((performance.now() - t) / 1000);

  // 2. A naive baseline: one autocommit INSERT (with its grid lookup) per fix, 10 at a time.
  const NAIVE_SECONDS = Math.min(5, SECONDS);
  let naiveRows = 0;
  const deadline = performance.now() + NAIVE_SECONDS * 1000;
  const { rows: dev } = await db.query<{ id: number; team_id: number }>('SELECT id, team_id FROM devices ORDER BY id LIMIT 10');
  t = performance.now();
  await Promise.all(
    dev.map(async (d, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await db.query(
          `INSERT INTO positions (device_id, team_id, fix_time, geom, grid_id)
           SELECT $1::int, $2::int, to_timestamp(2e9 + $3::int), p.geom,
                  (SELECT id FROM grids g WHERE ST_Covers(g.geom, p.geom) LIMIT 1)
           FROM (SELECT ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) AS geom) p
           ON CONFLICT DO NOTHING`,
          [d.id, d.team_id, w * 1_000_000 + i, lon, lat],
        );
        naiveRows++;
      }
    }),
  );
  const naive = naiveRows / ((performance.now() - t) / 1000);

  // 3. Our gateway, over HTTP, from a separate load-generator process. The
  // app's own evaluator is kept idle here (an interval longer than the run);
  // phase 5 starts one at RULES_INTERVAL_MS for its "on" runs.
  // REDIS_URL passes through: the device limits then count in Redis, as several processes would (issue 15).
  const config = loadConfig({ SIM_ENABLED: 'false', DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, RULES_INTERVAL_MS: '600000' });
  const app = createApp({ db, config });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const common = { url, seconds: SECONDS, devicesFile, lat, lon };

  let before = await countRows(db);
  const batch = await runLoad({ ...common, mode: 'batch', connections: 16, fixesPerRequest: 100, timeBase: Date.now() - 3_600_000 });
  await app.gateway.writer.flushed();
  const batchStored = (await countRows(db)) - before;

  before = await countRows(db);
  const osmand = await runLoad({ ...common, mode: 'osmand', connections: 100, fixesPerRequest: 1, timeBase: Date.now() - 7_200_000 });
  await app.gateway.writer.flushed();
  const osmandStored = (await countRows(db)) - before;

  // 5. Rules off vs on, same load (/ingest/batch), alternated off-on-on-off.
  // Present in every run: ASSIGNED_TEAMS active assignments, dispatched 10
  // min ago and not acknowledged, each team reporting live once a second
  // (through /ingest/osmand, like a phone) 100–200 m from its incident — so
  // each cycle reads and measures their fixes for arrival, keeps coverage
  // from new fixes, and evaluates every rule for all 113 teams and 65 cells.
  const { rows: assignedTeams } = await db.query<{ id: number }>('SELECT id FROM teams ORDER BY id LIMIT $1::int', [ASSIGNED_TEAMS]);
  const { rows: incidentRows } = await db.query<{ id: string; team_id: number }>(
    `WITH i AS (
       INSERT INTO incidents (category, severity, status, title, source, geom, reported_at, timeline)
       SELECT 'noise', 2, 'dispatched', 'bench ' || n, 'coordinator',
              ST_SetSRID(ST_MakePoint($1::float8 + n * 2e-3, $2::float8), 4326), now() - interval '11 minutes', '[]'::jsonb
       FROM generate_series(1, $3::int) n
       RETURNING id, title)
     INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by)
     SELECT i.id, ($4::int[])[substring(i.title FROM 7)::int], now() - interval '10 minutes', 'bench'
     FROM i RETURNING incident_id::text AS id, team_id`,
    [lon, lat, ASSIGNED_TEAMS, assignedTeams.map((x) => x.id)],
  );
  // The load generator's devices belong to teams in id order, round robin (addBenchDevices):
  // identifiers[k] reports for the k-th team, the one assigned the k-th incident.
  const feeders = assignedTeams.map((team, k) => {
    const incident = incidentRows.find((r) => r.team_id === team.id)!;
    return { identifier: identifiers[k]!, incidentId: incident.id, lon: lon + (k + 1) * 2e-3, lat };
  });
  let feeding = true;
  const feeder = (async () => {
    for (let tick = 0; feeding; tick++) {
      const at = Date.now();
      await Promise.all(
        feeders.map((f, k) => {
          const north = (100 + ((tick * 37 + k * 11) % 100)) / 111_320;
          return fetch(`${url}/ingest/osmand?id=${f.identifier}&lat=${f.lat + north}&lon=${f.lon}&timestamp=${at}&speed=1`).then((r) => r.arrayBuffer());
        }),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - at))));
    }
  })();
  // One evaluator for both "on" runs; its first cycle (coverage reads the
  // last ALERT_COVERAGE_GAP_HOURS of fixes once, at start-up) runs before them.
  const rules = new RulesEvaluator({ db, bus: app.bus, config: { ...config, RULES_INTERVAL_MS } });
  await rules.evaluate(new Date());
  const warmUpMs = rules.stats.totalMs;
  resetStats(rules);
  const rulesRun = async (on: boolean, k: number): Promise<{ fixesPerSec: number; p99: number; non2xx: number }> => {
    if (on) rules.start();
    const start = await countRows(db);
    const r = await runLoad({ ...common, mode: 'batch', connections: 16, fixesPerRequest: 100, timeBase: Date.now() - (4 + k) * 3_600_000 });
    await app.gateway.writer.flushed();
    const stored = (await countRows(db)) - start;
    await rules.close();
    return { fixesPerSec: Math.round(stored / SECONDS), p99: r.p99, non2xx: r.non2xx };
  };
  const rulesPhases: ({ on: boolean } & Awaited<ReturnType<typeof rulesRun>>)[] = [];
  for (const [k, on] of [false, true, true, false].entries()) rulesPhases.push({ on, ...(await rulesRun(on, k)) });
  feeding = false;
  await feeder;
  const { rows: alertCounts } = await db.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM alerts GROUP BY kind ORDER BY kind`);
  await app.close();
  const mean = (on: boolean) => rulesPhases.filter((p) => p.on === on).reduce((a, p) => a + p.fixesPerSec, 0) / 2;

  const batchFixes = batchStored / SECONDS;
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: label,
    seconds: SECONDS,
    ceilingRowsPerSec: Math.round(ceiling),
    naiveRowsPerSec: Math.round(naive),
    batch: {
      fixesPerSec: Math.round(batchFixes),
      requestsPerSec: Math.round(batch.rps),
      p50ms: batch.p50,
      p99ms: batch.p99,
      non2xx: batch.non2xx,
      errors: batch.errors,
      storedAtLeastAnswered: batchStored >= (batch.requests - batch.non2xx) * 100,
      vsCeiling: +(batchFixes / ceiling).toFixed(3),
      vsNaive: +(batchFixes / naive).toFixed(1),
    },
    osmand: {
      requestsPerSec: Math.round(osmandStored / SECONDS),
      p50ms: osmand.p50,
      p99ms: osmand.p99,
      non2xx: osmand.non2xx,
      errors: osmand.errors,
      // Requests still in flight when the load stops are stored but not counted as answered.
      storedAtLeastAnswered: osmandStored >= osmand.requests - osmand.non2xx,
      vsCeiling: +(osmandStored / SECONDS / ceiling).toFixed(3),
      vsNaive: +(osmandStored / SECONDS / naive).toFixed(1),
    },
    rules: {
      intervalMs: RULES_INTERVAL_MS,
      assignedTeams: ASSIGNED_TEAMS,
      phases: rulesPhases,
      offFixesPerSec: Math.round(mean(false)),
      onFixesPerSec: Math.round(mean(true)),
      ratio: +(mean(true) / mean(false)).toFixed(3),
      warmUpCycleMs: +warmUpMs.toFixed(1),
      cycles: rules.stats.cycles,
      cycleMeanMs: +(rules.stats.totalMs / Math.max(1, rules.stats.cycles)).toFixed(1),
      cycleMaxMs: +rules.stats.maxMs.toFixed(1),
      stepMeanMs: Object.fromEntries(Object.entries(rules.stats.stepMs).map(([k, v]) => [k, +(v / Math.max(1, rules.stats.cycles)).toFixed(1)])),
      alertsRaised: Object.fromEntries(alertCounts.map((a) => [a.kind, a.n])),
    },
  };
  writeFileSync(join(OUT, 'ingest.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\ningest on ${label}:\n` +
      `  database ceiling (one INSERT … SELECT of ${CEILING_ROWS} rows): ${report.ceilingRowsPerSec} rows/s\n` +
      `  naive baseline (one autocommit INSERT per fix): ${report.naiveRowsPerSec} rows/s\n` +
      `  /ingest/batch (100 fixes/request): ${report.batch.fixesPerSec} fixes/s, p99 ${batch.p99} ms — ${report.batch.vsCeiling}× ceiling, ${report.batch.vsNaive}× naive\n` +
      `  /ingest/osmand (1 fix/request): ${report.osmand.requestsPerSec} req/s, p99 ${osmand.p99} ms — ${report.osmand.vsCeiling}× ceiling, ${report.osmand.vsNaive}× naive\n` +
      `  /ingest/batch with the rules evaluator off / on (every ${RULES_INTERVAL_MS} ms, ${ASSIGNED_TEAMS} active assignments; runs off-on-on-off: ` +
      `${rulesPhases.map((p) => p.fixesPerSec).join(' / ')}): ${report.rules.offFixesPerSec} / ${report.rules.onFixesPerSec} fixes/s = ${report.rules.ratio}× ` +
      `(${report.rules.cycles} cycles, mean ${report.rules.cycleMeanMs} ms, max ${report.rules.cycleMaxMs} ms; first cycle ${report.rules.warmUpCycleMs} ms)`,
  );
} finally {
  await drop();
}
