// Village and community names. MapLibre has no glyph server here, so place
// names are drawn by deck.gl's TextLayer with a local CJK font.
import { TextLayer } from '@deck.gl/layers';
import type { BasemapPayload } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';
import { charactersFor } from './label-characters';
import { LABEL_HALO_COLOR, MAP_FONT_FAMILY, VILLAGE_LABEL_COLOR } from '../palette';

export const VILLAGE_LABELS_LAYER_ID = 'village-labels';

export type VillageFeature = BasemapPayload['villages']['features'][number];

export interface VillageLayerInput {
  villages: BasemapPayload['villages'] | undefined;
  lang: Lang;
  /** Sizes in pixels; the desk's when not given. */
  sizes?: { village: number; community: number };
  /** Village ids whose label lost to another settlement's (label-placement.ts): drawn at size 0. */
  hidden?: ReadonlySet<number>;
  /** Changes whenever hidden does. */
  hiddenKey?: string;
}

/** How far above its point a settlement's name sits, as a share of its size (16 px at the desk's 15). */
export const VILLAGE_LABEL_RAISE = 16 / 15;

export function villageLabelSize(f: VillageFeature, sizes: { village: number; community: number }): number {
  return f.properties.kind === 'community' ? sizes.community : sizes.village;
}

const NONE: VillageFeature[] = [];

const DESK_SIZES = { village: 15, community: 17 };

export function buildVillageLabelLayer({ villages, lang, sizes = DESK_SIZES, hidden, hiddenKey = '' }: VillageLayerInput): TextLayer<VillageFeature> {
  const features = villages?.features ?? NONE;
  return new TextLayer<VillageFeature>({
    id: VILLAGE_LABELS_LAYER_ID,
    data: features,
    pickable: false,
    getPosition: (f) => f.geometry.coordinates,
    getText: (f) => localName(f.properties, lang),
    getSize: (f) => (hidden?.has(f.properties.id) ? 0 : villageLabelSize(f, sizes)),
    sizeUnits: 'pixels',
    getColor: VILLAGE_LABEL_COLOR,
    getPixelOffset: [0, -Math.round(sizes.village * VILLAGE_LABEL_RAISE)],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'bottom',
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 700,
    characterSet: charactersFor(features, lang, () => features.map((f) => localName(f.properties, lang))),
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 4,
    outlineColor: LABEL_HALO_COLOR,
    updateTriggers: { getText: lang, getSize: [sizes.village, sizes.community, hiddenKey] },
  });
}
