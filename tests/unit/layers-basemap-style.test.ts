import { describe, expect, it } from 'vitest';
import { buildBasemapStyle, outsideMask, ringArea } from '@/components/map/basemap-style';
import type { BasemapPayload, LonLat } from '@/lib/model';

const square = (x: number, y: number, d: number): LonLat[] => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

const PAYLOAD: BasemapPayload = {
  bbox: [100, 31, 100.3, 31.2],
  boundary: {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[square(100, 31, 0.3)]] }, properties: { name: '格曲塘乡', nameEn: 'Gequtang' } }],
  },
  features: {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(100.1, 31.05, 0.1)] }, properties: { kind: 'relief', name: '嘎日冈山', nameEn: 'Garigang', level: 1 } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(100.12, 31.07, 0.05)] }, properties: { kind: 'relief', name: null, nameEn: null, level: 3 } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[100, 31.1], [100.3, 31.1]] }, properties: { kind: 'road', name: '雪域路', nameEn: 'Xueyu Road', level: 1 } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[100.1, 31], [100.1, 31.2]] }, properties: { kind: 'track', name: null, nameEn: null, level: 0 } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[100, 31.15], [100.3, 31.12]] }, properties: { kind: 'river', name: '格曲河', nameEn: 'Gequ River', level: 0 } },
    ],
  },
  villages: {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [100.15, 31.1] }, properties: { id: 1, code: 'V0', name: '格曲社区', nameEn: 'Gequ Community', kind: 'community', population: 7200 } }],
  },
  pmtiles: null,
};

describe('buildBasemapStyle', () => {
  const style = buildBasemapStyle(PAYLOAD);

  it('needs no glyphs, sprites or remote sources', () => {
    expect(style.version).toBe(8);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
    for (const src of Object.values(style.sources)) {
      expect(src.type).toBe('geojson');
      expect(typeof (src as { data: unknown }).data).toBe('object'); // inline, not a URL
    }
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
  });

  it('draws background, relief, boundary, river, roads and tracks', () => {
    const ids = style.layers.map((l) => l.id);
    expect(ids[0]).toBe('background');
    for (const id of ['relief', 'township-land', 'boundary', 'river', 'roads', 'tracks']) expect(ids).toContain(id);
    // roads above relief, boundary line above the roads
    expect(ids.indexOf('roads')).toBeGreaterThan(ids.indexOf('relief'));
    expect(ids.indexOf('boundary')).toBeGreaterThan(ids.indexOf('roads'));
  });

  it('shades relief by level: more opaque higher up', () => {
    const relief = style.layers.find((l) => l.id === 'relief') as { paint: Record<string, unknown> };
    const opacity = relief.paint['fill-opacity'] as unknown[];
    expect(opacity[0]).toBe('interpolate');
    // stops: level 1 → lower, level 3 → higher
    expect(opacity.slice(3)).toEqual([1, 0.6, 3, 0.95]);
  });

  it('masks everything outside the township with correctly wound holes', () => {
    const mask = outsideMask(PAYLOAD);
    expect(mask.coordinates).toHaveLength(2);
    const [outer, hole] = mask.coordinates;
    expect(Math.sign(ringArea(outer!))).toBe(-Math.sign(ringArea(hole!)));
  });
});
