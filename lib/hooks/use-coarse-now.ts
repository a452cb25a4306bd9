'use client';
// A clock that changes only every `stepMs` (a minute for a wall clock, ten
// seconds for the ages the wall map draws): a page that shows hh:mm does not
// need to render every second. One shared timer per step, aligned to the
// step's boundary; null during server rendering and hydration, like useNow.
// With an offset (the server's clock minus the client's), the steps are the
// server clock's: a wall clock showing the server's hh:mm turns over with it.
import { useCallback, useSyncExternalStore } from 'react';

interface Ticker {
  listeners: Set<() => void>;
  current: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const tickers = new Map<string, Ticker>();

function tickerFor(stepMs: number, offsetMs: number): Ticker {
  const key = `${stepMs}:${offsetMs}`;
  let t = tickers.get(key);
  if (!t) {
    t = { listeners: new Set(), current: 0, timer: null };
    tickers.set(key, t);
  }
  return t;
}

/** The client time at the start of the step `clientMs` is in, the steps counted on the clock `offsetMs` ahead. */
export const floorTo = (clientMs: number, stepMs: number, offsetMs = 0): number => {
  const shifted = clientMs + offsetMs;
  return shifted - (((shifted % stepMs) + stepMs) % stepMs) - offsetMs;
};

function arm(t: Ticker, stepMs: number, offsetMs: number): void {
  const now = Date.now();
  // A few ms past the boundary, so the floor lands on the new step.
  t.timer = setTimeout(() => {
    t.current = floorTo(Date.now(), stepMs, offsetMs);
    for (const l of t.listeners) l();
    arm(t, stepMs, offsetMs);
  }, floorTo(now, stepMs, offsetMs) + stepMs - now + 5);
}

function getServerSnapshot(): null {
  return null;
}

/** Client epoch ms floored to `stepMs` (steps of the clock `offsetMs` ahead of the client's), changing once per step; null on the server. */
export function useCoarseNow(stepMs: number, offsetMs = 0): number | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const t = tickerFor(stepMs, offsetMs);
      t.listeners.add(onChange);
      if (t.timer === null) arm(t, stepMs, offsetMs);
      return () => {
        t.listeners.delete(onChange);
        if (t.listeners.size === 0) {
          if (t.timer !== null) clearTimeout(t.timer);
          t.timer = null;
          // A clock offset seen once (a reconnect measures a new one) leaves no ticker behind.
          if (offsetMs !== 0) tickers.delete(`${stepMs}:${offsetMs}`);
        }
      };
    },
    [stepMs, offsetMs],
  );
  const getSnapshot = useCallback(() => {
    const t = tickerFor(stepMs, offsetMs);
    // The first reader (or one after the ticker slept) starts from the present step.
    if (t.timer === null || t.current === 0) t.current = floorTo(Date.now(), stepMs, offsetMs);
    return t.current;
  }, [stepMs, offsetMs]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
