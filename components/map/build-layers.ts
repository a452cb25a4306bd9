// All deck.gl layers of the live map, bottom to top. Pure: same input, same
// layers (ids stable across calls, so deck.gl diffs instead of rebuilding).
// Labels are drawn above every marker (a settlement's name is never under a
// unit), their collisions resolved by priority in label-placement.ts.
import type { Layer } from '@deck.gl/core';
import { IconLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Alert, BasemapPayload, GridCollection, IncidentView, KeyLocation, LonLat, UnitState } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';
import { placeLabels, type LabelCandidate, type LabelPlacement } from './label-placement';
import { buildAlertLayers } from './layers/alert-layer';
import { buildDraftIncidentLayer } from './layers/draft-incident-layer';
import { buildGridLayers, gridLabel, GRID_NAME_MIN_ZOOM, type GridShading } from './layers/grid-layer';
import { buildHeatmapLayer, type HeatmapData } from './layers/heatmap-layer';
import { buildIncidentLayers } from './layers/incident-layer';
import { buildKeyLocationLayer } from './layers/key-location-layer';
import { buildUnitAgeLayer, unitAgeOffsetX, unitAgeText } from './layers/unit-age-layer';
import type { UnitDotData } from './layers/unit-dots';
import { buildUnitLayers, hasPosition, offlineTeams } from './layers/unit-layer';
import { buildVillageLabelLayer, VILLAGE_LABEL_RAISE, villageLabelSize } from './layers/village-layer';
import type { MapVariant, MotionState } from './motion';
import { DIM_LIVE_OPACITY, LABEL_SIZES, WALL_MARKER_SCALE, type LabelSizes } from './palette';
import { selectedId, type Selection } from './selection';

/** 'plans' is drawn by the page (components/map/layers/plan-layer.ts, through extraLayers); its switch sits with the others. */
export const LAYER_KEYS = ['grids', 'key-locations', 'units', 'incidents', 'heatmap', 'plans'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];
export type LayerVisibility = Record<LayerKey, boolean>;

export const DEFAULT_VISIBILITY: LayerVisibility = {
  grids: true,
  'key-locations': true,
  units: true,
  incidents: true,
  heatmap: true,
  plans: true,
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
  /** The desk (default) or the wall: label sizes, marker size, unit ages, offline marks. */
  variant?: MapVariant;
  /** Multiplies every text size (and the wall's markers); default 1. */
  labelScale?: number;
  /** Units, incidents and alerts faded: the live connection is lost. */
  dimLive?: boolean;
  /** Which rings pulse or stand still (motion.ts); the desk's behaviour when not given. */
  motion?: MotionState;
  /** Which labels are drawn (placeMapLabels); computed here when not given. */
  labels?: LabelPlacement;
  /** The wall's dots as binary attributes (UnitDotBuffers over these units); the dots read the units through accessors when not given. */
  unitDots?: UnitDotData;
}

/** Text sizes for the variant, times the label scale. */
export function labelSizes(variant: MapVariant, labelScale: number): LabelSizes {
  const base = LABEL_SIZES[variant];
  return {
    village: base.village * labelScale,
    community: base.community * labelScale,
    grid: base.grid * labelScale,
    gridNamed: base.gridNamed * labelScale,
    unitAge: base.unitAge * labelScale,
  };
}

/** Marker size multiplier: 1 on the desk. */
export function markerScale(variant: MapVariant, labelScale: number): number {
  return variant === 'wall' ? WALL_MARKER_SCALE * labelScale : 1;
}

/** Room kept clear around a label for its halo, in pixels per pixel of font size. */
const LABEL_PADDING_PER_PX = 0.12;
const GRID_LABEL_LINE_HEIGHT = 1.25;

/**
 * Every label the map would draw, most important first within each kind:
 * communities before villages and the bigger first; units by team id.
 */
export function labelCandidates(input: MapLayersInput): LabelCandidate[] {
  const variant = input.variant ?? 'desk';
  const scale = input.labelScale ?? 1;
  const sizes = labelSizes(variant, scale);
  const out: LabelCandidate[] = [];
  const villages = [...(input.basemap?.villages.features ?? [])].sort(
    (a, b) => Number(b.properties.kind === 'community') - Number(a.properties.kind === 'community') || b.properties.population - a.properties.population,
  );
  for (const f of villages) {
    const size = villageLabelSize(f, sizes);
    out.push({
      kind: 'village',
      id: f.properties.id,
      position: f.geometry.coordinates,
      text: localName(f.properties, input.lang),
      size,
      lineHeight: 1,
      offset: [0, -Math.round(sizes.village * VILLAGE_LABEL_RAISE)],
      anchor: 'middle',
      baseline: 'bottom',
      padding: size * LABEL_PADDING_PER_PX,
    });
  }
  if (variant === 'wall' && input.visibility.units) {
    // One offset for every unit's age (they share it; a pair each was 2,000 arrays at every full placement).
    const offset = [unitAgeOffsetX(markerScale(variant, scale)), 0] as const;
    for (const u of input.units.filter(hasPosition).sort((a, b) => a.teamId - b.teamId)) {
      out.push({
        kind: 'unit',
        id: u.teamId,
        position: u.position,
        text: unitAgeText(u, input.now, input.lang),
        size: sizes.unitAge,
        lineHeight: 1,
        offset,
        anchor: 'start',
        baseline: 'center',
        padding: sizes.unitAge * LABEL_PADDING_PER_PX,
      });
    }
  }
  if (input.visibility.grids) {
    const withName = input.zoom >= GRID_NAME_MIN_ZOOM;
    const size = withName ? sizes.gridNamed : sizes.grid;
    for (const f of input.grids?.features ?? []) {
      out.push({
        kind: 'grid',
        id: f.properties.id,
        position: f.properties.labelPoint,
        text: gridLabel(f, input.lang, withName),
        size,
        lineHeight: GRID_LABEL_LINE_HEIGHT,
        offset: [0, 0],
        anchor: 'middle',
        baseline: 'center',
        padding: size * LABEL_PADDING_PER_PX,
      });
    }
  }
  return out;
}

/** Which labels fit at the input's zoom (settlements first, then units' ages, then grid codes). */
export function placeMapLabels(input: MapLayersInput): LabelPlacement {
  return placeLabels(labelCandidates(input), input.zoom);
}

/** A marker layer drawn bigger (the wall) and/or faded (connection lost); the layer itself when neither. */
function adjusted<L extends Layer>(layer: L, scale: number, dim: boolean): L {
  const opacity = dim ? { opacity: DIM_LIVE_OPACITY } : {};
  if (layer instanceof ScatterplotLayer) {
    return scale === 1 && !dim ? layer : (layer.clone({ radiusScale: scale, lineWidthScale: scale, ...opacity }) as unknown as L);
  }
  if (layer instanceof IconLayer) return scale === 1 && !dim ? layer : (layer.clone({ sizeScale: scale, ...opacity }) as unknown as L);
  if (layer instanceof TextLayer) return dim ? (layer.clone(opacity) as unknown as L) : layer;
  return layer;
}

export function buildMapLayers(input: MapLayersInput): Layer[] {
  const { visibility: v, selection, motion } = input;
  const variant = input.variant ?? 'desk';
  const scale = input.labelScale ?? 1;
  const sizes = labelSizes(variant, scale);
  const markers = markerScale(variant, scale);
  const dim = input.dimLive ?? false;
  const labels = input.labels ?? placeMapLabels(input);
  const [gridCells, gridLabels] = buildGridLayers({
    grids: input.grids,
    openByGrid: input.openByGrid,
    selectedGridId: selectedId(selection, 'grid'),
    lang: input.lang,
    zoom: input.zoom,
    visible: v.grids,
    shading: input.gridShading,
    now: input.now,
    labelSizes: sizes,
    hiddenLabels: labels.hidden.grid,
    hiddenKey: labels.key,
  });
  const [headings, units] = buildUnitLayers({
    units: input.units,
    now: input.now,
    selectedTeamId: selectedId(selection, 'unit'),
    visible: v.units,
    // The wall's dot buffers already hold the set (map-view.tsx): not worked out twice per batch.
    offline: variant === 'wall' ? (input.unitDots?.offline ?? offlineTeams(input.units, input.alerts, input.now)) : undefined,
    // The wall's dots keep their colours while only the units' positions move (a batch of fixes).
    positionsKey: variant === 'wall' ? input.units : undefined,
    dots: input.unitDots,
  });
  const [pulses, incidents] = buildIncidentLayers({
    incidents: input.incidents,
    now: input.now,
    phase: input.phase,
    selectedId: selectedId(selection, 'incident'),
    visible: v.incidents,
    rings: motion?.incidents,
    ringsKey: motion?.key,
  });
  const [alertPulses, alerts] = buildAlertLayers({
    alerts: input.alerts,
    phase: input.phase,
    selectedId: selectedId(selection, 'alert'),
    rings: motion?.alertRings,
    breathing: motion?.breathing,
    motionKey: motion?.key,
  });
  const unitAges = buildUnitAgeLayer({
    units: input.units,
    now: input.now,
    lang: input.lang,
    visible: variant === 'wall' && v.units,
    size: sizes.unitAge,
    markerScale: markers,
    hidden: labels.hidden.unit,
    hiddenKey: labels.key,
    // The wall's labels keep their layout while only the units' positions move (a batch of fixes).
    positionsKey: variant === 'wall' ? input.units : undefined,
  });
  const live = <L extends Layer>(layer: L) => adjusted(layer, markers, dim);
  return [
    gridCells,
    buildHeatmapLayer({ data: input.heatmap, visible: v.heatmap }),
    adjusted(
      buildKeyLocationLayer({
        keyLocations: input.keyLocations,
        selectedId: selectedId(selection, 'keyLocation'),
        visible: v['key-locations'],
      }),
      markers,
      false,
    ),
    live(pulses),
    live(incidents),
    live(headings),
    live(units),
    // Above the other markers: an SOS sits where its unit is, and the alert is what must be seen and picked.
    live(alertPulses),
    live(alerts),
    // Labels above every marker, by priority: units' ages, grid codes, settlement names on top. The ages are
    // pictures (an IconLayer) already drawn at the label size: dimmed with the live layers, never scaled as markers.
    adjusted(unitAges, 1, dim),
    gridLabels,
    buildVillageLabelLayer({
      villages: input.basemap?.villages,
      lang: input.lang,
      sizes,
      hidden: labels.hidden.village,
      hiddenKey: labels.key,
    }),
    // The place being reported: the desk's own pin, on top of everything while the form is open.
    adjusted(buildDraftIncidentLayer(input.draftPosition ?? null), markers, false),
  ];
}
