// How old each unit's position is, written beside it ("3分" / "3 min"): the
// wall's honest freshness, read from across the room. Whole minutes — the
// wall's layers see time in 10 s steps, and seconds would only flicker.
// Grey once the unit is stale or offline. Drawn only where asked (the wall),
// each text as a picture with its halo (age-label-images.ts).
import { IconLayer, type IconLayerProps } from '@deck.gl/layers';
import type { UnitState } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { fixTimeMs } from '@/lib/live/fix-time';
import { translate, type Lang } from '@/lib/i18n/messages';
import { hasPosition, type PositionedUnit } from './unit-layer';
import { ageLabelHeight, ageLabelImages } from './age-label-images';
import { STALE_UNIT_AGE_LABEL_COLOR, UNIT_AGE_LABEL_COLOR, UNIT_RADIUS_PX } from '../palette';

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
   * data, so deck.gl does not look every label's picture up again, and only
   * the positions are read again, whenever this value changes (pass the units
   * array itself). The pictures are looked up again only when some label's
   * text or colour changes (unitAgesKey), not at every step of `now`.
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
type AgeMessage = 'mapAge.underMinute' | 'mapAge.minutes' | 'mapAge.hours' | 'mapAge.days';

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

/**
 * A digest of every label's text and colour, in order: lists drawing the same
 * labels give the same key; a text or colour changed anywhere gives another
 * (unless two independent 32-bit hashes collide at once). The wall asks at
 * every batch of fixes: joining 2,000 texts into a key string made tens of
 * kilobytes a second that outlived the young generation (docs/BENCHMARKS.md,
 * 2026-12-04, allocations); this makes none.
 */
export function unitAgesKey(units: readonly UnitState[], now: number, lang: Lang): string {
  // Plain locals, no closure: a closure's variables live in a heap context, where each new 32-bit value was a
  // boxed number (16,000 of them a build, the largest share of its allocations that outlived a minor GC).
  let fnv = 0x811c9dc5; // FNV-1a
  let mur = 0x9747b28c; // a MurmurHash2-style mix, another function of the same characters
  for (const u of units) {
    const text = unitAgeText(u, now, lang);
    // Each character, then the colour, which also ends this unit's text (so "1" + "11" differs from "11" + "1").
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : isUnitStale(u, now) ? 0x10001 : 0x10000;
      fnv = Math.imul(fnv ^ c, 0x01000193);
      mur = Math.imul(mur ^ c, 0x5bd1e995);
      mur ^= mur >>> 15;
    }
  }
  return `${units.length}:${(fnv >>> 0).toString(36)}:${(mur >>> 0).toString(36)}`;
}

/** The screen's pixel density (1 without a page): the ages are painted at it, so they stay sharp. */
function pixelRatio(): number {
  return typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
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
}: UnitAgeLayerInput): IconLayer<PositionedUnit> {
  const positioned: PositionedUnit[] = [];
  if (visible) for (const u of units) if (hasPosition(u)) positioned.push(u);
  const images = ageLabelImages(size, pixelRatio());
  const height = ageLabelHeight(size);
  const triggers = { getIcon: [lang, now, size, images.dpr], getSize: [size, hiddenKey] };
  // deck.gl types the comparator as generic over any data; ours only ever sees this layer's arrays.
  const sameData = ((a: readonly UnitState[], b?: readonly UnitState[]) => sameUnitAges(a, b, now, lang)) as unknown as NonNullable<
    IconLayerProps<PositionedUnit>['dataComparator']
  >;
  // The pictures are looked up again when a label's text or colour changes, not at every step of the wall's
  // clock (units that report every few seconds read "<1 min" at every step), and not for a batch that only moves units.
  const moving =
    positionsKey === undefined
      ? {}
      : {
          dataComparator: sameData,
          updateTriggers: {
            ...triggers,
            getIcon: [lang, unitAgesKey(positioned, now, lang), size, images.dpr],
            getPosition: positionsKey,
          },
        };
  return new IconLayer<PositionedUnit>({
    id: UNIT_AGES_LAYER_ID,
    data: positioned,
    visible,
    pickable: false,
    getPosition: (u) => u.position,
    getIcon: (u) => images.get(unitAgeText(u, now, lang), isUnitStale(u, now) ? STALE_UNIT_AGE_LABEL_COLOR : UNIT_AGE_LABEL_COLOR),
    getSize: (u) => (hidden?.has(u.teamId) ? 0 : height),
    sizeUnits: 'pixels',
    getPixelOffset: [unitAgeOffsetX(markerScale), 0],
    // `now` is the wall's 10 s step: each unit's minute turns over at its own second, so a coarser key would lag.
    updateTriggers: triggers,
    ...moving,
  });
}
