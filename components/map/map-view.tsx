'use client';
// The map: MapLibre draws the offline basemap, deck.gl (MapboxOverlay, its own
// canvas on top) draws everything that moves or is dense. Client-only: loaded
// through next/dynamic with ssr: false.
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import { Map as MaplibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import {
  type Alert,
  type BasemapPayload,
  type GridFeatureProps,
  type IncidentView,
  type KeyLocation,
  type LonLat,
  type UnitState,
  NEW_INCIDENT_MS,
} from '@/lib/model';
import { isNewIncident } from '@/lib/live/live-store';
import { alertTeamName, localName, translate } from '@/lib/i18n/messages';
import { buildBasemapStyle } from './basemap-style';
import { buildMapLayers, type MapLayersInput } from './build-layers';
import { ALERTS_LAYER_ID, isPlacedAlert } from './layers/alert-layer';
import { GRIDS_LAYER_ID } from './layers/grid-layer';
import { INCIDENTS_LAYER_ID } from './layers/incident-layer';
import { KEY_LOCATIONS_LAYER_ID } from './layers/key-location-layer';
import { UNITS_LAYER_ID } from './layers/unit-layer';
import { selectionFromPick, type Selection } from './selection';

// maplibre-gl 6 starts its worker from a URL next to its own module, which a
// bundler moves; point it at the asset the bundler emits for the worker file.
setWorkerUrl(new URL('maplibre-gl/dist/maplibre-gl-worker.mjs', import.meta.url).href);

/** How fast new incidents and alerts breathe. */
const PULSE_PERIOD_MS = 1600;
/** The pulse is drawn at most this often (it only moves a few circles). */
const PULSE_FRAME_MS = 40;
const FIT_PADDING = 36;
/** deck.gl writes its default tooltip look inline; override it here, in the app's colours. */
const TOOLTIP_STYLE: Partial<CSSStyleDeclaration> = {
  background: 'rgba(12, 19, 28, 0.96)',
  color: '#e6edf5',
  border: '1px solid #2a3a4d',
  borderRadius: '6px',
  padding: '6px 9px',
  fontSize: '12.5px',
  lineHeight: '1.45',
  fontFamily: 'inherit',
  boxShadow: '0 8px 20px rgba(0, 0, 0, 0.45)',
};
const NOT_READY = { dataReady: false, layersSet: false, renderedWithData: false, styleLoaded: false, reported: false };

export interface MapHandles {
  map: MaplibreMap;
  overlay: MapboxOverlay;
  /** The layers most recently handed to deck.gl. */
  layers(): readonly Layer[];
}

export interface MapViewProps extends Omit<MapLayersInput, 'phase' | 'zoom' | 'basemap'> {
  basemap: BasemapPayload;
  /** basemap, grids, units and incidents are all loaded. */
  dataReady: boolean;
  onSelect(selection: Selection | null): void;
  /** Pick mode (a report looking for its place): a click gives a point instead of selecting. */
  picking?: boolean;
  /** A click in pick mode: where, and the key location under the pointer if there was one. */
  onPickPoint?(position: LonLat, keyLocation: KeyLocation | null): void;
  /** The map and overlay exist (or are gone: null). */
  onHandles(handles: MapHandles | null): void;
  /** deck.gl rendered once with all data and the basemap style is loaded. */
  onRendered(): void;
}

type TooltipInput = Pick<MapViewProps, 'lang'>;

function tooltipFor(info: PickingInfo, { lang }: TooltipInput): string | null {
  const o = info.object as unknown;
  if (!o) return null;
  switch (info.layer?.id) {
    case GRIDS_LAYER_ID: {
      const p = (o as { properties: GridFeatureProps }).properties;
      return `${p.code} · ${localName(p, lang)}`;
    }
    case KEY_LOCATIONS_LAYER_ID: {
      const k = o as KeyLocation;
      return `${localName(k, lang)}\n${translate(lang, `keyLocation.${k.category}`)}`;
    }
    case UNITS_LAYER_ID: {
      const u = o as UnitState;
      return `${localName(u, lang)}\n${translate(lang, `force.${u.forceType}`)} · ${translate(lang, `unitStatus.${u.status}`)}`;
    }
    case INCIDENTS_LAYER_ID: {
      const i = o as IncidentView;
      return `${i.title}\n${translate(lang, `category.${i.category}`)} · ${translate(lang, `severity.${i.severity}`)}`;
    }
    case ALERTS_LAYER_ID: {
      const a = o as Alert;
      return `${translate(lang, `alertKind.${a.kind}`)}\n${alertTeamName(a, lang) ?? translate(lang, 'sos.unknownTeam')}`;
    }
    default:
      return null;
  }
}

export default function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const layersRef = useRef<readonly Layer[]>([]);
  const inputRef = useRef<Omit<MapLayersInput, 'phase'> | null>(null);
  const callbacksRef = useRef({
    onSelect: props.onSelect,
    onRendered: props.onRendered,
    lang: props.lang,
    picking: props.picking ?? false,
    onPickPoint: props.onPickPoint,
  });
  const readyRef = useRef({ ...NOT_READY });
  const [zoom, setZoom] = useState(0);

  const { basemap, onHandles } = props;

  // Create the map once the basemap is known; a later basemap only swaps the style.
  useEffect(() => {
    const existing = mapRef.current;
    if (existing) {
      existing.setStyle(buildBasemapStyle(basemap));
      return;
    }
    const container = containerRef.current;
    if (!container) return;
    const [west, south, east, north] = basemap.bbox;
    const reportIfReady = () => {
      const r = readyRef.current;
      if (!r.reported && r.renderedWithData && r.styleLoaded) {
        r.reported = true;
        callbacksRef.current.onRendered();
      }
    };
    const map = new MaplibreMap({
      container,
      style: buildBasemapStyle(basemap),
      bounds: [west, south, east, north],
      fitBoundsOptions: { padding: FIT_PADDING },
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
    map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      onClick: (info) => {
        const cb = callbacksRef.current;
        if (cb.picking) {
          const key = info.layer?.id === KEY_LOCATIONS_LAYER_ID ? (info.object as KeyLocation) : null;
          const at = key?.position ?? (info.coordinate ? ([info.coordinate[0]!, info.coordinate[1]!] as LonLat) : null);
          if (at) cb.onPickPoint?.(at, key);
          return;
        }
        cb.onSelect(selectionFromPick(info.layer?.id, info.object));
      },
      getCursor: ({ isDragging, isHovering }) =>
        isDragging ? 'grabbing' : callbacksRef.current.picking ? 'crosshair' : isHovering ? 'pointer' : 'grab',
      getTooltip: (info) => {
        const text = tooltipFor(info, callbacksRef.current);
        return text === null ? null : { text, className: 'map-tooltip', style: TOOLTIP_STYLE };
      },
      onAfterRender: () => {
        const r = readyRef.current;
        if (r.dataReady && r.layersSet) r.renderedWithData = true;
        reportIfReady();
      },
    });
    map.addControl(overlay);

    map.once('load', () => {
      readyRef.current.styleLoaded = true;
      setZoom(map.getZoom());
      reportIfReady();
    });
    map.on('zoomend', () => setZoom(map.getZoom()));
    map.on('error', (e) => console.error('[map]', e.error));

    mapRef.current = map;
    overlayRef.current = overlay;
    onHandles({ map, overlay, layers: () => layersRef.current });
  }, [basemap, onHandles]);

  // Tear down on unmount only.
  useEffect(
    () => () => {
      const map = mapRef.current;
      const overlay = overlayRef.current;
      mapRef.current = null;
      overlayRef.current = null;
      if (overlay && map) map.removeControl(overlay);
      overlay?.finalize();
      map?.remove();
      readyRef.current = { ...NOT_READY };
      onHandles(null);
    },
    [onHandles],
  );

  // Push layers to deck.gl on every render; deck.gl diffs them by id.
  const {
    grids,
    keyLocations,
    units,
    incidents,
    alerts,
    openByGrid,
    gridShading,
    draftPosition,
    heatmap,
    visibility,
    selection,
    lang,
    now,
    dataReady,
    onSelect,
    onRendered,
    picking,
    onPickPoint,
  } = props;
  useEffect(() => {
    callbacksRef.current = { onSelect, onRendered, lang, picking: picking ?? false, onPickPoint };
    const input: Omit<MapLayersInput, 'phase'> = {
      basemap,
      grids,
      keyLocations,
      units,
      incidents,
      alerts,
      openByGrid,
      gridShading,
      draftPosition,
      heatmap,
      visibility,
      selection,
      lang,
      zoom,
      now,
    };
    inputRef.current = input;
    const overlay = overlayRef.current;
    if (!overlay) return;
    const layers = buildMapLayers({ ...input, phase: pulsePhase() });
    layersRef.current = layers;
    overlay.setProps({ layers });
    readyRef.current.layersSet = true;
    readyRef.current.dataReady = dataReady;
  });

  // New incidents and open alerts pulse: redraw a few times a second while any is on the map.
  const anyPulse =
    (props.visibility.incidents && incidents.some((i) => isNewIncident(i, now, NEW_INCIDENT_MS))) || alerts.some(isPlacedAlert);
  useEffect(() => {
    if (!anyPulse) return;
    let frame = 0;
    let last = 0;
    const loop = (t: number) => {
      frame = requestAnimationFrame(loop);
      if (t - last < PULSE_FRAME_MS) return;
      last = t;
      const overlay = overlayRef.current;
      const input = inputRef.current;
      if (!overlay || !input) return;
      const layers = buildMapLayers({ ...input, phase: pulsePhase() });
      layersRef.current = layers;
      overlay.setProps({ layers });
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [anyPulse]);

  return (
    <div
      ref={containerRef}
      className={`map-canvas ${picking ? 'map-canvas--picking' : ''}`}
      data-testid="map"
      data-picking={picking ? 'true' : undefined}
      aria-label={translate(lang, 'map.label')}
      role="region"
    />
  );
}

function pulsePhase(): number {
  return (performance.now() % PULSE_PERIOD_MS) / PULSE_PERIOD_MS;
}
