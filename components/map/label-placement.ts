// Label collision handling without a GPU extension (@deck.gl/extensions'
// CollisionFilterExtension is not a dependency): each label's box is estimated
// in Web Mercator world pixels at the current zoom, and labels are placed
// greedily by priority — settlements, then units' ages, then grid codes; a
// label that would overlap one already placed is not drawn. Panning does not
// change which labels collide (world pixels move together), so this only runs
// again when the zoom or the labelled data changes. Pure.
import type { LonLat } from '@/lib/model';

/** Every label kind the map draws, by placement priority (higher first). */
export const LABEL_PRIORITY = { village: 3, unit: 2, grid: 1 } as const;
export type LabelKind = keyof typeof LABEL_PRIORITY;
export const LABEL_KINDS: readonly LabelKind[] = ['village', 'unit', 'grid'];

export type TextAnchor = 'start' | 'middle' | 'end';
export type TextBaseline = 'top' | 'center' | 'bottom';

export interface LabelCandidate {
  kind: LabelKind;
  id: number;
  position: LonLat;
  text: string;
  /** Font size in pixels. */
  size: number;
  lineHeight: number;
  /** Pixel offset of the anchor from the position (deck.gl's getPixelOffset: y down). */
  offset: readonly [dx: number, dy: number];
  anchor: TextAnchor;
  baseline: TextBaseline;
  /** Extra room kept clear around the text (its halo). */
  padding: number;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelPlacement {
  /**
   * Labels not drawn, by kind, by id. The wall's placer (wall-labels.ts) changes these sets in place from one
   * batch to the next, handing out a placement with a new key each time they change: read the latest.
   */
  hidden: Readonly<Record<LabelKind, ReadonlySet<number>>>;
  /** Equal keys, equal placements (for deck.gl update triggers, which cannot compare Sets). */
  key: string;
}

/** MapLibre's world is 512 pixels wide at zoom 0. */
const WORLD_PX_AT_ZOOM_0 = 512;
const MAX_MERCATOR_LAT = 85.051129;

/** Web Mercator world pixel x of a longitude at `zoom`. */
export function worldX(lon: number, zoom: number): number {
  return ((lon + 180) / 360) * WORLD_PX_AT_ZOOM_0 * 2 ** zoom;
}

/** Web Mercator world pixel y of a latitude at `zoom` (y grows southwards, as on screen). */
export function worldY(lat: number, zoom: number): number {
  const phi = (Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180;
  return (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * WORLD_PX_AT_ZOOM_0 * 2 ** zoom;
}

/**
 * Estimated width of one line: CJK and other wide characters one em, the
 * rest 0.62 em (digits and Latin letters in a sans face are 0.5–0.65 em;
 * erring wide only hides a label that might just have fitted).
 */
export function lineWidth(line: string, size: number): number {
  let em = 0;
  for (const ch of line) em += isWide(ch.codePointAt(0) ?? 0) ? 1 : 0.62;
  return em * size;
}

function isWide(cp: number): boolean {
  return (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60);
}

/** The label's box in world pixels at `zoom`. */
export function labelBox(c: LabelCandidate, zoom: number): Box {
  return labelBoxAt(c, c.position, c.text, zoom);
}

/**
 * The box `c`'s label would have at `position` saying `text`: the wall re-places
 * a batch's units with one unit candidate as the template (their ages share
 * size, offset and padding) instead of a candidate per unit. With `out` the box
 * is written there (the wall rewrites each unit's box in place) and returned.
 */
export function labelBoxAt(c: LabelCandidate, position: LonLat, text: string, zoom: number, out?: Box): Box {
  let width: number;
  let lines = 1;
  if (text.includes('\n')) {
    const all = text.split('\n');
    lines = all.length;
    width = Math.max(0, ...all.map((l) => lineWidth(l, c.size)));
  } else width = lineWidth(text, c.size);
  const height = lines * c.size * c.lineHeight;
  // Each coordinate on its own: a pair per box was one more object per re-placed label.
  const ax = worldX(position[0], zoom) + c.offset[0];
  const ay = worldY(position[1], zoom) + c.offset[1];
  const x0 = c.anchor === 'start' ? ax : c.anchor === 'end' ? ax - width : ax - width / 2;
  const y0 = c.baseline === 'top' ? ay : c.baseline === 'bottom' ? ay - height : ay - height / 2;
  if (out === undefined) return { x0: x0 - c.padding, y0: y0 - c.padding, x1: x0 + width + c.padding, y1: y0 + height + c.padding };
  out.x0 = x0 - c.padding;
  out.y0 = y0 - c.padding;
  out.x1 = x0 + width + c.padding;
  out.y1 = y0 + height + c.padding;
  return out;
}

/** Whether two boxes overlap (touching edges do not). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Buckets of this many world pixels: a box is checked only against boxes sharing a bucket. */
const BUCKET_PX = 128;
/** Bucket columns are numbered within this (a world at zoom 22 is 2^31 px: 2^24 buckets). */
const BUCKET_ROW = 2 ** 25;

/** A placed label: its kind, its id and its box. */
export interface PlacedBox {
  kind: LabelKind;
  id: number;
  box: Box;
}

/**
 * The buckets of the last bucketsOf call, its first `n` entries: one array for every call (a lookup made one
 * each, 2,000 at a full placement), never emptied (setting an array's length to 0 drops its storage in V8, so
 * every call made a new one).
 */
const touched: number[] = [];

/** The buckets a box touches, numbered, written into `touched` (read it before the next call); how many. */
function bucketsOf(box: Box): number {
  let n = 0;
  const x1 = Math.floor(box.x1 / BUCKET_PX);
  const y0 = Math.floor(box.y0 / BUCKET_PX);
  const y1 = Math.floor(box.y1 / BUCKET_PX);
  for (let bx = Math.floor(box.x0 / BUCKET_PX); bx <= x1; bx++) for (let by = y0; by <= y1; by++) touched[n++] = bx * BUCKET_ROW + by;
  return n;
}

const NONE: readonly PlacedBox[] = [];

/**
 * The boxes of the labels placed so far, found by bucket. A bucket emptied keeps its list (the wall re-places
 * moving labels in and out of the same buckets: a new list each time was garbage).
 */
export class LabelIndex {
  readonly #buckets = new Map<number, PlacedBox[]>();

  /** The first placed box overlapping `box` that `matters` (any by default; it must not use an index), or null. */
  find(box: Box, matters?: (p: PlacedBox) => boolean): PlacedBox | null {
    for (let j = 0, n = bucketsOf(box); j < n; j++) {
      const list = this.#buckets.get(touched[j]!);
      if (!list) continue;
      for (const p of list) if (boxesOverlap(p.box, box) && (matters === undefined || matters(p))) return p;
    }
    return null;
  }

  /** Every placed box overlapping `box`, each once (a shared empty list when none). */
  all(box: Box): readonly PlacedBox[] {
    let out: Set<PlacedBox> | null = null;
    for (let j = 0, n = bucketsOf(box); j < n; j++) {
      const list = this.#buckets.get(touched[j]!);
      if (list) for (const p of list) if (boxesOverlap(p.box, box)) (out ??= new Set()).add(p);
    }
    return out === null ? NONE : [...out];
  }

  add(p: PlacedBox): void {
    for (let j = 0, n = bucketsOf(p.box); j < n; j++) {
      const list = this.#buckets.get(touched[j]!);
      if (list) list.push(p);
      else this.#buckets.set(touched[j]!, [p]);
    }
  }

  /** Takes `p` out; call it before changing `p.box` (the buckets it is filed under are its box's). */
  remove(p: PlacedBox): void {
    for (let j = 0, n = bucketsOf(p.box); j < n; j++) {
      const list = this.#buckets.get(touched[j]!);
      const i = list ? list.indexOf(p) : -1;
      if (!list || i < 0) continue;
      // Order within a bucket does not matter (lookups ask whether, or which set of, boxes overlap): the last
      // takes its place, without splice's array of what it removed.
      list[i] = list[list.length - 1]!;
      list.pop();
    }
  }
}

/** Labels not drawn, by kind, by id. */
export type HiddenLabels = Record<LabelKind, Set<number>>;

/** The key of a set of hidden labels: equal keys, equal sets. */
export function hiddenKey(hidden: Readonly<Record<LabelKind, ReadonlySet<number>>>): string {
  return LABEL_KINDS.map((k) => `${k}:${[...hidden[k]].join(',')}`).join(';');
}

/**
 * The greedy placement (placeLabels), also giving the index of the boxes
 * placed, so a caller can go on placing moved labels into it (wall-labels.ts).
 */
export function placeInto(
  candidates: readonly LabelCandidate[],
  zoom: number,
): { hidden: HiddenLabels; index: LabelIndex; placed: Record<LabelKind, Map<number, PlacedBox>> } {
  // Array.prototype.sort is stable: within a priority the candidates keep the order given.
  const order = [...candidates].sort((a, b) => LABEL_PRIORITY[b.kind] - LABEL_PRIORITY[a.kind]);
  const index = new LabelIndex();
  const placed: Record<LabelKind, Map<number, PlacedBox>> = { village: new Map(), unit: new Map(), grid: new Map() };
  const hidden: HiddenLabels = { village: new Set<number>(), unit: new Set<number>(), grid: new Set<number>() };
  for (const c of order) {
    if (c.text === '') continue;
    const box = labelBox(c, zoom);
    if (index.find(box)) {
      hidden[c.kind].add(c.id);
      continue;
    }
    const p: PlacedBox = { kind: c.kind, id: c.id, box };
    index.add(p);
    placed[c.kind].set(c.id, p);
  }
  return { hidden, index, placed };
}

/** Whether two sets of hidden labels hide the same labels. */
export function sameHidden(a: Readonly<Record<LabelKind, ReadonlySet<number>>>, b: Readonly<Record<LabelKind, ReadonlySet<number>>>): boolean {
  for (const kind of LABEL_KINDS) {
    const x = a[kind];
    const y = b[kind];
    if (x.size !== y.size) return false;
    for (const id of x) if (!y.has(id)) return false;
  }
  return true;
}

/**
 * Places labels by LABEL_PRIORITY, then in the order given (put the more
 * important of one kind first), hiding each that would overlap one placed
 * before it. An empty label takes no room.
 */
export function placeLabels(candidates: readonly LabelCandidate[], zoom: number): LabelPlacement {
  const { hidden } = placeInto(candidates, zoom);
  return { hidden, key: hiddenKey(hidden) };
}

export const NOTHING_HIDDEN: LabelPlacement = {
  hidden: { village: new Set(), unit: new Set(), grid: new Set() },
  key: 'village:;unit:;grid:',
};
