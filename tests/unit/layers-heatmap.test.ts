import { describe, expect, it } from 'vitest';
import { EMPTY_HEATMAP_DATA, HEATMAP_LAYER_ID, binsToHeatmapData, buildHeatmapLayer } from '@/components/map/layers/heatmap-layer';

describe('heatmap layer', () => {
  it('turns the columnar bins (lon, lat, n) into interleaved binary attributes', () => {
    const data = binsToHeatmapData({ lon: [100.5, 100.75], lat: [31.25, 31.5], n: [1, 3] });
    expect(data.length).toBe(2);
    const pos = data.attributes.getPosition;
    const w = data.attributes.getWeight;
    expect(pos.value).toBeInstanceOf(Float32Array);
    expect(pos.value).toBe(w.value); // one buffer, two views
    expect([pos.size, pos.stride, pos.offset]).toEqual([2, 12, 0]);
    expect([w.size, w.stride, w.offset]).toEqual([1, 12, 8]);
    expect(Array.from(pos.value)).toEqual([100.5, 31.25, 1, 100.75, 31.5, 3]);
  });

  it('ignores a bin missing from a column', () => {
    expect(binsToHeatmapData({ lon: [1, 4], lat: [2], n: [3] }).length).toBe(1);
    expect(binsToHeatmapData({ lon: [], lat: [], n: [] }).length).toBe(0);
  });

  it('starts empty before the first bins arrive: no point, no value', () => {
    expect(EMPTY_HEATMAP_DATA.length).toBe(0);
    expect(EMPTY_HEATMAP_DATA.attributes.getPosition.value).toHaveLength(0);
  });

  it('handles thousands of points', () => {
    const n = 5000;
    const col = Array.from({ length: n }, (_, i) => 100 + i / 1e6);
    expect(binsToHeatmapData({ lon: col, lat: col, n: col.map(() => 1) }).length).toBe(n);
  });

  it('builds a HeatmapLayer with a stable id over the binary data', () => {
    const data = binsToHeatmapData({ lon: [100.5], lat: [31.25], n: [1] });
    const layer = buildHeatmapLayer({ data, visible: true });
    expect(layer.id).toBe(HEATMAP_LAYER_ID);
    expect(layer.props.data).toBe(data);
    expect((layer.props.data as { length: number }).length).toBe(1);
    expect(layer.constructor.name).toMatch(/HeatmapLayer/);
    const empty = buildHeatmapLayer({ data: null, visible: false });
    expect(empty.id).toBe(HEATMAP_LAYER_ID);
    expect((empty.props.data as { length: number }).length).toBe(0);
    expect(empty.props.visible).toBe(false);
  });
});
