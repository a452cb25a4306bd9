// Label collision handling by example: boxes in world pixels written out, the
// greedy placement by priority (settlement > unit age > grid code), and the
// layers drawing a losing label at size 0, above every marker.
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { DEFAULT_VISIBILITY, buildMapLayers, labelCandidates } from '@/components/map/build-layers';
import { LabelIndex, labelBox, labelBoxAt, lineWidth, placeLabels, worldX, worldY, type LabelCandidate, type PlacedBox } from '@/components/map/label-placement';
import type { GridFeature } from '@/components/map/layers/grid-layer';
import type { VillageFeature } from '@/components/map/layers/village-layer';
import type { BasemapPayload, GridCollection } from '@/lib/model';
import { gridCell, mapLayersInput, villagePoint } from '../helpers/factories';

describe('worldX and worldY', () => {
  it('are Web Mercator with a 512 px world at zoom 0', () => {
    expect([worldX(0, 0), worldY(0, 0)]).toEqual([256, 256]);
    expect([worldX(180, 1), worldY(0, 1)]).toEqual([1024, 512]);
    expect([worldX(-90, 1), worldY(0, 1)]).toEqual([256, 512]);
    const top = worldY(85.051129, 0);
    expect(top).toBeCloseTo(0, 3);
  });
});

describe('lineWidth and labelBox', () => {
  it('counts a CJK character one em and anything else 0.62 em', () => {
    expect(lineWidth('中心镇', 20)).toBe(60);
    expect(lineWidth('A01', 10)).toBeCloseTo(18.6, 10);
    expect(lineWidth('3分', 10)).toBeCloseTo(16.2, 10);
  });

  it('places the box by anchor, baseline, offset and padding', () => {
    const village: LabelCandidate = {
      kind: 'village',
      id: 1,
      position: [0, 0],
      text: '中心镇',
      size: 20,
      lineHeight: 1,
      offset: [0, -20],
      anchor: 'middle',
      baseline: 'bottom',
      padding: 2,
    };
    // Anchor (256, 236); 60 × 20 above it, centred; 2 px all round.
    expect(labelBox(village, 0)).toEqual({ x0: 224, y0: 214, x1: 288, y1: 238 });
    // Two lines of 10 px at line height 1.25: 25 px tall, as wide as the longer line (5 × 6.2 = 31).
    const grid: LabelCandidate = { ...village, kind: 'grid', text: 'A01\nABCDE', size: 10, lineHeight: 1.25, offset: [0, 0], baseline: 'center', anchor: 'start', padding: 0 };
    const box = labelBox(grid, 0);
    expect(box.x0).toBe(256);
    expect(box.x1).toBeCloseTo(287, 10);
    expect([box.y0, box.y1]).toEqual([243.5, 268.5]);
  });
});

describe('labelBoxAt and LabelIndex, as the wall re-places a moving label', () => {
  const age: LabelCandidate = { kind: 'unit', id: 7, position: [0, 0], text: '3分', size: 10, lineHeight: 1, offset: [12, 0], anchor: 'start', baseline: 'center', padding: 1 };

  it('writes the box into the one given, equal to a new one', () => {
    const out = { x0: -1, y0: -1, x1: -1, y1: -1 };
    const written = labelBoxAt(age, [0.01, 0.02], '12分', 14, out);
    expect(written).toBe(out);
    expect(out).toEqual(labelBoxAt(age, [0.01, 0.02], '12分', 14));
  });

  it('finds a box taken out, moved and put back only where it now is, once, across many moves', () => {
    const index = new LabelIndex();
    const still: PlacedBox = { kind: 'grid', id: 1, box: labelBoxAt(age, [0, 0], 'A01', 14) };
    const walker: PlacedBox = { kind: 'unit', id: 7, box: labelBoxAt(age, [0, 0], '3分', 14) };
    index.add(still);
    index.add(walker);
    // Steps far enough apart that each lands in other buckets, then back over the grid code.
    const steps: [number, number][] = [[0.05, 0], [0.05, 0.05], [0.1, 0.05], [0, 0], [0.1, 0.05], [0, 0]];
    for (const at of steps) {
      const before = { ...walker.box };
      index.remove(walker);
      labelBoxAt(age, at, '3分', 14, walker.box);
      // Nothing is left where it was: a box of the same size at its old place meets only what is there.
      expect(index.all(before).filter((p) => p === walker)).toEqual([]);
      index.add(walker);
      expect(index.all(walker.box).filter((p) => p === walker)).toEqual([walker]);
      expect(index.find(walker.box, (p) => p.kind === 'grid')).toBe(at[0] === 0 && at[1] === 0 ? still : null);
    }
    index.remove(walker);
    expect(index.find(walker.box, (p) => p === walker)).toBeNull();
    expect(index.all(still.box)).toEqual([still]);
  });
});

describe('placeLabels', () => {
  const at = (over: Partial<LabelCandidate> & Pick<LabelCandidate, 'kind' | 'id' | 'text'>): LabelCandidate => ({
    position: [0, 0],
    size: 10,
    lineHeight: 1,
    offset: [0, 0],
    anchor: 'middle',
    baseline: 'center',
    padding: 0,
    ...over,
  });
  // All at one point, zoom 0: anchor (256, 256). Boxes written out beside each.
  const v1 = at({ kind: 'village', id: 1, text: '中心镇', size: 20, offset: [0, -20], baseline: 'bottom' }); // x 226–286, y 216–236
  const v2 = at({ kind: 'village', id: 2, text: 'AB', size: 20, offset: [0, -30], baseline: 'bottom' }); // x 243.6–268.4, y 206–226
  const g1 = at({ kind: 'grid', id: 11, text: 'A01', offset: [0, -25] }); // x 246.7–265.3, y 226–236
  const g2 = at({ kind: 'grid', id: 12, text: 'B02' }); // x 246.7–265.3, y 251–261
  const g3 = at({ kind: 'grid', id: 13, text: 'C03', offset: [14, 0] }); // x 260.7–279.3, y 251–261
  const u1 = at({ kind: 'unit', id: 21, text: '3分', offset: [10, 0], anchor: 'start' }); // x 266–282.2, y 251–261
  const blank = at({ kind: 'unit', id: 22, text: '', offset: [0, -25] });

  it('places settlements first, then unit ages, then grid codes, whatever the input order', () => {
    const placed = placeLabels([g3, g1, u1, blank, v1, v2, g2], 0);
    // v2 loses to v1 (given first); g1 to v1; g3 to the unit age u1 though it came first; g2 fits.
    expect([...placed.hidden.village]).toEqual([2]);
    expect([...placed.hidden.unit]).toEqual([]);
    expect([...placed.hidden.grid]).toEqual([13, 11]);
    expect(placed.key).toBe('village:2;unit:;grid:13,11');
  });

  it('keeps everything when nothing overlaps, and only zoom changes what collides', () => {
    expect(placeLabels([v1, g2, u1], 0).key).toBe('village:;unit:;grid:');
    // Two labels 0.001° apart: on top of each other at zoom 10 (1.5 px), apart at zoom 18 (~373 px).
    const a = at({ kind: 'grid', id: 1, text: 'A01', position: [100, 31] });
    const b = at({ kind: 'grid', id: 2, text: 'B02', position: [100.001, 31] });
    expect([...placeLabels([a, b], 10).hidden.grid]).toEqual([2]);
    expect([...placeLabels([a, b], 18).hidden.grid]).toEqual([]);
  });
});

type Accessor<T, R> = (d: T, ctx: unknown) => R;
const layerProps = (layers: Layer[], id: string) => layers.find((l) => l.id === id)!.props as unknown as Record<string, unknown>;
const call = <T, R>(fn: unknown, d: T): R => (fn as Accessor<T, R>)(d, { index: 0, data: [], target: [] });

describe('buildMapLayers: labels', () => {
  // Grid 1's label at (100.015, 31.005); the village point 0.006° south of it, so its name (raised 16 px,
  // 15 px tall) lies across the grid code at zoom 11 (about 3,400 px per degree of latitude there).
  // Grid 5's label is 0.04° (about 116 px) east, clear of both.
  const GRIDS: GridCollection = { type: 'FeatureCollection', features: [gridCell(1), gridCell(5)] };
  const BASEMAP = { villages: { type: 'FeatureCollection', features: [villagePoint(7, [100.015, 30.999])] } } as unknown as BasemapPayload;
  const INPUT = mapLayersInput({ basemap: BASEMAP, grids: GRIDS, zoom: 11 });

  it('hides the grid code under a settlement name (size 0) and keeps the rest at their size', () => {
    const layers = buildMapLayers(INPUT);
    const grid = layerProps(layers, 'grid-labels');
    const names = layerProps(layers, 'village-labels');
    expect(call<GridFeature, number>(grid.getSize, gridCell(1))).toBe(0);
    expect(call<GridFeature, number>(grid.getSize, gridCell(5))).toBe(12);
    expect(call<VillageFeature, number>(names.getSize, villagePoint(7, [100.015, 30.999]))).toBe(15);
    // Both label layers sit above every marker layer.
    const ids = layers.map((l) => l.id);
    for (const marker of ['units', 'incidents', 'alerts', 'key-locations', 'unit-headings']) {
      expect(ids.indexOf(marker)).toBeLessThan(ids.indexOf('grid-labels'));
    }
    expect(ids.indexOf('grid-labels')).toBeLessThan(ids.indexOf('village-labels'));
  });

  it('lets the grid code show once the zoom pulls them apart, and when grids are hidden they take no room', () => {
    const zoomed = layerProps(buildMapLayers({ ...INPUT, zoom: 14 }), 'grid-labels');
    // Nothing hidden: one size for all (code and name, 13 px).
    expect(zoomed.getSize).toBe(13);
    const kinds = labelCandidates({ ...INPUT, visibility: { ...DEFAULT_VISIBILITY, grids: false } }).map((c) => c.kind);
    expect(kinds).toEqual(['village']);
  });

  it('orders settlements communities first, then by population', () => {
    const big = { ...villagePoint(8, [100.2, 31.2]), properties: { ...villagePoint(8, [0, 0]).properties, population: 5000 } } as VillageFeature;
    const community = villagePoint(9, [100.3, 31.2], 'community');
    const basemap = { villages: { type: 'FeatureCollection', features: [villagePoint(7, [100.1, 31.2]), big, community] } } as unknown as BasemapPayload;
    const ids = labelCandidates({ ...INPUT, basemap, grids: undefined }).map((c) => c.id);
    expect(ids).toEqual([9, 8, 7]);
  });
});
