// The briefing's heatmap snapshot as ECharts draws it (page and PDF): what the
// option holds for given bins and outlines, the aspect that keeps a bin
// square, and the notes that say what is shown and what was withheld.
import { describe, expect, it } from 'vitest';
import { snapshotAspect, snapshotExtent, snapshotNotes, snapshotOption } from '../../lib/briefing-snapshot';
import { briefingHeatmapBin, type BriefingHeatmap } from '../../lib/model/briefing';

const ring = (west: number): [number, number][] => [
  [west, 31],
  [west + 0.01, 31],
  [west + 0.01, 31.01],
  [west, 31.01],
  [west, 31],
];

const H: BriefingHeatmap = {
  binM: 400,
  minCount: 3,
  count: 7,
  withheld: 2,
  lon: [100.005, 100.025],
  lat: [31.005, 31.006],
  n: [3, 4],
  outlines: [ring(100), ring(100.01), ring(100.02)],
  bbox: [100, 31, 100.03, 31.01],
};

describe('the heatmap snapshot', () => {
  it('maps up to a quarter at 400 m bins, longer periods at 1,600 m', () => {
    expect([1, 7, 31, 92].map(briefingHeatmapBin)).toEqual([400, 400, 400, 400]);
    expect([93, 181, 366].map(briefingHeatmapBin)).toEqual([1600, 1600, 1600]);
  });

  it('draws every outline as a polyline and every bin as a circle whose area grows with its count', () => {
    const o = snapshotOption(H, { maxSymbol: 20 });
    const [cells, bins] = o.series as [{ type: string; data: { coords: number[][] }[] }, { type: string; data: number[][]; symbolSize: (v: number[]) => number }];
    expect(cells.type).toBe('lines');
    expect(cells.data.map((d) => d.coords)).toEqual(H.outlines);
    expect(bins.type).toBe('scatter');
    expect(bins.data).toEqual([
      [100.005, 31.005, 3],
      [100.025, 31.006, 4],
    ]);
    // The largest count gets the largest circle; area in proportion: diameter by the square root.
    expect(bins.symbolSize([0, 0, 4])).toBe(20);
    expect(bins.symbolSize([0, 0, 1])).toBe(10);
    expect(bins.symbolSize([0, 0, 0])).toBe(4);
  });

  it('spans the cells and every bin centre with a margin, at the ground`s aspect', () => {
    const e = snapshotExtent(H)!;
    expect(e.west).toBeLessThan(100);
    expect(e.east).toBeGreaterThan(100.03);
    expect(e.south).toBeLessThan(31);
    expect(e.north).toBeGreaterThan(31.01);
    // A merged bin's centre outside the cells widens the box.
    expect(snapshotExtent({ ...H, lon: [...H.lon, 100.05], lat: [...H.lat, 31.02], n: [...H.n, 3] })!.east).toBeGreaterThan(100.05);
    // 0.034° of longitude at 31° north against 0.014° of latitude: cos(31°) · 0.034 / 0.014.
    expect(snapshotAspect(H)).toBeCloseTo((Math.cos((31.005 * Math.PI) / 180) * (e.east - e.west)) / (e.north - e.south), 6);
    expect(snapshotAspect({ ...H, lon: [], lat: [], n: [], bbox: null, outlines: [] })).toBe(1);
    expect(snapshotExtent({ ...H, lon: [], lat: [], n: [], bbox: null, outlines: [] })).toBeNull();
  });

  it('says the bin size, how many are shown and withheld, and what a village`s view holds', () => {
    expect(snapshotNotes(H, 'zh', false)).toEqual(['400 米方格 · 图上纠纷 7 起', '另有 2 起所在方格不足 3 起，未显示', '圆越大、颜色越深，纠纷越多；灰线为网格边界']);
    expect(snapshotNotes({ ...H, withheld: 0 }, 'en', true)).toEqual([
      '400 m bins · 7 disputes on the map',
      "only bins whose centre lies in the village's cells",
      'Larger, darker circles hold more disputes; grey lines are the grid cells',
    ]);
  });
});
