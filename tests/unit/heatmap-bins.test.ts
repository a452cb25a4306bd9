// The heatmap's pure parts: which rollup rows cover a window (month rows for
// whole township months, day rows for the ends), who sees bins under 3, the
// bin size per zoom, and the bins as the layer's binary attributes.
import { describe, expect, it } from 'vitest';
import { binsToHeatmapData } from '@/components/map/layers/heatmap-layer';
import { heatmapMinCount, rollupRanges, servedBin } from '@/lib/heatmap';
import { HEATMAP_FINEST_BIN, heatmapBinForZoom } from '@/lib/model';

describe('rollupRanges', () => {
  it('reads a week inside one month from day rows only', () => {
    expect(rollupRanges('2025-06-05', '2025-06-11')).toEqual({ days: [{ from: '2025-06-05', to: '2025-06-11' }], months: [] });
  });

  it('reads 30 days across a month edge from day rows only (no whole month inside)', () => {
    expect(rollupRanges('2025-05-13', '2025-06-11')).toEqual({ days: [{ from: '2025-05-13', to: '2025-06-11' }], months: [] });
  });

  it('reads a year as whole months plus the days at both ends', () => {
    expect(rollupRanges('2024-06-12', '2025-06-11')).toEqual({
      days: [
        { from: '2024-06-12', to: '2024-06-30' },
        { from: '2025-06-01', to: '2025-06-11' },
      ],
      months: [{ from: '2024-07-01', to: '2025-06-01' }],
    });
  });

  it('takes a month that starts the window or ends on its last day whole', () => {
    expect(rollupRanges('2025-02-01', '2025-02-28')).toEqual({ days: [], months: [{ from: '2025-02-01', to: '2025-03-01' }] });
    expect(rollupRanges('2024-01-01', '2024-12-31')).toEqual({ days: [], months: [{ from: '2024-01-01', to: '2025-01-01' }] });
    expect(rollupRanges('2024-02-15', '2024-03-31')).toEqual({
      days: [{ from: '2024-02-15', to: '2024-02-29' }],
      months: [{ from: '2024-03-01', to: '2024-04-01' }],
    });
  });
});

describe('heatmap audiences and bin sizes', () => {
  it('shows staff every bin and viewers and walls none under 3', () => {
    expect(heatmapMinCount('admin')).toBe(1);
    expect(heatmapMinCount('coordinator')).toBe(1);
    expect(heatmapMinCount('viewer')).toBe(3);
    expect(heatmapMinCount('wall')).toBe(3);
  });

  it('picks 1600 m below zoom 12, 400 m below 14, then 100 m', () => {
    expect([3, 10, 11.99, 12, 13.5, 13.99, 14, 18].map(heatmapBinForZoom)).toEqual([1600, 1600, 1600, 400, 400, 400, 100, 100]);
  });

  it('serves a window no finer than its finest bin', () => {
    expect(servedBin('7d', 100)).toBe(100);
    expect(servedBin('30d', 1600)).toBe(1600);
    expect(servedBin('1y', 100)).toBe(HEATMAP_FINEST_BIN['1y']);
    expect(servedBin('1y', 1600)).toBe(1600);
  });

  it('turns the columnar bins into one interleaved buffer weighted by the counts', () => {
    const data = binsToHeatmapData({ lon: [100.5, 100.75], lat: [31.25, 31.5], n: [3, 7] });
    expect(data.length).toBe(2);
    expect(data.attributes.getPosition.value).toBe(data.attributes.getWeight.value);
    expect(Array.from(data.attributes.getWeight.value)).toEqual([100.5, 31.25, 3, 100.75, 31.5, 7]);
    expect(binsToHeatmapData({ lon: [], lat: [], n: [] }).length).toBe(0);
  });
});
