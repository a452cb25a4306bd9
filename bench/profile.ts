// What ran in a page's longest main-thread tasks: a V8 CPU profile
// (CDP Profiler, sampled every PROFILE_INTERVAL_US) recorded over the same
// window as the trace, its samples attributed to the trace's longest tasks.
// Trace timestamps and the profile's are both Chromium's monotonic clock in
// µs, so a sample belongs to the task whose span holds it. Used by
// `PROFILE=1 npm run bench:wall:load` (it costs a little CPU itself, so the
// figures of a profiled run are not the ones to quote).
import type { CDPSession } from '@playwright/test';

const PROFILE_INTERVAL_US = 250;
/** Frames of a stack kept in the by-stack listings: the sampled or allocating function and its callers. */
const STACK_FRAMES = 5;
/** How a stack's frames are joined into its key in a tally (and split again when listed). */
const STACK_SEP = ' ← ';

/** Adds `weight` to `key`'s count. */
function tally(m: Map<string, number>, key: string, weight: number): void {
  m.set(key, (m.get(key) ?? 0) + weight);
}

/** The `top` largest counts, largest first. */
function largest(m: Map<string, number>, top: number): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
  await cdp.send('Profiler.start');
}

export async function stopProfile(cdp: CDPSession): Promise<CpuProfile> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.send('Profiler.disable');
  return profile;
}

export interface TaskProfile {
  startUs: number;
  ms: number;
  cpuMs: number | null;
  /** Samples inside the task, and how many of them are not idle. */
  samples: number;
  /** Where the time went, ms: by function itself (self) and with what it called (total), the top few. */
  self: { fn: string; ms: number }[];
  total: { fn: string; ms: number }[];
  /** The same by stack: the sampled function and its callers (STACK_FRAMES in all, innermost first), the top few. */
  selfStacks: { stack: string[]; ms: number }[];
}

const name = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''}`.trim();

/** Samples attributed to each task (`ts`, `dur` in trace µs); the top `top` functions by self and by total time. */
export function profileTasks(profile: CpuProfile, tasks: readonly { ts: number; dur: number; tdur: number | null }[], top = 8): TaskProfile[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Each sample's time and the time until the next one (its weight).
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  return tasks.map((task) => {
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    const stacks = new Map<string, number>();
    let samples = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const at = times[i]!;
      if (at < task.ts || at >= task.ts + task.dur) continue;
      const weightMs = ((times[i + 1] ?? profile.endTime) - at) / 1000;
      const node = byId.get(profile.samples[i]!);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      samples++;
      tally(self, name(node.callFrame), weightMs);
      const seen = new Set<string>();
      const stack: string[] = [];
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const f = name(byId.get(id)!.callFrame);
        if (f !== '(root)' && stack.length < STACK_FRAMES) stack.push(f);
        if (seen.has(f) || f === '(root)') continue;
        seen.add(f);
        tally(total, f, weightMs);
      }
      tally(stacks, stack.join(STACK_SEP), weightMs);
    }
    const best = (m: Map<string, number>) => largest(m, top).map(([fn, ms]) => ({ fn, ms: +ms.toFixed(1) }));
    return {
      startUs: task.ts,
      ms: +(task.dur / 1000).toFixed(1),
      cpuMs: task.tdur === null ? null : +(task.tdur / 1000).toFixed(1),
      samples,
      self: best(self),
      total: best(total),
      selfStacks: best(stacks).map(({ fn, ms }) => ({ stack: fn.split(STACK_SEP), ms })),
    };
  });
}

// ALLOC=1: where a page allocates (CDP's sampling heap profiler, counting the
// objects garbage collection took as well as those alive at the end).
interface AllocNode {
  callFrame: CallFrame;
  selfSize: number;
  children: AllocNode[];
}

export async function startAllocations(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    // ALLOC_SURVIVORS=1: only what outlived the young generation (promoted, or pretenured by V8) — what feeds the major GCs.
    includeObjectsCollectedByMinorGC: process.env.ALLOC_SURVIVORS !== '1',
  } as never);
}

/**
 * The functions that allocated the most over the sampling (bytes, estimated by the sampler), the top `top`; and the
 * same by stack (the allocating function and its STACK_FRAMES − 1 callers, innermost first), which names who called
 * a built-in (`Set`, `join`, `values`) or a minified helper.
 */
export async function stopAllocations(
  cdp: CDPSession,
  top = 20,
): Promise<{ totalMB: number; byFunction: { fn: string; MB: number }[]; byStack: { stack: string[]; MB: number }[] }> {
  const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: AllocNode } };
  await cdp.send('HeapProfiler.disable');
  const self = new Map<string, number>();
  const stacks = new Map<string, number>();
  let total = 0;
  const walk = (n: AllocNode, path: string[]) => {
    const here = [name(n.callFrame), ...path].slice(0, STACK_FRAMES);
    total += n.selfSize;
    if (n.selfSize > 0) {
      tally(self, here[0]!, n.selfSize);
      tally(stacks, here.join(STACK_SEP), n.selfSize);
    }
    for (const c of n.children) walk(c, here);
  };
  walk(profile.head, []);
  const MB = (b: number) => +(b / 2 ** 20).toFixed(2);
  return {
    totalMB: MB(total),
    byFunction: largest(self, top).map(([fn, b]) => ({ fn, MB: MB(b) })),
    byStack: largest(stacks, top).map(([stack, b]) => ({ stack: stack.split(STACK_SEP), MB: MB(b) })),
  };
}
