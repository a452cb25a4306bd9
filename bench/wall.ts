// The wall display's benchmarks (issue 11), each against a production server
// of its own (bench/wall-server.ts, a fresh embedded database) in Chromium:
//
//   npm run bench:wall        soak: the wall for SOAK_MINUTES (30) with the simulator
//                             accelerated; JS heap (after a full GC) and DOM nodes every 30 s
//   npm run bench:wall:idle   nothing changing: the desk map page `/`, then the wall, 60 s
//                             each — main-thread busy time and frames drawn per second
//   npm run bench:wall:load   2,000 units reporting every 5 s, 100,000 incidents in the
//                             heatmap window: the wall against a MapLibre GeoJSON
//                             `setData` baseline — frames per second and the longest task,
//                             and each camera cut's longest task (within CUT_SPAN_MS of it)
//   npm run bench:wall:layers the load's wall with parts of its map left out in turn: what
//                             each costs the GPU process per map frame (a diagnosis)
//
// Prints a JSON result (also written to .bench/wall-<mode>.json) and a table.
// `npm run docs:screenshots` (mode `shots`) takes the wall's pictures in docs/
// at 1920×1080 and 3840×2160 with the simulator running as `npm start` runs it.
// Settings: SOAK_MINUTES, MEASURE_SECONDS (60), SETTLE_SECONDS (10; the load's
// LOAD_SETTLE_SECONDS, 90), and for the
// soak SIM_REPORT_SECONDS (1) and SIM_INCIDENTS_PER_HOUR (120). WebGL is drawn in
// software here, so the ratios carry over to other machines, not the frame rates.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { buildBasemapStyle } from '../components/map/basemap-style';
import type { BasemapPayload, Role, UnitState } from '../lib/model';
import {
  COUNTERS_SCRIPT,
  CUT_MARK_SCRIPT,
  CUT_SPAN_MS,
  FRAME_TRACE_CATEGORIES,
  TASK_TRACE_CATEGORIES,
  analyseTrace,
  cdpFor,
  cpuBetween,
  cpuSnapshot,
  heapAndDom,
  launchChromium,
  machineInfo,
  metrics,
  readCounters,
  sleep,
  slope,
  table,
  waitForReady,
  type CompositorFrames,
  type MainThreadTasks,
} from './browser';
import { freePort } from '../tests/e2e/own-server';
import { recordRequests } from '../tests/e2e/requests';
import { availableViews, wallTargets, WALL_CUT_FADE, type WallCamera } from '../lib/live/wall-rotation';
import type { GridCollection, IncidentView, WallKpis } from '../lib/model';
import { profileTasks, startAllocations, startProfile, stopAllocations, stopProfile, type TaskProfile } from './profile';
import { explainTasks, startSchedTrace, stopSchedTrace } from './sched';
import { median } from './stats';
import { postAll, type FeedJob, type FeedResult, type FeedUnit } from './wall-feed';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const MODES = ['soak', 'idle', 'load', 'shots', 'layers'] as const;
type Mode = (typeof MODES)[number];
const mode = (process.argv[2] ?? 'soak') as Mode;
if (!MODES.includes(mode)) {
  console.error(`usage: tsx bench/wall.ts ${MODES.join('|')}`);
  process.exit(2);
}

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const MEASURE_S = num('MEASURE_SECONDS', 60);
const SETTLE_S = num('SETTLE_SECONDS', 10);
/**
 * The load's settle, before each page's window: the wall runs for days, so the window is its steady
 * state. 90 s holds a whole rotation of the wall's views (three at 20 s: each view's first showing —
 * its tiles, its heatmap, code run for the first time — happens once per page load) and V8's
 * memory-reducing major GC that follows a page's load (seen 58–70 s after it, 30 ms of CPU).
 */
const LOAD_SETTLE_S = num('LOAD_SETTLE_SECONDS', 90);
const SOAK_MINUTES = num('SOAK_MINUTES', 30);
const SOAK_SAMPLE_S = 30;
/** Heap growth is fitted after this warm-up (shorter for short trial runs: half the run). */
const WARM_UP_MIN = Math.min(5, SOAK_MINUTES / 2);
const LOAD_UNITS = 2_000;
const LOAD_INCIDENTS = 100_000;
const LOAD_PERIOD_S = 5;
/** PROFILE=1: a V8 CPU profile of each load page, attributed to its longest tasks (costs CPU itself: not for the figures). */
const PROFILE = process.env.PROFILE === '1';
/** ALLOC=1: where each load page allocates over the window (the sampling heap profiler; costs CPU itself: not for the figures). */
const ALLOC = process.env.ALLOC === '1';
/** The wall's camera cuts to each view (map-view.tsx: no ease on the wall), fitting bounds with this padding at 1080 px (WALL_FIT_PADDING). */
const WALL_EASE_MS = 0;
const WALL_FIT_PADDING_PX = 72;
/**
 * RAF_CALLERS=1: who asks for animation frames — each requestAnimationFrame call counted by its caller
 * (a stack frame of the page's own code), per second of the window. A diagnosis: it costs a stack per call.
 */
const RAF_CALLERS = process.env.RAF_CALLERS === '1';
/** SCHED_TRACE=1 (as root): the kernel's scheduler events in each load window, and where the main thread's time went in its longest tasks (bench/sched.ts). */
const SCHED_TRACE = process.env.SCHED_TRACE === '1';
/**
 * HEAP_USAGE=1: the page's memory by kind, read every HEAP_USAGE_EVERY_MS over the window (CDP Runtime.getHeapUsage):
 * V8's heap, Blink's garbage-collected heap and the ArrayBuffers' backing stores. What V8's global limit, which starts
 * its major GCs, counts (docs/BENCHMARKS.md, 2026-12-05).
 */
const HEAP_USAGE = process.env.HEAP_USAGE === '1';
const HEAP_USAGE_EVERY_MS = 500;
const RAF_CALLERS_SCRIPT = `(() => {
  const counts = {};
  window.__rafCallers = counts;
  const native = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    const lines = (new Error().stack || '').split('\\n').slice(2, 5).map((l) => l.trim().replace(/^at /, '').replace(/\\(?https?:\\/\\/[^/]+/, '(')).join(' < ');
    counts[lines] = (counts[lines] || 0) + 1;
    return native(cb);
  };
})();`;
const rafCallers = (page: Page) => page.evaluate(() => ({ ...((window as unknown as { __rafCallers?: Record<string, number> }).__rafCallers ?? {}) }));
/** The wall's own resolution; both pages of a comparison are drawn at it. */
const VIEWPORT = { width: 1920, height: 1080 };

// ---------------------------------------------------------------- the server

interface Account {
  username: string;
  password: string;
  role: Role;
}

const wallAccount: Account = { username: 'bench-wall', password: randomBytes(12).toString('hex'), role: 'wall' };
// The wall role is sent to /wall; the desk page is measured as a viewer.
const deskAccount: Account = { username: 'bench-desk', password: randomBytes(12).toString('hex'), role: 'viewer' };

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error('[bench] cleanup:', err));
}
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const SERVER_NICE = Number(process.env.WALL_SERVER_NICE ?? 0);
/** Node with `args`, at SERVER_NICE (every thread: `nice` before exec) when set. */
const niced = (args: string[]): [string, string[]] => (SERVER_NICE ? ['nice', ['-n', String(SERVER_NICE), process.execPath, ...args]] : [process.execPath, args]);

/** Starts bench/wall-server.ts (building first if the build is stale) and waits for /api/health. */
async function startServer(env: Record<string, string>): Promise<Server> {
  mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gridsight-wall-bench-'));
  const logPath = join(OUT, `wall-${mode}-server.log`);
  const log = openSync(logPath, 'w');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'db'),
    SEED_DEMO: 'true',
    WALL_BENCH_ACCOUNTS: JSON.stringify([wallAccount, deskAccount]),
    ...env,
  };
  delete childEnv.DATABASE_URL; // always the fresh embedded database
  const child = spawn(...niced(['--import', 'tsx', join(ROOT, 'bench', 'wall-server.ts')]), {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      if (!(await exited(child, 20_000))) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cleanups.push(() => server.stop());
  console.error(`[bench] starting the server (log: ${logPath}; builds first if the build is stale)…`);
  const deadline = Date.now() + 20 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${logPath}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return server;
    await sleep(1000);
  }
  throw new Error(`the server did not answer within 20 minutes; see ${logPath}`);
}

// ---------------------------------------------------------------- the browser

async function signedIn(browser: Browser, url: string, account: Account): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: url, viewport: VIEWPORT, deviceScaleFactor: 1 });
  const res = await ctx.request.post('/api/auth/login', { data: { username: account.username, password: account.password, wall: account.role === 'wall' } });
  if (!res.ok()) throw new Error(`sign-in as ${account.username} failed: ${res.status()} ${await res.text()}`);
  return ctx;
}

/** `/wall` once the build has it; until then `/` (noted in the result). */
async function wallPath(ctx: BrowserContext): Promise<string> {
  const res = await ctx.request.get('/wall', { maxRedirects: 0 });
  if (res.status() === 200) return '/wall';
  console.error(`[bench] /wall answered ${res.status()}: measuring / in its place`);
  return '/';
}

async function openPage(ctx: BrowserContext, path: string, ready: (page: Page) => Promise<void> = waitForReady): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await ctx.newPage();
  await page.addInitScript({ content: COUNTERS_SCRIPT });
  await page.addInitScript({ content: CUT_MARK_SCRIPT });
  if (RAF_CALLERS) await page.addInitScript({ content: RAF_CALLERS_SCRIPT });
  page.on('pageerror', (err) => console.error(`[page ${path}]`, err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${path} ${m.type()}]`, m.text());
  });
  const cdp = await cdpFor(page);
  await page.goto(path);
  await ready(page);
  return { page, cdp };
}

/** The wall's rotation state (data-rotation, data-view), if the page has one. */
async function rotation(page: Page): Promise<{ rotation: number; view: string | null; paused: boolean } | null> {
  return page.evaluate(() => {
    const v = document.querySelector('[data-testid="wall-view"]');
    if (!v) return null;
    return { rotation: Number(v.getAttribute('data-rotation') ?? 0), view: v.getAttribute('data-view'), paused: v.getAttribute('data-paused') === 'true' };
  });
}

interface Measured {
  seconds: number;
  /** Renderer main thread busy: CDP Performance.getMetrics TaskDuration delta / elapsed. */
  busyFraction: number;
  scriptFraction: number;
  /** Animation frames in which the map's WebGL canvases drew. */
  webglFramesPerSec: number;
  drawCallsPerSec: number;
  /** The page's JS heap in use at the end of the window (not after a GC: garbage included). */
  heapMB: number;
  /** The page's compositor (a trace's frame events): frames drawn, and asked for — a CSS animation keeps asking. */
  compositor: CompositorFrames;
  /** socket.io events the page received per second, by name. */
  eventsPerSec: Record<string, number>;
  /** CPU in cores over the window: the page's renderer, Chromium's GPU process (SwiftShader draws there), the server, the rest of Chromium, and `other` — work on this machine that is not the bench's. */
  cpu: Record<string, number>;
  /** Every main-thread task, from the trace of the window (the load bench traces them on purpose; idle's frame trace has them too). */
  tasks?: MainThreadTasks;
  rotationsInWindow?: number;
  /** PROFILE=1: what ran in the longest tasks. */
  profiled?: TaskProfile[];
  /** ALLOC=1: what the page allocated over the window, by function. */
  allocations?: Awaited<ReturnType<typeof stopAllocations>>;
  /** GC_DETAIL=1: the major GCs and the V8 GC events of the window. */
  gcDetail?: unknown;
  /** GPU_DETAIL=1: the GPU process's busiest threads and what ran on them. */
  gpuDetail?: unknown;
  /** RAF_CALLERS=1: animation frames asked for per second, by caller, the most first. */
  rafCallersPerSec?: { caller: string; perSec: number }[];
  /** HEAP_USAGE=1: each kind of memory over the window, MB. */
  heapUsage?: HeapUsageSummary;
}

/** HEAP_SNAPSHOT=1: after ours' window, what its JS heap holds, by constructor (a snapshot: it collects garbage first and stops the page for seconds). */
const HEAP_SNAPSHOT = process.env.HEAP_SNAPSHOT === '1';

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** The live objects by type and constructor (or a closure's name): count and their own size, the most bytes first. */
async function heapByConstructor(cdp: CDPSession, top = 30) {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.disable').catch(() => {});
  }
  const snap = JSON.parse(chunks.join('')) as HeapSnapshotJson;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  let objects = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]!]!;
    const name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + iName]!]!.slice(0, 60) : '';
    const key = `${type} ${name}`.trim();
    const size = snap.nodes[i + iSize]!;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(key, g);
    total += size;
    objects++;
  }
  const ranked = (by: 'bytes' | 'count') =>
    [...groups.entries()]
      .sort((a, b) => b[1][by] - a[1][by])
      .slice(0, top)
      .map(([kind, g]) => ({ kind, count: g.count, kB: Math.round(g.bytes / 1024) }));
  return { totalMB: +(total / 2 ** 20).toFixed(1), objects, top: ranked('bytes'), mostNumerous: ranked('count') };
}

interface HeapUsageSample {
  usedSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}
type HeapUsageKind = 'v8Heap' | 'embedderHeap' | 'backingStores';
/** Per kind: least, middle and most over the window, and the sum of its rises between readings (what was made, less what a GC gave back within one reading). */
type HeapUsageSummary = Record<HeapUsageKind, { min: number; median: number; max: number; risesMB: number }> & { samples: number };

/** Reads the page's memory by kind every few hundred ms until stopped. */
function sampleHeapUsage(cdp: CDPSession): { stop: () => Promise<HeapUsageSummary> } {
  const samples: HeapUsageSample[] = [];
  let running = true;
  let failed: unknown = null;
  const loop = (async () => {
    while (running) {
      try {
        samples.push((await cdp.send('Runtime.getHeapUsage')) as HeapUsageSample);
      } catch (error) {
        // Kept for stop(), which throws it: a rejection here would have no handler until then.
        failed = error;
        return;
      }
      await sleep(HEAP_USAGE_EVERY_MS);
    }
  })();
  const mb = (b: number) => +(b / 2 ** 20).toFixed(1);
  const summary = (values: number[]) => {
    let rises = 0;
    for (let i = 1; i < values.length; i++) rises += Math.max(0, values[i]! - values[i - 1]!);
    return { min: mb(Math.min(...values)), median: mb(median(values)), max: mb(Math.max(...values)), risesMB: mb(rises) };
  };
  return {
    async stop() {
      running = false;
      await loop;
      if (failed !== null) throw new Error(`HEAP_USAGE: Runtime.getHeapUsage failed: ${String(failed)}`);
      return {
        samples: samples.length,
        v8Heap: summary(samples.map((s) => s.usedSize)),
        embedderHeap: summary(samples.map((s) => s.embedderHeapUsedSize ?? 0)),
        backingStores: summary(samples.map((s) => s.backingStorageSize ?? 0)),
      };
    },
  };
}

/** Measures one page for `seconds`, touching it only at the start and the end. */
async function measure(
  browser: Browser,
  page: Page,
  cdp: CDPSession,
  seconds: number,
  opts: { tasks?: boolean; profile?: boolean; named: Record<number, string> },
): Promise<Measured> {
  const rot0 = await rotation(page);
  if (opts.profile) await startProfile(cdp);
  if (ALLOC) await startAllocations(cdp);
  const raf0 = RAF_CALLERS ? await rafCallers(page) : {};
  const c0 = await readCounters(page);
  await browser.startTracing(page, { categories: opts.tasks ? TASK_TRACE_CATEGORIES : FRAME_TRACE_CATEGORIES });
  const sched = SCHED_TRACE && opts.tasks && startSchedTrace();
  const heapUsage = HEAP_USAGE ? sampleHeapUsage(cdp) : null;
  const m0 = await metrics(cdp);
  const cpu0 = cpuSnapshot(opts.named);
  await sleep(seconds * 1000);
  const m1 = await metrics(cdp);
  const schedText = sched ? stopSchedTrace() : null;
  const cpu1 = cpuSnapshot(opts.named);
  const heapUsed = heapUsage ? await heapUsage.stop() : null;
  const trace = await browser.stopTracing();
  const profile = opts.profile ? await stopProfile(cdp) : null;
  const allocations = ALLOC ? await stopAllocations(cdp) : null;
  const raf1 = RAF_CALLERS ? await rafCallers(page) : {};
  const c1 = await readCounters(page);
  const rot1 = await rotation(page);
  const elapsed = m1.Timestamp! - m0.Timestamp!;
  const perSec = (a: number, b: number) => +((b - a) / elapsed).toFixed(2);
  const names = new Set([...Object.keys(c0.events), ...Object.keys(c1.events)]);
  const traced = analyseTrace(trace, { startUs: m0.Timestamp! * 1e6, endUs: m1.Timestamp! * 1e6 });
  return {
    seconds: +elapsed.toFixed(1),
    busyFraction: +((m1.TaskDuration! - m0.TaskDuration!) / elapsed).toFixed(4),
    heapMB: +((m1.JSHeapUsedSize ?? 0) / 2 ** 20).toFixed(1),
    scriptFraction: +((m1.ScriptDuration! - m0.ScriptDuration!) / elapsed).toFixed(4),
    webglFramesPerSec: perSec(c0.frames, c1.frames),
    drawCallsPerSec: perSec(c0.draws, c1.draws),
    compositor: traced.compositor,
    eventsPerSec: Object.fromEntries([...names].map((n) => [n, perSec(c0.events[n] ?? 0, c1.events[n] ?? 0)])),
    cpu: cpuBetween(cpu0, cpu1),
    ...(traced.mainThread ? { tasks: traced.mainThread } : {}),
    ...(rot0 && rot1 ? { rotationsInWindow: rot1.rotation - rot0.rotation } : {}),
    ...(allocations ? { allocations } : {}),
    ...(traced.gcDetail ? { gcDetail: traced.gcDetail } : {}),
    ...(traced.gpuDetail ? { gpuDetail: traced.gpuDetail } : {}),
    ...(traced.compileDetail ? { compileDetail: traced.compileDetail } : {}),
    ...(heapUsed ? { heapUsage: heapUsed } : {}),
    ...(schedText && traced.mainThread
      ? {
          sched: explainTasks(
            schedText,
            traced.mainThread.thread.tid,
            traced.mainThread.longestWallTasks.map(({ ts, dur }) => ({ ts, dur })),
            traced.mainThread.thread.windowStart,
            { ...opts.named, [traced.mainThread.thread.pid]: 'page' },
          ),
        }
      : {}),
    ...(RAF_CALLERS
      ? {
          rafCallersPerSec: Object.entries(raf1)
            .map(([caller, n]) => ({ caller, perSec: perSec(raf0[caller] ?? 0, n) }))
            .filter((c) => c.perSec > 0)
            .sort((a, b) => b.perSec - a.perSec)
            .slice(0, 12),
        }
      : {}),
    // The load bench: what ran in the five longest tasks; idle: in the whole window.
    ...(profile && traced.mainThread
      ? {
          profiled: opts.tasks
            ? profileTasks(profile, longestToProfile(traced.mainThread))
            : profileTasks(profile, [{ ts: profile.startTime, dur: profile.endTime - profile.startTime, tdur: null }], 20),
        }
      : {}),
  };
}

async function unitsToFeed(ctx: BrowserContext): Promise<FeedUnit[]> {
  const units = (await (await ctx.request.get('/api/units')).json()) as UnitState[];
  return units.filter((u) => u.position !== null).map((u) => ({ teamId: u.teamId, lon: u.position![0], lat: u.position![1] }));
}

const FRAMES_MEASURE =
  'map frames: animation frames in which a WebGL canvas drew (draw calls hooked in the page); page frames: DrawFrame events of the page compositor in a trace (frames asked: BeginFrame)';
const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Infinity) : +(a / b).toFixed(3));

// ---------------------------------------------------------------- soak

async function soak(browser: Browser, server: Server) {
  const ctx = await signedIn(browser, server.url, wallAccount);
  const path = await wallPath(ctx);
  const { page, cdp } = await openPage(ctx, path);
  const named = { [server.pid]: 'server' };
  const t0 = Date.now();
  const cpu0 = cpuSnapshot(named);
  const c0 = await readCounters(page);
  const samples: { minute: number; heapMB: number; nodes: number; listeners: number; incidents: number; view: string | null; rotation: number }[] = [];
  for (let i = 0; ; i++) {
    await sleep(Math.max(0, t0 + i * SOAK_SAMPLE_S * 1000 - Date.now()));
    const minute = (Date.now() - t0) / 60_000;
    const h = await heapAndDom(cdp);
    const incidents = await page.evaluate(() => window.__gridsight?.incidents().length ?? 0);
    const rot = await rotation(page);
    samples.push({ minute: +minute.toFixed(2), heapMB: +(h.heapUsed / 2 ** 20).toFixed(2), nodes: h.nodes, listeners: h.listeners, incidents, view: rot?.view ?? null, rotation: rot?.rotation ?? 0 });
    console.error(`[soak] ${minute.toFixed(1)} min: heap ${(h.heapUsed / 2 ** 20).toFixed(2)} MB, ${h.nodes} DOM nodes, ${incidents} incidents`);
    if (minute >= SOAK_MINUTES) break;
  }
  const c1 = await readCounters(page);
  const cpu = cpuBetween(cpu0, cpuSnapshot(named));
  const runMin = (Date.now() - t0) / 60_000;
  await ctx.close();

  const warm = samples.filter((s) => s.minute >= WARM_UP_MIN);
  const heapPerHour = slope(warm.map((s) => ({ x: s.minute / 60, y: s.heapMB })));
  const nodesPerHour = slope(warm.map((s) => ({ x: s.minute / 60, y: s.nodes })));
  const meanNodes = warm.reduce((a, s) => a + s.nodes, 0) / Math.max(1, warm.length);
  const warmHours = (runMin - WARM_UP_MIN) / 60;
  // DOM nodes are flat when the fitted drift over the measured part is within 2 % (or 20 nodes: a banner comes and goes).
  const nodesDrift = nodesPerHour * warmHours;
  const result = {
    page: path,
    minutes: +runMin.toFixed(1),
    sampleSeconds: SOAK_SAMPLE_S,
    warmUpMinutes: WARM_UP_MIN,
    simulator: { reportSeconds: num('SIM_REPORT_SECONDS', 1), incidentsPerHour: num('SIM_INCIDENTS_PER_HOUR', 120) },
    heap: {
      firstMB: samples[0]!.heapMB,
      afterWarmUpMB: warm[0]?.heapMB ?? NaN,
      lastMB: samples.at(-1)!.heapMB,
      maxMB: Math.max(...samples.map((s) => s.heapMB)),
      growthMBPerHour: +heapPerHour.toFixed(2),
      targetMBPerHour: 5,
      met: heapPerHour < 5,
    },
    domNodes: {
      first: samples[0]!.nodes,
      last: samples.at(-1)!.nodes,
      max: Math.max(...samples.map((s) => s.nodes)),
      min: Math.min(...samples.map((s) => s.nodes)),
      perHourAfterWarmUp: +nodesPerHour.toFixed(1),
      flat: Math.abs(nodesDrift) <= Math.max(20, 0.02 * meanNodes),
    },
    listeners: { first: samples[0]!.listeners, last: samples.at(-1)!.listeners, max: Math.max(...samples.map((s) => s.listeners)) },
    liveIncidents: { first: samples[0]!.incidents, last: samples.at(-1)!.incidents },
    rotations: samples.at(-1)!.rotation - samples[0]!.rotation,
    webglFramesPerSec: +((c1.frames - c0.frames) / (runMin * 60)).toFixed(2),
    eventsReceived: c1.events,
    cpu,
    samples,
  };
  const human = table([
    ['soak', 'first', 'after warm-up', 'last', 'max', 'growth /h', 'target'],
    ['JS heap (MB, after GC)', result.heap.firstMB, result.heap.afterWarmUpMB, result.heap.lastMB, result.heap.maxMB, result.heap.growthMBPerHour, '< 5 MB/h'],
    ['DOM nodes', result.domNodes.first, warm[0]?.nodes ?? '', result.domNodes.last, result.domNodes.max, result.domNodes.perHourAfterWarmUp, 'flat'],
    ['JS event listeners', result.listeners.first, warm[0]?.listeners ?? '', result.listeners.last, result.listeners.max, '', ''],
    ['live incidents', result.liveIncidents.first, warm[0]?.incidents ?? '', result.liveIncidents.last, '', '', ''],
  ]);
  return { result, human: `${human}\n\n${path} for ${result.minutes} min, ${result.rotations} rotations, ${result.webglFramesPerSec} map frames/s; heap target ${result.heap.met ? 'met' : 'NOT met'}, DOM nodes ${result.domNodes.flat ? 'flat' : 'NOT flat'}` };
}

// ---------------------------------------------------------------- idle

async function idle(browser: Browser, server: Server, token: string) {
  const named = { [server.pid]: 'server' };
  const deskCtx = await signedIn(browser, server.url, deskAccount);
  const wallCtx = await signedIn(browser, server.url, wallAccount);
  const path = await wallPath(wallCtx);
  const units = await unitsToFeed(deskCtx);
  const run = async (ctx: BrowserContext, p: string) => {
    // A fresh fix for every unit (where it stands) first, so none turns stale (2 min) during the window.
    await postAll(server.url, token, units);
    const { page, cdp } = await openPage(ctx, p);
    await sleep(SETTLE_S * 1000);
    const w = await measure(browser, page, cdp, MEASURE_S, { profile: PROFILE, named });
    await page.close();
    return w;
  };
  const desk = await run(deskCtx, '/');
  const wall = await run(wallCtx, path);
  await deskCtx.close();
  await wallCtx.close();
  const busyRatio = ratio(wall.busyFraction, desk.busyFraction);
  const result = {
    pages: { desk: '/', wall: path },
    units: units.length,
    settleSeconds: SETTLE_S,
    busyMeasure: 'CDP Performance.getMetrics TaskDuration delta / elapsed (renderer main thread)',
    framesMeasure: FRAMES_MEASURE,
    desk,
    wall,
    busyRatio,
    webglFramesRatio: ratio(wall.webglFramesPerSec, desk.webglFramesPerSec),
    compositorFramesRatio: ratio(wall.compositor.drawnPerSec, desk.compositor.drawnPerSec),
    /** The same comparison by the main thread's CPU time (trace tdur), which waiting for a core on a busy machine does not inflate. */
    cpuBusyRatio: wall.tasks?.cpuBusyFraction != null && desk.tasks?.cpuBusyFraction != null ? ratio(wall.tasks.cpuBusyFraction, desk.tasks.cpuBusyFraction) : null,
    target: 'wall busy ≤ 0.25 × desk',
    met: busyRatio <= 0.25,
  };
  const rows = (w: Measured) => [
    pct(w.busyFraction),
    w.tasks?.cpuBusyFraction != null ? pct(w.tasks.cpuBusyFraction) : '',
    pct(w.scriptFraction),
    w.webglFramesPerSec,
    w.compositor.drawnPerSec,
    w.compositor.begunPerSec,
    w.cpu.renderer ?? 0,
    w.cpu.gpu ?? 0,
    w.cpu.other ?? 0,
  ];
  const human = table([
    [`idle, ${MEASURE_S} s`, 'main thread busy', 'its CPU time', 'script', 'map frames/s', 'page frames/s', 'frames asked/s', 'renderer cores', 'GPU proc cores', 'other load cores'],
    ['desk /', ...rows(desk)],
    [`wall ${path}`, ...rows(wall)],
    [
      'wall / desk',
      busyRatio,
      result.cpuBusyRatio ?? '',
      ratio(wall.scriptFraction, desk.scriptFraction),
      result.webglFramesRatio,
      result.compositorFramesRatio,
      ratio(wall.compositor.begunPerSec, desk.compositor.begunPerSec),
      ratio(wall.cpu.renderer ?? 0, desk.cpu.renderer ?? 0),
      ratio(wall.cpu.gpu ?? 0, desk.cpu.gpu ?? 0),
      '',
    ],
  ]);
  return {
    result,
    human: `${human}\n\ntarget wall ≤ 0.25 × desk busy: ${result.met ? 'met' : 'NOT met'} (${busyRatio}×; by CPU time ${result.cpuBusyRatio}×)`,
  };
}

// ---------------------------------------------------------------- load

/**
 * The baseline: the same units through one MapLibre GeoJSON source, setData with all of them on every
 * `positions` event; the same heatmap as a MapLibre heatmap layer; and the wall's camera: it starts on the
 * wall's first view and eases to the next of the wall's views (the same targets, duration and padding) at the
 * wall's rotation interval — so with a long interval (WALL_ROTATE_S) both pages hold their cameras still.
 */
function baselineHtml(style: unknown, cameras: readonly WallCamera[], rotateMs: number): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>baseline</title>
<link rel="stylesheet" href="/__bench/maplibre/maplibre-gl.css">
<style>html, body, #map { margin: 0; width: 100%; height: 100%; background: #070b11; }</style>
</head><body><div id="map"></div><div id="view" data-testid="wall-view" data-rotation="0" hidden></div>
<script src="/__bench/socket.io.min.js"></script>
<script type="module">
import { Map as MapLibre } from '/__bench/maplibre/maplibre-gl.mjs';
const style = ${JSON.stringify(style)};
const cameras = ${JSON.stringify(cameras)};
const rotateMs = ${rotateMs};
const moveTo = (c, duration) =>
  c.kind === 'bounds'
    ? map.fitBounds(c.bbox, { padding: ${WALL_FIT_PADDING_PX}, duration, essential: true })
    : map.easeTo({ center: c.center, zoom: c.zoom, duration, essential: true });
const get = (path) => fetch(path).then((r) => r.json());
const [unitList, heat] = await Promise.all([get('/api/units'), get('/api/heatmap?window=30d&bin=1600')]);
const units = new Map(unitList.map((u) => [u.teamId, u]));
const collection = () => ({
  type: 'FeatureCollection',
  features: [...units.values()].filter((u) => u.position).map((u) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: u.position }, properties: { id: u.teamId, status: u.status, code: u.code },
  })),
});
const heatFeatures = [];
for (let i = 0; i < heat.n.length; i++) {
  heatFeatures.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [heat.lon[i], heat.lat[i]] }, properties: { w: heat.n[i] } });
}
const map = new MapLibre({ container: 'map', style, bounds: cameras[0].bbox, fitBoundsOptions: { padding: ${WALL_FIT_PADDING_PX} }, attributionControl: false, fadeDuration: 0 });
window.__baseline = { ready: false, updates: 0, heatPoints: heatFeatures.length, units: units.size };
map.on('load', () => {
  map.addSource('heat', { type: 'geojson', data: { type: 'FeatureCollection', features: heatFeatures } });
  map.addLayer({ id: 'heat', type: 'heatmap', source: 'heat', paint: { 'heatmap-weight': ['get', 'w'], 'heatmap-radius': 18, 'heatmap-opacity': 0.6 } });
  map.addSource('units', { type: 'geojson', data: collection() });
  map.addLayer({ id: 'units', type: 'circle', source: 'units', paint: { 'circle-radius': 6.5, 'circle-color': '#22c55e', 'circle-stroke-color': '#080c12', 'circle-stroke-width': 1.5 } });
  const socket = io({ path: '/socket.io' });
  socket.on('connect', () => socket.emit('join', 'map', (ok) => ok || console.error('baseline: join refused')));
  socket.on('connect_error', (err) => console.error('baseline: socket', err.message));
  socket.on('positions', (ev) => {
    window.__baseline.updates++;
    for (const u of Object.values(ev.data)) units.set(u.teamId, u);
    map.getSource('units').setData(collection());
  });
  // The compact feed (issue 15): parallel arrays, one index per moved unit.
  socket.on('moves', (ev) => {
    window.__baseline.updates++;
    const d = ev.data;
    for (let k = 0; k < d.i.length; k++) {
      const u = units.get(d.i[k]);
      if (u) units.set(u.teamId, { ...u, position: [d.x[k], d.y[k]] });
    }
    map.getSource('units').setData(collection());
  });
  map.once('idle', () => { window.__baseline.ready = true; });
  const view = document.getElementById('view');
  let shown = 0;
  const rotate = () => {
    shown = (shown + 1) % cameras.length;
    moveTo(cameras[shown], ${WALL_EASE_MS});
    // The wall's fade-in after its cut (map-view.tsx), run in the compositor.
    document.getElementById('map').animate([{ opacity: ${WALL_CUT_FADE.fromOpacity} }, { opacity: 1 }], { duration: ${WALL_CUT_FADE.ms}, easing: 'ease-out' });
    view.dataset.rotation = String(Number(view.dataset.rotation) + 1);
    setTimeout(rotate, rotateMs);
  };
  setTimeout(rotate, rotateMs);
});
</script></body></html>`;
}

/** The wall's views as the wall works them out (lib/live/wall-rotation.ts), from the same answers, in rotation order. */
async function wallCameras(ctx: BrowserContext, basemap: BasemapPayload): Promise<{ cameras: WallCamera[]; rotateSeconds: number }> {
  const get = async <T>(path: string) => (await (await ctx.request.get(path)).json()) as T;
  const [kpis, grids, incidents] = await Promise.all([get<WallKpis>('/api/wall/kpis'), get<GridCollection>('/api/grids'), get<IncidentView[]>('/api/incidents')]);
  const targets = wallTargets({ grids, fallbackBbox: basemap.bbox, busiestGrids: kpis.busiestGrids, incidents });
  return { cameras: availableViews(targets).map((v) => targets[v]!), rotateSeconds: kpis.rotateSeconds };
}

async function serveBaseline(ctx: BrowserContext): Promise<{ views: string[]; rotateSeconds: number }> {
  const basemap = (await (await ctx.request.get('/api/basemap')).json()) as BasemapPayload;
  const { cameras, rotateSeconds } = await wallCameras(ctx, basemap);
  const html = baselineHtml(buildBasemapStyle(basemap), cameras, rotateSeconds * 1000);
  const maplibreDist = join(ROOT, 'node_modules', 'maplibre-gl', 'dist');
  await ctx.route(
    (u) => u.pathname.startsWith('/__bench/'),
    async (route) => {
      const p = new URL(route.request().url()).pathname;
      if (p === '/__bench/baseline') return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
      if (p === '/__bench/socket.io.min.js') {
        return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(ROOT, 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js')) });
      }
      const file = /^\/__bench\/maplibre\/([\w.-]+)$/.exec(p)?.[1];
      if (file) {
        return route.fulfill({ contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(join(maplibreDist, file)) });
      }
      return route.fulfill({ status: 404, body: 'not found' });
    },
  );
  return { views: cameras.map((c) => c.key), rotateSeconds };
}

function startFeed(job: FeedJob): { pid: number; stop: () => Promise<FeedResult> } {
  const child = spawn(...niced(['--import', 'tsx', join(ROOT, 'bench', 'wall-feed.ts'), JSON.stringify(job)]), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    child.kill('SIGTERM');
    if (!(await exited(child, 20_000))) child.kill('SIGKILL');
    const line = out.trim().split('\n').pop();
    if (!line) throw new Error('the feed printed no result');
    return JSON.parse(line) as FeedResult;
  };
  cleanups.push(async () => {
    if (child.exitCode === null) await stop();
  });
  return { pid: child.pid!, stop };
}

/** The load's feed: every placed unit reporting every LOAD_PERIOD_S, started and run until each has reported. */
async function feedLoad(ctx: BrowserContext, server: Server, token: string) {
  const units = await unitsToFeed(ctx);
  if (units.length !== LOAD_UNITS) throw new Error(`expected ${LOAD_UNITS} placed units, the server has ${units.length}`);
  const feed = startFeed({ url: server.url, token, units, periodS: LOAD_PERIOD_S, fixesPerRequest: 100, maxSeconds: 1800 });
  const named = { [server.pid]: 'server', [feed.pid]: 'feed' };
  await sleep(LOAD_PERIOD_S * 2 * 1000); // every unit has reported at least once from the feed
  return { units, feed, named };
}

async function load(browser: Browser, server: Server, token: string) {
  const ctx = await signedIn(browser, server.url, wallAccount);
  const path = await wallPath(ctx);
  const camera = await serveBaseline(ctx);
  const { units, feed, named } = await feedLoad(ctx, server, token);

  const oursPage = await openPage(ctx, path);
  const heatmap = await oursPage.page.evaluate(() => window.__gridsight?.heatmap() ?? null);
  await sleep(LOAD_SETTLE_S * 1000);
  // The heatmaps ours asks for in the window, by URL: back at a view, its heat is reused (HEATMAP_REUSE_MS).
  const heatRecord = recordRequests(oursPage.page, '/api/heatmap');
  const ours = await measure(browser, oursPage.page, oursPage.cdp, MEASURE_S, { tasks: true, profile: PROFILE, named });
  const heatAsked = heatRecord.stop();
  const oursHeap = HEAP_SNAPSHOT ? await heapByConstructor(oursPage.cdp) : null;
  await oursPage.page.close();

  const basePage = await openPage(ctx, '/__bench/baseline', (page) =>
    page.waitForFunction(() => (window as unknown as { __baseline?: { ready: boolean } }).__baseline?.ready === true, null, { timeout: 180_000, polling: 1000 }).then(() => {}),
  );
  const baseInfo = await basePage.page.evaluate(() => (window as unknown as { __baseline: { heatPoints: number; units: number } }).__baseline);
  await sleep(LOAD_SETTLE_S * 1000);
  const baseline = await measure(browser, basePage.page, basePage.cdp, MEASURE_S, { tasks: true, profile: PROFILE, named });
  await basePage.page.close();
  const fed = await feed.stop();
  await ctx.close();

  const longest = ratio(baseline.tasks!.longestMs, ours.tasks!.longestMs);
  const longestCpu =
    baseline.tasks!.longestCpuMs !== null && ours.tasks!.longestCpuMs !== null ? ratio(baseline.tasks!.longestCpuMs, ours.tasks!.longestCpuMs) : null;
  const oursCuts = ours.tasks!.cuts;
  const baseCuts = baseline.tasks!.cuts;
  // The longest task of a window is one task, and whether a cut lands a long frame swings it 2×: each cut's
  // longest task, the middle one compared, says what a cut costs.
  const perCut =
    oursCuts && baseCuts
      ? {
          spanMs: CUT_SPAN_MS,
          ours: oursCuts,
          baseline: baseCuts,
          medianBaselineOverOurs: ratio(baseCuts.medianLongestMs, oursCuts.medianLongestMs),
          medianCpuBaselineOverOurs:
            baseCuts.medianLongestCpuMs !== null && oursCuts.medianLongestCpuMs !== null ? ratio(baseCuts.medianLongestCpuMs, oursCuts.medianLongestCpuMs) : null,
        }
      : null;
  const result = {
    page: path,
    units: units.length,
    reportEverySeconds: LOAD_PERIOD_S,
    incidentsGenerated: LOAD_INCIDENTS,
    settleSeconds: LOAD_SETTLE_S,
    heatmapDrawn: { ours: heatmap, baselinePoints: baseInfo.heatPoints },
    /** Heatmap requests ours made in the window, and how many distinct: equal when every view's heat is reused. */
    heatmapRequests: { ours: heatAsked.length, distinct: new Set(heatAsked).size },
    /** Both pages move their cameras the wall's way: these views, cut to (eased for easeMs) with the wall's fade (WALL_CUT_FADE), every rotateSeconds (long: both still). */
    camera: { ...camera, easeMs: WALL_EASE_MS, rotationsInWindow: { ours: ours.rotationsInWindow ?? null, baseline: baseline.rotationsInWindow ?? null } },
    profiled: PROFILE,
    feed: fed,
    tasksMeasure: 'renderer main thread top-level tasks from a Chromium trace of the window (categories toplevel, devtools.timeline)',
    framesMeasure: FRAMES_MEASURE,
    ours,
    baseline,
    ...(oursHeap ? { oursHeapByConstructor: oursHeap } : {}),
    longestTaskBaselineOverOurs: longest,
    /** The same by the tasks' CPU time (trace tdur): what compares on a shared machine. */
    longestTaskCpuBaselineOverOurs: longestCpu,
    /** Per camera cut (none when both cameras are still): the longest task within spanMs of each cut. */
    perCut,
    webglFramesOursOverBaseline: ratio(ours.webglFramesPerSec, baseline.webglFramesPerSec),
    compositorFramesOursOverBaseline: ratio(ours.compositor.drawnPerSec, baseline.compositor.drawnPerSec),
    target: 'ours ≥ 2× better on the longest task',
    met: longest >= 2,
  };
  const rows = (w: Measured) => [
    w.tasks!.longestMs.toFixed(1),
    w.tasks!.longestCpuMs ?? '',
    w.tasks!.over50ms,
    pct(w.tasks!.busyFraction),
    w.tasks!.cpuBusyFraction != null ? pct(w.tasks!.cpuBusyFraction) : '',
    w.webglFramesPerSec,
    w.compositor.drawnPerSec,
    // The compact feed's `moves` (issue 15), or whole `positions` records.
    +((w.eventsPerSec.moves ?? 0) + (w.eventsPerSec.positions ?? 0)).toFixed(2),
    w.cpu.renderer ?? 0,
    w.cpu.gpu ?? 0,
    w.cpu.other ?? 0,
    w.tasks!.gc.msPerSec,
    `${w.tasks!.gc.longestMs} / ${w.tasks!.gc.longestMajorMs}`,
    `${w.tasks!.gc.minorPerSec} / ${w.tasks!.gc.majorPerSec}`,
    w.heapMB,
  ];
  const human = table([
    [`load, ${MEASURE_S} s`, 'longest task ms', 'its CPU ms', 'tasks > 50 ms', 'main thread busy', 'its CPU time', 'map frames/s', 'page frames/s', 'unit events/s', 'renderer cores', 'GPU proc cores', 'other load cores', 'GC ms/s', 'longest GC / major ms', 'GCs/s minor / major', 'JS heap MB'],
    [`ours ${path}`, ...rows(ours)],
    ['baseline setData', ...rows(baseline)],
  ]);
  return {
    result,
    human: `${human}\n\nlongest task: baseline / ours = ${longest}× (target ≥ 2×: ${result.met ? 'met' : 'NOT met'}; by CPU time ${longestCpu}×); map frames ours / baseline = ${result.webglFramesOursOverBaseline}×; feed ${fed.fixes} fixes in ${fed.requests} requests, ${fed.non2xx} failed, p50 ${fed.p50Ms} ms; camera: ${camera.views.join(' → ')} every ${camera.rotateSeconds} s, rotations in the window ours ${ours.rotationsInWindow ?? '?'} / baseline ${baseline.rotationsInWindow ?? '?'}; ours asked for ${heatAsked.length} heatmaps (${new Set(heatAsked).size} distinct)${perCut ? `\nper cut (longest task within ${CUT_SPAN_MS / 1000} s of each): ours median ${perCut.ours.medianLongestMs} ms (CPU ${perCut.ours.medianLongestCpuMs}), worst ${perCut.ours.maxLongestMs}, over ${perCut.ours.count} cuts; baseline median ${perCut.baseline.medianLongestMs} ms (CPU ${perCut.baseline.medianLongestCpuMs}), worst ${perCut.baseline.maxLongestMs}, over ${perCut.baseline.count}; baseline / ours medians ${perCut.medianBaselineOverOurs}× (CPU ${perCut.medianCpuBaselineOverOurs}×)` : ''}${PROFILE ? `\n\n${profiledText('ours', ours)}\n\n${profiledText('baseline', baseline)}` : ''}${ALLOC ? `\n\n${allocText('ours', ours)}\n\n${allocText('baseline', baseline)}` : ''}`,
  };
}

/** PROFILE=1: the five longest tasks by CPU and the three longest by the clock (waiting included), each once. */
function longestToProfile(m: MainThreadTasks): MainThreadTasks['longestTasks'] {
  const byCpu = m.longestTasks.slice(0, 5);
  return [...byCpu, ...m.longestWallTasks.slice(0, 3).filter((t) => !byCpu.some((c) => c.ts === t.ts))];
}

/** ALLOC=1: what a page allocated, by function, then by stack (innermost first). */
function allocText(label: string, w: Measured): string {
  const a = w.allocations!;
  const mb = (n: number) => `  ${n.toFixed(2).padStart(7)} MB  `;
  return [
    `${label}: ${a.totalMB} MB allocated over ${w.seconds} s (sampled)`,
    ...a.byFunction.map((f) => mb(f.MB) + f.fn),
    `${label}, by stack:`,
    ...a.byStack.map((f) => mb(f.MB) + f.stack.join(' ← ')),
  ].join('\n');
}

/** PROFILE=1: the longest tasks and what ran in them. */
function profiledText(label: string, m: Measured): string {
  return (m.profiled ?? [])
    .map(
      (t) =>
        `${label}: task of ${t.ms} ms (CPU ${t.cpuMs ?? '?'} ms, ${t.samples} samples)\n  self:  ${t.self.map((f) => `${f.fn} ${f.ms}`).join('; ')}\n  total: ${t.total.map((f) => `${f.fn} ${f.ms}`).join('; ')}\n` +
        t.selfStacks.map((f) => `  ${f.ms} ms  ${f.stack.join(' ← ')}`).join('\n'),
    )
    .join('\n');
}

// ---------------------------------------------------------------- screenshots

const SHOTS = [
  { file: 'wall-1080p.png', width: 1920, height: 1080 },
  { file: 'wall-4k.png', width: 3840, height: 2160 },
];

async function shots(browser: Browser, server: Server) {
  // The simulator's units report every 5 s: give them one round before the first picture.
  await sleep(10_000);
  const files: string[] = [];
  for (const shot of SHOTS) {
    const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: shot.width, height: shot.height }, deviceScaleFactor: 1 });
    const res = await ctx.request.post('/api/auth/login', { data: { username: wallAccount.username, password: wallAccount.password, wall: true } });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
    const { page } = await openPage(ctx, '/wall');
    // The whole township, after the camera has settled there and before the rotation moves on.
    for (let tries = 0; ; tries++) {
      await page.waitForFunction(() => document.querySelector('[data-testid="wall-view"]')?.getAttribute('data-view') === 'township', null, { timeout: 120_000, polling: 500 });
      const before = await rotation(page);
      await sleep(4_000);
      const after = await rotation(page);
      if ((after?.rotation === before?.rotation && after?.view === 'township') || tries >= 3) break;
    }
    const path = join(ROOT, 'docs', shot.file);
    await page.screenshot({ path });
    files.push(`docs/${shot.file}`);
    await ctx.close();
  }
  return { result: { files }, human: files.join('\n') };
}


// ---------------------------------------------------------------- layers (a diagnosis)

/**
 * `npm run bench:wall:layers`: the load's wall alone, drawn with parts of its map left out in turn (MapLibre's
 * style layers by type, deck.gl's layers one by one; LAYER_ONLY=1: each deck.gl layer alone; LAYER_PARTS: only the
 * parts named), LAYER_SECONDS (20) each: what each part costs the GPU process (SwiftShader) per map frame. Its busy cores alone say little: it is
 * saturated whatever it draws, and a cheaper frame shows as more frames. A diagnosis for the load target; the
 * load's figures stay `load`'s. Hold the camera still (WALL_ROTATE_S=3600) or the views differ between parts.
 */
async function layers(browser: Browser, server: Server, token: string) {
  const ctx = await signedIn(browser, server.url, wallAccount);
  const path = await wallPath(ctx);
  const { feed, named } = await feedLoad(ctx, server, token);
  const { page, cdp } = await openPage(ctx, path);
  await sleep(SETTLE_S * 1000);
  const parts = await page.evaluate(() => {
    const g = window.__gridsight!;
    const style = g.map!.getStyle().layers.map((l) => ({ id: l.id, type: l.type }));
    // Every overlay's layers (the wall draws two canvases, deck-split.ts).
    const decks = g.decks.map((o) => (o as unknown as { _deck: { props: { layers: { id: string }[] } } })._deck);
    return { style, deck: decks.flatMap((d) => d.props.layers.flat(Infinity as 1).filter(Boolean).map((l) => (l as { id: string }).id)) };
  });
  const types = [...new Set(parts.style.map((l) => l.type))];
  const only = process.env.LAYER_ONLY === '1';
  const configs: { name: string; style: string[]; deck: string[] }[] = only ? [
    { name: 'everything', style: [], deck: [] },
    { name: 'no deck.gl layers', style: [], deck: parts.deck },
    ...parts.deck.map((id) => ({ name: `only deck ${id}`, style: [], deck: parts.deck.filter((d) => d !== id) })),
  ] : [
    { name: 'everything', style: [], deck: [] },
    { name: 'no MapLibre layers', style: parts.style.map((l) => l.id), deck: [] },
    { name: 'no deck.gl layers', style: [], deck: parts.deck },
    ...types.map((t) => ({ name: `no MapLibre ${t}`, style: parts.style.filter((l) => l.type === t).map((l) => l.id), deck: [] })),
    ...parts.deck.map((id) => ({ name: `no deck ${id}`, style: [], deck: [id] })),
    { name: 'nothing', style: parts.style.map((l) => l.id), deck: parts.deck },
  ];
  // LAYER_PARTS: only the parts whose names hold one of these (comma-separated), e.g. "everything,only deck unit-ages".
  const wanted = process.env.LAYER_PARTS?.split(',').map((p) => p.trim()).filter(Boolean) ?? [];
  const chosen = wanted.length === 0 ? configs : configs.filter((c) => wanted.some((w) => c.name.includes(w)));
  const seconds = num('LAYER_SECONDS', 20);
  const measured: { name: string; framesPerSec: number; pageFramesPerSec: number; gpuCores: number; rendererCores: number; gpuPerFrame: number | null; longestMs: number; longestCpuMs: number | null }[] = [];
  const row = (r: (typeof measured)[number]) => [r.name, r.framesPerSec, r.pageFramesPerSec, r.gpuCores, r.rendererCores, r.gpuPerFrame ?? '', r.longestMs.toFixed(1), r.longestCpuMs ?? ''];
  for (const c of chosen) {
    // A string, not a function: tsx names the filter (`__name`), which the page does not have.
    await page.evaluate(`(() => {
      const style = ${JSON.stringify(c.style)};
      const hide = ${JSON.stringify(c.deck)};
      const g = window.__gridsight;
      g.__shown ??= Object.fromEntries(g.map.getStyle().layers.map((l) => [l.id, l.layout?.visibility ?? 'visible']));
      for (const l of g.map.getStyle().layers) g.map.setLayoutProperty(l.id, 'visibility', style.includes(l.id) ? 'none' : g.__shown[l.id]);
      for (const { _deck: d } of g.decks) {
        d.setProps({ layerFilter: ({ layer }) => !hide.some((id) => layer.id === id || layer.id.startsWith(id + '-')) });
        d.redraw('probe');
      }
    })()`);
    await sleep(5_000);
    const m = await measure(browser, page, cdp, seconds, { tasks: true, named });
    const gpu = m.cpu.gpu ?? 0;
    measured.push({
      name: c.name,
      framesPerSec: m.webglFramesPerSec,
      pageFramesPerSec: m.compositor.drawnPerSec,
      gpuCores: gpu,
      rendererCores: m.cpu.renderer ?? 0,
      gpuPerFrame: m.webglFramesPerSec > 0 ? +(gpu / m.webglFramesPerSec).toFixed(3) : null,
      longestMs: m.tasks!.longestMs,
      longestCpuMs: m.tasks!.longestCpuMs,
    });
    console.error(`[bench] ${row(measured.at(-1)!).join(' | ')}`);
  }
  await feed.stop();
  await ctx.close();
  return {
    result: { page: path, parts, configs: chosen.map((c, k) => ({ ...c, ...measured[k] })) },
    human: table([[`layers, ${seconds} s each`, 'map frames/s', 'page frames/s', 'GPU proc cores', 'renderer cores', 'GPU core-s per map frame', 'longest task ms', 'its CPU ms'], ...measured.map(row)]),
  };
}

// ---------------------------------------------------------------- main

const started = new Date();
const machine = machineInfo();
const token = `wall-bench-${randomBytes(8).toString('hex')}`;
try {
  const server = await startServer(
    mode === 'shots'
      ? { SIM_ENABLED: 'true' }
      : mode === 'soak'
      ? {
          SIM_ENABLED: 'true',
          SIM_REPORT_SECONDS: String(num('SIM_REPORT_SECONDS', 1)),
          SIM_INCIDENTS_PER_HOUR: String(num('SIM_INCIDENTS_PER_HOUR', 120)),
        }
      : mode === 'idle'
        ? { SIM_ENABLED: 'false', WALL_BENCH_TOKEN: token }
        : { SIM_ENABLED: 'false', WALL_BENCH_TOKEN: token, WALL_BENCH_TEAMS: String(LOAD_UNITS), WALL_BENCH_INCIDENTS: String(LOAD_INCIDENTS) },
  );
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const { result, human } =
    mode === 'soak'
      ? await soak(browser, server)
      : mode === 'idle'
        ? await idle(browser, server, token)
        : mode === 'load'
          ? await load(browser, server, token)
          : mode === 'layers'
            ? await layers(browser, server, token)
            : await shots(browser, server);
  const report = {
    bench: `wall:${mode}`,
    date: started.toISOString(),
    machine: { ...machine, chromium: browser.version(), loadAverageAtEnd: machineInfo().loadAverageAtStart },
    viewport: VIEWPORT,
    webgl: 'software (SwiftShader): compare ratios, not absolute frame rates',
    ...result,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `wall-${mode}.json`), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `\nwall ${mode} — ${report.date}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}, Chromium ${report.machine.chromium}, ` +
      `load average ${machine.loadAverageAtStart} at start / ${report.machine.loadAverageAtEnd} at end\n\n${human}`,
  );
} finally {
  await cleanUp();
}
