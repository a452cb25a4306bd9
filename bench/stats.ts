// The figures every benchmark reports: percentiles and medians of samples,
// and the longest task after each camera cut of a browser trace.

/** Nearest-rank percentile (p from 0 to 100) of values in any order: a value that was measured, never one between two. NaN for no values. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The middle value; with an even count, the mean of the two middle ones. NaN for no values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A top-level task of a trace: its start and wall-clock duration, and CPU time where the trace has it (all in µs; a complete event always has `dur`). */
export interface TracedTask {
  ts: number;
  dur?: number;
  tdur?: number;
}

/** The longest task after each cut, wall clock and CPU: the middle cut and the worst. */
export interface CutTasks {
  count: number;
  medianLongestMs: number;
  maxLongestMs: number;
  medianLongestCpuMs: number | null;
  maxLongestCpuMs: number | null;
  /** Each cut's longest task, in order: wall clock ms (CPU ms). */
  each: { ms: number; cpuMs: number | null }[];
}

/**
 * For each cut mark (trace µs), the longest task running at any time from
 * the mark to `spanMs` after it (one that began before the mark and ends
 * after it counts too). Null when nothing was marked.
 */
export function cutTasks(marks: readonly number[], tasks: readonly TracedTask[], spanMs: number): CutTasks | null {
  if (marks.length === 0) return null;
  const each = marks.map((at) => {
    const inside = tasks.filter((e) => e.ts + (e.dur ?? 0) >= at && e.ts < at + spanMs * 1000);
    const ms = Math.max(0, ...inside.map((e) => e.dur ?? 0)) / 1000;
    const cpu = inside.flatMap((e) => (e.tdur === undefined ? [] : [e.tdur]));
    return { ms: +ms.toFixed(1), cpuMs: cpu.length ? +(Math.max(...cpu) / 1000).toFixed(1) : null };
  });
  const cpus = each.flatMap((c) => (c.cpuMs === null ? [] : [c.cpuMs]));
  return {
    count: each.length,
    medianLongestMs: +median(each.map((c) => c.ms)).toFixed(1),
    maxLongestMs: Math.max(...each.map((c) => c.ms)),
    medianLongestCpuMs: cpus.length ? +median(cpus).toFixed(1) : null,
    maxLongestCpuMs: cpus.length ? Math.max(...cpus) : null,
    each,
  };
}
