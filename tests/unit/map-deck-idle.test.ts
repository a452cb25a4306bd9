// The wall's deck.gl loop sleeps when nothing is pending and wakes for work:
// driven against a stand-in with the fields deck.gl 9.4 has, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { AnimationLoop } from '@luma.gl/engine';
import { DECK_QUIET_MS, createDeckIdler, deferViewUpdates, drawAfterFrames, updateLayersAhead } from '@/components/map/deck-idle';
import type { AnimationFrameProvider } from '@/lib/hooks/frame-then-task';
import { holdAnimationFrames } from '../helpers/frames';
import { buildHeatmapLayer } from '@/components/map/layers/heatmap-layer';

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

/** The idler on the fake clock (Date.now is faked; performance.now is not). */
const idlerFor = (overlay: MapboxOverlay) => createDeckIdler(overlay, () => Date.now());

describe('createDeckIdler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops the loop once nothing is pending for DECK_QUIET_MS, and starts it again on wake', () => {
    const { overlay, loop } = fakeOverlay();
    const idler = idlerFor(overlay);
    vi.advanceTimersByTime(DECK_QUIET_MS - 1);
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(1);
    expect(loop).toEqual({ running: false, starts: 0, stops: 1 });
    idler.wake();
    expect(loop).toEqual({ running: true, starts: 1, stops: 1 });
    // Each wake restarts the quiet period.
    vi.advanceTimersByTime(DECK_QUIET_MS - 50);
    idler.wake();
    vi.advanceTimersByTime(DECK_QUIET_MS - 50);
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(50);
    expect(loop).toEqual({ running: false, starts: 1, stops: 2 });
  });

  it('counts the quiet period from the last frame drawn too', () => {
    const { overlay, loop } = fakeOverlay();
    const idler = idlerFor(overlay);
    vi.advanceTimersByTime(DECK_QUIET_MS - 10);
    idler.rendered();
    vi.advanceTimersByTime(DECK_QUIET_MS - 1);
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(1);
    expect(loop.running).toBe(false);
  });

  it('keeps one timer however often it is woken (MapLibre wakes it at every camera frame)', () => {
    const { overlay, loop } = fakeOverlay();
    const idler = idlerFor(overlay);
    for (let i = 0; i < 90; i++) {
      idler.wake();
      idler.rendered();
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(16);
    }
    expect(loop.running).toBe(true);
    vi.advanceTimersByTime(DECK_QUIET_MS);
    expect(loop).toEqual({ running: false, starts: 0, stops: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('draws a heatmap re-aggregation that its debounce timer flags after the last frame', () => {
    // The wall's heatmap waits this long after a zoom before it re-aggregates (deck.gl's HeatmapLayer).
    const debounceMs = buildHeatmapLayer({ data: null, visible: true }).props.debounceTimeout;
    expect(debounceMs).toBeLessThan(DECK_QUIET_MS);
    const { overlay, loop, state } = fakeOverlay();
    const idler = idlerFor(overlay);
    // The camera moves (a wake); its frame is drawn late (software WebGL on a busy machine); updating the layer for
    // it, the heatmap starts its timer, which flags a redraw when it fires — after the quiet period since the wake.
    idler.wake();
    vi.advanceTimersByTime(200);
    idler.rendered();
    setTimeout(() => (state.redraw = 'heatmap weights'), debounceMs);
    vi.advanceTimersByTime(DECK_QUIET_MS);
    // Still running: the flagged redraw is pending work.
    expect(loop.running).toBe(true);
    // The loop draws it …
    state.redraw = false;
    idler.rendered();
    vi.advanceTimersByTime(DECK_QUIET_MS - 1);
    expect(loop.running).toBe(true);
    // … and sleeps DECK_QUIET_MS after that frame.
    vi.advanceTimersByTime(1);
    expect(loop.running).toBe(false);
  });

  it('keeps the loop running while deck.gl is not initialised, has a redraw or update pending, or a layer loads', () => {
    const { overlay, loop, state } = fakeOverlay();
    idlerFor(overlay);
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
    const idler = idlerFor(overlay);
    idler.dispose();
    vi.advanceTimersByTime(5 * DECK_QUIET_MS);
    idler.wake();
    idler.rendered();
    vi.advanceTimersByTime(5 * DECK_QUIET_MS);
    expect(loop).toEqual({ running: true, starts: 0, stops: 0 });
    expect(vi.getTimerCount()).toBe(0);
    const bare = idlerFor({} as MapboxOverlay);
    vi.advanceTimersByTime(5 * DECK_QUIET_MS);
    expect(() => bare.wake()).not.toThrow();
  });
});

/** A map's `render` listeners, as MapLibre keeps them. */
function fakeMap() {
  const listeners = new Set<() => void>();
  return {
    on: (_type: 'render', f: () => void) => listeners.add(f),
    off: (_type: 'render', f: () => void) => listeners.delete(f),
    render: () => [...listeners].forEach((f) => f()),
    listeners,
  };
}

describe('deferViewUpdates', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("moves the overlay's view update out of MapLibre's frame into one task after it, and undoes that", () => {
    const map = fakeMap();
    let updates = 0;
    const overlay = { _updateViewState: () => updates++ };
    map.on('render', overlay._updateViewState);
    const undo = deferViewUpdates(map, overlay as unknown as MapboxOverlay);
    // Not in the frame: after it, once for every frame drawn before it ran (tiles loading at one view).
    map.render();
    map.render();
    expect(updates).toBe(0);
    vi.runAllTimers();
    expect(updates).toBe(1);
    map.render();
    vi.runAllTimers();
    expect(updates).toBe(2);
    // Undone (the overlay is being removed): no listener left, no update still to come.
    map.render();
    undo();
    vi.runAllTimers();
    expect(updates).toBe(2);
    expect(map.listeners.size).toBe(0);
  });

  it("reaches a field deck.gl's MapboxOverlay has; without it, leaves the map as it was", () => {
    expect(typeof (new MapboxOverlay({}) as unknown as { _updateViewState?: unknown })._updateViewState).toBe('function');
    const map = fakeMap();
    const own = () => {};
    map.on('render', own);
    deferViewUpdates(map, {} as MapboxOverlay)();
    expect([...map.listeners]).toEqual([own]);
  });
});

describe('drawAfterFrames', () => {
  it("makes frameThenTask deck.gl's loop's frame provider through luma.gl's own setProps", () => {
    const frames = holdAnimationFrames();
    const loop = new AnimationLoop({ device: {} as never });
    drawAfterFrames({ _deck: { animationLoop: loop } } as unknown as MapboxOverlay);
    const provider = loop.props.animationFrameProvider as AnimationFrameProvider;
    let ran = 0;
    provider.requestAnimationFrame(() => ran++);
    frames.frame(1);
    vi.advanceTimersByTime(0);
    expect(ran).toBe(1);
    // Not a luma.gl loop: left alone.
    drawAfterFrames({} as MapboxOverlay);
  });

  it("takes in new layers in a task of their own, then draws in the next: deck.gl's frame then finds nothing to update", () => {
    const frames = holdAnimationFrames();
    const loop = new AnimationLoop({ device: {} as never });
    const log: string[] = [];
    let waiting: string | false = 'layers changed';
    const layerManager = {
      needsUpdate: () => waiting,
      updateLayers: () => {
        log.push(waiting ? 'update' : 'no update');
        waiting = false;
      },
      getLayers: () => [],
    };
    drawAfterFrames({ _deck: { isInitialized: true, animationLoop: loop, layerManager } } as unknown as MapboxOverlay);
    const provider = loop.props.animationFrameProvider as AnimationFrameProvider;
    // deck.gl's frame (Deck._onRenderFrame) updates what waits, then draws.
    const deckFrame = () => {
      layerManager.updateLayers();
      log.push('draw');
    };
    provider.requestAnimationFrame(deckFrame);
    frames.frame(1);
    vi.runOnlyPendingTimers();
    expect(log).toEqual(['update']);
    vi.runOnlyPendingTimers();
    expect(log).toEqual(['update', 'no update', 'draw']);
    // Nothing new: the frame is one task, as before.
    provider.requestAnimationFrame(deckFrame);
    frames.frame(2);
    vi.runOnlyPendingTimers();
    expect(log.slice(3)).toEqual(['no update', 'draw']);
  });

  it('updates nothing ahead for a deck not yet initialised or without a layer manager', () => {
    let updated = 0;
    const layerManager = { needsUpdate: () => 'layers changed' as const, updateLayers: () => updated++, getLayers: () => [] };
    expect(updateLayersAhead({ isInitialized: false, layerManager, needsRedraw: () => false })).toBe(false);
    expect(updateLayersAhead({ isInitialized: true, layerManager: null, needsRedraw: () => false })).toBe(false);
    expect(updateLayersAhead({ isInitialized: true, layerManager, needsRedraw: () => false })).toBe(true);
    expect(updated).toBe(1);
  });
});
