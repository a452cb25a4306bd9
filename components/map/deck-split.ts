// The wall draws deck.gl on two canvases, one over the other: the base (the
// cells, the heatmap, the key locations, the incidents) and above it what a
// batch of fixes changes (the units, their headings and ages, the alerts, the
// labels placed around the units, and the plans drawn over everything). deck.gl
// clears and redraws its whole canvas whenever it is handed new layers, so on
// one canvas every batch of moves, once a second, drew the cells, the heatmap
// and the incidents again too — measured, most of the GPU time of a frame of
// moves (docs/BENCHMARKS.md, wall load). The base is handed new layers only
// when something it draws from changed.
//
// The base layers are the bottom of buildMapLayers' list (every base layer
// comes before every other), so the two canvases stack in the same order the
// single one drew them. The one exception is the live patrol plans, which the
// page hands over after the map's own layers: on the wall their areas and
// routes are drawn on the base, under the units (a team over its own route),
// since the canvas above draws without multisampling (wallCanvasAttributes)
// and their lines would show stairs; their checkpoints and labels stay above.
import type { Layer } from '@deck.gl/core';
import type { MapLayersInput } from './build-layers';
import type { MotionState } from './motion';
import { GRIDS_LAYER_ID } from './layers/grid-layer';
import { HEATMAP_LAYER_ID } from './layers/heatmap-layer';
import { INCIDENT_PULSES_LAYER_ID, INCIDENTS_LAYER_ID } from './layers/incident-layer';
import { KEY_LOCATIONS_LAYER_ID } from './layers/key-location-layer';
import { PLAN_AREAS_LAYER_ID, PLAN_ROUTES_LAYER_ID } from './layers/plan-layer';

/** The layers drawn on the wall's lower canvas. */
export const BASE_LAYER_IDS: ReadonlySet<string> = new Set([
  GRIDS_LAYER_ID,
  HEATMAP_LAYER_ID,
  KEY_LOCATIONS_LAYER_ID,
  INCIDENT_PULSES_LAYER_ID,
  INCIDENTS_LAYER_ID,
  PLAN_AREAS_LAYER_ID,
  PLAN_ROUTES_LAYER_ID,
]);

/** The layers of one list for each canvas, each in the list's order. */
export function splitLayers<L extends Pick<Layer, 'id'>>(layers: readonly L[]): { base: L[]; live: L[] } {
  const base: L[] = [];
  const live: L[] = [];
  for (const layer of layers) (BASE_LAYER_IDS.has(layer.id) ? base : live).push(layer);
  return { base, live };
}

/**
 * What the base layers are built from (buildMapLayers' inputs that reach the cells, the heatmap, the key
 * locations and the incidents), the page's own layers (the plans: their areas and routes are on the base), plus
 * whether the data is all there (the page's first full frame waits for both canvases). Units, alerts, labels and
 * the basemap's settlements are not among them.
 */
export const BASE_INPUT_KEYS = [
  'grids',
  'openByGrid',
  'gridShading',
  'heatmap',
  'keyLocations',
  'incidents',
  'visibility',
  'selection',
  'lang',
  'zoom',
  'now',
  'variant',
  'labelScale',
  'dimLive',
  'motion',
  'extraLayers',
  'dataReady',
] as const satisfies readonly (keyof MapLayersInput | 'extraLayers' | 'dataReady')[];

export type BaseInput = Pick<MapLayersInput, Exclude<(typeof BASE_INPUT_KEYS)[number], 'extraLayers' | 'dataReady'>> & {
  /** The page's layers after the map's own (the plans); the same array while they draw the same. */
  extraLayers?: readonly Layer[] | undefined;
  dataReady: boolean;
};

/** Whether the base layers built from `b` draw what those built from `a` did (every input the same object or value). */
export function sameBaseInput(a: BaseInput | null, b: BaseInput): boolean {
  if (!a) return false;
  return BASE_INPUT_KEYS.every((k) => a[k] === b[k]);
}

/** Whether an incident ring pulses: then the base is drawn at every step of the pulse, as the rest is. */
export function baseAnimates(motion: MotionState | undefined, incidentsVisible: boolean): boolean {
  if (!motion || !incidentsVisible) return false;
  for (const r of motion.incidents.values()) if (r === 'pulse') return true;
  return false;
}

/**
 * The WebGL context each of the wall's canvases asks for. Neither keeps its
 * drawing buffer (luma.gl asks for that by default, so a canvas can be read
 * back at any time; nothing reads these, and keeping it makes Chromium copy
 * the whole buffer for the compositor at each frame). The live canvas, drawn
 * at every batch of moves, draws without multisampling: what it holds is
 * smoothed by its own shaders (the dots' and rings' edges) or is a picture or
 * a glyph (the headings, the ages, the labels); lines, which would show
 * stairs, are on the base (the plans' areas and routes). Measured on a
 * software GPU, multisampling was a fifth of the GPU process's time for each
 * frame of moves (docs/BENCHMARKS.md, 2026-12-05).
 */
export function wallCanvasAttributes(part: 'base' | 'live'): WebGLContextAttributes {
  return part === 'live' ? { preserveDrawingBuffer: false, antialias: false } : { preserveDrawingBuffer: false };
}
