// Where a new incident is about to be reported: a white pin with a blue rim
// while the form is open, so the desk sees the spot it picked before saving.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { LonLat } from '@/lib/model';
import { DRAFT_INCIDENT_COLOR, DRAFT_INCIDENT_OUTLINE_COLOR } from '../palette';

export const DRAFT_INCIDENT_LAYER_ID = 'draft-incident';
export const DRAFT_RADIUS_PX = 9;

export interface DraftPoint {
  position: LonLat;
}

const NO_DRAFT: readonly DraftPoint[] = [];
let lastDraft: readonly DraftPoint[] = NO_DRAFT;

/**
 * The same array for the same place (and one empty array for none): the layers are rebuilt at every batch of
 * fixes, and a new array, even an empty one, had deck.gl update this layer in nearly every frame
 * (docs/BENCHMARKS.md, wall load, 2026-12-03).
 */
function draftData(position: LonLat | null): readonly DraftPoint[] {
  if (!position) return NO_DRAFT;
  const held = lastDraft[0];
  if (held && held.position[0] === position[0] && held.position[1] === position[1]) return lastDraft;
  lastDraft = [{ position }];
  return lastDraft;
}

export function buildDraftIncidentLayer(position: LonLat | null): ScatterplotLayer<DraftPoint> {
  return new ScatterplotLayer<DraftPoint>({
    id: DRAFT_INCIDENT_LAYER_ID,
    data: draftData(position),
    visible: position !== null,
    pickable: false,
    filled: true,
    stroked: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => d.position,
    getRadius: DRAFT_RADIUS_PX,
    getFillColor: DRAFT_INCIDENT_COLOR,
    getLineColor: DRAFT_INCIDENT_OUTLINE_COLOR,
    getLineWidth: 4,
  });
}
