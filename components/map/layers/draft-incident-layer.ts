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

export function buildDraftIncidentLayer(position: LonLat | null): ScatterplotLayer<DraftPoint> {
  return new ScatterplotLayer<DraftPoint>({
    id: DRAFT_INCIDENT_LAYER_ID,
    data: position ? [{ position }] : [],
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
