'use client';
// A clock that changes only every `stepMs` (a minute for a wall clock, ten
// seconds for the ages the wall map draws): a page that shows hh:mm does not
// need to render every second. One shared timer per step, aligned to the
// step's boundary; null during server rendering and hydration, like useNow.
import { useCallback, useSyncExternalStore } from 'react';

interface Ticker {
  listeners: Set<() => void>;
  current: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const tickers = new Map<number, Ticker>();

function tickerFor(stepMs: number): Ticker {
  let t = tickers.get(stepMs);
  if (!t) {
    t = { listeners: new Set(), current: 0, timer: null };
    tickers.set(stepMs, t);
  }
  return t;
}

const floorTo = (ms: number, stepMs: number) => ms - (ms % stepMs);

function arm(t: Ticker, stepMs: number): void {
  const now = Date.now();
  // A few ms past the boundary, so the floor lands on the new step.
  t.timer = setTimeout(() => {
    t.current = floorTo(Date.now(), stepMs);
    for (const l of t.listeners) l();
    arm(t, stepMs);
  }, stepMs - (now % stepMs) + 5);
}

function getServerSnapshot(): null {
  return null;
}

/** Client epoch ms floored to `stepMs`, changing once per step; null on the server. */
export function useCoarseNow(stepMs: number): number | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const t = tickerFor(stepMs);
      t.listeners.add(onChange);
      if (t.timer === null) arm(t, stepMs);
      return () => {
        t.listeners.delete(onChange);
        if (t.listeners.size === 0 && t.timer !== null) {
          clearTimeout(t.timer);
          t.timer = null;
        }
      };
    },
    [stepMs],
  );
  const getSnapshot = useCallback(() => {
    const t = tickerFor(stepMs);
    // The first reader (or one after the ticker slept) starts from the present step.
    if (t.timer === null || t.current === 0) t.current = floorTo(Date.now(), stepMs);
    return t.current;
  }, [stepMs]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
