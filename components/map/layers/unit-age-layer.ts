// How old each unit's position is, written beside it ("3分" / "3 min"): the
// wall's honest freshness, read from across the room. Whole minutes — the
// wall's layers see time in 10 s steps, and seconds would only flicker.
// Grey once the unit is stale or offline. Drawn only where asked (the wall).
import { TextLayer } from '@deck.gl/layers';
import type { UnitState } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { translate, type Lang } from '@/lib/i18n/messages';
import { hasPosition, type PositionedUnit } from './unit-layer';
import { LABEL_HALO_COLOR, MAP_FONT_FAMILY, STALE_UNIT_AGE_LABEL_COLOR, UNIT_AGE_LABEL_COLOR, UNIT_RADIUS_PX } from '../palette';

export const UNIT_AGES_LAYER_ID = 'unit-ages';
/** Gap between a unit's dot and its age, in pixels (before the marker scale). */
export const UNIT_AGE_GAP_PX = 4;

export interface UnitAgeLayerInput {
  units: Iterable<UnitState>;
  /** Server-corrected epoch ms (the wall's quantised layer time). */
  now: number;
  lang: Lang;
  visible: boolean;
  /** Font size in pixels. */
  size: number;
  /** The dots' radius scale (the wall draws markers bigger): the label starts just right of the dot. */
  markerScale: number;
  /** Team ids whose label lost to a more important one: drawn at size 0. */
  hidden?: ReadonlySet<number>;
  /** Changes whenever hidden does. */
  hiddenKey?: string;
}

/** "<1分", "3分", "2小时", "3天" / "<1 min", "3 min", "2 h", "3 d"; "" for a unit with no (readable) fix. */
export function unitAgeText(u: UnitState, now: number, lang: Lang): string {
  const t = u.fixTime === null ? Number.NaN : Date.parse(u.fixTime);
  if (Number.isNaN(t)) return '';
  const minutes = Math.floor(Math.max(0, now - t) / 60_000);
  if (minutes < 1) return translate(lang, 'mapAge.underMinute');
  if (minutes < 60) return translate(lang, 'mapAge.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return translate(lang, 'mapAge.hours', { n: hours });
  return translate(lang, 'mapAge.days', { n: Math.floor(hours / 24) });
}

/** Where the age sits: its left edge this many pixels right of the unit's centre. */
export function unitAgeOffsetX(markerScale: number): number {
  return Math.round((UNIT_RADIUS_PX + UNIT_AGE_GAP_PX) * markerScale);
}

export function buildUnitAgeLayer({
  units,
  now,
  lang,
  visible,
  size,
  markerScale,
  hidden,
  hiddenKey = '',
}: UnitAgeLayerInput): TextLayer<PositionedUnit> {
  const positioned: PositionedUnit[] = [];
  if (visible) for (const u of units) if (hasPosition(u)) positioned.push(u);
  return new TextLayer<PositionedUnit>({
    id: UNIT_AGES_LAYER_ID,
    data: positioned,
    visible,
    pickable: false,
    getPosition: (u) => u.position,
    getText: (u) => unitAgeText(u, now, lang),
    getSize: (u) => (hidden?.has(u.teamId) ? 0 : size),
    sizeUnits: 'pixels',
    getColor: (u) => (isUnitStale(u, now) ? STALE_UNIT_AGE_LABEL_COLOR : UNIT_AGE_LABEL_COLOR),
    getPixelOffset: [unitAgeOffsetX(markerScale), 0],
    getTextAnchor: 'start',
    getAlignmentBaseline: 'center',
    fontFamily: MAP_FONT_FAMILY,
    fontWeight: 600,
    characterSet: 'auto',
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 3,
    outlineColor: LABEL_HALO_COLOR,
    // `now` is the wall's 10 s step: each unit's minute turns over at its own second, so a coarser key would lag.
    updateTriggers: { getText: [lang, now], getSize: [size, hiddenKey], getColor: now },
  });
}
