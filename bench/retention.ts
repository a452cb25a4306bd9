// `npm run bench:retention`: history that does not grow forever (issue 15) on
// the PostGIS server (DATABASE_URL; the embedded engine when unset).
//
// 1. Dropping a day of 2 M positions: two past UTC days are filled with
//    DAY_ROWS fixes each; the app ingests /ingest/batch from a separate
//    load-generator process (as bench/ingest.ts) in runs of RUN_SECONDS,
//    alternated quiet / drop / quiet / drop: in a drop run a retention pass
//    (lib/retention.ts) drops one of the days a second in. Reported: the
//    pass's and the drop's duration, and the ingest p50 / p99 / max of the
//    runs with and without a drop.
// 2. The ingest statement (insertPositions, 1,000 fixes) on positions
//    partitioned (migration 0019) and as it was before (every migration
//    but 0019), two databases side by side, batches alternated.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/client';
import { migrate } from '../db/migrate';
import { insertPositions, type FixRow } from '../db/positions';
import { dropDayPartition, listDayPartitions } from '../db/retention';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';
import { runRetention } from '../lib/retention';
import { seedDemoTownship } from '../lib/sim/seed';
import { benchTownship, freshDatabase } from './fresh-db';
import { loadTownship, runLoad } from './ingest-load';
import { percentile } from './stats';

const DAY_MS = 86_400_000;
const DAY_ROWS = Number(process.env.BENCH_DAY_ROWS ?? 2_000_000);
const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const DEVICES = 2_000;
const STATEMENT_BATCHES = Number(process.env.BENCH_BATCHES ?? 40);

const ROOT = join(import.meta.dirname, '..');

/** A folder holding the migration files `keep` keeps (db/migrate.ts reads a folder). */
function migrationsWhere(keep: (file: string) => boolean): string {
  const from = join(ROOT, 'db', 'migrations');
  const dir = mkdtempSync(join(tmpdir(), 'gridsight-migrations-'));
  for (const f of readdirSync(from)) if (keep(f)) copyFileSync(join(from, f), join(dir, f));
  return dir;
}

const utcDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** DAY_ROWS fixes of the bench devices spread over the UTC day starting at `dayStart`, in 200,000-row statements. */
async function fillDay(db: Db, dayStart: number, lon: number, lat: number): Promise<number> {
  const { rows: devs } = await db.query<{ id: number; team_id: number }>(`SELECT id, team_id FROM devices WHERE label = 'bench' ORDER BY id`);
  const t = performance.now();
  const CHUNK = 200_000;
  for (let from = 0; from < DAY_ROWS; from += CHUNK) {
    await db.transaction(
      (tx) =>
        tx.query(
          `INSERT INTO positions (device_id, team_id, fix_time, geom, speed, battery)
           SELECT ($4::int[])[1 + g % $6::int], ($5::int[])[1 + g % $6::int],
                  to_timestamp($7::float8 / 1000 + (g / $6::int) * (86400.0 / ($8::int / $6::int + 1))),
                  ST_SetSRID(ST_MakePoint($1::float8 + (g % 997) * 1e-5, $2::float8 + (g % 991) * 1e-5), 4326), 1, 80
           FROM generate_series($3::int, $9::int) g`,
          [lon, lat, from, devs.map((d) => d.id), devs.map((d) => d.team_id), devs.length, dayStart, DAY_ROWS, Math.min(DAY_ROWS, from + CHUNK) - 1],
        ),
      { setup: true },
    );
  }
  return (performance.now() - t) / 1000;
}

async function dropBench() {
  const { db, label, drop } = await freshDatabase('gs_bench_ret');
  try {
    const { lon, lat, devicesFile } = await loadTownship(db, DEVICES);
    const now = Date.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    // Days 100 and 99 before today: a pass with 99 days kept drops the first, with 98 the second.
    const days = [today - 100 * DAY_MS, today - 99 * DAY_MS];
    const fillSeconds: number[] = [];
    for (const d of days) {
      await db.query('SELECT positions_ensure_days($1::date[])', [[utcDay(d)]]);
      fillSeconds.push(await fillDay(db, d, lon, lat));
      console.error(`filled ${utcDay(d)}: ${DAY_ROWS} rows in ${fillSeconds.at(-1)!.toFixed(1)} s`);
    }
    // The demo history the seed wrote directly sits in the default partition: a pass that drops nothing moves it
    // into its day first, so the measured passes below only drop.
    await runRetention(db, { positionsDays: 36_500, contactDays: 36_500 }, new Date(now));
    await db.query('ANALYZE positions');
    const { rows: sizes } = await db.query<{ name: string; rows: string; mb: number }>(
      `SELECT c.relname AS name, c.reltuples::bigint::text AS rows, round(pg_total_relation_size(c.oid) / 1048576.0) AS mb
       FROM pg_class c WHERE c.relname = ANY($1::text[]) ORDER BY 1`,
      [days.map((d) => `positions_p${utcDay(d).replaceAll('-', '')}`)],
    );

    const config = loadConfig({ SIM_ENABLED: 'false', DATABASE_URL: process.env.DATABASE_URL, RULES_INTERVAL_MS: '600000' });
    const app = createApp({ db, config });
    const port = await app.listen(0, '127.0.0.1');
    const common = { url: `http://127.0.0.1:${port}`, seconds: RUN_SECONDS, devicesFile, lat, lon, mode: 'batch', connections: 16, fixesPerRequest: 100 };
    const runs: { drop: boolean; p50: number; p99: number; max: number; fixesPerSec: number; non2xx: number; passMs?: number; dropped?: string[] }[] = [];
    let dropsDone = 0;
    // A warm-up run, not reported: the first requests of a fresh process (JIT, connections, plans) would count against the first quiet run.
    await runLoad({ ...common, timeBase: now - 6 * 600_000 });
    await app.gateway.writer.flushed();
    for (const [k, withDrop] of [false, true, false, true].entries()) {
      const load = runLoad({ ...common, timeBase: now - (k + 1) * 600_000 });
      let passMs: number | undefined;
      let dropped: string[] | undefined;
      if (withDrop) {
        await new Promise((r) => setTimeout(r, 1_000));
        const t = performance.now();
        const r = await runRetention(db, { positionsDays: 99 - dropsDone, contactDays: 36_500 }, new Date(now));
        passMs = +(performance.now() - t).toFixed(1);
        dropped = r.dropped;
        dropsDone++;
      }
      const r = await load;
      await app.gateway.writer.flushed();
      runs.push({ drop: withDrop, p50: r.p50, p99: r.p99, max: r.max, fixesPerSec: Math.round(r.sentFixes / RUN_SECONDS), non2xx: r.non2xx, passMs, dropped });
      console.error(JSON.stringify(runs.at(-1)));
    }
    await app.close();

    // The DROP statement alone, on a third filled day with nothing else running.
    const third = today - 98 * DAY_MS;
    await db.query('SELECT positions_ensure_days($1::date[])', [[utcDay(third)]]);
    await fillDay(db, third, lon, lat);
    const part = (await listDayPartitions(db)).find((p) => p.name === `positions_p${utcDay(third).replaceAll('-', '')}`)!;
    const t = performance.now();
    await dropDayPartition(db, part, 200);
    const quietDropMs = +(performance.now() - t).toFixed(1);
    return { label, dayRows: DAY_ROWS, fillSeconds, partitionSizes: sizes, runSeconds: RUN_SECONDS, runs, quietDropMs };
  } finally {
    await drop();
  }
}

/** Every migration, or every one but 0019 (positions as it was before partitioning). */
async function township(db: Db, partitioned: boolean): Promise<void> {
  if (partitioned) await benchTownship(db);
  else {
    await migrate(db, migrationsWhere((f) => !f.startsWith('0019_')));
    await seedDemoTownship(db, { historyDays: 1 });
    // The ingest statement's partition check (db/positions.ts) has nothing to make here.
    await db.exec(`CREATE FUNCTION positions_ensure_days(days date[]) RETURNS int LANGUAGE sql AS 'SELECT 0'`);
  }
}

async function statementBench() {
  const a = await freshDatabase('gs_bench_ret_part');
  const b = await freshDatabase('gs_bench_ret_flat');
  try {
    await township(a.db, true);
    await township(b.db, false);
    const kinds = async (db: Db) =>
      (await db.query<{ k: string }>(`SELECT relkind::text AS k FROM pg_class WHERE relname = 'positions'`)).rows[0]!.k;
    const setups = [
      { name: 'partitioned', db: a.db, kind: await kinds(a.db), ms: [] as number[] },
      { name: 'unpartitioned', db: b.db, kind: await kinds(b.db), ms: [] as number[] },
    ];
    const devs = async (db: Db) => (await db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id`)).rows.map((r) => r.id);
    const ids = [await devs(a.db), await devs(b.db)];
    const { rows: at } = await a.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_PointOnSurface(geom) AS c FROM grids WHERE code = 'G01') x`,
    );
    const { lon, lat } = at[0]!;
    const base = Date.now() - 3_600_000;
    const batch = (devices: number[], k: number): FixRow[] =>
      Array.from({ length: 1_000 }, (_, i) => ({
        deviceId: devices[i % devices.length]!,
        fixTime: base + k * 1_000 + i,
        lon: lon + ((i % 997) - 498) * 1e-5,
        lat: lat + ((i % 991) - 495) * 1e-5,
        speed: 3,
        heading: 90,
        accuracy: 5,
        altitude: null,
        battery: 80,
        attributes: null,
      }));
    // A warm-up batch each, then alternated.
    for (const [j, s] of setups.entries()) await insertPositions(s.db, batch(ids[j]!, 0));
    for (let k = 1; k <= STATEMENT_BATCHES; k++) {
      const order = k % 2 === 0 ? [0, 1] : [1, 0];
      for (const j of order) {
        const s = setups[j]!;
        const t = performance.now();
        await insertPositions(s.db, batch(ids[j]!, k));
        s.ms.push(performance.now() - t);
      }
    }
    return setups.map((s) => ({
      table: s.name,
      relkind: s.kind,
      batches: s.ms.length,
      meanMs: +(s.ms.reduce((x, y) => x + y, 0) / s.ms.length).toFixed(2),
      p50Ms: +percentile(s.ms, 50).toFixed(2),
      p90Ms: +percentile(s.ms, 90).toFixed(2),
    }));
  } finally {
    await a.drop();
    await b.drop();
  }
}

const statement = await statementBench();
console.error(JSON.stringify(statement));
const dropping = await dropBench();
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  ...dropping,
  ingestStatement1000: statement,
};
mkdirSync(join(ROOT, '.bench'), { recursive: true });
writeFileSync(join(ROOT, '.bench', 'retention.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
const quiet = dropping.runs.filter((r) => !r.drop);
const busy = dropping.runs.filter((r) => r.drop);
console.log(
  `\nretention on ${dropping.label}:\n` +
    `  a retention pass dropping a day of ${DAY_ROWS} positions during ingest: ${busy.map((r) => `${r.passMs} ms`).join(', ')}; the DROP alone, quiet: ${dropping.quietDropMs} ms\n` +
    `  ingest (/ingest/batch, 16 connections × 100 fixes) p50 / p99 / max, ${RUN_SECONDS} s runs without a drop: ${quiet.map((r) => `${r.p50} / ${r.p99} / ${r.max} ms`).join(', ')}\n` +
    `                                                   with a drop: ${busy.map((r) => `${r.p50} / ${r.p99} / ${r.max} ms`).join(', ')}\n` +
    `  ingest statement (1,000 fixes) mean / p50 / p90: ${statement.map((s) => `${s.table} ${s.meanMs} / ${s.p50Ms} / ${s.p90Ms} ms`).join('; ')}`,
);
