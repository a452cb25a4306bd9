// The wall's deck.gl loop sleeps when nothing is pending and wakes for work:
// driven against a stand-in with the fields deck.gl 9.4 has, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import { DECK_QUIET_MS, createDeckIdler } from '@/components/map/deck-idle';

function fakeOverlay() {
  const loop = { running: true, starts: 0, stops: 0 };
  const state = { initialized: true, redraw: false as false | string, update: false as false | string, loading: false };
  const deck = {
    get isInitialized() {
      return state.initialized;
    },
    animationLoop: {
      start: async () => {
        loop.running = true;
        loop.starts++;
      },
      stop: () => {
        loop.running = false;
        loop.stops++;
      },
    },
    needsRedraw: () => state.redraw,
    layerManager: { needsUpdate: () => state.update, getLayers: () => [{ isLoaded: true }, { isLoaded: !state.loading }] },
  };
  return { overlay: { _deck: deck } as unknown as MapboxOverlay, loop, state };
}

describe('createDeckIdler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops the loop once nothing is pending for DECK_QUIET_MS, and starts it again on wake', () => {
    const { overlay, loop } = fakeOverlay();
    const idler = createDeckIdler(overlay);
    expect(DECK_QUIET_MS).toBe(1000);
    vi.advanceTimersByTime(999);
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(1);
    expect(loop).toEqual({ running: false, starts: 0, stops: 1 });
    idler.wake();
    expect(loop).toEqual({ running: true, starts: 1, stops: 1 });
    // Each wake restarts the quiet period.
    vi.advanceTimersByTime(600);
    idler.wake();
    vi.advanceTimersByTime(600);
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(400);
    expect(loop).toEqual({ running: false, starts: 1, stops: 2 });
  });

  it('keeps the loop running while deck.gl is not initialised, has a redraw or update pending, or a layer loads', () => {
    const { overlay, loop, state } = fakeOverlay();
    createDeckIdler(overlay);
    for (const pending of [
      () => (state.initialized = false),
      () => (state.redraw = 'layers changed'),
      () => (state.update = 'layers changed'),
      () => (state.loading = true),
    ]) {
      Object.assign(state, { initialized: true, redraw: false, update: false, loading: false });
      pending();
      vi.advanceTimersByTime(5 * DECK_QUIET_MS);
      expect(loop.running).toBe(true);
    }
    Object.assign(state, { initialized: true, redraw: false, update: false, loading: false });
    vi.advanceTimersByTime(DECK_QUIET_MS);
    expect(loop.running).toBe(false);
  });

  it('does nothing after dispose, nor where the deck.gl fields are missing', () => {
    const { overlay, loop } = fakeOverlay();
    const idler = createDeckIdler(overlay);
    idler.dispose();
    vi.advanceTimersByTime(5 * DECK_QUIET_MS);
    idler.wake();
    expect(loop).toEqual({ running: true, starts: 0, stops: 0 });
    const bare = createDeckIdler({} as MapboxOverlay);
    vi.advanceTimersByTime(5 * DECK_QUIET_MS);
    expect(() => bare.wake()).not.toThrow();
  });
});
