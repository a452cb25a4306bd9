// How old each unit's position is, written beside it ("3分" / "3 min"): the
// wall's honest freshness, read from across the room. Whole minutes — the
// wall's layers see time in 10 s steps, and seconds would only flicker.
// Grey once the unit is stale or offline. Drawn only where asked (the wall).
import { TextLayer, type TextLayerProps } from '@deck.gl/layers';
import type { UnitState } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { fixTimeMs } from '@/lib/live/fix-time';
import { translate, type Lang } from '@/lib/i18n/messages';
import { hasPosition, type PositionedUnit } from './unit-layer';
import { charactersOf } from './label-characters';
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
  /**
   * The wall: units move with every batch of fixes, their labels' text far
   * more rarely. When given, a new array holding the same units, in the same
   * order, with the same text and colour (sameUnitAges) counts as the same
   * data, so deck.gl does not lay every label out again — at 2,000 units that
   * was the costliest step of a batch — and only the positions are read again,
   * whenever this value changes (pass the units array itself). The text is then
   * laid out again only when some label's text changes (unitAgeTextsKey), not
   * at every step of `now`.
   */
  positionsKey?: unknown;
}

/**
 * The texts already written, by language, message and count: the wall asks for
 * 2,000 units' texts at each batch of fixes, and there are only ~110 of them
 * (under a minute, 1–59 minutes, 1–47 hours, then days). Looked up without
 * making a key string per question.
 */
const ageTexts = new Map<Lang, Map<AgeMessage, string[]>>();

/** The messages an age is written with: under a minute, minutes, hours, days. */
const AGE_MESSAGES = ['mapAge.underMinute', 'mapAge.minutes', 'mapAge.hours', 'mapAge.days'] as const;
type AgeMessage = (typeof AGE_MESSAGES)[number];

function ageText(lang: Lang, key: AgeMessage, n: number): string {
  let byKey = ageTexts.get(lang);
  if (byKey === undefined) {
    byKey = new Map();
    ageTexts.set(lang, byKey);
  }
  let byCount = byKey.get(key);
  if (byCount === undefined) {
    byCount = [];
    byKey.set(key, byCount);
  }
  return (byCount[n] ??= translate(lang, key, { n }));
}

/** "<1分", "3分", "2小时", "3天" / "<1 min", "3 min", "2 h", "3 d"; "" for a unit with no (readable) fix. */
export function unitAgeText(u: UnitState, now: number, lang: Lang): string {
  const t = fixTimeMs(u);
  if (Number.isNaN(t)) return '';
  const minutes = Math.floor(Math.max(0, now - t) / 60_000);
  if (minutes < 1) return ageText(lang, 'mapAge.underMinute', 0);
  if (minutes < 60) return ageText(lang, 'mapAge.minutes', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return ageText(lang, 'mapAge.hours', hours);
  return ageText(lang, 'mapAge.days', Math.floor(hours / 24));
}

/** A number with every digit: a count written in a message shows which characters surround it. */
const ALL_DIGITS = 1234567890;

const ageCharacterSets = new Map<Lang, string>();

/** Every character an age may read in the language (the layer's characterSet): each age message with every digit. */
export function ageCharacters(lang: Lang): string {
  let chars = ageCharacterSets.get(lang);
  if (chars === undefined) {
    chars = charactersOf(AGE_MESSAGES.map((key) => translate(lang, key, { n: ALL_DIGITS })));
    ageCharacterSets.set(lang, chars);
  }
  return chars;
}

/** Where the age sits: its left edge this many pixels right of the unit's centre. */
export function unitAgeOffsetX(markerScale: number): number {
  return Math.round((UNIT_RADIUS_PX + UNIT_AGE_GAP_PX) * markerScale);
}

/**
 * Whether two lists of labelled units draw the same labels at `now`, up to
 * their positions: the same teams in the same order, each with the same text
 * and the same staleness (its colour). A unit whose fix time did not change is
 * not looked at again.
 */
export function sameUnitAges(next: readonly UnitState[], prev: readonly UnitState[] | undefined, now: number, lang: Lang): boolean {
  if (prev === undefined || next.length !== prev.length) return false;
  for (let i = 0; i < next.length; i++) {
    const a = next[i]!;
    const b = prev[i]!;
    if (a === b) continue;
    if (a.teamId !== b.teamId) return false;
    if (a.fixTime === b.fixTime) continue;
    if (unitAgeText(a, now, lang) !== unitAgeText(b, now, lang) || isUnitStale(a, now) !== isUnitStale(b, now)) return false;
  }
  return true;
}

/** Every label's text, in order: equal keys, equal texts. */
export function unitAgeTextsKey(units: readonly UnitState[], now: number, lang: Lang): string {
  return units.map((u) => unitAgeText(u, now, lang)).join('|');
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
  positionsKey,
}: UnitAgeLayerInput): TextLayer<PositionedUnit> {
  const positioned: PositionedUnit[] = [];
  if (visible) for (const u of units) if (hasPosition(u)) positioned.push(u);
  const triggers = { getText: [lang, now], getSize: [size, hiddenKey], getColor: now };
  // deck.gl types the comparator as generic over any data; ours only ever sees this layer's arrays.
  const sameData = ((a: readonly UnitState[], b?: readonly UnitState[]) => sameUnitAges(a, b, now, lang)) as unknown as NonNullable<
    TextLayerProps<PositionedUnit>['dataComparator']
  >;
  // The characters sub-layer is handed the same array: it must compare it the same way, or it lays the text out
  // regardless. The text is laid out again when a label's text changes, not at every step of the wall's clock
  // (units that report every few seconds read "<1 min" at every step).
  const moving =
    positionsKey === undefined
      ? {}
      : {
          dataComparator: sameData,
          _subLayerProps: { characters: { dataComparator: sameData } },
          updateTriggers: {
            ...triggers,
            getText: [lang, unitAgeTextsKey(positioned, now, lang)],
            // The colours change when a unit crosses the staleness line, not at every step of the time.
            getColor: positioned.map((u) => (isUnitStale(u, now) ? 1 : 0)).join(''),
            getPosition: positionsKey,
          },
        };
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
    // Every age's characters: a minute turning over, or a unit's first "1 h", changes no atlas.
    characterSet: ageCharacters(lang),
    fontSettings: { sdf: true, buffer: 8 },
    outlineWidth: 3,
    outlineColor: LABEL_HALO_COLOR,
    // `now` is the wall's 10 s step: each unit's minute turns over at its own second, so a coarser key would lag.
    updateTriggers: triggers,
    ...moving,
  });
}
