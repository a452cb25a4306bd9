'use client';
// One shared one-second ticker for clocks, ages and staleness. Read through
// useSyncExternalStore: the server render gets null (no clock on the server,
// so no hydration mismatch), every client component sees the same instant.
import { useSyncExternalStore } from 'react';

const TICK_MS = 1000;
const listeners = new Set<() => void>();
let current = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function tick(): void {
  current = Date.now();
  for (const l of listeners) l();
  // Re-align to the wall-clock second so clocks change together.
  timer = setTimeout(tick, TICK_MS - (current % TICK_MS) + 5);
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  if (timer === null) timer = setTimeout(tick, TICK_MS - (Date.now() % TICK_MS) + 5);
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

function getSnapshot(): number {
  if (current === 0) current = Date.now();
  return current;
}

function getServerSnapshot(): null {
  return null;
}

/** Client epoch ms, updated once a second; null during server rendering and hydration. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
