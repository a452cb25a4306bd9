// `npm run bench:ingest`: device ingest throughput and latency on the PostGIS
// server (DATABASE_URL; the embedded engine is measured when it is unset),
// with the database's own ceiling and a naive baseline from the same run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type Db } from '../db/client';
import { hashDeviceSecret } from '../db/devices';
import { migrate } from '../db/migrate';
import { seedDemoTownship } from '../lib/sim/seed';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DEVICES = 2_000;

async function freshDatabase(): Promise<{ db: Db; label: string; drop: () => Promise<void> }> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const db = await openDb({});
    return { db, label: 'embedded PGlite + PostGIS (in memory)', drop: () => db.close() };
  }
  const name = `gs_bench_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const { rows } = await c.query<{ server_version: string }>('SHOW server_version');
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString(), poolMax: 10 });
  return {
    db,
    label: `PostgreSQL ${rows[0]!.server_version} + PostGIS server`,
    async drop() {
      await db.close();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  sentFixes: number;
}

function runLoad(job: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'load.ts'), JSON.stringify(job)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`load generator exited ${code}`));
      else resolve(JSON.parse(line) as LoadResult);
    });
  });
}

async function countRows(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM positions');
  return Number(rows[0]!.n);
}

const { db, label, drop } = await freshDatabase();
try {
  await migrate(db);
  await seedDemoTownship(db, { historyDays: 1 });
  const { rows: centre } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_PointOnSurface(geom) AS c FROM grids WHERE code = 'G01') x`,
  );
  const { lon, lat } = centre[0]!;
  const identifiers = Array.from({ length: DEVICES }, () => randomBytes(16).toString('hex'));
  await db.query(
    `INSERT INTO devices (team_id, secret_hash, label)
     SELECT (SELECT id FROM teams ORDER BY id OFFSET (i % 113) LIMIT 1), hash, 'bench'
     FROM unnest($1::text[]) WITH ORDINALITY AS u(hash, i)`,
    [identifiers.map(hashDeviceSecret)],
  );
  mkdirSync(OUT, { recursive: true });
  const devicesFile = join(OUT, 'devices.txt');
  writeFileSync(devicesFile, identifiers.join('\n'));

  // 1. The database's own ceiling: one INSERT … SELECT into the same table.
  const CEILING_ROWS = 200_000;
  let t = performance.now();
  const { rows: devs } = await db.query<{ id: number; team_id: number }>('SELECT id, team_id FROM devices ORDER BY id');
  await db.query(
    `INSERT INTO positions (device_id, team_id, fix_time, geom, speed, battery)
     SELECT ($4::int[])[1 + g % $6::int], ($5::int[])[1 + g % $6::int], to_timestamp(1e9 + g),
            ST_SetSRID(ST_MakePoint($1::float8 + (g % 997) * 1e-5, $2::float8), 4326), 1, 80
     FROM generate_series(1, $3::int) g`,
    [lon, lat, CEILING_ROWS, devs.map((d) => d.id), devs.map((d) => d.team_id), devs.length],
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

  // 3. Our gateway, over HTTP, from a separate load-generator process.
  const app = createApp({ db, config: loadConfig({ SIM_ENABLED: 'false', DATABASE_URL: process.env.DATABASE_URL }) });
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
  await app.close();

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
  };
  writeFileSync(join(OUT, 'ingest.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\ningest on ${label}:\n` +
      `  database ceiling (one INSERT … SELECT of ${CEILING_ROWS} rows): ${report.ceilingRowsPerSec} rows/s\n` +
      `  naive baseline (one autocommit INSERT per fix): ${report.naiveRowsPerSec} rows/s\n` +
      `  /ingest/batch (100 fixes/request): ${report.batch.fixesPerSec} fixes/s, p99 ${batch.p99} ms — ${report.batch.vsCeiling}× ceiling, ${report.batch.vsNaive}× naive\n` +
      `  /ingest/osmand (1 fix/request): ${report.osmand.requestsPerSec} req/s, p99 ${osmand.p99} ms — ${report.osmand.vsCeiling}× ceiling, ${report.osmand.vsNaive}× naive`,
  );
} finally {
  await drop();
}
