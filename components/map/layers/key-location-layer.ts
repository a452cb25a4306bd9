// Key locations: one badge icon per category.
import { IconLayer } from '@deck.gl/layers';
import type { KeyLocation } from '@/lib/model';
import { keyLocationIcon } from '../icons';

export const KEY_LOCATIONS_LAYER_ID = 'key-locations';
export const KEY_LOCATION_ICON_PX = 22;

export interface KeyLocationLayerInput {
  keyLocations: readonly KeyLocation[] | undefined;
  selectedId: number | null;
  visible: boolean;
}

const NONE: KeyLocation[] = [];

export function buildKeyLocationLayer({ keyLocations, selectedId, visible }: KeyLocationLayerInput): IconLayer<KeyLocation> {
  return new IconLayer<KeyLocation>({
    id: KEY_LOCATIONS_LAYER_ID,
    data: keyLocations ?? NONE,
    visible,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 70],
    getPosition: (d) => d.position,
    getIcon: (d) => keyLocationIcon(d.category),
    getSize: (d) => (d.id === selectedId ? KEY_LOCATION_ICON_PX * 1.35 : KEY_LOCATION_ICON_PX),
    sizeUnits: 'pixels',
    updateTriggers: { getSize: selectedId },
  });
}
