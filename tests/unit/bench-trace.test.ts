import { describe, expect, it } from 'vitest';
import { analyseTrace } from '../../bench/browser';
import { explainTasks } from '../../bench/sched';

// Thread ids above any this machine hands out (pid_max is at most 2^22), so /proc names none of them.
const MAIN = 4_194_401;
const SHADER = 4_194_402;
const POOL = 4_194_403;

/** One line of the kernel's trace as tracefs prints it (time in seconds of CLOCK_MONOTONIC). */
const sw = (atS: number, cpu: number, prev: [string, number, string], next: [string, number]) =>
  `  ${prev[0]}-${prev[1]}  [00${cpu}] d..2. ${atS.toFixed(6)}: sched_switch: prev_comm=${prev[0]} prev_pid=${prev[1]} prev_prio=120 prev_state=${prev[2]} ==> next_comm=${next[0]} next_pid=${next[1]} next_prio=120`;
const waking = (atS: number, cpu: number, waker: [string, number], pid: number) =>
  `  ${waker[0]}-${waker[1]}  [00${cpu}] d..3. ${atS.toFixed(6)}: sched_waking: comm=chromium pid=${pid} prio=120 target_cpu=000`;

describe('where a long task’s time went (SCHED_TRACE=1)', () => {
  it('splits the task into running, waiting for a core (and who held it), asleep (and who woke it)', () => {
    const text = [
      '# tracer: nop',
      sw(9.99, 0, ['Thread<00>', SHADER, 'S'], ['chromium', MAIN]), // before the task: the main thread takes the core
      sw(10.005, 0, ['chromium', MAIN, 'R'], ['Thread<00>', SHADER]), // preempted at 5 ms
      sw(10.015, 0, ['Thread<00>', SHADER, 'R'], ['chromium', MAIN]), // back after 10 ms
      sw(10.02, 0, ['chromium', MAIN, 'S'], ['swapper/0', 0]), // asleep at 20 ms
      waking(10.026, 1, ['ThreadPoolForeg', POOL], MAIN), // woken by a pool thread 6 ms later
      sw(10.027, 0, ['swapper/0', 0, 'R'], ['chromium', MAIN]), // on the core 1 ms after that
    ].join('\n');
    const [task] = explainTasks(text, MAIN, [{ ts: 10_000_000, dur: 30_000 }], 9_000_000, {});
    expect(task).toEqual({
      atMs: 1000,
      ms: 30,
      runningMs: 13, // 0–5, 15–20, 27–30
      waitingMs: 11, // 5–15 preempted, 26–27 woken
      sleepingMs: 6,
      blockedMs: 0,
      ranInstead: { 'Thread<00>@gone': 10, 'swapper/0@gone': 1 }, // the last: woken onto an idle core, 1 ms before it ran
      sleeps: [{ ms: 6, wokenBy: 'ThreadPoolForeg' }],
    });
  });

  it('tells blocked in the kernel (D) from asleep (S)', () => {
    const text = [
      sw(1.99, 0, ['swapper/0', 0, 'R'], ['chromium', MAIN]),
      sw(2.004, 0, ['chromium', MAIN, 'D'], ['swapper/0', 0]), // blocked at 4 ms (a page, a lock)
      waking(2.012, 0, ['kworker/0:1', POOL], MAIN),
      sw(2.012, 0, ['swapper/0', 0, 'R'], ['chromium', MAIN]),
    ].join('\n');
    expect(explainTasks(text, MAIN, [{ ts: 2_000_000, dur: 20_000 }], 2_000_000, {})[0]).toMatchObject({
      runningMs: 12,
      waitingMs: 0,
      sleepingMs: 0,
      blockedMs: 8,
      sleeps: [{ ms: 8, wokenBy: 'kworker/0:1' }],
    });
  });

  it('counts a task that never left its core as running throughout', () => {
    const text = sw(4.9, 1, ['swapper/1', 0, 'R'], ['chromium', MAIN]);
    expect(explainTasks(text, MAIN, [{ ts: 5_000_000, dur: 8_000 }], 5_000_000, {})[0]).toMatchObject({ runningMs: 8, waitingMs: 0, sleepingMs: 0 });
  });
});

describe('a load window’s tasks (analyseTrace)', () => {
  const meta = [
    { pid: 7, tid: 8, ph: 'M', name: 'thread_name', ts: 0, args: { name: 'CrRendererMain' } },
    { pid: 7, tid: 9, ph: 'M', name: 'thread_name', ts: 0, args: { name: 'Compositor' } },
  ];
  const task = (ts: number, dur: number) => ({ pid: 7, tid: 8, ph: 'X', name: 'RunTask', ts, dur, tdur: dur / 2 });
  const trace = (events: object[]) => Buffer.from(JSON.stringify({ traceEvents: [...meta, ...events] }));

  it('counts only tasks that begin in the window: not those while the bench stops the trace', () => {
    const window = { startUs: 1_000_000, endUs: 61_000_000 };
    const inWindow = [task(1_000_000, 12_000), task(30_000_000, 20_000), task(60_990_000, 30_000)];
    const figures = analyseTrace(trace([task(900_000, 90_000), ...inWindow, task(61_500_000, 62_000)]), window);
    expect(figures.mainThread!.tasks).toBe(3);
    expect(figures.mainThread!.longestMs).toBe(30);
    expect(figures.mainThread!.longestWallTasks.map((t) => t.atS)).toEqual([59.99, 29, 0]);
    expect(figures.mainThread!.thread).toEqual({ pid: 7, tid: 8, windowStart: 1_000_000 });
  });

  it('refuses a window the trace’s clock does not match instead of measuring nothing', () => {
    expect(() => analyseTrace(trace([task(5_000, 10_000), task(9_000, 10_000)]), { startUs: 1e12, endUs: 1e12 + 60e6 })).toThrow(/clock does not match/);
  });
});
