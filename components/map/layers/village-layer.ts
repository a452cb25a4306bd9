// Village and community names. MapLibre has no glyph server here, so place
// names are drawn by deck.gl's TextLayer with a local CJK font.
import { TextLayer } from '@deck.gl/layers';
import type { BasemapPayload } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';
import { LABEL_HALO_COLOR, MAP_FONT_FAMILY, VILLAGE_LABEL_COLOR } from '../palette';

export const VILLAGE_LABELS_LAYER_ID = 'village-labels';

export type VillageFeature = BasemapPayload['villages']['features'][number];

export interface VillageLayerInput {
  villages: BasemapPayload['villages'] | undefined;
  lang: Lang;
}

const NONE: VillageFeature[] = [];

export function buildVillageLabelLayer({ villages, lang }: VillageLayerInput): TextLayer<VillageFeature> {
  return new TextLayer<VillageFeature>({
    id: VILLAGE_LABELS_LAYER_ID,
    data: villages?.features ?? NONE,
    pickable: false,
    getPosition: (f) => f.geometry.coordinates,
    getText: (f) => localName(f.properties, lang),
    getSize: (f) => (f.properties.kind === 'community' ? 17 : 15),
    sizeUnits: 'pixels',
    getColor: VILLAGE_LABEL_COLOR,
    getPixelOffset: [0, -16],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'bottom',
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 700,
    characterSet: 'auto',
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 4,
    outlineColor: LABEL_HALO_COLOR,
    updateTriggers: { getText: lang },
  });
}
