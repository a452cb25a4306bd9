// `npm run bench:reconnect`: 100 wall displays through a server restart.
//
// The production server (server.ts, the existing `next build`) runs as a
// child process on a fresh embedded database. 100 wall sessions sign in
// through POST /api/auth/login and connect with exactly the live socket's
// options (lib/live/socket-options.ts, as lib/hooks/use-live.ts connects);
// each joins the map room and, after a reconnect that was not recovered,
// refetches the three snapshots as use-live's resync does (/api/units,
// /api/incidents, /api/alerts). The server is stopped (SIGTERM, as a deploy
// stops it) and started again on the same data folder; each client records
// when it was back. Reported per variant — the options as shipped and the
// same with randomizationFactor 0, in the same run, one restart each:
// reconnects after the server listened again (first, p50, p90, last), the
// most within any 100 ms, failed attempts during the outage, and the
// snapshot refetch burst.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { insertUser } from '../db/users';
import { hashPassword } from '../lib/auth/password';
import { LIVE_SOCKET_OPTIONS } from '../lib/live/socket-options';
import type { ClientToServerEvents, ServerToClientEvents } from '../lib/model';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { freePort } from '../tests/e2e/own-server';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const WALLS = Number(process.env.BENCH_WALLS ?? 100);
const USERNAME = 'bench-wall';
const PASSWORD = 'bench-wall-password-0123456789';
/** A first start seeds the township and prepares Next; on the 2-core machine well under this. */
const START_TIMEOUT_MS = 180_000;
/** How long the clients are given to come back after the server listens again (the back-off caps at 10 s). */
const RECONNECT_TIMEOUT_MS = 60_000;
const SNAPSHOTS = ['/api/units', '/api/incidents', '/api/alerts'] as const;
const WINDOW_MS = 100;

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// ---------------------------------------------------------------- the server

class ServerProcess {
  #proc: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  readonly #log: string[] = [];

  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  /** Starts server.ts and resolves with the time (Date.now()) its "listening" line arrived. */
  start(): Promise<number> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        // The embedded engine on a folder that survives the restart, whatever the caller's environment says.
        DATABASE_URL: '',
        DATA_DIR: this.dataDir,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        // Nothing moves: what the clients do is all there is.
        SIM_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#proc = proc;
    this.#exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      let rest = '';
      const failed = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) while starting:\n${this.#log.join('\n')}`));
      };
      const timer = setTimeout(() => {
        proc.off('exit', failed);
        reject(new Error(`server did not listen within ${START_TIMEOUT_MS} ms:\n${this.#log.join('\n')}`));
      }, START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          this.#log.push(line);
          if (this.#log.length > 40) this.#log.shift();
          if (line.includes('[http] GridSight on ')) {
            clearTimeout(timer);
            proc.off('exit', failed);
            resolve(Date.now());
          }
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.#log.push(line);
      });
      proc.once('exit', failed);
    });
  }

  /** SIGTERM, as an operator or a deploy stops it; resolves once the process has exited. */
  async stop(): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    proc.kill('SIGTERM');
    const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(force);
    this.#proc = null;
  }
}

// ---------------------------------------------------------------- figures

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
/** The most values within any window of `ms` (values sorted). */
function peakWithin(xs: readonly number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < xs.length; j++) {
    while (xs[j]! - xs[i]! >= ms) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

interface Spread {
  first: number;
  p50: number;
  p90: number;
  last: number;
}
const spread = (xs: readonly number[]): Spread => ({ first: xs[0]!, p50: percentile(xs, 50), p90: percentile(xs, 90), last: xs[xs.length - 1]! });

interface VariantResult {
  randomizationFactor: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  walls: number;
  /** SIGTERM → the restarted server's "listening" line. */
  outageMs: number;
  /** Every wall back (connected again) within RECONNECT_TIMEOUT_MS. */
  reconnected: number;
  recovered: number;
  /** Reconnects, ms after the server listened again. */
  reconnectMs: Spread;
  /** The most reconnects within any 100 ms. */
  peakPer100ms: number;
  /** The most reconnect attempts begun within any 100 ms once the server listened: the storm the server is asked to take. */
  peakAttemptsPer100ms: number;
  /** Failed reconnect attempts per wall while the server was away. */
  failedAttempts: { mean: number; max: number };
  /** The snapshot refetches after the unrecovered reconnects (3 per wall). */
  refetch: { requests: number; failed: number; peakStartsPer100ms: number; peakInFlight: number; latencyMs: Spread; doneMs: number };
}

// ---------------------------------------------------------------- the walls

interface Wall {
  socket: WallSocket;
  connects: { at: number; recovered: boolean }[];
  attempts: number;
  /** When each reconnect attempt began (Date.now()). */
  attemptsAt: number[];
  fetches: { start: number; end: number; ok: boolean }[];
}

async function refetch(baseUrl: string, cookie: string, wall: Wall): Promise<void> {
  await Promise.all(
    SNAPSHOTS.map(async (path) => {
      const start = Date.now();
      const ok = await fetch(`${baseUrl}${path}`, { headers: { cookie } }).then(
        async (r) => {
          await r.arrayBuffer();
          return r.ok;
        },
        () => false,
      );
      wall.fetches.push({ start, end: Date.now(), ok });
    }),
  );
}

/** One wall: the live hook's options (plus what separate browsers have: their own connection and cookie). */
function openWall(baseUrl: string, cookie: string, randomizationFactor: number): Wall {
  const socket: WallSocket = io(baseUrl, { ...LIVE_SOCKET_OPTIONS, randomizationFactor, forceNew: true, extraHeaders: { cookie } });
  const wall: Wall = { socket, connects: [], attempts: 0, attemptsAt: [], fetches: [] };
  socket.io.on('reconnect_attempt', () => {
    wall.attempts++;
    wall.attemptsAt.push(Date.now());
  });
  socket.on('connect', () => {
    const recovered = socket.recovered;
    wall.connects.push({ at: Date.now(), recovered });
    // As use-live: join the map; a connection that missed events (not recovered) refetches the snapshots.
    socket.emit('join', 'map', () => {
      if (!recovered && wall.connects.length > 1) void refetch(baseUrl, cookie, wall);
    });
  });
  return wall;
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runVariant(server: ServerProcess, baseUrl: string, cookies: readonly string[], randomizationFactor: number): Promise<VariantResult> {
  const walls = cookies.map((cookie) => openWall(baseUrl, cookie, randomizationFactor));
  await until(() => walls.every((w) => w.connects.length === 1), 60_000, 'every wall to connect');
  // Settle: joins answered, the first heartbeat out.
  await new Promise((r) => setTimeout(r, 1_500));
  for (const w of walls) w.attempts = 0;

  const stoppedAt = Date.now();
  await server.stop();
  const listeningAt = await server.start();
  await until(() => walls.every((w) => w.connects.length >= 2), RECONNECT_TIMEOUT_MS, 'every wall to reconnect').catch((err: unknown) =>
    console.warn((err as Error).message),
  );
  const back = walls.filter((w) => w.connects.length >= 2);
  await until(() => back.every((w) => w.connects[1]!.recovered || w.fetches.length === SNAPSHOTS.length), 60_000, 'the snapshot refetches').catch(
    (err: unknown) => console.warn((err as Error).message),
  );
  for (const w of walls) w.socket.disconnect();

  const reconnects = sorted(back.map((w) => w.connects[1]!.at - listeningAt));
  const fetches = walls.flatMap((w) => w.fetches);
  const starts = sorted(fetches.map((f) => f.start));
  // In flight: +1 at each start, −1 at each end, in time order (ends first on a tie).
  const edges = fetches.flatMap((f) => [[f.start, 1] as const, [f.end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let peakInFlight = 0;
  for (const [, d] of edges) peakInFlight = Math.max(peakInFlight, (inFlight += d));
  const attempts = walls.map((w) => w.attempts);
  return {
    randomizationFactor,
    reconnectionDelay: LIVE_SOCKET_OPTIONS.reconnectionDelay,
    reconnectionDelayMax: LIVE_SOCKET_OPTIONS.reconnectionDelayMax,
    walls: walls.length,
    outageMs: listeningAt - stoppedAt,
    reconnected: back.length,
    recovered: back.filter((w) => w.connects[1]!.recovered).length,
    reconnectMs: spread(reconnects),
    peakPer100ms: peakWithin(reconnects, WINDOW_MS),
    peakAttemptsPer100ms: peakWithin(sorted(walls.flatMap((w) => w.attemptsAt.filter((at) => at >= listeningAt))), WINDOW_MS),
    failedAttempts: {
      // socket.io counts the attempt that succeeded too.
      mean: +(attempts.reduce((a, b) => a + b, 0) / attempts.length - 1).toFixed(1),
      max: Math.max(...attempts) - 1,
    },
    refetch: {
      requests: fetches.length,
      failed: fetches.filter((f) => !f.ok).length,
      peakStartsPer100ms: peakWithin(starts, WINDOW_MS),
      peakInFlight,
      latencyMs: spread(sorted(fetches.map((f) => f.end - f.start))),
      doneMs: fetches.length ? Math.max(...fetches.map((f) => f.end)) - listeningAt : 0,
    },
  };
}

// ---------------------------------------------------------------- the run

if (!existsSync(join(ROOT, '.next', 'BUILD_ID'))) buildIfNeeded();
const dataDir = join(mkdtempSync(join(tmpdir(), 'gridsight-bench-reconnect-')), 'db');
const loadAtStart = +loadavg()[0]!.toFixed(2);
let server: ServerProcess | null = null;
try {
  // The wall account, before the first start (the server migrates again: a no-op).
  const setup = await openDb({ dataDir });
  await migrate(setup);
  await insertUser(setup, { username: USERNAME, displayName: '压测大屏', role: 'wall', passwordHash: await hashPassword(PASSWORD) });
  await setup.close();

  server = new ServerProcess(await freePort(), dataDir);
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const t0 = Date.now();
  await server.start();
  console.log(`[bench] server up in ${Date.now() - t0} ms (first start: migrations, demo seed, Next)`);

  // One session per wall, as 100 screens signing in each get their own.
  const cookies: string[] = [];
  const t1 = Date.now();
  for (let i = 0; i < WALLS; i++) {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USERNAME, password: PASSWORD, wall: true }),
    });
    if (!res.ok) throw new Error(`sign-in ${i + 1} answered ${res.status}: ${await res.text()}`);
    cookies.push(res.headers.get('set-cookie')!.split(';')[0]!);
  }
  console.log(`[bench] ${WALLS} wall sessions signed in (${Date.now() - t1} ms)`);

  const variants: VariantResult[] = [];
  for (const factor of [LIVE_SOCKET_OPTIONS.randomizationFactor, 0]) {
    console.log(`[bench] ${WALLS} walls, randomizationFactor ${factor}: restarting the server…`);
    variants.push(await runVariant(server, baseUrl, cookies, factor));
    // The server frees the 100 slots as the sockets close.
    await new Promise((r) => setTimeout(r, 1_000));
  }

  const report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: +loadavg()[0]!.toFixed(2),
    database: 'embedded PGlite + PostGIS (data folder kept across the restart)',
    walls: WALLS,
    options: LIVE_SOCKET_OPTIONS,
    variants,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'reconnect.json'), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));

  const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(i === 0 ? 22 : 9)).join(' ');
  console.log(
    [
      '',
      `${WALLS} walls reconnecting after a server restart (ms after the server listened again; delay ${LIVE_SOCKET_OPTIONS.reconnectionDelay} ms, max ${LIVE_SOCKET_OPTIONS.reconnectionDelayMax} ms):`,
      row(['randomizationFactor', 'outage', 'first', 'p50', 'p90', 'last', 'back/100ms', 'tries/100ms', 'back', 'failed']),
      ...variants.map((v) =>
        row([
          v.randomizationFactor,
          v.outageMs,
          v.reconnectMs.first,
          v.reconnectMs.p50,
          v.reconnectMs.p90,
          v.reconnectMs.last,
          v.peakPer100ms,
          v.peakAttemptsPer100ms,
          `${v.reconnected}/${v.walls}`,
          v.failedAttempts.mean,
        ]),
      ),
      '',
      'snapshot refetch after the reconnect (3 requests per wall):',
      row(['randomizationFactor', 'requests', 'failed', 'starts/100ms', 'in flight', 'p50 ms', 'p90 ms', 'max ms', 'all done']),
      ...variants.map((v) =>
        row([v.randomizationFactor, v.refetch.requests, v.refetch.failed, v.refetch.peakStartsPer100ms, v.refetch.peakInFlight, v.refetch.latencyMs.p50, v.refetch.latencyMs.p90, v.refetch.latencyMs.last, v.refetch.doneMs]),
      ),
    ].join('\n'),
  );
} finally {
  await server?.stop();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
}
