// Grid cells: outlined, shaded by open incident load or by patrol coverage
// (hours since a patrol last entered), labelled with code and name.
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { GridFeatureProps, MultiPolygonGeometry, GeoJsonFeature, GridCollection } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';
import { charactersFor } from './label-characters';
import {
  GRID_COVERAGE_COLORS,
  GRID_COVERAGE_HOURS,
  GRID_HIGHLIGHT_COLOR,
  GRID_LABEL_COLOR,
  GRID_LINE_COLOR,
  GRID_LOAD_COLORS,
  GRID_NEVER_PATROLLED_COLOR,
  GRID_SELECTED_LINE_COLOR,
  LABEL_HALO_COLOR,
  MAP_FONT_FAMILY,
  type Rgba,
} from '../palette';

export const GRIDS_LAYER_ID = 'grids';
export const GRID_LABELS_LAYER_ID = 'grid-labels';
/** Below this zoom the cells are small on screen: label with the code only. */
export const GRID_NAME_MIN_ZOOM = 12.2;

export type GridFeature = GeoJsonFeature<MultiPolygonGeometry, GridFeatureProps>;

/** What the cells' fill shows: open incidents, or hours since the last patrol. */
export const GRID_SHADINGS = ['load', 'coverage'] as const;
export type GridShading = (typeof GRID_SHADINGS)[number];

export interface GridLayerInput {
  grids: GridCollection | undefined;
  /** Open incidents per grid id from the live store; null → use the snapshot's `openIncidents`. */
  openByGrid: Readonly<Record<number, number>> | null;
  selectedGridId: number | null;
  lang: Lang;
  zoom: number;
  visible: boolean;
  /** Defaults to load. */
  shading?: GridShading;
  /** Server-corrected epoch ms: coverage hours are measured against it. */
  now?: number;
  /** Label sizes in pixels (code only, code and name); the desk's when not given. */
  labelSizes?: { grid: number; gridNamed: number };
  /** Grid ids whose label lost to a more important one (label-placement.ts): drawn at size 0. */
  hiddenLabels?: ReadonlySet<number>;
  /** Changes whenever hiddenLabels does. */
  hiddenKey?: string;
}

const NO_FEATURES: GridFeature[] = [];

export function gridLoad(f: GridFeature, openByGrid: GridLayerInput['openByGrid']): number {
  return openByGrid ? (openByGrid[f.properties.id] ?? 0) : f.properties.openIncidents;
}

export function gridLoadColor(load: number): Rgba {
  const i = Math.max(0, Math.min(GRID_LOAD_COLORS.length - 1, Math.floor(load)));
  return GRID_LOAD_COLORS[i] ?? GRID_LOAD_COLORS[0]!;
}

/** Hours since a patrol last entered the cell at `now`; null if never (or an unreadable time). */
export function hoursSincePatrol(f: GridFeature, now: number): number | null {
  const at = f.properties.lastPatrolAt;
  if (at === null) return null;
  const t = Date.parse(at);
  return Number.isNaN(t) ? null : Math.max(0, now - t) / 3_600_000;
}

/** The coverage step for a gap of `hours` (null: never patrolled, its own colour). */
export function gridCoverageColor(hours: number | null): Rgba {
  if (hours === null) return GRID_NEVER_PATROLLED_COLOR;
  const i = GRID_COVERAGE_HOURS.findIndex((limit) => hours < limit);
  return GRID_COVERAGE_COLORS[i === -1 ? GRID_COVERAGE_COLORS.length - 1 : i]!;
}

export function gridLabel(f: GridFeature, lang: Lang, withName: boolean): string {
  return withName ? `${f.properties.code}\n${localName(f.properties, lang)}` : f.properties.code;
}

export function buildGridLayers(input: GridLayerInput): [GeoJsonLayer<GridFeatureProps>, TextLayer<GridFeature>] {
  const features = input.grids?.features ?? NO_FEATURES;
  const { openByGrid, selectedGridId, lang, visible } = input;
  const shading = input.shading ?? 'load';
  const now = input.now ?? 0;
  const withName = input.zoom >= GRID_NAME_MIN_ZOOM;
  const size = withName ? (input.labelSizes?.gridNamed ?? 13) : (input.labelSizes?.grid ?? 12);
  const hidden = input.hiddenLabels;
  // A cheap, stable signature of the colours' input so they recompute only when it changes:
  // the loads, or (coverage) the minute, which is finer than any step of the ramp needs
  // (a new grids snapshot is new data: deck.gl recomputes for it anyway).
  const fillKey =
    shading === 'coverage'
      ? `coverage:${Math.floor(now / 60_000)}`
      : openByGrid
        ? Object.entries(openByGrid).join(';')
        : 'snapshot';
  const fill = (f: GridFeature): Rgba =>
    shading === 'coverage' ? gridCoverageColor(hoursSincePatrol(f, now)) : gridLoadColor(gridLoad(f, openByGrid));

  const cells = new GeoJsonLayer<GridFeatureProps>({
    id: GRIDS_LAYER_ID,
    data: features as unknown as GeoJsonLayer<GridFeatureProps>['props']['data'],
    visible,
    pickable: true,
    autoHighlight: true,
    highlightColor: GRID_HIGHLIGHT_COLOR,
    filled: true,
    stroked: true,
    lineWidthUnits: 'pixels',
    getFillColor: (f) => fill(f as unknown as GridFeature),
    getLineColor: (f) => ((f.properties as GridFeatureProps).id === selectedGridId ? GRID_SELECTED_LINE_COLOR : GRID_LINE_COLOR),
    getLineWidth: (f) => ((f.properties as GridFeatureProps).id === selectedGridId ? 3 : 1),
    updateTriggers: {
      getFillColor: fillKey,
      getLineColor: selectedGridId,
      getLineWidth: selectedGridId,
    },
  });

  const labels = new TextLayer<GridFeature>({
    id: GRID_LABELS_LAYER_ID,
    data: features,
    visible,
    pickable: false,
    getPosition: (f) => f.properties.labelPoint,
    getText: (f) => gridLabel(f, lang, withName),
    // A hidden label keeps its place in the data (no new array, no re-layout of the others) and shrinks to nothing.
    getSize: hidden && hidden.size > 0 ? (f) => (hidden.has(f.properties.id) ? 0 : size) : size,
    sizeUnits: 'pixels',
    getColor: GRID_LABEL_COLOR,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    lineHeight: 1.25,
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 500,
    // Both forms' characters from the first draw: a cut to a closer view shows the names without a new atlas.
    characterSet: charactersFor(features, lang, () => features.flatMap((f) => [gridLabel(f, lang, false), gridLabel(f, lang, true)])),
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 2.5,
    outlineColor: LABEL_HALO_COLOR,
    updateTriggers: { getText: [lang, withName], getSize: [size, input.hiddenKey ?? ''] },
  });

  return [cells, labels];
}
