// The browser's animation frames, held by the test: fake timers, and
// requestAnimationFrame / cancelAnimationFrame stubbed after them (vitest's fake
// timers fake requestAnimationFrame too, so the order matters). Undone when
// the test finishes (real timers, the globals unstubbed).
import { onTestFinished, vi } from 'vitest';

export interface HeldFrames {
  /** The browser's frame: every callback asked for until now, in one go (one task), with this time. */
  frame(time?: number): void;
}

export function holdAnimationFrames(): HeldFrames {
  vi.useFakeTimers();
  onTestFinished(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  let waiting: { id: number; cb: FrameRequestCallback }[] = [];
  let next = 0;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    waiting.push({ id: ++next, cb });
    return next;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    waiting = waiting.filter((f) => f.id !== id);
  });
  return {
    frame(time = 0) {
      const run = waiting;
      waiting = [];
      for (const f of run) f.cb(time);
    },
  };
}
