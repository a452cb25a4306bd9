// Live patrol plans (issue 14): each live plan's area (a thin outline and a
// faint fill), its route, and its checkpoints as rings coloured by state,
// with the route's covered share beside the route's start. Data from GET
// /api/plans/live patched by the `plans:checkpoints` push
// (lib/live/plan-checkpoints.ts). Pure: planLayerData derives what is drawn,
// buildPlanLayers wraps it in layers with stable ids.
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { CheckpointState, LonLat, PlansLive } from '@/lib/model';
import type { MapVariant } from '../motion';
import { charactersOf } from './label-characters';
import { CHECKPOINT_COLORS, LABEL_HALO_COLOR, MAP_FONT_FAMILY, PLAN_BLUE, withAlpha, type Rgba } from '../palette';

export const PLAN_AREAS_LAYER_ID = 'plan-areas';
export const PLAN_ROUTES_LAYER_ID = 'plan-routes';
export const PLAN_CHECKPOINTS_LAYER_ID = 'plan-checkpoints';
export const PLAN_LABELS_LAYER_ID = 'plan-labels';

const AREA_LINE = withAlpha(PLAN_BLUE, 200);
const AREA_FILL = withAlpha(PLAN_BLUE, 24);
const ROUTE_COLOR = withAlpha(PLAN_BLUE, 230);

/** Pixel sizes on the desk; the wall multiplies them (legible from 4 m: a ring the size of a unit dot or bigger). */
export const PLAN_SIZES: Readonly<Record<MapVariant, { ring: number; ringLine: number; route: number; label: number }>> = {
  desk: { ring: 9, ringLine: 3, route: 3, label: 12 },
  // 30 px at 1080p: the wall's smallest text (components/wall/wall.css).
  wall: { ring: 16, ringLine: 5, route: 6, label: 30 },
};

export interface PlanCheckpointDatum {
  key: string;
  planId: number;
  name: string;
  position: LonLat;
  radiusM: number;
  state: CheckpointState;
  color: Rgba;
}

export interface PlanLabelDatum {
  key: string;
  position: LonLat;
  text: string;
}

export interface PlanLayerData {
  areas: { planId: number; polygon: LonLat[][] }[];
  routes: { planId: number; path: LonLat[] }[];
  checkpoints: PlanCheckpointDatum[];
  labels: PlanLabelDatum[];
  /**
   * Every character a label may read while the plans stay the same: their
   * names, and a share or an unnamed plan's number with any digit (the
   * layer's characterSet: a share reaching a new digit does not draw the
   * font atlas again; label-characters.ts).
   */
  labelCharacters: string;
}

/** What a label may add to a plan's name: a space and its share (" 42%"), or "#7" for a plan with no name yet. */
const LABEL_EXTRAS = ['#', ' ', coverageText(0), '0123456789'];

const EMPTY: PlanLayerData = { areas: [], routes: [], checkpoints: [], labels: [], labelCharacters: charactersOf(LABEL_EXTRAS) };

/** "74%": the covered share of a route, whole percent (floor, so 100% means all of it). */
export function coverageText(share: number): string {
  return `${Math.floor(share * 100 + 1e-9)}%`;
}

/**
 * The areas and routes of a snapshot's shapes, the same arrays for the same
 * shapes: a checkpoint's push keeps the shapes (applyCheckpointChanges), so the
 * areas' and routes' layers get the data they had and deck.gl does not
 * tessellate the polygons again (on the wall they are on the base canvas,
 * deck-split.ts, which a push then only draws again).
 */
const shapesData = new WeakMap<PlansLive['shapes'], Pick<PlanLayerData, 'areas' | 'routes'>>();

function shapesOf(shapes: PlansLive['shapes']): Pick<PlanLayerData, 'areas' | 'routes'> {
  const known = shapesData.get(shapes);
  if (known) return known;
  const areas: PlanLayerData['areas'] = [];
  const routes: PlanLayerData['routes'] = [];
  for (const s of shapes) {
    if (s.area?.type === 'Polygon') areas.push({ planId: s.planId, polygon: s.area.coordinates });
    if (s.area?.type === 'MultiPolygon') for (const p of s.area.coordinates) areas.push({ planId: s.planId, polygon: p });
    if (s.route) routes.push({ planId: s.planId, path: s.route.coordinates });
  }
  const made = { areas, routes };
  shapesData.set(shapes, made);
  return made;
}

/**
 * What the plan layers draw: the areas (each polygon of a MultiPolygon on
 * its own) and routes of plans with a live occurrence, every occurrence's
 * checkpoints coloured by state (an occurrence that has ended keeps its
 * overdue marks until the day is over: the API lists it), and a label per
 * route: the plan's name and its covered share (the latest occurrence's).
 */
export function planLayerData(live: PlansLive | undefined): PlanLayerData {
  if (!live) return EMPTY;
  const { areas, routes } = shapesOf(live.shapes);
  const checkpoints: PlanCheckpointDatum[] = live.occurrences.flatMap((o) =>
    o.checkpoints.map((c) => ({
      key: `${o.planId}|${o.day}|${c.checkpointId}`,
      planId: o.planId,
      name: c.name,
      position: c.point,
      radiusM: c.radiusM,
      state: c.state,
      color: CHECKPOINT_COLORS[c.state],
    })),
  );
  const names = new Map(live.occurrences.map((o) => [o.planId, o.name]));
  const share = new Map<number, number | null>();
  // The latest occurrence of a plan speaks for it (occurrences come by start).
  for (const c of live.coverage) share.set(c.planId, c.share);
  const labels: PlanLabelDatum[] = routes.map((r) => {
    const s = share.get(r.planId) ?? null;
    const name = names.get(r.planId) ?? `#${r.planId}`;
    return { key: `route-${r.planId}`, position: r.path[0]!, text: s === null ? name : `${name} ${coverageText(s)}` };
  });
  return { areas, routes, checkpoints, labels, labelCharacters: charactersOf([...LABEL_EXTRAS, ...names.values()]) };
}

export interface PlanLayersInput {
  data: PlanLayerData;
  visible: boolean;
  variant?: MapVariant;
  /** Multiplies the wall's sizes (viewport height / 1080). */
  scale?: number;
  /** Faded: the live connection is lost, the states may be stale. */
  dim?: boolean;
}

/** Areas, routes, checkpoints (a ring at the radius, never smaller than a dot) and route labels, bottom to top. */
export function buildPlanLayers({ data, visible, variant = 'desk', scale = 1, dim = false }: PlanLayersInput): Layer[] {
  const size = PLAN_SIZES[variant];
  const opacity = dim ? 0.4 : 1;
  return [
    new PolygonLayer<PlanLayerData['areas'][number]>({
      id: PLAN_AREAS_LAYER_ID,
      data: data.areas,
      visible,
      opacity,
      getPolygon: (d) => d.polygon,
      getFillColor: AREA_FILL,
      getLineColor: AREA_LINE,
      getLineWidth: 2 * scale,
      lineWidthUnits: 'pixels',
      stroked: true,
      filled: true,
    }),
    new PathLayer<PlanLayerData['routes'][number]>({
      id: PLAN_ROUTES_LAYER_ID,
      data: data.routes,
      visible,
      opacity,
      getPath: (d) => d.path,
      getColor: ROUTE_COLOR,
      getWidth: size.route * scale,
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
    }),
    new ScatterplotLayer<PlanCheckpointDatum>({
      id: PLAN_CHECKPOINTS_LAYER_ID,
      data: data.checkpoints,
      visible,
      opacity,
      pickable: variant === 'desk',
      getPosition: (d) => d.position,
      getRadius: (d) => d.radiusM,
      radiusUnits: 'meters',
      radiusMinPixels: size.ring * scale,
      stroked: true,
      filled: true,
      getFillColor: (d) => [d.color[0], d.color[1], d.color[2], 70],
      getLineColor: (d) => d.color,
      getLineWidth: size.ringLine * scale,
      lineWidthUnits: 'pixels',
      updateTriggers: { getFillColor: data.checkpoints, getLineColor: data.checkpoints },
    }),
    new TextLayer<PlanLabelDatum>({
      id: PLAN_LABELS_LAYER_ID,
      data: data.labels,
      visible,
      opacity,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      getSize: size.label * scale,
      sizeUnits: 'pixels',
      getColor: [230, 240, 250, 255],
      getPixelOffset: [0, -size.label * scale],
      fontFamily: MAP_FONT_FAMILY,
      fontWeight: 700,
      characterSet: data.labelCharacters,
      fontSettings: { sdf: true, buffer: 8 },
      outlineWidth: 4,
      outlineColor: LABEL_HALO_COLOR,
      updateTriggers: { getText: data.labels },
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'bottom',
    }),
  ];
}
