// lib/hooks/frame-then-task.ts: a frame's callback runs in a task of its own
// right after the browser's frame (the live store and the wall's deck.gl loop);
// work prepared ahead of it (deck.gl's layer updates) in a task before its own.
import { describe, expect, it, vi } from 'vitest';
import { frameThenTask } from '@/lib/hooks/frame-then-task';
import { holdAnimationFrames } from '../helpers/frames';

/** A prepare step as deck.gl's is: it takes in the layers waiting (true) until there are none (false). */
function layersWaiting(onPrepare: (did: boolean) => void = () => {}) {
  const state = { waiting: 1 };
  const prepare = () => {
    const did = state.waiting > 0;
    state.waiting = 0;
    onPrepare(did);
    return did;
  };
  return { state, prepare };
}

describe('frameThenTask', () => {
  it("runs a frame's callback in a task after the frame, with the frame's time, not inside it", () => {
    const frames = holdAnimationFrames();
    const provider = frameThenTask();
    const times: number[] = [];
    provider.requestAnimationFrame((t) => times.push(t));
    vi.runAllTimers();
    expect(times).toEqual([]);
    frames.frame(16.7);
    expect(times).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(times).toEqual([16.7]);
  });

  it('cancels before the frame and between the frame and its task', () => {
    const frames = holdAnimationFrames();
    const provider = frameThenTask();
    let ran = 0;
    provider.cancelAnimationFrame(provider.requestAnimationFrame(() => ran++));
    frames.frame(1);
    vi.runAllTimers();
    const id = provider.requestAnimationFrame(() => ran++);
    frames.frame(2);
    provider.cancelAnimationFrame(id);
    vi.runAllTimers();
    expect(ran).toBe(0);
    // An id it never gave (or one already run) is nothing to cancel.
    provider.cancelAnimationFrame(12345);
  });

  it('runs the callback in a task after the one where prepare did some work, in the same one when it did none', () => {
    const frames = holdAnimationFrames();
    const log: string[] = [];
    const { prepare } = layersWaiting((did) => log.push(did ? 'prepared' : 'nothing to prepare'));
    const provider = frameThenTask(prepare);
    provider.requestAnimationFrame((t) => log.push(`frame ${t}`));
    frames.frame(5);
    expect(log).toEqual([]);
    vi.runOnlyPendingTimers();
    expect(log).toEqual(['prepared']);
    vi.runOnlyPendingTimers();
    expect(log).toEqual(['prepared', 'nothing to prepare', 'frame 5']);
    provider.requestAnimationFrame((t) => log.push(`frame ${t}`));
    frames.frame(6);
    vi.runOnlyPendingTimers();
    expect(log.slice(3)).toEqual(['nothing to prepare', 'frame 6']);
  });

  it('prepares work handed in between the prepared task and the callback in a task of its own again, never with the callback', () => {
    const frames = holdAnimationFrames();
    const log: string[] = [];
    const { state, prepare } = layersWaiting();
    const provider = frameThenTask(prepare);
    provider.requestAnimationFrame((t) => log.push(`frame ${t}`));
    frames.frame(7);
    vi.runOnlyPendingTimers();
    log.push('task: prepared');
    state.waiting = 1; // the page's next batch of layers, handed in before the callback's task
    vi.runOnlyPendingTimers();
    log.push('task: prepared again');
    vi.runOnlyPendingTimers();
    expect(log).toEqual(['task: prepared', 'task: prepared again', 'frame 7']);
  });

  it('cancels between the prepared work and the callback', () => {
    const frames = holdAnimationFrames();
    let ran = 0;
    const provider = frameThenTask(layersWaiting().prepare);
    const id = provider.requestAnimationFrame(() => ran++);
    frames.frame(1);
    vi.runOnlyPendingTimers();
    provider.cancelAnimationFrame(id);
    vi.runAllTimers();
    expect(ran).toBe(0);
  });
});
