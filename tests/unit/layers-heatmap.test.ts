import { describe, expect, it } from 'vitest';
import { HEATMAP_LAYER_ID, buildHeatmapLayer, toHeatmapData } from '@/components/map/layers/heatmap-layer';

describe('heatmap layer', () => {
  it('turns the flat [lon, lat, weight, …] array into interleaved binary attributes', () => {
    const data = toHeatmapData([100.5, 31.25, 1, 100.75, 31.5, 3]);
    expect(data.length).toBe(2);
    const pos = data.attributes.getPosition;
    const w = data.attributes.getWeight;
    expect(pos.value).toBeInstanceOf(Float32Array);
    expect(pos.value).toBe(w.value); // one buffer, two views
    expect([pos.size, pos.stride, pos.offset]).toEqual([2, 12, 0]);
    expect([w.size, w.stride, w.offset]).toEqual([1, 12, 8]);
    expect(Array.from(pos.value)).toEqual([100.5, 31.25, 1, 100.75, 31.5, 3]);
  });

  it('ignores a trailing partial point', () => {
    expect(toHeatmapData([1, 2, 3, 4]).length).toBe(1);
    expect(toHeatmapData([]).length).toBe(0);
  });

  it('handles thousands of points', () => {
    const n = 5000;
    const flat = Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? 1 : 100 + i / 1e6));
    expect(toHeatmapData(flat).length).toBe(n);
  });

  it('builds a HeatmapLayer with a stable id over the binary data', () => {
    const data = toHeatmapData([100.5, 31.25, 1]);
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
