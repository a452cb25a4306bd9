// The page's hooks for end-to-end tests: `window.__gridsight`. The shape is a
// contract with tests/e2e; change both together.
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Alert, IncidentView, LonLat, UnitState } from '../model';
import type { Lang } from '../i18n/messages';

export interface GridSightTestHooks {
  /** basemap + grids + units + incidents loaded, the basemap style loaded, and deck has rendered them at least once. */
  ready: boolean;
  map: MaplibreMap | null;
  /** The overlay with the units and alerts (on the wall the top of two). */
  deck: MapboxOverlay | null;
  /** Every deck.gl overlay, bottom first: the wall's base and live canvases, the desk's one (empty before the map). */
  decks: MapboxOverlay[];
  /** The live unit store, keyed by team id. */
  units(): Record<number, UnitState>;
  /** The live incidents, newest first. */
  incidents(): IncidentView[];
  /** The live alerts (open ones from /api/alerts plus `alert:new` events), newest first. */
  alerts(): Alert[];
  /**
   * `window` and `count` describe the heatmap payload currently drawn;
   * `drawnPoints` is the number of points in the deck `heatmap` layer (0 when the layer is off).
   */
  heatmap(): { window: string; count: number; drawnPoints: number };
  /** Pixel position inside the map container. */
  project(lonLat: LonLat): [x: number, y: number];
  /** deck.gl pick at a pixel in the map container (radius 4). */
  pick(x: number, y: number, layerIds?: readonly string[]): { layerId: string; object: unknown } | null;
  lang(): Lang;
}

declare global {
  interface Window {
    __gridsight?: GridSightTestHooks;
  }
}
