// Dispute density: deck.gl HeatmapLayer over the API's bins (each bin's centre
// weighted by its count), fed as binary attributes (no per-point objects).
import type { Color } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { HEATMAP_COLOR_RANGE } from '../palette';

export const HEATMAP_LAYER_ID = 'heatmap';

/** Points as one interleaved Float32Array: x, y, weight per point (12-byte stride). */
export interface HeatmapData {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2; stride: 12; offset: 0 };
    getWeight: { value: Float32Array; size: 1; stride: 12; offset: 8 };
  };
}

/**
 * The API's bins (columnar: centre lon, centre lat, count) as interleaved
 * attributes: each bin is one point weighted by its count. Float32 keeps about
 * a metre at these longitudes, plenty for a density surface. A bin missing
 * from any column is left out; a hole in one reads as 0.
 */
export function binsToHeatmapData({ lon, lat, n }: { lon: ArrayLike<number>; lat: ArrayLike<number>; n: ArrayLike<number> }): HeatmapData {
  const length = Math.min(lon.length, lat.length, n.length);
  const value = new Float32Array(length * 3);
  for (let i = 0; i < length; i++) {
    value[i * 3] = lon[i] ?? 0;
    value[i * 3 + 1] = lat[i] ?? 0;
    value[i * 3 + 2] = n[i] ?? 0;
  }
  return {
    length,
    attributes: {
      getPosition: { value, size: 2, stride: 12, offset: 0 },
      getWeight: { value, size: 1, stride: 12, offset: 8 },
    },
  };
}

export const EMPTY_HEATMAP_DATA: HeatmapData = binsToHeatmapData({ lon: [], lat: [], n: [] });

/**
 * One copy for every layer built: deck.gl compares colorRange by identity and
 * made a new colour texture for each new array — at every rebuild of the map's
 * layers (a wall's batch of unit fixes), not only when the colours change.
 */
const COLOR_RANGE: Color[] = HEATMAP_COLOR_RANGE.map((c) => [...c]);

export interface HeatmapLayerInput {
  data: HeatmapData | null;
  visible: boolean;
}

export function buildHeatmapLayer({ data, visible }: HeatmapLayerInput): HeatmapLayer<unknown> {
  return new HeatmapLayer<unknown>({
    id: HEATMAP_LAYER_ID,
    data: data ?? EMPTY_HEATMAP_DATA,
    visible,
    pickable: false,
    radiusPixels: 56,
    intensity: 2,
    threshold: 0.05,
    opacity: 0.72,
    aggregation: 'SUM',
    colorRange: COLOR_RANGE,
    weightsTextureSize: 512,
    debounceTimeout: 150,
  });
}
