// The heatmap layer pinned by example: the binary attributes from the API's
// columnar bins (holes read as 0), the empty layer, and every fixed prop.
import { describe, expect, it } from 'vitest';
import { EMPTY_HEATMAP_DATA, HEATMAP_LAYER_ID, binsToHeatmapData, buildHeatmapLayer } from '@/components/map/layers/heatmap-layer';

describe('heatmap layer by example', () => {
  it('reads a hole in a column as 0 and drops a bin missing from a column', () => {
    const data = binsToHeatmapData({ lon: [100.5, 100.75, 7], lat: { length: 2, 1: 31.5 }, n: [2, 3] });
    expect(data.length).toBe(2);
    expect(Array.from(data.attributes.getWeight.value)).toEqual([100.5, 0, 2, 100.75, 31.5, 3]);
    expect(EMPTY_HEATMAP_DATA.length).toBe(0);
    expect(Array.from(EMPTY_HEATMAP_DATA.attributes.getPosition.value)).toEqual([]);
  });

  it('builds an unpickable SUM heatmap, 56 px, with the violet-to-yellow ramp', () => {
    const layer = buildHeatmapLayer({ data: null, visible: true });
    expect(HEATMAP_LAYER_ID).toBe('heatmap');
    expect(layer.id).toBe('heatmap');
    expect(layer.props.data).toBe(EMPTY_HEATMAP_DATA);
    expect(layer.props).toMatchObject({
      visible: true,
      pickable: false,
      radiusPixels: 56,
      intensity: 2,
      threshold: 0.05,
      opacity: 0.72,
      aggregation: 'SUM',
      weightsTextureSize: 512,
      debounceTimeout: 150,
    });
    expect(layer.props.colorRange).toEqual([
      [72, 30, 130, 110],
      [128, 40, 150, 160],
      [196, 52, 122, 195],
      [236, 92, 70, 220],
      [250, 152, 50, 235],
      [255, 226, 110, 250],
    ]);
  });
});
