'use client';
// A small map of a previewed file: the township as stored (our offline style,
// built from /api/basemap — nothing from the internet; on an empty install
// the features are drawn alone), the file's features over it, red where an
// error is about them and amber for a warning, and a ring at each gap between
// grid cells. MapLibre only: no labels, so no glyphs are needed. Client-only
// (loaded with next/dynamic, ssr: false).
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import { Map as MaplibreMap, NavigationControl, setWorkerUrl, type LngLatBoundsLike } from 'maplibre-gl';
import type { BasemapPayload } from '@/lib/model';
import { BASEMAP_COLORS, buildBasemapStyle, type LayerSpecification, type StyleSpecification } from '@/components/map/basemap-style';
import { ApiError, fetcher } from '@/lib/hooks/fetcher';
import type { PreviewMapData } from './preview-map-data';

// As in components/map/map-view.tsx: the bundler moves MapLibre's worker, so point it at the emitted asset.
setWorkerUrl(new URL('maplibre-gl/dist/maplibre-gl-worker.mjs', import.meta.url).href);

export const PREVIEW_COLORS = { ok: '#38bdf8', warning: '#f59e0b', error: '#ef4444', gap: '#f472b6' } as const;

const PREVIEW_SOURCE = 'import-preview';
const GAPS_SOURCE = 'import-gaps';
/** The preview's own layers, the ones counted as drawn. */
export const PREVIEW_LAYER_IDS = ['import-preview-fill', 'import-preview-line', 'import-preview-point'] as const;
const FIT_PADDING = 24;
/** A single point (one key location) is not zoomed in to the street. */
const FIT_MAX_ZOOM = 15;

const EMPTY_STYLE: StyleSpecification = {
  version: 8,
  name: 'GridSight import preview',
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': BASEMAP_COLORS.background } }],
};

const STATUS_COLOR = ['match', ['get', 'status'], 'error', PREVIEW_COLORS.error, 'warning', PREVIEW_COLORS.warning, PREVIEW_COLORS.ok];
const isType = (...types: string[]) => ['in', ['geometry-type'], ['literal', types]];

const PREVIEW_LAYERS = [
  {
    id: 'import-preview-fill',
    type: 'fill',
    source: PREVIEW_SOURCE,
    filter: isType('Polygon', 'MultiPolygon'),
    paint: { 'fill-color': STATUS_COLOR, 'fill-opacity': ['match', ['get', 'status'], 'ok', 0.12, 0.35] },
  },
  {
    id: 'import-preview-line',
    type: 'line',
    source: PREVIEW_SOURCE,
    filter: isType('Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'),
    paint: { 'line-color': STATUS_COLOR, 'line-width': ['match', ['get', 'status'], 'ok', 1.2, 2.5] },
  },
  {
    id: 'import-preview-point',
    type: 'circle',
    source: PREVIEW_SOURCE,
    filter: isType('Point', 'MultiPoint'),
    paint: { 'circle-color': STATUS_COLOR, 'circle-radius': 5, 'circle-stroke-color': BASEMAP_COLORS.background, 'circle-stroke-width': 1.5 },
  },
  {
    id: 'import-gaps',
    type: 'circle',
    source: GAPS_SOURCE,
    paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': PREVIEW_COLORS.gap, 'circle-stroke-width': 2.5 },
  },
] as unknown as LayerSpecification[];

export interface ImportPreviewMapProps {
  data: PreviewMapData;
  label: string;
}

/** The stored township, null when there is none (an empty install answers 404) or it cannot be had: the features are drawn alone. */
async function fetchTownship(): Promise<BasemapPayload | null> {
  try {
    return await fetcher<BasemapPayload>('/api/basemap');
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) console.warn('[import preview map] drawing without the township:', err);
    return null;
  }
}

export default function ImportPreviewMap({ data, label }: ImportPreviewMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  /** Features the map has drawn on screen (distinct indexes), once it is idle; null before. */
  const [drawn, setDrawn] = useState<number | null>(null);
  /** undefined until /api/basemap has answered: the map is made once, with the township under it when there is one. */
  const [township, setTownship] = useState<BasemapPayload | null | undefined>(undefined);
  const dataRef = useRef(data);

  useEffect(() => {
    let mounted = true;
    void fetchTownship().then((t) => mounted && setTownship(t));
    return () => {
      mounted = false;
    };
  }, []);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || township === undefined) return;
    const shown = dataRef.current;
    const style = township ? buildBasemapStyle(township) : EMPTY_STYLE;
    const bounds: LngLatBoundsLike | undefined = shown.bbox ?? township?.bbox;
    const map = new MaplibreMap({
      container,
      style: {
        ...style,
        sources: {
          ...style.sources,
          [PREVIEW_SOURCE]: { type: 'geojson', data: shown.features as unknown as GeoJSON.FeatureCollection },
          [GAPS_SOURCE]: { type: 'geojson', data: shown.gaps as unknown as GeoJSON.FeatureCollection },
        },
        layers: [...style.layers, ...PREVIEW_LAYERS],
      },
      ...(bounds ? { bounds, fitBoundsOptions: { padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM } } : { center: [0, 0], zoom: 1 }),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      maxPitch: 0,
      renderWorldCopies: false,
      fadeDuration: 0,
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.on('error', (e) => console.error('[import preview map]', e.error));
    // What is on screen, for the page's tests and as a check that the file was drawn at all.
    map.on('idle', () => {
      const rendered = map.queryRenderedFeatures({ layers: [...PREVIEW_LAYER_IDS] });
      setDrawn(new Set(rendered.map((f) => (f.properties as { index?: number }).index)).size);
    });
    return () => map.remove();
  }, [township]);

  return (
    <div
      ref={containerRef}
      className="import-preview-map"
      data-testid="import-preview-map"
      data-features={data.features.features.length}
      data-flagged={data.flagged}
      data-gaps={data.gaps.features.length}
      data-drawn={drawn ?? ''}
      role="region"
      aria-label={label}
    />
  );
}
