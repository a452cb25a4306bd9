// The uploaded archive in the MapLibre style (components/map/archive-style.ts
// and buildBasemapStyle): where its source and layers go, and what stays ours.
import { describe, expect, it } from 'vitest';
import { ARCHIVE_SOURCE_ID, archiveLayers, archiveSource } from '@/components/map/archive-style';
import { buildBasemapStyle } from '@/components/map/basemap-style';
import type { BasemapArchive, BasemapPayload } from '@/lib/model';

const PAYLOAD: BasemapPayload = {
  bbox: [100, 31, 100.3, 31.2],
  boundary: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'MultiPolygon', coordinates: [[[[100, 31], [100.3, 31], [100.3, 31.2], [100, 31.2], [100, 31]]]] },
        properties: { name: '格曲塘乡', nameEn: 'Gequtang' },
      },
    ],
  },
  features: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[100, 31.1], [100.3, 31.1]] }, properties: { kind: 'road', name: null, nameEn: null, level: 1 } }] },
  villages: { type: 'FeatureCollection', features: [] },
  pmtiles: null,
};

const RASTER: BasemapArchive = {
  url: 'http://127.0.0.1:3000/api/basemap/tiles.pmtiles?v=0123456789abcdef',
  tileType: 'png',
  bounds: [100, 31, 100.3, 31.2],
  minZoom: 0,
  maxZoom: 14,
  vectorLayers: [],
};
const VECTOR: BasemapArchive = {
  ...RASTER,
  tileType: 'mvt',
  // Protomaps basemap layers, as its metadata lists them (not in drawing order).
  vectorLayers: ['roads', 'water', 'earth', 'places', 'buildings', 'landuse', 'pois', 'boundaries', 'transit'],
};

const ids = (layers: { id: string }[]) => layers.map((l) => l.id);

describe('the archive in the style', () => {
  it('reads the archive through the pmtiles protocol, as images or vector tiles', () => {
    expect(archiveSource(RASTER)).toEqual({ type: 'raster', url: `pmtiles://${RASTER.url}`, tileSize: 256 });
    expect(archiveSource(VECTOR)).toEqual({ type: 'vector', url: `pmtiles://${VECTOR.url}` });
  });

  it('without an archive, is the built-in style as before: no tiles at all', () => {
    const style = buildBasemapStyle(PAYLOAD);
    expect(style.sources[ARCHIVE_SOURCE_ID]).toBeUndefined();
    expect(ids(style.layers)).toContain('township-land');
    expect(JSON.stringify(style)).not.toMatch(/pmtiles/);
  });

  it('draws a raster archive just above the background, in place of the township ground; mask, boundary and villages stay on top', () => {
    const style = buildBasemapStyle(PAYLOAD, RASTER);
    expect(ids(style.layers)).toEqual(['background', 'archive-raster', 'outside-mask', 'boundary-glow', 'boundary', 'villages']);
    expect(style.sources[ARCHIVE_SOURCE_ID]).toEqual(archiveSource(RASTER));
    // The township's own ground is not drawn, so its data need not be loaded.
    expect(style.sources.features).toBeUndefined();
    expect(Object.keys(style.sources).sort()).toEqual(['archive', 'boundary', 'outside', 'villages']);
  });

  it('draws the common vector layers bottom up — land, land use, water, buildings, roads, boundaries — and no labels', () => {
    expect(ids(archiveLayers(VECTOR))).toEqual([
      'archive-earth-fill',
      'archive-landuse-fill',
      'archive-water-fill',
      'archive-buildings-fill',
      'archive-roads-line',
      'archive-boundaries-line',
      // A layer of no known look: faint shapes.
      'archive-transit-fill',
      'archive-transit-line',
    ]);
    for (const layer of archiveLayers(VECTOR)) {
      expect(layer).toMatchObject({ source: ARCHIVE_SOURCE_ID });
      expect((layer as { 'source-layer': string })['source-layer']).toBe(layer.id.replace(/^archive-|-(fill|line)$/g, ''));
    }
  });

  it('reads OpenMapTiles and Shortbread names too, skipping their label layers', () => {
    const omt = archiveLayers({ ...VECTOR, vectorLayers: ['water_name', 'transportation', 'transportation_name', 'building', 'landcover', 'water', 'place', 'housenumber', 'aerodrome_label'] });
    expect(ids(omt)).toEqual(['archive-landcover-fill', 'archive-water-fill', 'archive-building-fill', 'archive-transportation-line']);
    const shortbread = archiveLayers({ ...VECTOR, vectorLayers: ['streets', 'ocean', 'water_polygons', 'water_lines', 'street_labels'] });
    expect(ids(shortbread)).toEqual(['archive-ocean-fill', 'archive-water_polygons-fill', 'archive-water_lines-line', 'archive-streets-line']);
  });

  it('puts a vector archive where the township ground was, under the boundary', () => {
    const layers = ids(buildBasemapStyle(PAYLOAD, VECTOR).layers);
    expect(layers[0]).toBe('background');
    expect(layers.slice(1, 9)).toEqual(ids(archiveLayers(VECTOR)));
    expect(layers.slice(9)).toEqual(['outside-mask', 'boundary-glow', 'boundary', 'villages']);
  });
});
