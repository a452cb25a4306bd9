// All deck.gl layers of the live map, bottom to top. Pure: same input, same
// layers (ids stable across calls, so deck.gl diffs instead of rebuilding).
import type { Layer } from '@deck.gl/core';
import type { Alert, BasemapPayload, GridCollection, IncidentView, KeyLocation, LonLat, UnitState } from '@/lib/model';
import type { Lang } from '@/lib/i18n/messages';
import { buildAlertLayers } from './layers/alert-layer';
import { buildDraftIncidentLayer } from './layers/draft-incident-layer';
import { buildGridLayers, type GridShading } from './layers/grid-layer';
import { buildHeatmapLayer, type HeatmapData } from './layers/heatmap-layer';
import { buildIncidentLayers } from './layers/incident-layer';
import { buildKeyLocationLayer } from './layers/key-location-layer';
import { buildUnitLayers } from './layers/unit-layer';
import { buildVillageLabelLayer } from './layers/village-layer';
import { selectedId, type Selection } from './selection';

export const LAYER_KEYS = ['grids', 'key-locations', 'units', 'incidents', 'heatmap'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];
export type LayerVisibility = Record<LayerKey, boolean>;

export const DEFAULT_VISIBILITY: LayerVisibility = {
  grids: true,
  'key-locations': true,
  units: true,
  incidents: true,
  heatmap: true,
};

export interface MapLayersInput {
  basemap: BasemapPayload | undefined;
  grids: GridCollection | undefined;
  keyLocations: readonly KeyLocation[] | undefined;
  units: readonly UnitState[];
  incidents: readonly IncidentView[];
  /** Open alerts; drawn whatever the toggles say. */
  alerts: readonly Alert[];
  openByGrid: Readonly<Record<number, number>> | null;
  /** What the grid cells' fill shows; load when not given. */
  gridShading?: GridShading;
  /** Where a new incident is being reported (the form is open), or null. */
  draftPosition?: LonLat | null;
  heatmap: HeatmapData | null;
  visibility: LayerVisibility;
  selection: Selection | null;
  lang: Lang;
  zoom: number;
  /** Server-corrected epoch ms. */
  now: number;
  /** Pulse phase for new incidents and alerts, [0, 1). */
  phase: number;
}

export function buildMapLayers(input: MapLayersInput): Layer[] {
  const { visibility: v, selection } = input;
  const [gridCells, gridLabels] = buildGridLayers({
    grids: input.grids,
    openByGrid: input.openByGrid,
    selectedGridId: selectedId(selection, 'grid'),
    lang: input.lang,
    zoom: input.zoom,
    visible: v.grids,
    shading: input.gridShading,
    now: input.now,
  });
  const [headings, units] = buildUnitLayers({
    units: input.units,
    now: input.now,
    selectedTeamId: selectedId(selection, 'unit'),
    visible: v.units,
  });
  const [pulses, incidents] = buildIncidentLayers({
    incidents: input.incidents,
    now: input.now,
    phase: input.phase,
    selectedId: selectedId(selection, 'incident'),
    visible: v.incidents,
  });
  const [alertPulses, alerts] = buildAlertLayers({
    alerts: input.alerts,
    phase: input.phase,
    selectedId: selectedId(selection, 'alert'),
  });
  return [
    gridCells,
    buildHeatmapLayer({ data: input.heatmap, visible: v.heatmap }),
    gridLabels,
    buildVillageLabelLayer({ villages: input.basemap?.villages, lang: input.lang }),
    buildKeyLocationLayer({
      keyLocations: input.keyLocations,
      selectedId: selectedId(selection, 'keyLocation'),
      visible: v['key-locations'],
    }),
    pulses,
    incidents,
    headings,
    units,
    // On top of everything: an SOS sits where its unit is, and the alert is what must be seen and picked.
    alertPulses,
    alerts,
    buildDraftIncidentLayer(input.draftPosition ?? null),
  ];
}
