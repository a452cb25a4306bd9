// `npm run start:cluster`: several GridSight processes behind nginx on one
// host. Builds if needed and migrates, once; starts CLUSTER_PROCESSES servers
// on 127.0.0.1:PORT+1…PORT+N — server.ts, what `npm start` runs after its
// build check, which is done here so that N processes never build at once —
// waits until each answers /api/health, then serves them through nginx on
// HOST:PORT. A process that exits is started again after 1 s; Ctrl-C or
// SIGTERM stops them all.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../lib/config';
import { buildIfNeeded } from './build-if-needed';
import { findNginx, spawnNginx } from './cluster/nginx-config';

const ROOT = join(import.meta.dirname, '..');
/** A first start migrates nothing (done here) but may seed the demo and prepares Next: well under this. */
const START_TIMEOUT_MS = 180_000;
/** server.ts exits by itself 10 s after a signal at the latest. */
const STOP_TIMEOUT_MS = 15_000;
const RESTART_DELAY_MS = 1_000;

interface Member {
  name: string;
  port: number;
  child: ChildProcess | null;
}

function fail(message: string): never {
  console.error(`[cluster] ${message}`);
  process.exit(2);
}

function readSettings(): { config: Config; processes: number } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (!config.DATABASE_URL) {
    fail('DATABASE_URL is not set: the processes must share a PostgreSQL + PostGIS server (the embedded database belongs to one process). Set DATABASE_URL=postgres://user:pass@host:5432/gridsight.');
  }
  if (!config.REDIS_URL) {
    fail('REDIS_URL is not set: the processes share live events and rate limits through Redis. Set REDIS_URL=redis://127.0.0.1:6379.');
  }
  const processes = z.coerce.number().int().min(1).max(64).default(2).safeParse(process.env.CLUSTER_PROCESSES || undefined);
  if (!processes.success) fail(`CLUSTER_PROCESSES: must be a whole number 1-64 (got ${JSON.stringify(process.env.CLUSTER_PROCESSES)})`);
  if (config.PORT + processes.data > 65535) fail(`PORT: ${config.PORT} + ${processes.data} processes runs past port 65535`);
  return { config, processes: processes.data };
}

/** Each line of the child's output, prefixed with its name. */
function prefixOutput(child: ChildProcess, name: string): void {
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => console.log(`[${name}] ${line}`));
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => console.error(`[${name}] ${line}`));
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited, killing it after `ms`. */
function exited(child: ChildProcess, ms: number): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
  });
}

/** Resolves once `port` answers /api/health with 200; rejects when `child` exits first or it takes too long. */
async function healthy(name: string, child: ChildProcess, port: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!hasExited(child)) {
    try {
      const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer /api/health within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} exited before it answered /api/health`);
}

const { config, processes } = readSettings();
const nginxBin = findNginx() ?? fail('nginx was not found on PATH or at /usr/sbin/nginx: apt-get install nginx');

buildIfNeeded();
// Once, before any server starts: the servers would each run them, at the same time.
const migrated = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'migrate.ts')], { cwd: ROOT, stdio: 'inherit' });
if (migrated.status !== 0) fail('migrations failed (above); nothing was started');

const members: Member[] = Array.from({ length: processes }, (_, i) => ({ name: `p${i + 1}`, port: config.PORT + i + 1, child: null }));
let up = false;
let stopping = false;
let nginx: ChildProcess | null = null;
const runDir = mkdtempSync(join(tmpdir(), 'gridsight-cluster-'));

function startMember(member: Member): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server.ts')], {
    cwd: ROOT,
    // Behind our nginx: the client is the address it forwards (per-address limits, the audit log).
    env: { TRUST_PROXY: 'loopback', ...process.env, PORT: String(member.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  member.child = child;
  prefixOutput(child, member.name);
  child.on('exit', (code, signal) => {
    // Before the set is up, an exit fails the start (healthy() rejects): a wrong setting would only exit again.
    if (stopping || !up) return;
    console.error(`[cluster] ${member.name} exited (${signal ?? `code ${code}`}); starting it again in ${RESTART_DELAY_MS / 1000} s`);
    setTimeout(() => {
      if (stopping) return;
      healthy(member.name, startMember(member), member.port).then(
        () => console.log(`[cluster] ${member.name} is back on port ${member.port}`),
        (err: unknown) => console.error(`[cluster] ${(err as Error).message}`),
      );
    }, RESTART_DELAY_MS);
  });
  return child;
}

async function stop(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[cluster] ${reason}: stopping nginx and ${processes} processes`);
  const children = [nginx, ...members.map((m) => m.child)].filter((c): c is ChildProcess => c !== null);
  for (const child of children) if (!hasExited(child)) child.kill('SIGTERM');
  await Promise.all(children.map((c) => exited(c, STOP_TIMEOUT_MS)));
  rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  try {
    // The first alone: on a new database it seeds the demo township and prints the demo accounts once.
    const [first, ...rest] = members as [Member, ...Member[]];
    await healthy(first.name, startMember(first), first.port);
    await Promise.all(rest.map((m) => healthy(m.name, startMember(m), m.port)));
  } catch (err) {
    return stop(`start failed: ${(err as Error).message}`, 1);
  }
  if (stopping) return;
  up = true;

  const { child: proxy, conf } = spawnNginx(nginxBin, runDir, { listenHost: config.HOST, listenPort: config.PORT, processPorts: members.map((m) => m.port) }, ['ignore', 'pipe', 'pipe']);
  nginx = proxy;
  prefixOutput(proxy, 'nginx');
  proxy.on('exit', (code, signal) => void stop(`nginx exited (${signal ?? `code ${code}`})`, 1));
  try {
    await healthy('nginx', proxy, config.PORT, ['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST);
  } catch (err) {
    return stop(`start failed: ${(err as Error).message}`, 1);
  }
  console.log(
    `[cluster] GridSight on http://localhost:${config.PORT} through nginx (${conf}), ${processes} processes on 127.0.0.1 ports ${members.map((m) => m.port).join(', ')}`,
  );
}

await main();
