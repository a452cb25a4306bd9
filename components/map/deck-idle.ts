// deck.gl draws only when something changed, but its animation loop still
// asks for every animation frame to check — on the idle wall that loop was
// most of the page's main-thread time (measured 4.8 % of a core of 6 %,
// Chromium, this machine). The wall stops the loop once nothing is pending and
// starts it again the moment something is: new layers handed over, the camera
// stopping (while it moves, each of MapLibre's frames redraws the overlay: the
// loop is not needed for that), a layer still loading. deck.gl 9.4 has no public switch for this,
// so it reaches two non-public fields (MapboxOverlay's deck, the deck's
// animation loop); where they are missing (another deck.gl), it does nothing
// and the loop runs as before.
//
// The one piece of deck.gl work that no flag shows while it waits: the
// HeatmapLayer re-aggregates a zoom change on a timer (its debounceTimeout,
// 150 ms here) that it starts while it updates, in a drawn frame, and only
// when the timer fires does it flag a redraw. So the loop stays up for
// DECK_QUIET_MS after the last wake *and* after the last frame drawn: longer
// than the debounce, the timer fires first (timers run in due order), the
// redraw it flags is pending work, and the loop keeps running to draw it.
import type { MapboxOverlay } from '@deck.gl/mapbox';
import { frameThenTask, type AnimationFrameProvider } from '@/lib/hooks/frame-then-task';

/** The loop sleeps after this long with nothing pending, no wake and no frame drawn: longer than the heatmap's 150 ms debounce. */
export const DECK_QUIET_MS = 250;

interface LoopLike {
  start(): Promise<unknown>;
  stop(): unknown;
  /** luma.gl's AnimationLoop (9.4): who it asks for its frames. */
  setProps?(props: { animationFrameProvider?: AnimationFrameProvider | null }): unknown;
}

export interface DeckLike {
  readonly isInitialized: boolean;
  animationLoop?: LoopLike | null;
  needsRedraw(opts: { clearRedrawFlags: boolean }): false | string;
  layerManager?: { needsUpdate(): false | string; updateLayers?(): void; getLayers(): readonly { isLoaded: boolean }[] } | null;
}

export interface DeckIdler {
  /** Something for deck.gl to do: run its loop (again) for at least DECK_QUIET_MS. */
  wake(): void;
  /** deck.gl drew a frame (its onAfterRender): the quiet period counts from here too. */
  rendered(): void;
  dispose(): void;
}

/** Whether deck.gl still has work: not yet initialised, a redraw or a layer update pending, a layer loading. */
function hasWork(deck: DeckLike): boolean {
  if (!deck.isInitialized) return true;
  if (deck.needsRedraw({ clearRedrawFlags: false })) return true;
  const layers = deck.layerManager;
  if (!layers) return true;
  return Boolean(layers.needsUpdate()) || layers.getLayers().some((l) => !l.isLoaded);
}

/** `now` is the clock the quiet period is measured on (tests pass the fake one). */
export function createDeckIdler(overlay: MapboxOverlay, now: () => number = () => performance.now()): DeckIdler {
  const deckOf = () => (overlay as unknown as { _deck?: DeckLike })._deck;
  let running = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  /** The last wake or frame drawn. */
  let lastActive = now();

  // One timer at a time: a wake while one is pending only moves lastActive (MapLibre wakes it at every camera frame).
  const armIn = (ms: number) => {
    if (timer === null) timer = setTimeout(check, ms);
  };
  function check() {
    timer = null;
    if (disposed) return;
    const deck = deckOf();
    const loop = deck?.animationLoop;
    if (!deck || !loop) return;
    if (hasWork(deck)) {
      armIn(DECK_QUIET_MS);
      return;
    }
    const quietFor = now() - lastActive;
    if (quietFor < DECK_QUIET_MS) {
      armIn(DECK_QUIET_MS - quietFor);
      return;
    }
    loop.stop();
    running = false;
  }

  armIn(DECK_QUIET_MS);
  return {
    wake() {
      if (disposed) return;
      lastActive = now();
      const loop = deckOf()?.animationLoop;
      if (!running && loop) {
        running = true;
        loop.start().catch((error: unknown) => console.error('[map] restarting deck.gl failed', error));
      }
      armIn(DECK_QUIET_MS);
    },
    rendered() {
      lastActive = now();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * The wall: deck.gl follows a camera move in a task of its own, right after
 * MapLibre's frame, rather than inside it. MapboxOverlay redraws deck.gl from
 * MapLibre's `render` event, so at a cut one task drew the basemap at the new
 * view, re-aggregated the heatmap for it and drew every deck.gl layer —
 * measured, the wall's longest task under load. Split, each half is its own
 * task; deck.gl's layers trail the basemap by one task, while the map is
 * fading in from WALL_CUT_FADE. MapLibre's frames while tiles load (the same
 * view) come to one deferred update. Reaches MapboxOverlay's non-public
 * `_updateViewState` (deck.gl 9.4); without it, nothing changes. Returns the
 * undo (before the overlay is removed).
 */
export function deferViewUpdates(map: Evented, overlay: MapboxOverlay): () => void {
  const follow = (overlay as unknown as { _updateViewState?: () => void })._updateViewState;
  if (typeof follow !== 'function') return () => {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deferred = () => {
    timer ??= setTimeout(() => {
      timer = null;
      follow();
    }, 0);
  };
  map.off('render', follow);
  map.on('render', deferred);
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    map.off('render', deferred);
  };
}

/** What deferViewUpdates needs of a MapLibre map. */
interface Evented {
  on(type: 'render', listener: () => void): unknown;
  off(type: 'render', listener: () => void): unknown;
}

/**
 * The wall: deck.gl's loop draws through frameThenTask (lib/hooks/frame-then-task.ts), each of its frames a
 * task of its own, never in MapLibre's frame's task; and a frame with new layers to take in (a batch of
 * fixes, a camera cut) updates them in one task and draws in the next, instead of both in one — the loaded
 * wall's longest tasks were such frames (docs/BENCHMARKS.md, wall load). The update is the one deck.gl's
 * frame would start with (LayerManager.updateLayers); the frame then finds nothing to update and draws.
 * Uses the loop's public `setProps` (luma.gl's AnimationLoop), reached through the overlay's deck
 * (non-public fields, as the idler); without them, nothing changes. For the overlay's life: its loop's
 * stop, when the overlay is finalized, cancels a frame still pending through the same provider.
 */
export function drawAfterFrames(overlay: MapboxOverlay): void {
  const deck = (overlay as unknown as { _deck?: DeckLike })._deck;
  const loop = deck?.animationLoop;
  if (!deck || !loop || typeof loop.setProps !== 'function') return;
  loop.setProps({ animationFrameProvider: frameThenTask(() => updateLayersAhead(deck)) });
}

/** Takes in the layers deck.gl's next frame would (true), or finds none waiting (false). */
export function updateLayersAhead(deck: DeckLike): boolean {
  const layers = deck.layerManager;
  if (!deck.isInitialized || !layers || typeof layers.updateLayers !== 'function' || !layers.needsUpdate()) return false;
  layers.updateLayers();
  return true;
}
