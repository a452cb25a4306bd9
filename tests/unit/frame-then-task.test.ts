// lib/hooks/frame-then-task.ts: a frame's callback runs in a task of its own
// right after the browser's frame (the live store and the wall's deck.gl loop).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameThenTask } from '@/lib/hooks/frame-then-task';
import { holdAnimationFrames } from '../helpers/frames';

describe('frameThenTask', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

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
});
