// What the user clicked (or located from the SOS banner), as kind + id, so the details panel can look the
// object up in live data and follow it as it changes.
import type { Alert, GridFeatureProps, IncidentView, KeyLocation, UnitState } from '@/lib/model';
import { ALERTS_LAYER_ID } from './layers/alert-layer';
import { GRIDS_LAYER_ID } from './layers/grid-layer';
import { INCIDENTS_LAYER_ID } from './layers/incident-layer';
import { KEY_LOCATIONS_LAYER_ID } from './layers/key-location-layer';
import { UNITS_LAYER_ID } from './layers/unit-layer';

export type SelectionKind = 'grid' | 'keyLocation' | 'unit' | 'incident' | 'alert';
export interface Selection {
  kind: SelectionKind;
  id: number;
}

export function selectionFromPick(layerId: string | undefined, object: unknown): Selection | null {
  if (object === null || typeof object !== 'object') return null;
  switch (layerId) {
    case GRIDS_LAYER_ID:
      return { kind: 'grid', id: (object as { properties: GridFeatureProps }).properties.id };
    case KEY_LOCATIONS_LAYER_ID:
      return { kind: 'keyLocation', id: (object as KeyLocation).id };
    case UNITS_LAYER_ID:
      return { kind: 'unit', id: (object as UnitState).teamId };
    case INCIDENTS_LAYER_ID:
      return { kind: 'incident', id: (object as IncidentView).id };
    case ALERTS_LAYER_ID:
      return { kind: 'alert', id: (object as Alert).id };
    default:
      return null;
  }
}

export function selectedId(selection: Selection | null, kind: SelectionKind): number | null {
  return selection?.kind === kind ? selection.id : null;
}
