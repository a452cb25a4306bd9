// Grid cells: outlined, shaded by open incident load, labelled with code and name.
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { GridFeatureProps, MultiPolygonGeometry, GeoJsonFeature, GridCollection } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';
import {
  GRID_HIGHLIGHT_COLOR,
  GRID_LABEL_COLOR,
  GRID_LINE_COLOR,
  GRID_LOAD_COLORS,
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

export interface GridLayerInput {
  grids: GridCollection | undefined;
  /** Open incidents per grid id from the live store; null → use the snapshot's `openIncidents`. */
  openByGrid: Readonly<Record<number, number>> | null;
  selectedGridId: number | null;
  lang: Lang;
  zoom: number;
  visible: boolean;
}

const NO_FEATURES: GridFeature[] = [];

export function gridLoad(f: GridFeature, openByGrid: GridLayerInput['openByGrid']): number {
  return openByGrid ? (openByGrid[f.properties.id] ?? 0) : f.properties.openIncidents;
}

export function gridLoadColor(load: number): Rgba {
  const i = Math.max(0, Math.min(GRID_LOAD_COLORS.length - 1, Math.floor(load)));
  return GRID_LOAD_COLORS[i] ?? GRID_LOAD_COLORS[0]!;
}

export function gridLabel(f: GridFeature, lang: Lang, withName: boolean): string {
  return withName ? `${f.properties.code}\n${localName(f.properties, lang)}` : f.properties.code;
}

export function buildGridLayers(input: GridLayerInput): [GeoJsonLayer<GridFeatureProps>, TextLayer<GridFeature>] {
  const features = input.grids?.features ?? NO_FEATURES;
  const { openByGrid, selectedGridId, lang, visible } = input;
  const withName = input.zoom >= GRID_NAME_MIN_ZOOM;
  // A cheap, stable signature of the loads so colours recompute only when a count changes.
  const loadKey = openByGrid ? Object.entries(openByGrid).join(';') : 'snapshot';

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
    getFillColor: (f) => gridLoadColor(gridLoad(f as unknown as GridFeature, openByGrid)),
    getLineColor: (f) => ((f.properties as GridFeatureProps).id === selectedGridId ? GRID_SELECTED_LINE_COLOR : GRID_LINE_COLOR),
    getLineWidth: (f) => ((f.properties as GridFeatureProps).id === selectedGridId ? 3 : 1),
    updateTriggers: {
      getFillColor: loadKey,
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
    getSize: withName ? 13 : 12,
    sizeUnits: 'pixels',
    getColor: GRID_LABEL_COLOR,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    lineHeight: 1.25,
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 500,
    characterSet: 'auto',
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 2.5,
    outlineColor: LABEL_HALO_COLOR,
    updateTriggers: { getText: [lang, withName] },
  });

  return [cells, labels];
}
