// The uploaded PMTiles archive in the MapLibre style: one source read through
// the `pmtiles://` protocol (pmtiles-protocol.ts), drawn as images (raster
// archives) or with a plain dark look for the layer names the common vector
// schemas use (OpenMapTiles, Protomaps, Shortbread). Labels stay deck.gl's:
// the style has no glyphs, so the archive's label layers are not drawn.
import type { BasemapArchive } from '@/lib/model';
import type { LayerSpecification } from './basemap-style';

export const ARCHIVE_SOURCE_ID = 'archive';

export const ARCHIVE_COLORS = {
  land: '#111a24',
  landuse: '#15212c',
  water: '#0d2536',
  waterway: '#2f7fc1',
  building: '#263241',
  road: '#8b95a3',
  boundary: '#4b5b6e',
  other: '#3a4756',
} as const;

type VectorLook = 'land' | 'landuse' | 'water' | 'waterway' | 'building' | 'road' | 'boundary';

/** Vector layer names of the common schemas, by how they are drawn (the order here is the drawing order). */
const KNOWN_LAYERS: Record<VectorLook, readonly string[]> = {
  land: ['earth', 'land'],
  landuse: ['landuse', 'landcover', 'park', 'natural', 'sites'],
  water: ['water', 'ocean', 'water_polygons', 'lake'],
  waterway: ['waterway', 'water_lines'],
  building: ['building', 'buildings'],
  road: ['transportation', 'roads', 'streets', 'street_polygons'],
  boundary: ['boundary', 'boundaries'],
};
const LOOK_ORDER = Object.keys(KNOWN_LAYERS) as VectorLook[];

/** Label and point layers: nothing to draw without glyphs or icons. */
const isLabelLayer = (name: string): boolean => /(_name|_label|label|labels|housenumber|places?|pois?|mountain_peak)$/.test(name);

type FillLayer = Extract<LayerSpecification, { type: 'fill' }>;
type LineLayer = Extract<LayerSpecification, { type: 'line' }>;
type Filter = NonNullable<FillLayer['filter']>;

const POLYGONS: Filter = ['==', ['geometry-type'], 'Polygon'];
const LINES: Filter = ['==', ['geometry-type'], 'LineString'];

const fill = (name: string, paint: FillLayer['paint'], minzoom = 0): FillLayer => ({
  id: `archive-${name}-fill`,
  type: 'fill',
  source: ARCHIVE_SOURCE_ID,
  'source-layer': name,
  filter: POLYGONS,
  minzoom,
  paint,
});

const line = (name: string, paint: LineLayer['paint']): LineLayer => ({
  id: `archive-${name}-line`,
  type: 'line',
  source: ARCHIVE_SOURCE_ID,
  'source-layer': name,
  filter: LINES,
  layout: { 'line-cap': 'round', 'line-join': 'round' },
  paint,
});

function vectorLayers(name: string, look: VectorLook | null): LayerSpecification[] {
  switch (look) {
    case 'land':
      return [fill(name, { 'fill-color': ARCHIVE_COLORS.land })];
    case 'landuse':
      return [fill(name, { 'fill-color': ARCHIVE_COLORS.landuse, 'fill-opacity': 0.8 })];
    case 'water':
      return [fill(name, { 'fill-color': ARCHIVE_COLORS.water })];
    case 'building':
      return [fill(name, { 'fill-color': ARCHIVE_COLORS.building }, 13)];
    case 'waterway':
      return [line(name, { 'line-color': ARCHIVE_COLORS.waterway, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 15, 2.5] })];
    case 'road':
      return [line(name, { 'line-color': ARCHIVE_COLORS.road, 'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 9, 0.6, 13, 1.8, 16, 6] })];
    case 'boundary':
      return [line(name, { 'line-color': ARCHIVE_COLORS.boundary, 'line-width': 1, 'line-dasharray': [3, 2] })];
    case null:
      // A layer of a schema we do not know: faint shapes, so an unfamiliar archive still shows something.
      return [fill(name, { 'fill-color': ARCHIVE_COLORS.other, 'fill-opacity': 0.35 }), line(name, { 'line-color': ARCHIVE_COLORS.other, 'line-width': 1 })];
  }
}

function lookOf(name: string): VectorLook | null {
  return LOOK_ORDER.find((look) => KNOWN_LAYERS[look].includes(name)) ?? null;
}

/** The archive's MapLibre source; `archive.url` must be absolute (the protocol fetches it as given). */
export function archiveSource(archive: BasemapArchive): { type: 'raster' | 'vector'; url: string; tileSize?: number } {
  const url = `pmtiles://${archive.url}`;
  return archive.tileType === 'mvt' ? { type: 'vector', url } : { type: 'raster', url, tileSize: 256 };
}

/** The archive's layers, bottom first: land, land use, water, buildings, roads, boundaries, then any others. */
export function archiveLayers(archive: BasemapArchive): LayerSpecification[] {
  if (archive.tileType !== 'mvt') {
    return [{ id: 'archive-raster', type: 'raster', source: ARCHIVE_SOURCE_ID, paint: { 'raster-fade-duration': 0 } }];
  }
  const drawn = archive.vectorLayers.filter((name) => !isLabelLayer(name));
  const rank = (name: string) => {
    const look = lookOf(name);
    return look === null ? LOOK_ORDER.length : LOOK_ORDER.indexOf(look);
  };
  // A stable sort: layers of one look keep the archive's order.
  return [...drawn].sort((a, b) => rank(a) - rank(b)).flatMap((name) => vectorLayers(name, lookOf(name)));
}
