// SCHED_TRACE=1 (diagnosis): the kernel's scheduler events (tracefs, as root) over a measured
// window, and for each of a page's longest tasks by the clock, where its main thread's time went —
// on a core, runnable but waiting for one (and what ran instead), asleep (and who woke it), or
// blocked in the kernel. A task of 60 ms holding 5 ms of CPU is one of these; the trace says which.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromiumPart, readProc } from './browser';

const TRACEFS = '/sys/kernel/tracing';
const EVENTS = ['sched/sched_switch', 'sched/sched_waking'];

const put = (file: string, text: string) => writeFileSync(`${TRACEFS}/${file}`, text);
/** The ring buffer's size per CPU and the trace clock as found, given back when recording stops. */
let bufferKbFound = '';
let clockFound = '';

/** Starts recording; false when this machine's kernel has no tracefs to write to. */
export function startSchedTrace(): boolean {
  try {
    if (!existsSync(`${TRACEFS}/trace`)) execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS]);
    put('tracing_on', '0');
    bufferKbFound = readFileSync(`${TRACEFS}/buffer_size_kb`, 'utf8').trim();
    clockFound = /\[(\w+)\]/.exec(readFileSync(`${TRACEFS}/trace_clock`, 'utf8'))?.[1] ?? '';
    put('trace_clock', 'mono'); // Chromium's trace time (base::TimeTicks) is CLOCK_MONOTONIC
    put('buffer_size_kb', '98304');
    for (const e of EVENTS) put(`events/${e}/enable`, '1');
    put('trace', '');
    put('tracing_on', '1');
    return true;
  } catch (err) {
    console.error(`SCHED_TRACE: no kernel tracing here (${(err as Error).message})`);
    return false;
  }
}

export function stopSchedTrace(): string {
  put('tracing_on', '0');
  const text = readFileSync(`${TRACEFS}/trace`, 'utf8');
  for (const e of EVENTS) put(`events/${e}/enable`, '0');
  put('trace', '');
  if (/^\d+$/.test(bufferKbFound)) put('buffer_size_kb', bufferKbFound);
  if (clockFound) put('trace_clock', clockFound);
  return text;
}

interface Sched {
  /** µs, CLOCK_MONOTONIC */
  at: number;
  cpu: number;
  kind: 'switch' | 'waking';
  /** switch: prev → next; waking: the waker (the line's task) wakes pid */
  prevPid: number;
  prevState: string;
  nextPid: number;
  nextComm: string;
  wakerComm: string;
}

const LINE = /^\s*(.+?)-(\d+)\s+\[(\d+)\]\s+\S+\s+([\d.]+): (sched_switch|sched_waking): (.*)$/;
const FIELDS = new Map<string, RegExp>();
/** A `name=value` field of a trace line (one pattern per name, not per line: a window's trace has ~10^6 lines). */
function field(rest: string, name: string): string {
  let re = FIELDS.get(name);
  if (!re) FIELDS.set(name, (re = new RegExp(`(?:^|\\s)${name}=(\\S+)`)));
  return re.exec(rest)?.[1] ?? '';
}

function parse(text: string): Sched[] {
  const out: Sched[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, comm, , cpu, secs, kind, rest] = m;
    const at = Math.round(Number(secs) * 1e6);
    if (kind === 'sched_switch') {
      const [prev, next] = rest!.split(' ==> ');
      out.push({
        at,
        cpu: Number(cpu),
        kind: 'switch',
        prevPid: Number(field(prev!, 'prev_pid')),
        prevState: field(prev!, 'prev_state'),
        nextPid: Number(field(next!, 'next_pid')),
        nextComm: field(next!, 'next_comm'),
        wakerComm: '',
      });
    } else {
      out.push({ at, cpu: Number(cpu), kind: 'waking', prevPid: 0, prevState: '', nextPid: Number(field(rest!, 'pid')), nextComm: field(rest!, 'comm'), wakerComm: comm!.trim() });
    }
  }
  return out;
}

/** A thread's process, as a label: one of `named` (by process id), Chromium's part as the CPU figures name it, or the command. */
function processOf(tid: number, named: Record<number, string>): string {
  let tgid: number;
  try {
    tgid = Number(/^Tgid:\s*(\d+)/m.exec(readFileSync(`/proc/${tid}/status`, 'utf8'))?.[1]);
  } catch {
    return 'gone';
  }
  if (named[tgid]) return named[tgid]!;
  const cmd = readProc(tgid)?.cmd;
  if (cmd === undefined) return 'gone';
  return chromiumPart(cmd) ?? (cmd.split(' ')[0]!.split('/').pop() || String(tgid));
}

export interface TaskSched {
  atMs: number;
  ms: number;
  /** the main thread on a core */
  runningMs: number;
  /** runnable, waiting for a core (preempted, or woken and not yet run) */
  waitingMs: number;
  /** asleep (S: a futex, a poll…) */
  sleepingMs: number;
  /** blocked in the kernel (D: a page, a lock) */
  blockedMs: number;
  /** what held the cores while the main thread waited for one (ms, by thread name) */
  ranInstead: Record<string, number>;
  /** each sleep of 1 ms or more: how long, and who woke it */
  sleeps: { ms: number; wokenBy: string }[];
}

/** Where thread `tid`'s time went in each task (Chromium trace µs: ts, dur). */
export function explainTasks(
  text: string,
  tid: number,
  tasks: readonly { ts: number; dur: number }[],
  windowStart: number,
  named: Record<number, string>,
): TaskSched[] {
  const events = parse(text).sort((a, b) => a.at - b.at);
  const comm = new Map<number, string>();
  for (const e of events) if (e.kind === 'switch' && !comm.has(e.nextPid)) comm.set(e.nextPid, `${e.nextComm}@${processOf(e.nextPid, named)}`);
  return tasks.map(({ ts, dur }) => {
    const end = ts + dur;
    const t = { running: 0, waiting: 0, sleeping: 0, blocked: 0 };
    const ranInstead = new Map<string, number>();
    const sleeps: { ms: number; wokenBy: string }[] = [];
    // The thread's state at the task's start: from its last event before it (it is running: the task started).
    let state: 'running' | 'waiting' | 'sleeping' | 'blocked' = 'running';
    let since = ts;
    let sleptAt = -1;
    const onCpu: (number | null)[] = [];
    const cpuSince: number[] = [];
    const credit = (upTo: number) => {
      const from = Math.max(since, ts);
      const to = Math.min(upTo, end);
      if (to > from) t[state] += to - from;
      since = upTo;
    };
    for (const e of events) {
      if (e.at > end) break;
      if (e.kind === 'switch') {
        // what ran on this cpu while the thread waited
        const prevOn = onCpu[e.cpu];
        if (prevOn !== undefined && prevOn !== null && prevOn !== tid && state === 'waiting') {
          const from = Math.max(cpuSince[e.cpu]!, since, ts);
          if (e.at > from && e.at > ts) {
            const name = `${comm.get(prevOn) ?? prevOn}`;
            ranInstead.set(name, (ranInstead.get(name) ?? 0) + (e.at - from));
          }
        }
        onCpu[e.cpu] = e.nextPid;
        cpuSince[e.cpu] = e.at;
      }
      if (e.at < ts) {
        // before the task: only keep the per-cpu picture
        continue;
      }
      if (e.kind === 'switch' && e.prevPid === tid) {
        credit(e.at);
        state = e.prevState.startsWith('R') ? 'waiting' : e.prevState.startsWith('D') ? 'blocked' : 'sleeping';
        if (state !== 'waiting') sleptAt = e.at;
      } else if (e.kind === 'switch' && e.nextPid === tid) {
        credit(e.at);
        state = 'running';
      } else if (e.kind === 'waking' && e.nextPid === tid && state !== 'running' && state !== 'waiting') {
        credit(e.at);
        if (sleptAt >= 0 && e.at - sleptAt >= 1000) sleeps.push({ ms: +((e.at - sleptAt) / 1000).toFixed(1), wokenBy: `${e.wakerComm}` });
        state = 'waiting';
      }
    }
    credit(end);
    const ms = (us: number) => +(us / 1000).toFixed(1);
    return {
      atMs: ms(ts - windowStart),
      ms: ms(dur),
      runningMs: ms(t.running),
      waitingMs: ms(t.waiting),
      sleepingMs: ms(t.sleeping),
      blockedMs: ms(t.blocked),
      ranInstead: Object.fromEntries([...ranInstead.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, ms(v)])),
      sleeps: sleeps.sort((a, b) => b.ms - a.ms).slice(0, 5),
    };
  });
}
