// The offline basemap: a MapLibre style built in code from /api/basemap.
// No sprite, no glyphs: every label on the map is drawn by deck.gl. Tiles
// only from an uploaded PMTiles archive (archive-style.ts), which then takes
// the place of the township's own land, relief, rivers and roads.
import type { MapOptions } from 'maplibre-gl';
import type { BasemapArchive, BasemapPayload, LonLat } from '@/lib/model';
import { ARCHIVE_SOURCE_ID, archiveLayers, archiveSource } from './archive-style';

// maplibre-gl 6 does not re-export the style-spec types; derive them from the Map options.
export type StyleSpecification = Exclude<NonNullable<MapOptions['style']>, string>;
export type LayerSpecification = StyleSpecification['layers'][number];

export const BASEMAP_COLORS = {
  background: '#070b11',
  land: '#111a24',
  outside: '#05080c',
  relief: ['#1b2836', '#25364a', '#31465e', '#3e5773'],
  reliefEdge: '#3d5166',
  boundary: '#7dd3fc',
  boundaryGlow: '#38bdf8',
  river: '#2f7fc1',
  roadCasing: '#06090d',
  road: '#8b95a3',
  street: '#6b7482',
  track: '#5d6573',
  village: '#e2e8f0',
  community: '#fbbf24',
} as const;

type Ring = LonLat[];

/** Twice the signed area (shoelace); positive = counter-clockwise. */
export function ringArea(ring: readonly LonLat[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i]!;
    const q = ring[j]!;
    a += (q[0] - p[0]) * (q[1] + p[1]);
  }
  return -a;
}

function withWinding(ring: Ring, ccw: boolean): Ring {
  return ringArea(ring) > 0 === ccw ? ring : [...ring].reverse();
}

/**
 * A polygon covering the bbox widely, with every outer ring of the township as
 * a hole: it darkens everything outside the township. MapLibre tells holes by
 * winding, so the outer ring is counter-clockwise and the holes clockwise.
 */
export function outsideMask(payload: BasemapPayload): { type: 'Polygon'; coordinates: Ring[] } {
  const [w, s, e, n] = payload.bbox;
  const padX = Math.max(1, (e - w) * 4);
  const padY = Math.max(1, (n - s) * 4);
  const outer: Ring = [
    [w - padX, s - padY],
    [e + padX, s - padY],
    [e + padX, n + padY],
    [w - padX, n + padY],
    [w - padX, s - padY],
  ];
  const holes: Ring[] = [];
  for (const f of payload.boundary.features) {
    for (const polygon of f.geometry.coordinates) {
      const ring = polygon[0];
      if (ring && ring.length >= 4) holes.push(withWinding(ring, false));
    }
  }
  return { type: 'Polygon', coordinates: [withWinding(outer, true), ...holes] };
}

function reliefLevels(payload: BasemapPayload): [min: number, max: number] {
  let min = Infinity;
  let max = -Infinity;
  for (const f of payload.features.features) {
    if (f.properties.kind !== 'relief') continue;
    min = Math.min(min, f.properties.level);
    max = Math.max(max, f.properties.level);
  }
  return Number.isFinite(min) ? [min, max] : [1, 1];
}

/** Fill colour and opacity per relief level: higher ground is lighter and more opaque (light from above on a dark map). */
export function reliefPaint(payload: BasemapPayload): { color: unknown; opacity: unknown; outlineOpacity: unknown } {
  const [min, max] = reliefLevels(payload);
  const level = ['get', 'level'];
  if (min === max) {
    return { color: BASEMAP_COLORS.relief[1], opacity: 0.7, outlineOpacity: 0.5 };
  }
  const stops = BASEMAP_COLORS.relief;
  const colorStops: (number | string)[] = [];
  for (let i = 0; i < stops.length; i++) colorStops.push(min + ((max - min) * i) / (stops.length - 1), stops[i]!);
  return {
    color: ['interpolate', ['linear'], level, ...colorStops],
    opacity: ['interpolate', ['linear'], level, min, 0.6, max, 0.95],
    outlineOpacity: ['interpolate', ['linear'], level, min, 0.25, max, 0.6],
  };
}

const kindIs = (kind: BasemapPayload['features']['features'][number]['properties']['kind']): ['==', ['get', string], string] => [
  '==',
  ['get', 'kind'],
  kind,
];

/** The built-in layers an archive replaces: it draws the ground itself. */
const GROUND_LAYER_IDS: readonly string[] = ['township-land', 'relief', 'relief-edge', 'river', 'tracks', 'roads-casing', 'roads'];

/**
 * The style for the township: its own ground (land, relief, rivers, roads),
 * or — given `archive`, whose `url` is absolute — the archive's tiles in its
 * place; the outside mask, the boundary and the villages on top either way.
 */
export function buildBasemapStyle(payload: BasemapPayload, archive: BasemapArchive | null = null): StyleSpecification {
  const relief = reliefPaint(payload);
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BASEMAP_COLORS.background } },
    { id: 'township-land', type: 'fill', source: 'boundary', paint: { 'fill-color': BASEMAP_COLORS.land } },
    {
      id: 'relief',
      type: 'fill',
      source: 'features',
      filter: kindIs('relief'),
      paint: { 'fill-color': relief.color, 'fill-opacity': relief.opacity, 'fill-antialias': true },
    } as LayerSpecification,
    {
      id: 'relief-edge',
      type: 'line',
      source: 'features',
      filter: kindIs('relief'),
      paint: { 'line-color': BASEMAP_COLORS.reliefEdge, 'line-opacity': relief.outlineOpacity, 'line-width': 0.8 },
    } as LayerSpecification,
    {
      id: 'river',
      type: 'line',
      source: 'features',
      filter: kindIs('river'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': BASEMAP_COLORS.river,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, 1.5, 13, 4, 16, 10],
      },
    },
    {
      id: 'tracks',
      type: 'line',
      source: 'features',
      filter: kindIs('track'),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: {
        'line-color': BASEMAP_COLORS.track,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 1.6],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'roads-casing',
      type: 'line',
      source: 'features',
      filter: kindIs('road'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': BASEMAP_COLORS.roadCasing,
        'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 9, 2.5, 13, 5, 16, 12],
      },
    },
    {
      id: 'roads',
      type: 'line',
      source: 'features',
      filter: kindIs('road'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        // Level 1 is the through road, level 2 the town's streets.
        'line-color': ['match', ['get', 'level'], 1, BASEMAP_COLORS.road, BASEMAP_COLORS.street],
        'line-width': [
          'interpolate',
          ['exponential', 1.5],
          ['zoom'],
          9,
          ['match', ['get', 'level'], 1, 1.3, 0.8],
          13,
          ['match', ['get', 'level'], 1, 3, 2],
          16,
          ['match', ['get', 'level'], 1, 8, 6],
        ],
      },
    },
    { id: 'outside-mask', type: 'fill', source: 'outside', paint: { 'fill-color': BASEMAP_COLORS.outside, 'fill-opacity': 0.72 } },
    {
      id: 'boundary-glow',
      type: 'line',
      source: 'boundary',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': BASEMAP_COLORS.boundaryGlow, 'line-width': 7, 'line-opacity': 0.18, 'line-blur': 4 },
    },
    {
      id: 'boundary',
      type: 'line',
      source: 'boundary',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': BASEMAP_COLORS.boundary, 'line-width': 1.8, 'line-opacity': 0.9 },
    },
    {
      id: 'villages',
      type: 'circle',
      source: 'villages',
      paint: {
        'circle-color': ['match', ['get', 'kind'], 'community', BASEMAP_COLORS.community, BASEMAP_COLORS.village],
        'circle-radius': ['match', ['get', 'kind'], 'community', 5, 3.5],
        'circle-stroke-color': BASEMAP_COLORS.background,
        'circle-stroke-width': 1.5,
      },
    },
  ];

  const sources: StyleSpecification['sources'] = {
    boundary: { type: 'geojson', data: payload.boundary as unknown as GeoJSON.FeatureCollection },
    features: { type: 'geojson', data: payload.features as unknown as GeoJSON.FeatureCollection },
    villages: { type: 'geojson', data: payload.villages as unknown as GeoJSON.FeatureCollection },
    outside: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: outsideMask(payload) } },
  };
  if (!archive) return { version: 8, name: 'GridSight offline', sources, layers };

  const { features: _ground, ...kept } = sources;
  const [background, ...rest] = layers;
  return {
    version: 8,
    name: 'GridSight offline + archive',
    sources: { ...kept, [ARCHIVE_SOURCE_ID]: archiveSource(archive) },
    layers: [background!, ...archiveLayers(archive), ...rest.filter((l) => !GROUND_LAYER_IDS.includes(l.id))],
  };
}
