// `npm run bench:replay`: the time machine's state at T on a long history.
//
// On the PostGIS server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// in a database of its own (gs_bench_replay, kept between runs so a re-run
// skips the load; BENCH_REPLAY_DROP=1 drops it at the end): 200 teams with one
// device each, one fix per 5 s for 7 days (≈ 24 M rows), generated in SQL
// with generate_series in time order, as ingest appends them. Then, over random
// T in the window:
//   - state at T as the app runs it (db/replay.ts getTeamsAt: one backward
//     probe of the unique (device_id, fix_time) index per device), p50/p95;
//   - the naive `SELECT DISTINCT ON (device_id) … WHERE fix_time <= T ORDER BY
//     device_id, fix_time DESC`, p50/p95 (fewer samples: it reads the history);
//   - one 10-minute history chunk (db/replay.ts getTracks), p50/p95;
//   - the incidents at T (db/replay.ts getIncidentStatesAt: candidates by
//     index, status and severity at T from each one's timeline), p50/p95, on
//     BENCH_REPLAY_INCIDENTS incidents (2,000 a day by default) spread over
//     the window, regenerated each run: a five-step timeline each (report,
//     dispatch, on scene with a severity change, resolve, close), every tenth
//     still open;
// with the ratio of the naive p50 to the indexed p50, in the same run.
//
// Sizes: BENCH_REPLAY_DAYS (7), BENCH_REPLAY_DEVICES (200), BENCH_REPLAY_STEP_S (5),
// BENCH_REPLAY_SAMPLES (200), BENCH_REPLAY_NAIVE_SAMPLES (10); the history sits in
// BENCH_REPLAY_PARTITION_DAYS (93) day partitions of positions, the window's and empty ones before it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { getIncidentStatesAt, getTeamsAt, getTracks } from '../db/replay';
import { mulberry32 } from '../lib/sim/township/prng';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'gs_bench_replay';
const DAYS = Number(process.env.BENCH_REPLAY_DAYS ?? 7);
const DEVICES = Number(process.env.BENCH_REPLAY_DEVICES ?? 200);
const STEP_S = Number(process.env.BENCH_REPLAY_STEP_S ?? 5);
const SAMPLES = Number(process.env.BENCH_REPLAY_SAMPLES ?? 200);
const NAIVE_SAMPLES = Number(process.env.BENCH_REPLAY_NAIVE_SAMPLES ?? 10);
const INCIDENTS = Number(process.env.BENCH_REPLAY_INCIDENTS ?? 2_000 * DAYS);
/** The window ends here (fixed, so a kept database matches the next run). */
const END = Date.parse('2025-06-08T00:00:00Z');
const START = END - DAYS * 86_400_000;
/** Day partitions of positions (migration 0019), ending the day after the window: as many as a server keeping POSITIONS_RETENTION_DAYS (90) holds. */
const PARTITION_DAYS = Number(process.env.BENCH_REPLAY_PARTITION_DAYS ?? 93);
const progress = (msg: string) => process.stderr.write(`[bench:replay] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);

const round = (ms: number): number => Math.round(ms * 100) / 100;
function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { samples: s.length, p50_ms: round(percentile(s, 50)), p95_ms: round(percentile(s, 95)), max_ms: round(s[s.length - 1]!) };
}

async function ensureDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.end();
}

const url = await ensureDatabase();
// The load and the naive baseline run for minutes: no statement timeout worth the name here.
const db = await openDb({ databaseUrl: url, queryTimeoutMs: 3_600_000, setupTimeoutMs: 3_600_000 });
await migrate(db);

const size = `${DAYS}d×${DEVICES}×${STEP_S}s in ${PARTITION_DAYS} day partitions`;
await db.exec(`CREATE TABLE IF NOT EXISTS bench_replay_meta (size text PRIMARY KEY, rows bigint NOT NULL, load_s real NOT NULL)`);
const meta = (await db.query<{ rows: string; load_s: number }>(`SELECT rows::text, load_s FROM bench_replay_meta WHERE size = $1`, [size])).rows[0];
let rows: number;
let loadSeconds: number;
if (meta) {
  rows = Number(meta.rows);
  loadSeconds = meta.load_s;
  progress(`history ${size} already loaded (${rows.toLocaleString()} rows, loaded in ${loadSeconds} s)`);
} else {
  progress(`loading ${size} into ${DB_NAME}`);
  const t0 = performance.now();
  await db.exec(`TRUNCATE positions, unit_state, alerts, assignments, incidents CASCADE; DELETE FROM bench_replay_meta`);
  await db.exec(`DELETE FROM devices; DELETE FROM teams`);
  await db.query(
    `INSERT INTO teams (id, code, name, name_en, force_type, size)
     SELECT n, 'B' || n, '测试队' || n, 'Bench team ' || n, 'armband', 3 FROM generate_series(1, $1::int) n`,
    [DEVICES],
  );
  await db.query(
    `INSERT INTO devices (id, team_id, secret_hash, label)
     SELECT n, n, encode(sha256(convert_to('bench-replay-' || n, 'UTF8')), 'hex'), 'bench ' || n FROM generate_series(1, $1::int) n`,
    [DEVICES],
  );
  // Bulk load without the indexes, then build them once (a sorted build is several times faster than
  // 24 M index insertions). The GiST on geom is not rebuilt: no replay read uses it, and it would double
  // the load time on this machine.
  await db.exec(`DROP INDEX IF EXISTS positions_geom_idx; DROP INDEX IF EXISTS positions_fix_time_brin;
                 ALTER TABLE positions DROP CONSTRAINT IF EXISTS positions_device_id_fix_time_key`);
  // The window's days in their own partitions, and empty ones before it, as a running server keeps them:
  // the planner and the time machine's probes see as many partitions as in production.
  await db.query(
    `SELECT positions_ensure_days(ARRAY(SELECT generate_series(d - $2::int + 1, d, interval '1 day')::date
                                        FROM (SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date + 1 AS d) e))`,
    [new Date(END).toISOString(), PARTITION_DAYS],
  );
  const perDay = Math.round(86_400 / STEP_S);
  const ticks = Math.round((DAYS * 86_400) / STEP_S);
  for (let day = 0; day * perDay < ticks; day++) {
    // Time-major order: the heap holds the fixes as ingest appends them (all devices, tick by tick).
    await db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, received_at, geom, speed, heading, battery)
       SELECT d, d, ts, ts, ST_SetSRID(ST_MakePoint(100 + (d % 20) * 0.01 + 0.004 * sin(i / 60.0 + d),
                                                     31 + (d / 20) * 0.01 + 0.004 * cos(i / 85.0 + d)), 4326),
              1.4, (i * 7 + d) % 360, 80
       FROM generate_series($1::int, $2::int) i
       CROSS JOIN LATERAL (SELECT to_timestamp($3::float8 / 1000 + i * $4::int) AS ts) t
       CROSS JOIN generate_series(1, $5::int) d`,
      [day * perDay, Math.min(ticks, (day + 1) * perDay) - 1, START, STEP_S, DEVICES],
    );
    progress(`day ${day + 1}/${Math.ceil(DAYS)} loaded (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  await db.exec(`ALTER TABLE positions ADD CONSTRAINT positions_device_id_fix_time_key UNIQUE (device_id, fix_time)`);
  progress(`unique (device_id, fix_time) built (${Math.round((performance.now() - t0) / 1000)} s)`);
  await db.exec(`CREATE INDEX positions_fix_time_brin ON positions USING brin (fix_time)`);
  await db.exec(`VACUUM ANALYZE positions`);
  rows = Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`)).rows[0]!.n);
  loadSeconds = Math.round((performance.now() - t0) / 1000);
  await db.query(`INSERT INTO bench_replay_meta (size, rows, load_s) VALUES ($1, $2, $3)`, [size, rows, loadSeconds]);
  progress(`loaded ${rows.toLocaleString()} rows in ${loadSeconds} s`);
}

// A fixed seed: every run samples the same T.
const rand = mulberry32(13);
const randomT = () => new Date(START + 3_600_000 + rand() * (END - START - 3_600_000)).toISOString();

// Warm up both (the first reads fetch index and catalogue pages).
for (let i = 0; i < 5; i++) await getTeamsAt(db, { at: randomT() });

progress(`state at T (indexed), ${SAMPLES} samples`);
/** Times `read` at SAMPLES random T; returns the times (ms) and the last answer. */
async function atRandomT<R>(read: (at: string) => Promise<R>): Promise<{ times: number[]; last: R | undefined }> {
  const times: number[] = [];
  let last: R | undefined;
  for (let i = 0; i < SAMPLES; i++) {
    const at = randomT();
    const t = performance.now();
    last = await read(at);
    times.push(performance.now() - t);
  }
  return { times, last };
}
const { times: indexed, last: lastTeams } = await atRandomT((at) => getTeamsAt(db, { at }));
const placed = (lastTeams ?? []).filter((u) => u.position !== null).length;

progress(`state at T (naive DISTINCT ON), ${NAIVE_SAMPLES} samples`);
const naive: number[] = [];
for (let i = 0; i < NAIVE_SAMPLES; i++) {
  const at = randomT();
  const t = performance.now();
  const { rows: r } = await db.query(
    `SELECT DISTINCT ON (device_id) device_id, fix_time, ST_X(geom) AS lon, ST_Y(geom) AS lat
     FROM positions WHERE fix_time <= $1::timestamptz AND fix_time >= $2::timestamptz
     ORDER BY device_id, fix_time DESC`,
    [at, new Date(START).toISOString()],
  );
  naive.push(performance.now() - t);
  if (r.length !== DEVICES) throw new Error(`naive query found ${r.length} devices, expected ${DEVICES}`);
}

progress(`10-minute history chunk, 20 samples`);
const chunk: number[] = [];
let fixesPerChunk = 0;
for (let i = 0; i < 20; i++) {
  const from = Date.parse(randomT());
  const t = performance.now();
  const tracks = await getTracks(db, { from: new Date(from).toISOString(), to: new Date(from + 600_000).toISOString() });
  chunk.push(performance.now() - t);
  fixesPerChunk = tracks.reduce((n, tr) => n + tr.t.length, 0);
}

progress(`incidents at T: ${INCIDENTS.toLocaleString()} incidents, ${SAMPLES} samples`);
await db.exec(`TRUNCATE incidents CASCADE`);
// Deterministic (no random()): every run holds the same incidents. Incident k is reported at an even
// spacing over the window; its steps follow 5, 20, 60, 120 and 240 minutes later; every tenth stays on scene.
await db.query(
  `INSERT INTO incidents (category, severity, status, title, source, geom, reported_at, updated_at,
                          resolved_at, closed_at, outcome, timeline)
   SELECT 'public_order', s.now_sev, CASE WHEN s.open THEN 'on_scene' ELSE 'closed' END, 'bench ' || k, 'coordinator',
          ST_SetSRID(ST_MakePoint(100 + (k % 97) * 0.002, 31 + (k % 89) * 0.002), 4326),
          s.at, s.at + CASE WHEN s.open THEN interval '60 min' ELSE interval '240 min' END,
          CASE WHEN s.open THEN NULL ELSE s.at + interval '120 min' END,
          CASE WHEN s.open THEN NULL ELSE s.at + interval '240 min' END,
          CASE WHEN s.open THEN NULL ELSE 'mediated' END,
          jsonb_build_array(
            jsonb_build_object('at', s.at, 'action', 'reported', 'status', 'reported', 'severity', s.first_sev),
            jsonb_build_object('at', s.at + interval '5 min', 'action', 'dispatched', 'status', 'dispatched', 'severity', null),
            jsonb_build_object('at', s.at + interval '20 min', 'action', 'acknowledged'),
            jsonb_build_object('at', s.at + interval '60 min', 'action', 'on_scene', 'status', 'on_scene',
                               'severity', s.now_sev, 'fromSeverity', s.first_sev))
          || CASE WHEN s.open THEN '[]'::jsonb ELSE jsonb_build_array(
            jsonb_build_object('at', s.at + interval '120 min', 'action', 'resolved', 'status', 'resolved', 'severity', null),
            jsonb_build_object('at', s.at + interval '240 min', 'action', 'closed', 'status', 'closed', 'severity', null)) END
   FROM generate_series(1, $1::int) k
   CROSS JOIN LATERAL (SELECT to_timestamp(($2::float8 + (k - 1) * $3::float8) / 1000) AS at,
                              1 + k % 3 AS first_sev, 1 + (k + 1) % 4 AS now_sev, k % 10 = 0 AS open) s`,
  [INCIDENTS, START, (END - START) / INCIDENTS],
);
await db.exec(`ANALYZE incidents`);
for (let i = 0; i < 5; i++) await getIncidentStatesAt(db, { at: randomT() });
const { times: incidentsAt, last: lastIncidents } = await atRandomT((at) => getIncidentStatesAt(db, { at }));
const incidentsShown = lastIncidents?.length ?? 0;

const plan = (
  await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT q.fix_time FROM positions q WHERE q.device_id = 1 AND q.fix_time <= $1::timestamptz ORDER BY q.fix_time DESC LIMIT 1`,
    [new Date(END - 86_400_000).toISOString()],
  )
).rows
  .map((r) => r['QUERY PLAN'])
  .join('\n');

const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) },
  size: { days: DAYS, devices: DEVICES, stepSeconds: STEP_S, rows, loadSeconds },
  stateAtT: { ...summary(indexed), teamsPlaced: placed },
  naiveDistinctOn: summary(naive),
  ratioP50: round(percentile(naive, 50) / percentile(indexed, 50)),
  chunk10min: { ...summary(chunk), fixes: fixesPerChunk },
  incidentsAtT: { ...summary(incidentsAt), incidents: INCIDENTS, shownAtLastT: incidentsShown },
  perDevicePlan: plan,
};
await db.close();
if (process.env.BENCH_REPLAY_DROP === '1') await dropDatabase();
mkdirSync(join(ROOT, '.bench'), { recursive: true });
writeFileSync(join(ROOT, '.bench', 'replay.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
const target = report.stateAtT.p95_ms < 100;
console.log(`incidents at T p50 ${report.incidentsAtT.p50_ms} ms, p95 ${report.incidentsAtT.p95_ms} ms (${INCIDENTS.toLocaleString()} incidents)`);
console.log(`state at T p95 ${report.stateAtT.p95_ms} ms (target < 100 ms: ${target ? 'met' : 'NOT met'}); naive p50 / indexed p50 = ${report.ratioP50}×`);
