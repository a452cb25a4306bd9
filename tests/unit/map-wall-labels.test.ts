// The wall's label placement carried from batch to batch (wall-labels.ts): a
// full greedy placement when anything but the units changes, and in between
// only the units that moved or say something else are placed again.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_VISIBILITY, labelCandidates, placeMapLabels } from '@/components/map/build-layers';
import { boxesOverlap, labelBox, worldX, worldY, type LabelPlacement } from '@/components/map/label-placement';
import { WallLabelPlacer, type WallLabelInput } from '@/components/map/wall-labels';
import type { BasemapPayload, GridCollection, LonLat, UnitState } from '@/lib/model';
import { FACTORY_NOW, gridCell, isoAt, mapLayersInput, unit, villagePoint } from '../helpers/factories';

const ZOOM = 14;

/** The point whose world pixel at `zoom` is (x, y): worldX and worldY's inverse. */
function lonLatAt(x: number, y: number, zoom: number): LonLat {
  const scale = 512 * 2 ** zoom;
  return [(x / scale) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / scale))) * 180) / Math.PI];
}

// The settlement's name well clear of grid 1's code (about 350 px apart at zoom 14).
const BASEMAP = { villages: { type: 'FeatureCollection', features: [villagePoint(7, [100.0, 31.0])] } } as unknown as BasemapPayload;
const GRIDS: GridCollection = { type: 'FeatureCollection', features: [gridCell(1)] };
const FRESH = isoAt(FACTORY_NOW - 10_000);

function input(units: readonly UnitState[], over: Partial<WallLabelInput> = {}): WallLabelInput {
  return { basemap: BASEMAP, grids: GRIDS, units, visibility: DEFAULT_VISIBILITY, lang: 'zh', zoom: ZOOM, now: FACTORY_NOW, labelScale: 1, ...over };
}

/** The full greedy placement of the same input (build-layers.ts). */
function greedy(i: WallLabelInput): LabelPlacement {
  return placeMapLabels(mapLayersInput({ ...i, variant: 'wall' }));
}

/** Where a unit stands for its age label to start at the centre of a label of the given kind (its left edge there). */
function onLabelOf(kind: 'village' | 'grid', units: readonly UnitState[] = []): LonLat {
  const c = labelCandidates(mapLayersInput({ ...input(units), variant: 'wall' })).find((x) => x.kind === kind)!;
  const box = labelBox(c, ZOOM);
  const probe = labelCandidates(mapLayersInput({ ...input([unit(99, { position: [100, 31], fixTime: FRESH })]), variant: 'wall' })).find((x) => x.kind === 'unit')!;
  // The unit's label starts `offset[0]` px right of the unit and is centred on it.
  return lonLatAt((box.x0 + box.x1) / 2 - probe.offset[0], (box.y0 + box.y1) / 2, ZOOM);
}

const FAR_A: LonLat = [100.2, 31.3];
const FAR_B: LonLat = [100.25, 31.35];

describe('WallLabelPlacer', () => {
  it('starts with the full greedy placement and hands the same object back while nothing changes', () => {
    const units = [unit(1, { position: FAR_A, fixTime: FRESH }), unit(2, { position: onLabelOf('village'), fixTime: FRESH })];
    const placer = new WallLabelPlacer();
    const first = placer.place(input(units));
    expect(first.hidden).toEqual(greedy(input(units)).hidden);
    expect([...first.hidden.unit]).toEqual([2]);
    expect(placer.place(input(units))).toBe(first);
    // New records of the same units at the same places (a batch where nobody moved far) hide nothing new.
    expect(placer.place(input(units.map((u) => ({ ...u }))))).toBe(first);
  });

  it('hands the same placement back from a full placement that hides what the last did (the layers redraw nothing)', () => {
    const units = [unit(1, { position: FAR_A, fixTime: FRESH }), unit(2, { position: onLabelOf('village'), fixTime: FRESH })];
    const placer = new WallLabelPlacer();
    const first = placer.place(input(units));
    const nudged = input(units, { zoom: ZOOM + 0.001 });
    expect(nudged.zoom).not.toBe(ZOOM);
    expect(greedy(nudged).hidden).toEqual(first.hidden);
    expect(placer.place(nudged)).toBe(first);
    // Its sets are still the ones the placer changes: a unit walking off the name shows under a new key.
    const off = placer.place(input([units[0]!, { ...units[1]!, position: FAR_B }], { zoom: ZOOM + 0.001 }));
    expect([...off.hidden.unit]).toEqual([]);
    expect(off).not.toBe(first);
  });

  it('hides a unit that walks under a settlement’s name and shows it again when it walks off', () => {
    const placer = new WallLabelPlacer();
    const away = [unit(1, { position: FAR_A, fixTime: FRESH })];
    const first = placer.place(input(away));
    expect([...first.hidden.unit]).toEqual([]);
    const firstKey = first.key;
    const under = placer.place(input([{ ...away[0]!, position: onLabelOf('village') }]));
    expect([...under.hidden.unit]).toEqual([1]);
    expect(under.key).not.toBe(firstKey);
    const underKey = under.key;
    const off = placer.place(input([{ ...away[0]!, position: FAR_B }]));
    expect([...off.hidden.unit]).toEqual([]);
    expect(off.key).not.toBe(underKey);
  });

  it('hides a grid code a unit’s age now covers (units rank above grid codes)', () => {
    const placer = new WallLabelPlacer();
    const u = unit(1, { position: FAR_A, fixTime: FRESH });
    const first = placer.place(input([u]));
    expect([...first.hidden.grid]).toEqual([]);
    const firstKey = first.key;
    const moved = input([{ ...u, position: onLabelOf('grid') }]);
    const placed = placer.place(moved);
    expect([...placed.hidden.grid]).toEqual([1]);
    // The layers redraw the labels when the key changes (the sets change in place).
    expect(placed.key).not.toBe(firstKey);
    expect([...placed.hidden.unit]).toEqual([]);
    expect(placed.hidden).toEqual(greedy(moved).hidden);
  });

  it('never pushes a shown unit’s label away: the one that walked in is hidden until the next full placement', () => {
    const placer = new WallLabelPlacer();
    const spot = FAR_B;
    const a = unit(1, { position: FAR_A, fixTime: FRESH });
    const b = unit(2, { position: spot, fixTime: FRESH });
    placer.place(input([a, b]));
    const crossing = input([{ ...a, position: spot }, b]);
    expect([...placer.place(crossing).hidden.unit]).toEqual([1]);
    // The greedy placement would keep the lower team id's; a zoom change places everything again that way.
    expect([...greedy(crossing).hidden.unit]).toEqual([2]);
    const zoomed = { ...crossing, zoom: ZOOM - 0.5 };
    expect(placer.place(zoomed).hidden).toEqual(greedy(zoomed).hidden);
  });

  it('forgets where a label was: one that moved on and was hidden there hides nothing it no longer covers', () => {
    // World pixels from the settlement's point; the unit's box is rewritten in place, so it must leave the index's
    // buckets of its old place before it changes (else, hidden under the name in other buckets, it stays filed
    // in the old ones at its new place and hides a label that walks in beside it: found by search, kept here).
    const [vx, vy] = [worldX(100, ZOOM), worldY(31, ZOOM)];
    const near = (dx: number, dy: number) => lonLatAt(vx + dx, vy + dy, ZOOM);
    const placer = new WallLabelPlacer();
    const walker = (position: LonLat) => unit(1, { position, fixTime: FRESH });
    const other = (position: LonLat) => unit(2, { position, fixTime: FRESH });
    expect([...placer.place(input([walker(near(-160, -160)), other(FAR_A)])).hidden.unit]).toEqual([]);
    expect([...placer.place(input([walker(near(-64, -96)), other(FAR_A)])).hidden.unit]).toEqual([1]);
    const beside = input([walker(near(-64, -96)), other(near(-96, -126))]);
    expect([...placer.place(beside).hidden.unit]).toEqual([1]);
    // What a full placement of the same would hide.
    expect([...greedy(beside).hidden.unit]).toEqual([1]);
  });

  it('places everything again for a new team, another language or scale, and follows a label’s new text', () => {
    const placer = new WallLabelPlacer();
    const a = unit(1, { position: FAR_A, fixTime: FRESH });
    const under = unit(2, { position: onLabelOf('village'), fixTime: null });
    // No fix time: an empty label takes no room and is not hidden.
    expect([...placer.place(input([a, under])).hidden.unit]).toEqual([]);
    const withText = input([a, { ...under, fixTime: FRESH }]);
    expect([...placer.place(withText).hidden.unit]).toEqual([2]);
    const three = input([a, { ...under, fixTime: FRESH }, unit(3, { position: FAR_B, fixTime: FRESH })]);
    expect(placer.place(three).hidden).toEqual(greedy(three).hidden);
    const english = { ...three, lang: 'en' as const, labelScale: 2 };
    expect(placer.place(english).hidden).toEqual(greedy(english).hidden);
  });

  it('keeps no unit labels when units are not shown', () => {
    const placer = new WallLabelPlacer();
    const hiddenUnits = input([unit(1, { position: onLabelOf('village'), fixTime: FRESH })], { visibility: { ...DEFAULT_VISIBILITY, units: false } });
    const placed = placer.place(hiddenUnits);
    expect(placed.hidden).toEqual(greedy(hiddenUnits).hidden);
    expect([...placed.hidden.unit]).toEqual([]);
    expect(placer.place({ ...hiddenUnits, units: [unit(1, { position: FAR_A, fixTime: FRESH })] })).toBe(placed);
  });
  it('never draws two labels over each other, over random walks by the settlement, steps of the clock and changes of zoom, nor hands out two placements with one key that hide different labels', () => {
    // Six units within ~50 px of the settlement's name at zoom 14 (1e-4° is ~2.3 px), fixes 0–700 s old: their
    // texts ("<1分", "1分" … "9分", "10分", of three widths) change with the clock as well as with each fix.
    const spot = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }));
    const at = ([x, y]: [number, number]): LonLat => [100 + x * 1e-4, 31 + y * 1e-4];
    const move = fc.record({ unit: fc.nat(5), to: spot, ageS: fc.nat(700) });
    const batch = fc.record({ moves: fc.array(move, { maxLength: 4 }), clockSteps: fc.nat(3), zoomedOut: fc.boolean() });
    fc.assert(
      fc.property(fc.array(spot, { minLength: 6, maxLength: 6 }), fc.array(batch, { maxLength: 12 }), (starts, batches) => {
        const placer = new WallLabelPlacer();
        let now = FACTORY_NOW;
        let units = starts.map((p, i) => unit(i + 1, { position: at(p), fixTime: FRESH }));
        // What each key handed out hid when it was handed out: the layers redraw the labels only when the key
        // changes, so a placement with a key seen before must hide the same labels (in any order).
        const byKey = new Map<string, string>();
        const hiddenNow = (p: LabelPlacement) => JSON.stringify([[...p.hidden.village], [...p.hidden.unit], [...p.hidden.grid]].map((ids) => ids.sort((a, b) => a - b)));
        let zoom = ZOOM;
        const drawn = () => {
          const i = input(units, { now, zoom });
          const placement = placer.place(i);
          if (!byKey.has(placement.key)) byKey.set(placement.key, hiddenNow(placement));
          expect(hiddenNow(placement)).toBe(byKey.get(placement.key));
          const hidden = placement.hidden;
          const shown = labelCandidates(mapLayersInput({ ...i, variant: 'wall' })).filter((c) => c.text !== '' && !hidden[c.kind].has(c.id));
          const boxes = shown.map((c) => ({ label: `${c.kind}:${c.id}`, box: labelBox(c, zoom) }));
          const crossing: string[] = [];
          for (let a = 0; a < boxes.length; a++)
            for (let b = a + 1; b < boxes.length; b++) if (boxesOverlap(boxes[a]!.box, boxes[b]!.box)) crossing.push(`${boxes[a]!.label}×${boxes[b]!.label}`);
          return crossing;
        };
        expect(drawn()).toEqual([]);
        for (const { moves, clockSteps, zoomedOut } of batches) {
          now += clockSteps * 10_000;
          // A change of zoom (a rotation's next view) places everything again, in the middle of the walks.
          zoom = zoomedOut ? ZOOM - 0.5 : ZOOM;
          const next = [...units];
          for (const m of moves) next[m.unit] = { ...next[m.unit]!, position: at(m.to), fixTime: isoAt(now - m.ageS * 1000) };
          units = next;
          expect(drawn()).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
