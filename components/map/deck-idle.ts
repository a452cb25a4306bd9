// deck.gl draws only when something changed, but its animation loop still
// asks for every animation frame to check — on the idle wall that loop was
// most of the page's main-thread time (measured 4.8 % of a core of 6 %,
// Chromium, this machine). The wall stops the loop once nothing is pending and
// starts it again the moment something is: new layers handed over, the camera
// moving, a layer still loading. deck.gl 9.4 has no public switch for this,
// so it reaches two non-public fields (MapboxOverlay's deck, the deck's
// animation loop); where they are missing (another deck.gl), it does nothing
// and the loop runs as before.
import type { MapboxOverlay } from '@deck.gl/mapbox';

/** After the last wake, the loop keeps running this long (a heatmap's 150 ms re-aggregation fits in it). */
export const DECK_QUIET_MS = 1000;

interface LoopLike {
  start(): Promise<unknown>;
  stop(): unknown;
}

interface DeckLike {
  readonly isInitialized: boolean;
  animationLoop?: LoopLike | null;
  needsRedraw(opts: { clearRedrawFlags: boolean }): false | string;
  layerManager?: { needsUpdate(): false | string; getLayers(): readonly { isLoaded: boolean }[] } | null;
}

export interface DeckIdler {
  /** Something for deck.gl to do: run its loop (again) for at least DECK_QUIET_MS. */
  wake(): void;
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

export function createDeckIdler(overlay: MapboxOverlay): DeckIdler {
  const deckOf = () => (overlay as unknown as { _deck?: DeckLike })._deck;
  let running = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(check, DECK_QUIET_MS);
  };
  function check() {
    timer = null;
    if (disposed) return;
    const deck = deckOf();
    const loop = deck?.animationLoop;
    if (!deck || !loop) return;
    if (hasWork(deck)) {
      arm();
      return;
    }
    loop.stop();
    running = false;
  }

  arm();
  return {
    wake() {
      if (disposed) return;
      const loop = deckOf()?.animationLoop;
      if (!running && loop) {
        running = true;
        loop.start().catch((error: unknown) => console.error('[map] restarting deck.gl failed', error));
      }
      arm();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
