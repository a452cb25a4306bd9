// The map preview's features (lib/import/preview-geometry.ts): file order and
// indexes kept (problems point at them), coordinates rounded to 6 decimals,
// features without a drawable geometry left out, and a vertex budget.
import { describe, expect, it } from 'vitest';
import { previewFeatureCollection } from '../../lib/import/preview-geometry';
import type { ImportFeature } from '../../lib/import/types';

const cell = (x: number): ImportFeature => ({
  type: 'Feature',
  properties: { code: `G-${x}` },
  geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 0.01, 30], [x + 0.01, 30.01], [x, 30]]] },
});

describe('previewFeatureCollection', () => {
  it('keeps each feature’s place in the file, its code and name, and rounds coordinates to 6 decimals', () => {
    const point: ImportFeature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [114.123456789, 30.987654321] } };
    const none: ImportFeature = { type: 'Feature', properties: {}, geometry: null };
    const fc = previewFeatureCollection([none, point], [{ code: null, name: null }, { code: 'K1', name: '中心小学' }]);
    expect(fc).toEqual({
      type: 'FeatureCollection',
      omitted: 0,
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [114.123457, 30.987654] }, properties: { index: 1, code: 'K1', name: '中心小学' } }],
    });
  });

  it('rounds every position of nested geometries', () => {
    const multi: ImportFeature = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiLineString', coordinates: [[[1.0000004, 2.0000006], [3, 4]]] },
    };
    expect(previewFeatureCollection([multi], []).features[0]!.geometry).toEqual({ type: 'MultiLineString', coordinates: [[[1, 2.000001], [3, 4]]] });
  });

  it('leaves out a geometry with a coordinate that is not a number (JSON would make it null)', () => {
    const broken: ImportFeature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [Number.NaN, 30] } };
    expect(previewFeatureCollection([broken, cell(114)], []).features.map((f) => f.properties.index)).toEqual([1]);
  });

  it('stops at the vertex budget and counts what it left off', () => {
    // Each cell has 4 positions: a budget of 9 holds two.
    const fc = previewFeatureCollection([cell(114), cell(115), cell(116), cell(117)], [], 9);
    expect(fc.features.map((f) => f.properties.index)).toEqual([0, 1]);
    expect(fc.omitted).toBe(2);
    expect(previewFeatureCollection([cell(114), cell(115)], [], 8).omitted).toBe(0);
  });
});
