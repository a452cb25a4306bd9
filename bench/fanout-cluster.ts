// `npm run bench:fanout:cluster`: the live feed (compact) from one GridSight
// process against two behind nginx (issue 15: "total deliveries per second at
// p99 < 250 ms at least 1.5× one process on the same machine, or, if two
// cores cannot show it, the reason measured"). On a fresh database on the
// PostGIS server with 1,000 teams of one device each (bench/fanout.ts's
// setup), three server processes (bench/cluster-server.ts) join through
// Redis: "1 process" is one of them alone (its own REDIS_KEY_PREFIX, so the
// same adapter path, nothing to share), reached directly; "2 processes" are
// the other two (another prefix) behind nginx (scripts/cluster's
// configuration), devices and dashboards both through nginx. For each row the
// two configurations run one after the other, each first in every other row,
// so a shared machine's load falls on both alike. bench/fanout-client.ts runs
// the devices and the dashboards, each in a process of its own; a device posts
// its next fix only once the last is answered, so when ingest falls behind
// fewer fixes are stored (fixes stored/s) and deliveries/s falls with them.
//
// CPU of every process involved — each server, nginx (master and worker),
// Redis, PostgreSQL (every postgres process on the machine), both client
// processes — and of the whole machine, from /proc over the measured window.
//
// Needs DATABASE_URL (the PostGIS server) and REDIS_URL. BENCH_SECONDS
// (default 10) per phase after a 3 s warm-up; BENCH_ROWS
// ("1000x100,1000x200,1000x400") picks rows.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { findNginx, spawnNginx } from '../scripts/cluster/nginx-config';
import { runPhase, seedFanout, type DashboardsResult, type DevicesResult } from './fanout-phase';
import { freshDatabase } from './fresh-db';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const ROWS = (process.env.BENCH_ROWS ?? '1000x100,1000x200,1000x400').split(',').map((r) => r.split('x').map(Number) as [devices: number, dashboards: number]);
const DEVICES = Math.max(...ROWS.map((r) => r[0]));
const DASHBOARDS = Math.max(...ROWS.map((r) => r[1]));
const P99_TARGET_MS = 250;
/**
 * Updates for fixes timed inside the window are counted this long after it
 * (bench/fanout.ts: 2 s): on a loaded machine a fix may be answered seconds
 * late, and "delivered" must tell a late update from a lost one.
 */
const DRAIN_MS = 10_000;
const NGINX_PORT = 3500;
const FIRST_SERVER_PORT = 3501;
/** /proc times are in clock ticks: 100 a second on Linux (getconf CLK_TCK). */
const CLK_TCK = 100;
/** The devices process ends when its last fix is answered, right at the window's end: CPU is read this much before it. */
const CPU_WINDOW_END_MS = 500;

function refuse(message: string): never {
  console.error(`[bench:fanout:cluster] ${message}`);
  process.exit(2);
}

if (!process.env.DATABASE_URL) refuse('DATABASE_URL is not set: the processes share a PostgreSQL + PostGIS server (DATABASE_URL=postgres://user@host:5432/db).');
const redisUrl = process.env.REDIS_URL ?? refuse('REDIS_URL is not set: the processes join through Redis (REDIS_URL=redis://127.0.0.1:6379).');
const nginxBin = findNginx() ?? refuse('nginx was not found on PATH or at /usr/sbin/nginx: apt-get install nginx');
if (ROWS.some(([d, n]) => !(d > 0 && n > 0))) refuse(`BENCH_ROWS: rows are DEVICESxDASHBOARDS, comma-separated (got ${process.env.BENCH_ROWS})`);

// ---- CPU from /proc ----

/** utime + stime (and the reaped children's) of one process, in seconds; null when it is gone or not on this machine. */
function processCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Every running process whose command is `name` (PostgreSQL's backends, say). */
function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** nginx's master and its workers. */
function nginxPids(master: number): number[] {
  try {
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim();
    return [master, ...(children ? children.split(' ').map(Number) : [])];
  } catch {
    return [master];
  }
}

/** The whole machine: busy and total CPU seconds (all cores) since boot. */
function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / CLK_TCK, total: (busy + idle! + iowait!) / CLK_TCK };
}

type Sample = Map<number, number>;
function sample(pids: number[]): Sample {
  const out: Sample = new Map();
  for (const pid of pids) {
    const cpu = processCpu(pid);
    if (cpu !== null) out.set(pid, cpu);
  }
  return out;
}
/** CPU % (100 = one core) of `pids` between two samples `seconds` apart; null when none was seen in both. */
function cpuPct(before: Sample, after: Sample, pids: number[], seconds: number): number | null {
  let used = 0;
  let seen = false;
  for (const pid of pids) {
    const a = before.get(pid);
    const b = after.get(pid);
    if (a === undefined || b === undefined) continue;
    used += b - a;
    seen = true;
  }
  return seen ? Math.round((used / seconds) * 100) : null;
}

// ---- server processes and nginx ----

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  log(): string;
}

async function startServer(name: string, port: number, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'cluster-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, CLUSTER_SERVER_ENV: JSON.stringify({ ...env, PORT: String(port) }) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{"port":')) resolve();
      else log += `${line}\n`;
    });
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening:\n${log}`)));
  });
  return { name, port, child, pid: child.pid!, exited, log: () => log };
}

/** Ends its stdin (it writes what it holds, closes and exits); killed after 15 s. */
async function stopServer(server: Server): Promise<void> {
  server.child.stdin?.end();
  const kill = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  const code = await server.exited;
  clearTimeout(kill);
  if (code !== 0) console.error(`[bench] ${server.name} exited with ${code}:\n${server.log().slice(-2000)}`);
}

async function startNginx(runDir: string, ports: number[]): Promise<ChildProcess> {
  const { child } = spawnNginx(nginxBin, runDir, { listenHost: '127.0.0.1', listenPort: NGINX_PORT, processPorts: ports }, ['ignore', 'inherit', 'inherit']);
  // Up once a request reaches a process through it (anything but nginx's own 502/504).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}) at start`);
    try {
      const res = await fetch(`http://127.0.0.1:${NGINX_PORT}/bench-probe`, { signal: AbortSignal.timeout(1_000) });
      if (res.status !== 502 && res.status !== 504) return child;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('nginx did not pass a request to the processes within 10 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function redisPid(redis: ReturnType<typeof createClient>): Promise<number | null> {
  const info = String(await redis.sendCommand(['INFO', 'server']));
  const pid = /process_id:(\d+)/.exec(info)?.[1];
  // Only a Redis on this machine is ours to read in /proc.
  return pid && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(redisUrl).hostname) ? Number(pid) : null;
}

async function deleteKeys(redis: ReturnType<typeof createClient>, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = (await redis.sendCommand(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'])) as [string, string[]];
    cursor = next;
    if (keys.length > 0) deleted += Number(await redis.sendCommand(['UNLINK', ...keys]));
  } while (cursor !== '0');
  return deleted;
}

// ---- the run ----

interface Configuration {
  name: '1 process' | '2 processes behind nginx';
  servers: Server[];
  url: string;
}
interface Phase extends DashboardsResult, DevicesResult {
  configuration: Configuration['name'];
  deliveredShare: number;
  /** CPU % over the measured window, 100 = one core. */
  cpu: {
    servers: (number | null)[];
    nginx: number | null;
    redis: number | null;
    postgres: number | null;
    dashboardsClient: number | null;
    devicesClient: number | null;
    /** Every process on the machine, 200 = both cores of two. */
    machine: number;
  };
  load1: number;
}

const prefix = `gsbench${Date.now().toString(36)}`;
const redis = createClient({ url: redisUrl });
redis.on('error', (err: Error) => console.error('[bench] Redis:', err.message));
await redis.connect();
const { db, label, url: databaseUrl, drop } = await freshDatabase('gs_fanout_cluster');
const servers: Server[] = [];
let nginx: ChildProcess | null = null;
const runDir = mkdtempSync(join(tmpdir(), 'gridsight-bench-cluster-'));
// nginx is not ours to leave behind if this process dies (the servers end with their stdin).
const killNginx = () => nginx?.kill('SIGTERM');
process.once('exit', killNginx);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const loadavgNow = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const uptimeBefore = loadavgNow();
try {
  const { lon, lat, identifiers, cookies } = await seedFanout(db, { devices: DEVICES, dashboards: DASHBOARDS });
  const env = (keyPrefix: string): Record<string, string> => ({
    SIM_ENABLED: 'false',
    DATABASE_URL: databaseUrl!,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    RULES_INTERVAL_MS: '600000',
    SOCKETS_PER_ADDRESS: '10000',
    // One fix a second per device is 10 per 10 s: far under this, whichever process takes it.
    INGEST_DEVICE_FIXES_PER_10S: '100000',
  });
  // One at a time: each starts its leadership and Redis link; the first takes the leader's duties.
  servers.push(await startServer('p1 (alone)', FIRST_SERVER_PORT, env(`${prefix}-1p`)));
  servers.push(await startServer('p2', FIRST_SERVER_PORT + 1, env(`${prefix}-2p`)));
  servers.push(await startServer('p3', FIRST_SERVER_PORT + 2, env(`${prefix}-2p`)));
  nginx = await startNginx(runDir, [FIRST_SERVER_PORT + 1, FIRST_SERVER_PORT + 2]);
  const configurations: Configuration[] = [
    { name: '1 process', servers: [servers[0]!], url: `http://127.0.0.1:${FIRST_SERVER_PORT}` },
    { name: '2 processes behind nginx', servers: [servers[1]!, servers[2]!], url: `http://127.0.0.1:${NGINX_PORT}` },
  ];
  const redisProcess = await redisPid(redis);

  const phases: Phase[] = [];
  for (const [row, [devices, dashboards]] of ROWS.entries()) {
    // Each configuration goes first in every other row: a shared machine's load, rising or falling, does not favour one.
    for (const configuration of row % 2 === 0 ? configurations : [...configurations].reverse()) {
      const clients: Record<'dashboards' | 'devices', number | null> = { dashboards: null, devices: null };
      let cpu: Phase['cpu'] | null = null;
      let sampled: Promise<void> = Promise.resolve();
      const r = await runPhase(
        { url: configuration.url, cookies: cookies.slice(0, dashboards), devices: identifiers.slice(0, devices), lon, lat },
        { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, drainMs: DRAIN_MS },
        {
          onSpawn: (role, pid) => (clients[role] = pid),
          onWindow: (from, until) => {
            const sleepUntil = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));
            sampled = (async () => {
              await sleepUntil(from);
              const pids = () => [
                ...configuration.servers.map((s) => s.pid),
                ...(nginx?.pid !== undefined ? nginxPids(nginx.pid) : []),
                ...(redisProcess !== null ? [redisProcess] : []),
                ...pidsNamed('postgres'),
                ...[clients.dashboards, clients.devices].filter((p): p is number => p !== null),
              ];
              const at0 = performance.now();
              const m0 = machineCpu();
              const s0 = sample(pids());
              await sleepUntil(until - CPU_WINDOW_END_MS);
              const s1 = sample(pids());
              const m1 = machineCpu();
              const seconds = (performance.now() - at0) / 1000;
              const pct = (list: number[]) => cpuPct(s0, s1, list, seconds);
              const postgres = pidsNamed('postgres');
              cpu = {
                servers: configuration.servers.map((s) => pct([s.pid])),
                // Through nginx only in the second configuration; the first does not touch it.
                nginx: configuration.name === '1 process' || nginx?.pid === undefined ? null : pct(nginxPids(nginx.pid)),
                redis: redisProcess === null ? null : pct([redisProcess]),
                postgres: pct(postgres),
                dashboardsClient: clients.dashboards === null ? null : pct([clients.dashboards]),
                devicesClient: clients.devices === null ? null : pct([clients.devices]),
                machine: Math.round(((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length * 100),
              };
            })();
          },
        },
      );
      await sampled;
      // Unit updates received per fix stored per dashboard: 1 means every fix reached every dashboard once, whichever process stored it.
      const deliveredShare = r.fixesPosted === 0 ? 0 : +(r.deliveries / (r.fixesPosted * dashboards)).toFixed(3);
      const phase: Phase = { configuration: configuration.name, deliveredShare, cpu: cpu!, load1: +loadavg()[0]!.toFixed(2), ...r };
      phases.push(phase);
      const c = phase.cpu;
      console.error(
        `${String(devices).padStart(5)} devices ${String(dashboards).padStart(4)} dashboards, ${configuration.name.padEnd(24)}: ` +
          `${Math.round(phase.fixesPosted / SECONDS)} fixes/s, ${phase.deliveriesPerSec} deliveries/s (share ${deliveredShare}), p50 ${phase.p50} ms p95 ${phase.p95} ms p99 ${phase.p99} ms, ` +
          `ingest p99 ${phase.postP99} ms (${phase.failed} failed, ${phase.refused} refused); CPU % servers ${c.servers.join('+')}, nginx ${c.nginx}, ` +
          `Redis ${c.redis}, postgres ${c.postgres}, dashboards ${c.dashboardsClient}, devices ${c.devicesClient}, machine ${c.machine}/${cpus().length * 100}; load ${phase.load1}`,
      );
      // Let the last updates drain and the sockets go before the next phase.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  const meets = (p: Phase) => p.p99 < P99_TARGET_MS && p.deliveredShare === 1 && p.failed === 0 && p.refused === 0;
  const rows = ROWS.map(([devices, dashboards]) => {
    const of = (name: Configuration['name']) => phases.find((p) => p.devices === devices && p.dashboards === dashboards && p.configuration === name)!;
    const one = of('1 process');
    const two = of('2 processes behind nginx');
    const failing = [one, two].filter((p) => !meets(p)).map((p) => `${p.configuration}: p99 ${p.p99} ms, delivered ${p.deliveredShare}`);
    return {
      devices,
      dashboards,
      ratio: failing.length === 0 ? +(two.deliveriesPerSec / one.deliveriesPerSec).toFixed(3) : null,
      note: failing.length === 0 ? 'both under the target: the same offered load, so ≈ 1 by construction' : `target missed (${failing.join('; ')})`,
    };
  });
  // Capacity: the most deliveries/s a configuration served within the target, over the rows run.
  const capacity = (name: Configuration['name']) => Math.max(0, ...phases.filter((p) => p.configuration === name && meets(p)).map((p) => p.deliveriesPerSec));
  const capacityOne = capacity('1 process');
  const capacityTwo = capacity('2 processes behind nginx');
  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    database: label,
    loadavgBefore: uptimeBefore,
    loadavgAfter: loadavgNow(),
    secondsPerPhase: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    p99TargetMs: P99_TARGET_MS,
    phases,
    rows,
    capacity: {
      oneProcess: capacityOne,
      twoProcesses: capacityTwo,
      ratio: capacityOne > 0 && capacityTwo > 0 ? +(capacityTwo / capacityOne).toFixed(3) : null,
    },
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'fanout-cluster.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  const pct = (v: number | null) => (v === null ? '–' : `${v} %`);
  console.log(`\nlive fan-out (compact), 1 process vs 2 behind nginx, on ${label} (${report.machine}), ${SECONDS} s per phase; load average ${uptimeBefore} → ${report.loadavgAfter}:`);
  console.log('| configuration | devices | dashboards | fixes stored/s | deliveries/s | delivered | p50 | p95 | p99 | ingest p99 | server CPU | nginx | Redis | PostgreSQL | dashboards client | devices client | machine | load |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of phases) {
    const c = p.cpu;
    console.log(
      `| ${p.configuration} | ${p.devices} | ${p.dashboards} | ${Math.round(p.fixesPosted / SECONDS)} | ${p.deliveriesPerSec} | ${p.deliveredShare} | ${p.p50} ms | ${p.p95} ms | ${p.p99} ms | ${p.postP99} ms | ` +
        `${c.servers.map(pct).join(' + ')} | ${pct(c.nginx)} | ${pct(c.redis)} | ${pct(c.postgres)} | ${pct(c.dashboardsClient)} | ${pct(c.devicesClient)} | ${c.machine} % of ${cpus().length * 100} % | ${p.load1} |`,
    );
  }
  for (const r of rows) console.log(`${r.devices}×${r.dashboards}: deliveries/s 2 processes ÷ 1 process ${r.ratio ?? '–'} (${r.note})`);
  console.log(
    `capacity within p99 < ${P99_TARGET_MS} ms over these rows: 1 process ${capacityOne}/s, 2 processes ${capacityTwo}/s` +
      (report.capacity.ratio === null ? '' : `, ratio ${report.capacity.ratio}`),
  );
} finally {
  await Promise.all(servers.map(stopServer));
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM');
    await gone;
  }
  process.off('exit', killNginx);
  rmSync(runDir, { recursive: true, force: true });
  const deleted = await deleteKeys(redis, prefix).catch((err: unknown) => {
    console.error(`[bench] could not delete Redis keys ${prefix}*:`, (err as Error).message);
    return 0;
  });
  console.error(`[bench] deleted ${deleted} Redis keys ${prefix}*`);
  await redis.close();
  await drop();
}
