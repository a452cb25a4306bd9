// The plan being drawn in the plan editor (issue 14): the area's vertices
// and outline (filled once it has three), the route, and the checkpoints as
// rings at their radius. Pure: planDraftData derives what is drawn,
// buildPlanDraftLayers wraps it with stable ids.
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '@/lib/model';
import { CHECKPOINT_COLORS, PLAN_BLUE, withAlpha, type Rgba } from '../palette';

export const PLAN_DRAFT_AREA_LAYER_ID = 'plan-draft-area';
export const PLAN_DRAFT_LINES_LAYER_ID = 'plan-draft-lines';
export const PLAN_DRAFT_VERTICES_LAYER_ID = 'plan-draft-vertices';
export const PLAN_DRAFT_CHECKPOINTS_LAYER_ID = 'plan-draft-checkpoints';

const AREA = PLAN_BLUE;
const ROUTE: Rgba = [250, 204, 21, 255];
const CHECKPOINT = CHECKPOINT_COLORS.visited;

export interface DraftCheckpoint {
  position: LonLat;
  radiusM: number;
}

export interface PlanDraftInput {
  /** The area's vertices in order, not closed. */
  area: readonly LonLat[];
  /** A drawn area kept from the stored plan (not edited vertex by vertex): its rings. */
  keptArea: readonly (readonly LonLat[])[];
  route: readonly LonLat[];
  checkpoints: readonly DraftCheckpoint[];
}

export interface PlanDraftData {
  polygons: LonLat[][];
  lines: { kind: 'area' | 'route'; path: LonLat[] }[];
  vertices: { kind: 'area' | 'route'; position: LonLat }[];
  checkpoints: DraftCheckpoint[];
}

/** The closed ring of `vertices` (the first repeated at the end), as the API's Polygon wants it; null under three vertices. */
export function closedRing(vertices: readonly LonLat[]): LonLat[] | null {
  if (vertices.length < 3) return null;
  return [...vertices, vertices[0]!];
}

export function planDraftData({ area, keptArea, route, checkpoints }: PlanDraftInput): PlanDraftData {
  const ring = closedRing(area);
  const polygons: LonLat[][] = [...keptArea.map((r) => [...r]), ...(ring ? [ring] : [])];
  const lines: PlanDraftData['lines'] = [];
  if (area.length >= 2) lines.push({ kind: 'area', path: ring ?? [...area] });
  if (route.length >= 2) lines.push({ kind: 'route', path: [...route] });
  return {
    polygons,
    lines,
    vertices: [...area.map((position) => ({ kind: 'area' as const, position })), ...route.map((position) => ({ kind: 'route' as const, position }))],
    checkpoints: [...checkpoints],
  };
}

export function buildPlanDraftLayers(data: PlanDraftData): Layer[] {
  return [
    new PolygonLayer<LonLat[]>({
      id: PLAN_DRAFT_AREA_LAYER_ID,
      data: data.polygons,
      getPolygon: (d) => d,
      getFillColor: withAlpha(AREA, 40),
      getLineColor: AREA,
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
      stroked: true,
    }),
    new PathLayer<PlanDraftData['lines'][number]>({
      id: PLAN_DRAFT_LINES_LAYER_ID,
      data: data.lines,
      getPath: (d) => d.path,
      getColor: (d) => (d.kind === 'route' ? ROUTE : AREA),
      getWidth: (d) => (d.kind === 'route' ? 4 : 2),
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
    }),
    new ScatterplotLayer<PlanDraftData['vertices'][number]>({
      id: PLAN_DRAFT_VERTICES_LAYER_ID,
      data: data.vertices,
      getPosition: (d) => d.position,
      getRadius: 5,
      radiusUnits: 'pixels',
      getFillColor: (d) => (d.kind === 'route' ? ROUTE : AREA),
      getLineColor: [10, 16, 24, 255],
      getLineWidth: 1.5,
      lineWidthUnits: 'pixels',
      stroked: true,
    }),
    new ScatterplotLayer<DraftCheckpoint>({
      id: PLAN_DRAFT_CHECKPOINTS_LAYER_ID,
      data: data.checkpoints,
      getPosition: (d) => d.position,
      getRadius: (d) => d.radiusM,
      radiusUnits: 'meters',
      radiusMinPixels: 7,
      getFillColor: withAlpha(CHECKPOINT, 60),
      getLineColor: CHECKPOINT,
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
      stroked: true,
    }),
  ];
}
