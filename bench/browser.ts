// What the browser benchmarks (bench/wall.ts) share: Chromium launched as the
// e2e suite launches it, Chrome DevTools Protocol figures, counters installed
// in the page before any of its scripts run, the renderer main thread's tasks
// from a trace, the CPU time of our processes and of everything else on the
// machine, and a least-squares slope.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { cutTasks, type CutTasks } from './stats';

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** As playwright.config.ts, plus precise heap figures; WebGL is drawn in software (SwiftShader) here. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--enable-precise-memory-info',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  // The load bench's baseline page is served by Playwright (page.route), which
  // Chromium counts as a public origin: its socket to 127.0.0.1 would be blocked.
  '--disable-features=LocalNetworkAccessChecks',
];

export function launchChromium(): Promise<Browser> {
  // JS_FLAGS (diagnosis): V8 flags for every page, e.g. "--trace-opt --trace-deopt" (printed with DEBUG=pw:browser).
  const jsFlags = process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : [];
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...jsFlags] });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: above ~0.5 something else was already working. */
  loadAverageAtStart: number;
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'cpu',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverageAtStart: +loadavg()[0]!.toFixed(2),
  };
}

// ---------------------------------------------------------------- in the page

/** What installCounters keeps on `window.__bench`. */
export interface PageCounters {
  /** Animation frames in which a WebGL context drew (drawArrays/drawElements/… or clear), any canvas. */
  frames: number;
  /** WebGL draw calls. */
  draws: number;
  /** socket.io events received, by name (`42["positions",…]` counts as positions). */
  events: Record<string, number>;
}

declare global {
  interface Window {
    __bench?: PageCounters & { lastFrame: unknown };
  }
}

/**
 * Runs in the page before its own scripts (page.addInitScript). A frame is
 * counted once however many canvases draw in it: draws in one rendering
 * update share `document.timeline.currentTime`. Costs nothing while nothing
 * draws (no animation-frame loop of its own, which would itself keep frames
 * coming). Plain JavaScript in a string: a function would be serialised
 * after tsx's transform, which adds helpers the page does not have.
 */
export const COUNTERS_SCRIPT = `(() => {
  const c = { frames: 0, draws: 0, events: {}, lastFrame: null };
  window.__bench = c;
  const frame = () => {
    const t = document.timeline.currentTime;
    if (t !== c.lastFrame) { c.lastFrame = t; c.frames++; }
  };
  const names = ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements', 'clear'];
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of names) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (...args) {
        if (name !== 'clear') c.draws++;
        frame();
        return original.apply(this, args);
      };
    }
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const m = /^42\\["([^"]+)"/.exec(e.data.slice(0, 80));
        if (m) c.events[m[1]] = (c.events[m[1]] || 0) + 1;
      });
    }
  };
})();`;

export async function readCounters(page: Page): Promise<PageCounters> {
  return page.evaluate(() => {
    const c = window.__bench;
    return c ? { frames: c.frames, draws: c.draws, events: { ...c.events } } : { frames: 0, draws: 0, events: {} };
  });
}

/**
 * Waits for `window.__gridsight.ready` (both pages) and, on the wall,
 * `data-ready="true"`. Polls on a timer: Playwright's default polls every
 * animation frame, which would itself make the page draw.
 */
export async function waitForReady(page: Page, timeoutMs = 180_000): Promise<void> {
  await page.waitForFunction(
    () => {
      if (window.__gridsight?.ready !== true) return false;
      const wall = document.querySelector('[data-testid="wall"]');
      return !wall || wall.getAttribute('data-ready') === 'true';
    },
    null,
    { timeout: timeoutMs, polling: 1000 },
  );
}

// ---------------------------------------------------------------- CDP

export async function cdpFor(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/** Chromium's performance metrics (Performance.getMetrics): TaskDuration, ScriptDuration, JSHeapUsedSize, Nodes, Timestamp, … */
export async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** JS heap used (bytes) after a full garbage collection, and the DOM counters (Memory.getDOMCounters). */
export async function heapAndDom(cdp: CDPSession): Promise<{ heapUsed: number; nodes: number; listeners: number; documents: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const m = await metrics(cdp);
  const dom = await cdp.send('Memory.getDOMCounters');
  return { heapUsed: m.JSHeapUsedSize ?? NaN, nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents };
}

// ---------------------------------------------------------------- trace

export interface MainThreadTasks {
  tasks: number;
  /** Sum of the top-level tasks' durations (wall clock) over the trace's span. */
  busyFraction: number;
  longestMs: number;
  over50ms: number;
  /**
   * The same by the thread's CPU time (the trace's tdur): on a shared machine
   * a task's wall-clock duration includes the time the thread waited for a
   * core; its CPU time does not. Null when the trace has no thread times.
   */
  cpuBusyFraction: number | null;
  longestCpuMs: number | null;
  over50CpuMs: number | null;
  /** What ran inside the longest task (by CPU time where the trace has it): its five longest inner events. */
  longestTaskInside: { event: string; ms: number; detail: string }[];
  /** The same for the longest task by the clock (waiting included): its eight longest inner events, with their own CPU time. */
  longestWallTaskInside: { event: string; ms: number; cpuMs: number | null; detail: string }[];
  /** The ten longest top-level tasks (by CPU time where the trace has it): trace µs, for a CPU profile's samples (bench/profile.ts). */
  /** ts: the trace's clock (µs); atS: seconds into the window (from the main thread's first event). */
  longestTasks: { ts: number; atS: number; dur: number; tdur: number | null }[];
  /** The renderer's process and main thread ids (the kernel's: SCHED_TRACE=1 reads them), and the window's first trace µs. */
  thread: { pid: number; tid: number; windowStart: number };
  /** The five longest top-level tasks by the clock (waiting included). */
  longestWallTasks: { ts: number; atS: number; dur: number; tdur: number | null }[];
  /** What ran in each of longestWallTasks (its six longest inner events), in the same order. */
  longestWallTasksInside: { event: string; ms: number; cpuMs: number | null; detail: string }[][];
  /** Which trace event the tasks are (Chromium names them differently across versions). */
  event: string;
  /** Per camera cut the page marked (CUT_MARK_SCRIPT): the longest task from the cut to CUT_SPAN_MS after it. Null when none was marked. */
  cuts: CutTasks | null;
  /** Garbage collection on the main thread (the trace's MinorGC / MajorGC events): per second, and the longest pause. */
  gc: { minorPerSec: number; majorPerSec: number; msPerSec: number; longestMs: number; longestMajorMs: number };
}

/** The message a page's `console.timeStamp` marks a camera cut with in the trace (CUT_MARK_SCRIPT). */
export const CUT_MARK = 'bench:cut';
/** How long after a cut its work is looked for: the new view's layers, labels and heatmap answer (settled 300 ms). */
export const CUT_SPAN_MS = 3_000;
/**
 * Marks each camera cut in the trace: the wall's view element (and the
 * baseline's) counts rotations in data-rotation; each change is a cut.
 */
export const CUT_MARK_SCRIPT = `(() => {
  const watch = () => {
    const v = document.querySelector('[data-testid="wall-view"]');
    if (!v) return setTimeout(watch, 250);
    new MutationObserver(() => console.timeStamp(${JSON.stringify(CUT_MARK)})).observe(v, { attributes: true, attributeFilter: ['data-rotation'] });
  };
  watch();
})();`;

/**
 * The page's compositor, per second: frames it drew and submitted
 * (DrawFrame), frames it was asked for (BeginFrame: a running animation, CSS
 * or script, keeps asking at the display rate), and those it dropped.
 */
export interface CompositorFrames {
  drawnPerSec: number;
  begunPerSec: number;
  droppedPerSec: number;
}

export interface TraceFigures {
  compositor: CompositorFrames;
  /** Only when the trace has the task categories (TASK_TRACE_CATEGORIES). */
  mainThread: MainThreadTasks | null;
  gcDetail?: unknown;
  gpuDetail?: unknown;
  compileDetail?: unknown;
}

interface TraceEvent {
  pid: number;
  tid: number;
  ph: string;
  name: string;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string; lineNumber?: number; message?: string } };
}

const TASK_EVENTS = ['RunTask', 'ThreadControllerImpl::RunTask'];
/** Frame events only: cheap enough not to disturb what is measured. */
export const FRAME_TRACE_CATEGORIES = ['disabled-by-default-devtools.timeline.frame'];
/** Frames and every main-thread task, with what ran in it (script, timers, animation frames, GC) as DevTools shows it. */
export const TASK_TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  ...(process.env.GC_DETAIL === '1' ? ['v8', 'disabled-by-default-v8.gc'] : []),
  // V8_COMPILE=1: V8's compiles (lazy, background, their finalising on the main thread) as trace events.
  ...(process.env.V8_COMPILE === '1' ? ['v8', 'v8.compile', 'disabled-by-default-v8.compile'] : []),
  ...(process.env.GPU_DETAIL === '1' ? ['gpu', 'gpu.service', 'viz', 'cc', 'disabled-by-default-gpu.service', 'disabled-by-default-viz.quads'] : []),
];

/** A measured window in trace time (µs of CLOCK_MONOTONIC: CDP Performance.getMetrics' Timestamp × 1e6). */
export interface MeasuredWindow {
  startUs: number;
  endUs: number;
}

/**
 * Figures from a Chromium trace (browser.stopTracing()) of one page. The
 * page's renderer is the process with a CrRendererMain thread that has the
 * most events (a spare renderer idles); nested tasks count inside their parent.
 */
export function analyseTrace(trace: Buffer, window: MeasuredWindow): TraceFigures {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const all = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  // Only what began in the window: tracing runs on past its end while the bench stops it, and Chromium
  // gathering the trace loads the machine then (a page's tasks in those seconds are the bench's cost).
  const events = all.filter((e) => e.ph === 'M' || (e.ts >= window.startUs && e.ts < window.endUs));
  const stamped = (list: readonly TraceEvent[]) => list.filter((e) => e.ph !== 'M').length;
  // An idle page's window can hold few events, and the stop many: only a window holding none is a clock mismatch.
  if (stamped(events) === 0 && stamped(all) > 0) throw new Error(`the trace's clock does not match the window: none of its ${stamped(all)} events in it`);
  const spanMs = (window.endUs - window.startUs) / 1000;
  const mainTid = new Map<number, number>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainTid.set(e.pid, e.tid);
  const perPid = new Map<number, number>();
  for (const e of events) if (e.ph !== 'M' && mainTid.has(e.pid)) perPid.set(e.pid, (perPid.get(e.pid) ?? 0) + 1);
  const pid = [...perPid.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mine = events.filter((e) => e.pid === pid && e.ph !== 'M');
  const count = (name: string) => +((mine.filter((e) => e.name === name).length / spanMs) * 1000).toFixed(2);
  const compositor = { drawnPerSec: count('DrawFrame'), begunPerSec: count('BeginFrame'), droppedPerSec: count('DroppedFrame') };

  const event = TASK_EVENTS.find((n) => mine.some((e) => e.name === n && e.ph === 'X'));
  if (!event || pid === undefined) return { compositor, mainThread: null };
  const mainEvents = mine.filter((e) => e.tid === mainTid.get(pid));
  const tasks = mainEvents.filter((e) => e.ph === 'X' && e.name === event && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const windowStart = mainEvents.reduce((t, e) => Math.min(t, e.ts), Infinity);
  let end = -Infinity;
  const topLevel: TraceEvent[] = [];
  const r = { tasks: 0, busyUs: 0, longestUs: 0, over50: 0, timed: 0, cpuUs: 0, longestCpuUs: 0, over50Cpu: 0 };
  for (const e of tasks) {
    if (e.ts < end) continue; // nested in the previous top-level task
    end = e.ts + e.dur!;
    topLevel.push(e);
    r.tasks++;
    r.busyUs += e.dur!;
    r.longestUs = Math.max(r.longestUs, e.dur!);
    if (e.dur! > 50_000) r.over50++;
    if (e.tdur !== undefined) {
      r.timed++;
      r.cpuUs += e.tdur;
      r.longestCpuUs = Math.max(r.longestCpuUs, e.tdur);
      if (e.tdur > 50_000) r.over50Cpu++;
    }
  }
  const timed = r.timed > 0;
  const marks = mine.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === CUT_MARK).map((e) => e.ts);
  const cuts = cutTasks(marks, topLevel, CUT_SPAN_MS);
  const key = (e: TraceEvent) => (timed ? (e.tdur ?? 0) : e.dur!);
  const longest = tasks.reduce<TraceEvent | null>((a, e) => (a === null || key(e) > key(a) ? e : a), null);
  const inside = (task: TraceEvent, n: number) =>
    mine
      .filter((e) => e.tid === task.tid && e.ph === 'X' && e !== task && !TASK_EVENTS.includes(e.name) && e.ts >= task.ts && e.ts < task.ts + task.dur!)
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, n)
      .map((e) => {
        const d = e.args?.data;
        const where = d?.url ? `${d.url.split('/').pop()}:${d.lineNumber ?? ''}` : '';
        const cpuMs = e.tdur === undefined ? null : +(e.tdur / 1000).toFixed(1);
        return { event: e.name, ms: +((e.dur ?? 0) / 1000).toFixed(1), cpuMs, detail: [d?.type, d?.functionName, where].filter(Boolean).join(' ') };
      });
  const longestTaskInside = longest ? inside(longest, 5).map(({ cpuMs: _cpu, ...e }) => e) : [];
  const longestWall = topLevel.reduce<TraceEvent | null>((a, e) => (a === null || e.dur! > a.dur! ? e : a), null);
  const longestWallTaskInside = longestWall ? inside(longestWall, 8) : [];
  return {
    compositor,
    mainThread: {
      tasks: r.tasks,
      busyFraction: +(r.busyUs / 1000 / spanMs).toFixed(4),
      longestMs: +(r.longestUs / 1000).toFixed(1),
      over50ms: r.over50,
      cpuBusyFraction: timed ? +(r.cpuUs / 1000 / spanMs).toFixed(4) : null,
      longestCpuMs: timed ? +(r.longestCpuUs / 1000).toFixed(1) : null,
      over50CpuMs: timed ? r.over50Cpu : null,
      longestTaskInside,
      longestWallTaskInside,
      longestTasks: longestBy(topLevel, key, 10, windowStart),
      longestWallTasks: longestBy(topLevel, (e) => e.dur!, 5, windowStart),
      longestWallTasksInside: [...topLevel].sort((a, b) => b.dur! - a.dur!).slice(0, 5).map((e) => inside(e, 6)),
      thread: { pid, tid: mainTid.get(pid)!, windowStart },
      event,
      cuts,
      gc: gcFigures(mainEvents, spanMs),
    },
    ...(process.env.GC_DETAIL === '1' ? { gcDetail: gcDetail(mainEvents) } : {}),
    ...(process.env.V8_COMPILE === '1' ? { compileDetail: compileDetail(mine, mainTid.get(pid)!, spanMs) } : {}),
    ...(process.env.GPU_DETAIL === '1' ? { gpuDetail: gpuDetail(events, spanMs) } : {}),
  };
}

/** The `n` tasks with the most `key`, as trace µs (a CPU profile's samples are matched to them: bench/profile.ts). */
function longestBy(tasks: readonly TraceEvent[], key: (e: TraceEvent) => number, n: number, windowStart: number): MainThreadTasks['longestTasks'] {
  return [...tasks]
    .sort((a, b) => key(b) - key(a))
    .slice(0, n)
    .map((e) => ({ ts: e.ts, atS: +((e.ts - windowStart) / 1e6).toFixed(2), dur: e.dur!, tdur: e.tdur ?? null }));
}

/** V8_COMPILE=1: the page's V8 compile and tiering events by name, on the main thread and off it (per minute: count, ms, CPU ms). */
function compileDetail(mine: readonly TraceEvent[], mainTid: number, spanMs: number): unknown {
  const perMin = (v: number) => +((v / spanMs) * 60_000).toFixed(1);
  const by = new Map<string, { n: number; us: number; cpuUs: number }>();
  for (const e of mine) {
    if (e.ph !== 'X' || e.dur === undefined || !/compile|optimi[sz]e|maglev|turbofan|sparkplug|deopt/i.test(e.name)) continue;
    const key = `${e.tid === mainTid ? 'main' : 'off-main'} ${e.name}`;
    const v = by.get(key) ?? { n: 0, us: 0, cpuUs: 0 };
    v.n++;
    v.us += e.dur;
    v.cpuUs += e.tdur ?? 0;
    by.set(key, v);
  }
  return [...by.entries()]
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, 25)
    .map(([name, v]) => ({ name, perMin: perMin(v.n), msPerMin: perMin(v.us / 1000), cpuMsPerMin: perMin(v.cpuUs / 1000) }));
}

/** GPU_DETAIL=1: the GPU process's threads, each with its busiest top-level trace events (ms per second, wall and CPU). */
function gpuDetail(events: readonly TraceEvent[], spanMs: number): unknown {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  const gpuPid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrGpuMain')?.pid;
  if (gpuPid === undefined) return null;
  const perSec = (us: number) => +((us / 1000 / spanMs) * 1000).toFixed(1);
  const byThread = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.pid !== gpuPid || e.ph !== 'X' || e.dur === undefined) continue;
    const list = byThread.get(e.tid);
    if (list) list.push(e);
    else byThread.set(e.tid, [e]);
  }
  return [...byThread.entries()]
    .map(([tid, list]) => {
      list.sort((a, b) => a.ts - b.ts);
      let end = -Infinity;
      const top = new Map<string, { n: number; us: number; cpuUs: number }>();
      let busy = 0;
      for (const e of list) {
        if (e.ts < end) continue;
        end = e.ts + e.dur!;
        busy += e.dur!;
        const t = top.get(e.name) ?? { n: 0, us: 0, cpuUs: 0 };
        t.n++;
        t.us += e.dur!;
        t.cpuUs += e.tdur ?? 0;
        top.set(e.name, t);
      }
      return {
        thread: names.get(`${gpuPid}:${tid}`) ?? String(tid),
        busyMsPerSec: perSec(busy),
        top: [...top.entries()]
          .sort((a, b) => b[1].us - a[1].us)
          .slice(0, 8)
          .map(([name, t]) => `${name}: ${t.n}×, ${perSec(t.us)} ms/s (CPU ${perSec(t.cpuUs)})`),
      };
    })
    .sort((a, b) => b.busyMsPerSec - a.busyMsPerSec)
    .slice(0, 8);
}

/** GC_DETAIL=1: each major GC with its args and the V8 GC events of the main thread around it (a diagnostic). */
function gcDetail(main: readonly TraceEvent[]): unknown {
  const gc = main.filter((e) => /GC|Marking|Sweep/i.test(e.name));
  const names = new Map<string, { n: number; ms: number }>();
  for (const e of gc) {
    const c = names.get(e.name) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += (e.dur ?? 0) / 1000;
    names.set(e.name, c);
  }
  return {
    majors: main.filter((e) => e.name === 'MajorGC' && e.ph === 'X').map((e) => ({ ms: (e.dur ?? 0) / 1000, args: e.args })),
    byName: [...names.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40).map(([k, v]) => `${k}: ${v.n}× ${v.ms.toFixed(1)} ms`),
  };
}

/** The main thread's garbage collection pauses in a trace (V8's MinorGC and MajorGC timeline events). */
function gcFigures(main: readonly TraceEvent[], spanMs: number): MainThreadTasks['gc'] {
  const perSec = (n: number) => +((n / spanMs) * 1000).toFixed(2);
  const gcs = main.filter((e) => e.ph === 'X' && (e.name === 'MinorGC' || e.name === 'MajorGC'));
  const totalUs = gcs.reduce((sum, e) => sum + (e.dur ?? 0), 0);
  return {
    minorPerSec: perSec(gcs.filter((e) => e.name === 'MinorGC').length),
    majorPerSec: perSec(gcs.filter((e) => e.name === 'MajorGC').length),
    msPerSec: perSec(totalUs / 1000),
    longestMs: +(Math.max(0, ...gcs.map((e) => e.dur ?? 0)) / 1000).toFixed(1),
    longestMajorMs: +(Math.max(0, ...gcs.filter((e) => e.name === 'MajorGC').map((e) => e.dur ?? 0)) / 1000).toFixed(1),
  };
}

// ---------------------------------------------------------------- CPU time

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcInfo {
  ppid: number;
  ticks: number;
  cmd: string;
}

export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), cmd };
  } catch {
    return null; // gone meanwhile
  }
}

export interface CpuSnapshot {
  at: number;
  busyTicks: number;
  /** Our processes (this one and its descendants) by pid, with the part each is counted in. */
  ours: Map<number, { part: string; ticks: number }>;
}

/**
 * The machine's busy CPU time (/proc/stat) and that of this process's
 * descendants, each put in a part: `named` maps a pid (and its descendants)
 * to a name (the server, the load generator); Chromium's processes are
 * told apart by --type.
 */
export function cpuSnapshot(named: Record<number, string> = {}): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = line;
  const busyTicks = user! + nice! + system! + irq! + softirq! + steal!;
  const procs = new Map<number, ProcInfo>();
  if (existsSync('/proc')) {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const p = readProc(Number(name));
      if (p) procs.set(Number(name), p);
    }
  }
  const partOf = (pid: number): string | null => {
    let part: string | null = null;
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (named[p] !== undefined) part ??= named[p]!;
      if (p === process.pid) return part ?? chromiumPart(procs.get(pid)?.cmd ?? '') ?? 'bench';
      p = procs.get(p)?.ppid;
    }
    return null;
  };
  const ours = new Map<number, { part: string; ticks: number }>();
  for (const [pid, p] of procs) {
    const part = partOf(pid);
    if (part) ours.set(pid, { part, ticks: p.ticks });
  }
  return { at: performance.now(), busyTicks, ours };
}

/** A Chromium process's part by its --type (renderer, gpu, browser); null for any other command. */
export function chromiumPart(cmd: string): string | null {
  if (!/chrom/i.test(cmd.split(' ')[0] ?? '')) return null;
  const type = /--type=([\w-]+)/.exec(cmd)?.[1];
  return type === 'renderer' ? 'renderer' : type === 'gpu-process' ? 'gpu' : 'browser';
}

/**
 * CPU used between two snapshots, in cores (1 = one core busy the whole
 * time): ours by part, and `other` — the rest of the machine (other people's
 * work on a shared machine), which the figures cannot control for.
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const seconds = (b.at - a.at) / 1000;
  const parts: Record<string, number> = {};
  let oursTicks = 0;
  for (const [pid, p] of b.ours) {
    const d = p.ticks - (a.ours.get(pid)?.ticks ?? 0);
    parts[p.part] = (parts[p.part] ?? 0) + d;
    oursTicks += d;
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) out[k] = +(v / TICKS_PER_SECOND / seconds).toFixed(3);
  out.other = +Math.max(0, (b.busyTicks - a.busyTicks - oursTicks) / TICKS_PER_SECOND / seconds).toFixed(3);
  return out;
}

// ---------------------------------------------------------------- statistics

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** A plain text table: the first row is the header. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
