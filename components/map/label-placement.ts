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
  /** Labels not drawn, by kind, by id. */
  hidden: Readonly<Record<LabelKind, ReadonlySet<number>>>;
  /** Equal keys, equal placements (for deck.gl update triggers, which cannot compare Sets). */
  key: string;
}

/** MapLibre's world is 512 pixels wide at zoom 0. */
const WORLD_PX_AT_ZOOM_0 = 512;
const MAX_MERCATOR_LAT = 85.051129;

/** Web Mercator world pixel of a point at `zoom` (y grows southwards, as on screen). */
export function worldPixel([lon, lat]: LonLat, zoom: number): [x: number, y: number] {
  const scale = WORLD_PX_AT_ZOOM_0 * 2 ** zoom;
  const phi = (Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180;
  const x = ((lon + 180) / 360) * scale;
  const y = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * scale;
  return [x, y];
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
 * size, offset and padding) instead of a candidate per unit.
 */
export function labelBoxAt(c: LabelCandidate, position: LonLat, text: string, zoom: number): Box {
  let width: number;
  let lines = 1;
  if (text.includes('\n')) {
    const all = text.split('\n');
    lines = all.length;
    width = Math.max(0, ...all.map((l) => lineWidth(l, c.size)));
  } else width = lineWidth(text, c.size);
  const height = lines * c.size * c.lineHeight;
  const [px, py] = worldPixel(position, zoom);
  const ax = px + c.offset[0];
  const ay = py + c.offset[1];
  const x0 = c.anchor === 'start' ? ax : c.anchor === 'end' ? ax - width : ax - width / 2;
  const y0 = c.baseline === 'top' ? ay : c.baseline === 'bottom' ? ay - height : ay - height / 2;
  return { x0: x0 - c.padding, y0: y0 - c.padding, x1: x0 + width + c.padding, y1: y0 + height + c.padding };
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

/** The buckets a box touches, numbered. */
function bucketsOf(box: Box): number[] {
  const out: number[] = [];
  const x1 = Math.floor(box.x1 / BUCKET_PX);
  const y0 = Math.floor(box.y0 / BUCKET_PX);
  const y1 = Math.floor(box.y1 / BUCKET_PX);
  for (let bx = Math.floor(box.x0 / BUCKET_PX); bx <= x1; bx++) for (let by = y0; by <= y1; by++) out.push(bx * BUCKET_ROW + by);
  return out;
}

/** The boxes of the labels placed so far, found by bucket. */
export class LabelIndex {
  readonly #buckets = new Map<number, PlacedBox[]>();

  /** The first placed box overlapping `box` that `matters` (any by default), or null. */
  find(box: Box, matters?: (p: PlacedBox) => boolean): PlacedBox | null {
    for (const k of bucketsOf(box)) {
      const list = this.#buckets.get(k);
      if (!list) continue;
      for (const p of list) if (boxesOverlap(p.box, box) && (matters === undefined || matters(p))) return p;
    }
    return null;
  }

  /** Every placed box overlapping `box`, each once. */
  all(box: Box): PlacedBox[] {
    const out = new Set<PlacedBox>();
    for (const k of bucketsOf(box)) for (const p of this.#buckets.get(k) ?? []) if (boxesOverlap(p.box, box)) out.add(p);
    return [...out];
  }

  add(p: PlacedBox): void {
    for (const k of bucketsOf(p.box)) {
      const list = this.#buckets.get(k);
      if (list) list.push(p);
      else this.#buckets.set(k, [p]);
    }
  }

  remove(p: PlacedBox): void {
    for (const k of bucketsOf(p.box)) {
      const list = this.#buckets.get(k);
      const i = list ? list.indexOf(p) : -1;
      if (!list || i < 0) continue;
      list.splice(i, 1);
      if (list.length === 0) this.#buckets.delete(k);
    }
  }
}

/** Labels not drawn, by kind, by id. */
export type HiddenLabels = Record<LabelKind, Set<number>>;

/** The key of a set of hidden labels: equal keys, equal sets. */
export function hiddenKey(hidden: Readonly<Record<LabelKind, ReadonlySet<number>>>): string {
  return (['village', 'unit', 'grid'] as const).map((k) => `${k}:${[...hidden[k]].join(',')}`).join(';');
}

/**
 * The greedy placement (placeLabels), also giving the index of the boxes
 * placed, so a caller can go on placing moved labels into it (wall-labels.ts).
 */
export function placeInto(candidates: readonly LabelCandidate[], zoom: number): { hidden: HiddenLabels; index: LabelIndex; placed: Map<string, PlacedBox> } {
  const order = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => LABEL_PRIORITY[b.c.kind] - LABEL_PRIORITY[a.c.kind] || a.i - b.i);
  const index = new LabelIndex();
  const placed = new Map<string, PlacedBox>();
  const hidden: HiddenLabels = { village: new Set<number>(), unit: new Set<number>(), grid: new Set<number>() };
  for (const { c } of order) {
    if (c.text === '') continue;
    const box = labelBox(c, zoom);
    if (index.find(box)) {
      hidden[c.kind].add(c.id);
      continue;
    }
    const p: PlacedBox = { kind: c.kind, id: c.id, box };
    index.add(p);
    placed.set(`${c.kind}:${c.id}`, p);
  }
  return { hidden, index, placed };
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
