// `npm run bench:ingest:plans`: the ingest benchmark's /ingest/batch load with
// the rules evaluator on (every 500 ms, 10× the default), without plans and
// with 200 live plans holding 1,000 checkpoints (issue 14: compliance must
// keep ingest at ≥ 0.9× its figure without plans, in the same run). Runs
// alternate without-with-with-without so drift over the run cancels out.
// Every run's fix times are newer than the last run's, so every batch moves
// units and its moves go through the visit tracker; the checkpoints lie where
// the load reports (radius 50 m), so fixes fall inside some of them.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/client';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';
import { townshipClock, townshipDay } from '../lib/model/township-time';
import { clock } from '../lib/plans/recurrence';
import { RulesEvaluator } from '../lib/rules/evaluator';
import { freshDatabase } from './fresh-db';
import { countRows, loadTownship, resetStats, runLoad } from './ingest-load';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DEVICES = 2_000;
const PLANS = 200;
const CHECKPOINTS_PER_PLAN = 5;
const RULES_INTERVAL_MS = 500;

/**
 * 200 daily plans, one team each (round robin over the teams: written in SQL,
 * past the service's overlap check), window from an hour before `fromMs` to
 * three hours after, 5 checkpoints each on a grid over the square where the
 * load reports (±0.005°).
 */
async function insertPlans(db: Db, { lon, lat, fromMs, tz }: { lon: number; lat: number; fromMs: number; tz: string }): Promise<void> {
  const start = townshipClock(fromMs - 3_600_000, tz);
  const end = townshipClock(fromMs + 3 * 3_600_000, tz);
  const { rows: plans } = await db.query<{ id: number }>(
    `INSERT INTO patrol_plans (name, kind, repeat, from_date, start_minute, end_minute, area, created_by)
     SELECT 'bench ' || n, 'patrol', 'daily', $1::date - 1, $2::int, $3::int, (SELECT geom FROM grids WHERE code = 'G01'), 'bench'
     FROM generate_series(1, $4::int) n RETURNING id`,
    [townshipDay(fromMs, tz), clock(start), clock(end), PLANS],
  );
  const ids = plans.map((p) => p.id);
  await db.query(
    `INSERT INTO patrol_plan_teams (plan_id, team_id)
     SELECT p.id, t.id FROM unnest($1::int[]) WITH ORDINALITY AS p(id, k)
     JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total FROM teams) t ON t.k = (p.k - 1) % t.total`,
    [ids],
  );
  await db.query(
    `INSERT INTO patrol_checkpoints (plan_id, seq, name, geom, radius_m, every_minutes, freq_start_minute, freq_end_minute)
     SELECT p.id, s, 'cp ' || p.k || '.' || s,
            ST_SetSRID(ST_MakePoint($2::float8 + (((p.k * 5 + s) % 32) - 16) * 3e-4, $3::float8 + ((((p.k * 5 + s) / 32) % 32) - 16) * 3e-4), 4326),
            50, CASE WHEN s % 2 = 0 THEN 30 END, CASE WHEN s % 2 = 0 THEN $4::int END, CASE WHEN s % 2 = 0 THEN $5::int END
     FROM unnest($1::int[]) WITH ORDINALITY AS p(id, k) CROSS JOIN generate_series(1, $6::int) s`,
    [ids, lon, lat, clock(start), clock(end), CHECKPOINTS_PER_PLAN],
  );
}

const { db, label, drop } = await freshDatabase();
try {
  const { lon, lat, devicesFile } = await loadTownship(db, DEVICES);
  const config = loadConfig({ SIM_ENABLED: 'false', DATABASE_URL: process.env.DATABASE_URL, RULES_INTERVAL_MS: '600000' });
  const app = createApp({ db, config });
  const port = await app.listen(0, '127.0.0.1');
  const common = { url: `http://127.0.0.1:${port}`, seconds: SECONDS, devicesFile, lat, lon, mode: 'batch', connections: 16, fixesPerRequest: 100 };
  // Fix times: an hour ago, each run a minute after the last (every batch moves units forward).
  const timeBase = Date.now() - 3_600_000;

  const run = async (withPlans: boolean, k: number) => {
    await db.query(`DELETE FROM patrol_plans`);
    if (withPlans) await insertPlans(db, { lon, lat, fromMs: timeBase, tz: config.TOWNSHIP_TZ });
    const rules = new RulesEvaluator({ db, bus: app.bus, config: { ...config, RULES_INTERVAL_MS } });
    await rules.evaluate(new Date()); // loads the plans (and the first coverage read) before the load starts
    const watched = rules.plans.stats.watched;
    resetStats(rules);
    rules.plans.stats.computed = 0;
    rules.start();
    const before = await countRows(db);
    const r = await runLoad({ ...common, timeBase: timeBase + k * 60_000 });
    await app.gateway.writer.flushed();
    const after = await countRows(db);
    await rules.close();
    const stored = after - before;
    return {
      plans: withPlans,
      fixesPerSec: Math.round(stored / SECONDS),
      p99: r.p99,
      non2xx: r.non2xx,
      watched,
      visitsWritten: rules.plans.stats.visitsWritten,
      cycles: rules.stats.cycles,
      cycleMeanMs: +(rules.stats.totalMs / Math.max(1, rules.stats.cycles)).toFixed(1),
      // Each step's mean share of a cycle (`plans` is the plan monitor), and how many checkpoint states the monitor recomputed over the run (it keeps the others).
      stepMeanMs: Object.fromEntries(Object.entries(rules.stats.stepMs).map(([k, v]) => [k, +(v / Math.max(1, rules.stats.cycles)).toFixed(1)])),
      statesComputed: rules.plans.stats.computed,
    };
  };
  // A first run warms the server up (JIT, caches) and is left out of the figures: in a first measurement it was the slowest by far.
  const warmUp = await run(false, 0);
  const phases: Awaited<ReturnType<typeof run>>[] = [];
  for (const [k, withPlans] of [false, true, true, false].entries()) phases.push(await run(withPlans, k + 1));
  await app.close();
  const mean = (w: boolean) => phases.filter((p) => p.plans === w).reduce((a, p) => a + p.fixesPerSec, 0) / 2;
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: label,
    seconds: SECONDS,
    plans: PLANS,
    checkpoints: PLANS * CHECKPOINTS_PER_PLAN,
    rulesIntervalMs: RULES_INTERVAL_MS,
    warmUpFixesPerSec: warmUp.fixesPerSec,
    phases,
    withoutPlansFixesPerSec: Math.round(mean(false)),
    withPlansFixesPerSec: Math.round(mean(true)),
    ratio: +(mean(true) / mean(false)).toFixed(3),
  };
  writeFileSync(join(OUT, 'plans-ingest.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\ningest with plans on ${label}: /ingest/batch with the rules evaluator on (every ${RULES_INTERVAL_MS} ms), ` +
      `without / with ${PLANS} plans and ${report.checkpoints} checkpoints (runs ${phases.map((p) => p.fixesPerSec).join(' / ')}): ` +
      `${report.withoutPlansFixesPerSec} / ${report.withPlansFixesPerSec} fixes/s = ${report.ratio}× (target ≥ 0.9)`,
  );
} finally {
  await drop();
}
