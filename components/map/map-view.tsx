'use client';
// The map: MapLibre draws the offline basemap, deck.gl (MapboxOverlay, its own
// canvas on top; on the wall two, deck-split.ts) draws everything that moves or is dense. Client-only: loaded
// through next/dynamic with ssr: false.
//
// It draws on demand: MapLibre repaints only when the camera or style changes,
// and deck.gl only when it is handed a new layer list — which happens when an
// input changed, or a few times a second while something pulses (the loop
// stops when nothing does). The wall's layers see time in 10 s steps.
//
// A lost WebGL context (GPU reset, driver hiccup) is not waited out: the map
// and its overlay are thrown away and made again in the same container, at the
// same camera (data-map-generation counts them).
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { clearPrewarmedResources, Map as MaplibreMap, NavigationControl, ScaleControl, prewarm, setWorkerUrl } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { DeckProps, Layer, PickingInfo } from '@deck.gl/core';
import {
  type Alert,
  type BasemapArchive,
  type BasemapPayload,
  type GridFeatureProps,
  type IncidentView,
  type KeyLocation,
  type LonLat,
  type UnitState,
} from '@/lib/model';
import { alertTeamName, localName, translate } from '@/lib/i18n/messages';
import { useReducedMotion } from '@/lib/hooks/use-reduced-motion';
import type { HeatmapBox } from '@/lib/model/heatmap-viewport';
import { WALL_CUT_FADE } from '@/lib/live/wall-rotation';
import { ARCHIVE_SOURCE_ID } from './archive-style';
import { buildBasemapStyle } from './basemap-style';
import { buildMapLayers, placeMapLabels, type MapLayersInput } from './build-layers';
import { createDeckIdler, drawAfterFrames, deferViewUpdates, type DeckIdler } from './deck-idle';
import { baseAnimates, sameBaseInput, splitLayers, wallCanvasAttributes } from './deck-split';
import { archiveAnswers, openArchive } from './pmtiles-protocol';
import { ALERTS_LAYER_ID } from './layers/alert-layer';
import { GRIDS_LAYER_ID } from './layers/grid-layer';
import { INCIDENTS_LAYER_ID } from './layers/incident-layer';
import { KEY_LOCATIONS_LAYER_ID } from './layers/key-location-layer';
import { UNITS_LAYER_ID } from './layers/unit-layer';
import { isAnimating, layerTime, motionState, nextMotionChange, type MapVariant, type MotionState } from './motion';
import { selectedId, selectionFromPick, type Selection } from './selection';
import { UnitDotBuffers } from './layers/unit-dots';
import { offlineTeams } from './layers/unit-layer';
import { mapLabelInput, WallLabelPlacer } from './wall-labels';
import { nextHeldTime, type HeldTime } from './wall-time';

// maplibre-gl 6 starts its worker from a URL next to its own module, which a
// bundler moves; point it at the asset the bundler emits for the worker file.
setWorkerUrl(new URL('maplibre-gl/dist/maplibre-gl-worker.mjs', import.meta.url).href);

/** How fast new incidents and alerts breathe. */
const PULSE_PERIOD_MS = 1600;
/** The pulse is drawn at most this often (it only moves a few circles). */
const PULSE_FRAME_MS = 40;
const FIT_PADDING = 36;
/** The wall keeps more room at the edges: settlement names sit above their points. */
const WALL_FIT_PADDING = 72;
/** A camera change eases this long (a jump under prefers-reduced-motion; the wall cuts). */
const CAMERA_EASE_MS = 1500;
/** After a lost WebGL context, wait this long before making the map again (a GPU reset takes a moment). */
const REMOUNT_DELAY_MS = 500;
/** If making the map fails (no WebGL yet), try again after this long. */
const REMOUNT_RETRY_MS = 2000;
/** The scale bar's longest length on the desk, CSS pixels. */
const SCALE_BAR_MAX_PX = 120;
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
/** deck.gl's luma.gl device (not a dependency of ours by name). */
type DeckDevice = Parameters<NonNullable<DeckProps['onDeviceInitialized']>>[0];
const NOT_READY = { dataReady: false, layersSet: false, renderedWithData: false, styleLoaded: false, reported: false };

export interface MapHandles {
  map: MaplibreMap;
  /** The overlay with the units and alerts (on the wall the top one of two). */
  overlay: MapboxOverlay;
  /** Every deck.gl overlay, bottom first (the wall's base and live canvases; the desk's one). */
  overlays: readonly MapboxOverlay[];
  /** The layers most recently handed to deck.gl. */
  layers(): readonly Layer[];
}

/** Where the map should look; a new `key` moves it there (eased, or a jump under prefers-reduced-motion). */
export type MapCamera =
  | { key: string; kind: 'bounds'; bbox: [west: number, south: number, east: number, north: number] }
  | { key: string; kind: 'point'; center: LonLat; zoom: number };

export interface MapViewProps
  extends Omit<MapLayersInput, 'phase' | 'zoom' | 'basemap' | 'variant' | 'labelScale' | 'dimLive' | 'motion' | 'labels'> {
  basemap: BasemapPayload;
  /** 'desk' (default): today's map. 'wall': no controls or tooltips, big labels, unit ages, pulses that expire. */
  variant?: MapVariant;
  /** Multiplies every text size (the wall passes viewport height / 1080). Default 1. */
  labelScale?: number;
  /** Where to look; the map moves when its key changes. */
  camera?: MapCamera | null;
  /** Units, incidents and alerts drawn faded (the connection is lost). */
  dimLive?: boolean;
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
  /** The zoom once the style loaded and after each zoom ends (the heatmap picks its bin size from it). */
  onZoom?(zoom: number): void;
  /** The zoom and the box on screen once the style loaded and after each move ends (the heatmap's viewport). */
  onViewport?(view: { zoom: number; bounds: HeatmapBox }): void;
  /** Layers drawn above the map's own (the replay's trails); compared by identity, so memoize them. */
  extraLayers?: readonly Layer[];
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

/** The inputs whose change means new layers; compared field by field, so a render that changed none draws nothing. */
type PushedInput = Omit<MapLayersInput, 'phase'> & { dataReady: boolean; overlay: MapboxOverlay; extraLayers: readonly Layer[] | undefined };

function sameInput(a: PushedInput | null, b: PushedInput): boolean {
  if (!a) return false;
  for (const k of Object.keys(b) as (keyof PushedInput)[]) if (a[k] !== b[k]) return false;
  return true;
}

const NO_UNITS: readonly UnitState[] = [];

/** The camera's zoom and the box on screen, west, south, east, north (clamped to the globe: a world view wraps). */
function viewOf(map: MaplibreMap): { zoom: number; bounds: HeatmapBox } {
  const b = map.getBounds();
  return {
    zoom: map.getZoom(),
    bounds: [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())],
  };
}

export default function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const layersRef = useRef<readonly Layer[]>([]);
  const inputRef = useRef<PushedInput | null>(null);
  /**
   * Hands the current deck.gl overlays their layers and wakes them (the wall's loops may be asleep); the wall's
   * base only when `withBase`.
   */
  const setLayersRef = useRef<(layers: readonly Layer[], withBase: boolean) => void>(() => {});
  const callbacksRef = useRef({
    onSelect: props.onSelect,
    onRendered: props.onRendered,
    onHandles: props.onHandles,
    lang: props.lang,
    picking: props.picking ?? false,
    onPickPoint: props.onPickPoint,
  });
  const readyRef = useRef({ ...NOT_READY });
  const [zoom, setZoom] = useState(0);
  const { onZoom } = props;
  useEffect(() => {
    if (zoom > 0) onZoom?.(zoom);
  }, [zoom, onZoom]);
  const [view, setView] = useState<{ zoom: number; bounds: HeatmapBox } | null>(null);
  const { onViewport } = props;
  useEffect(() => {
    if (view) onViewport?.(view);
  }, [view, onViewport]);
  /** 1 for the first map, +1 each time the pair (MapLibre and deck.gl) is made again after a lost context. */
  const [generation, setGeneration] = useState(1);
  /** Counts the wall camera's stops: a render to hand over layers held while it moved. */
  const [, setCameraStops] = useState(0);
  /** How many times deck.gl alone was made again (its context lost, MapLibre's fine). */
  const [deckRemounts, setDeckRemounts] = useState(0);
  /** The basemap the next map is made with, and the one the current map shows (with the archive drawn, if any). */
  const basemapRef = useRef(props.basemap);
  const archiveRef = useRef<BasemapArchive | null>(null);
  const shownStyleRef = useRef<{ basemap: BasemapPayload; archive: BasemapArchive | null } | null>(null);
  /**
   * The uploaded archive once its header was read (url made absolute for the protocol), keyed by the URL
   * /api/basemap gave; or 'failed' for that URL: the built-in style stays.
   */
  const [archiveState, setArchiveState] = useState<{ forUrl: string; archive: BasemapArchive | 'failed' } | null>(null);
  /** The camera of a map thrown away (lost context): the next one starts there. */
  const savedViewRef = useRef<{ center: LonLat; zoom: number } | null>(null);
  const cameraKeyRef = useRef<string | null>(null);
  const reducedMotion = useReducedMotion();
  const variant: MapVariant = props.variant ?? 'desk';
  const wall = variant === 'wall';
  /** The variant the map is made with (controls, tooltips): fixed for the map's life. */
  const variantRef = useRef(variant);
  /** The label scale the next map's scale bar is sized with (the wall's type is larger: so is its bar). */
  const labelScaleRef = useRef(props.labelScale ?? 1);

  const { basemap, onHandles } = props;
  const offered = basemap.pmtiles;
  const archive = offered && archiveState?.forUrl === offered.url && archiveState.archive !== 'failed' ? archiveState.archive : null;

  const labelScale = props.labelScale ?? 1;
  useEffect(() => {
    labelScaleRef.current = labelScale;
  }, [labelScale]);

  // An uploaded archive is drawn once its header reads; until then, or if it cannot be read, the built-in style.
  useEffect(() => {
    if (!offered) return;
    let current = true;
    const absolute: BasemapArchive = { ...offered, url: new URL(offered.url, window.location.origin).href };
    openArchive(absolute.url).then(
      () => current && setArchiveState({ forUrl: offered.url, archive: absolute }),
      (error: unknown) => {
        console.error('[map] the basemap archive cannot be read; keeping the built-in style', error);
        if (current) setArchiveState({ forUrl: offered.url, archive: 'failed' });
      },
    );
    return () => {
      current = false;
    };
  }, [offered]);

  // A new basemap (or archive) swaps the style of the map that exists, and is what the next map is made with.
  useEffect(() => {
    basemapRef.current = basemap;
    archiveRef.current = archive;
    const map = mapRef.current;
    const shown = shownStyleRef.current;
    if (map && (shown?.basemap !== basemap || shown.archive !== archive)) {
      shownStyleRef.current = { basemap, archive };
      map.setStyle(buildBasemapStyle(basemap, archive));
    }
  }, [basemap, archive]);

  // Make the map (once per generation) and tear it down; a lost context schedules the next generation.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const shown = basemapRef.current;
    const shownArchive = archiveRef.current;
    const onWall = variantRef.current === 'wall';
    readyRef.current = { ...NOT_READY };
    const reportIfReady = () => {
      const r = readyRef.current;
      if (!r.reported && r.renderedWithData && r.styleLoaded) {
        r.reported = true;
        callbacksRef.current.onRendered();
      }
    };
    const [west, south, east, north] = shown.bbox;
    const saved = savedViewRef.current;
    let map: MaplibreMap;
    try {
      map = new MaplibreMap({
        container,
        style: buildBasemapStyle(shown, shownArchive),
        ...(saved
          ? { center: saved.center, zoom: saved.zoom }
          : { bounds: [west, south, east, north], fitBoundsOptions: { padding: onWall ? WALL_FIT_PADDING : FIT_PADDING } }),
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxPitch: 0,
        renderWorldCopies: false,
        fadeDuration: 0,
      });
    } catch (error) {
      // No WebGL context to be had right now (the GPU is still resetting): try again shortly.
      console.error('[map] could not create the map; retrying', error);
      const retry = setTimeout(() => setGeneration((g) => g + 1), REMOUNT_RETRY_MS);
      return () => clearTimeout(retry);
    }
    shownStyleRef.current = { basemap: shown, archive: shownArchive };
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    // The wall has no one to press buttons: no zoom control.
    if (!onWall) map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    // The bar's longest length in CSS pixels: on the wall it grows with the type, so "1 km" in wall-sized text fits on it.
    map.addControl(new ScaleControl({ unit: 'metric', maxWidth: Math.round(SCALE_BAR_MAX_PX * (onWall ? labelScaleRef.current : 1)) }), 'bottom-left');

    // deck.gl's half: made with the map, and made again alone when only its context is lost. On the wall two
    // overlays, the base under what a batch of fixes changes (deck-split.ts); on the desk one.
    const makeOverlay = (onDrawn: () => void, webgl?: WebGLContextAttributes) => {
      let device: DeckDevice | null = null;
      // The wall's deck.gl loop sleeps while there is nothing to draw (deck-idle.ts); the desk's runs as it always has.
      let idler: DeckIdler | null = null;
      const overlay = new MapboxOverlay({
        interleaved: false,
        layers: [],
        ...(webgl ? { deviceProps: { webgl } } : {}),
        onDeviceInitialized: (d: DeckDevice) => {
          device = d;
        },
        ...(onWall
          ? // Nothing to hover or click on a wall: no tooltips, no pointer cursor (and no hover picking).
            { getCursor: () => 'default' }
          : {
              onClick: (info: PickingInfo) => {
                const cb = callbacksRef.current;
                if (cb.picking) {
                  const key = info.layer?.id === KEY_LOCATIONS_LAYER_ID ? (info.object as KeyLocation) : null;
                  const at = key?.position ?? (info.coordinate ? ([info.coordinate[0]!, info.coordinate[1]!] as LonLat) : null);
                  if (at) cb.onPickPoint?.(at, key);
                  return;
                }
                cb.onSelect(selectionFromPick(info.layer?.id, info.object));
              },
              getCursor: ({ isDragging, isHovering }: { isDragging: boolean; isHovering: boolean }) =>
                isDragging ? 'grabbing' : callbacksRef.current.picking ? 'crosshair' : isHovering ? 'pointer' : 'grab',
              getTooltip: (info: PickingInfo) => {
                const text = tooltipFor(info, callbacksRef.current);
                return text === null ? null : { text, className: 'map-tooltip', style: TOOLTIP_STYLE };
              },
            }),
        onAfterRender: () => {
          idler?.rendered();
          onDrawn();
        },
      });
      map.addControl(overlay);
      let undeferViews: (() => void) | null = null;
      if (onWall) {
        idler = createDeckIdler(overlay);
        undeferViews = deferViewUpdates(map, overlay);
        drawAfterFrames(overlay);
      }
      const drop = () => {
        idler?.dispose();
        undeferViews?.();
        const canvas = overlay.getCanvas();
        map.removeControl(overlay);
        overlay.finalize();
        // deck.gl 9.4 keeps its luma.gl device for reuse and never destroys it: the device's canvas observers
        // (a devicePixelRatio media query, resize and intersection observers) would keep the whole old Deck,
        // its layers and their data alive — measured: one more Deck and MapLibre Map alive per remount. Stop
        // them, and give the context back now rather than at garbage collection (as MapLibre's remove does).
        device?.canvasContext?.destroy();
        canvas?.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
      };
      const setLayers = (layers: readonly Layer[]) => {
        overlay.setProps({ layers: [...layers] });
        idler?.wake();
      };
      return { overlay, drop, setLayers, wake: () => idler?.wake() };
    };
    const makeDeck = () => {
      // The first full frame (onRendered) waits for every overlay to have drawn with all data.
      const drawn = new Set<number>();
      const count = onWall ? 2 : 1;
      const parts = Array.from({ length: count }, (_, i) =>
        makeOverlay(
          () => {
            const r = readyRef.current;
            if (r.dataReady && r.layersSet) drawn.add(i);
            if (drawn.size === count) r.renderedWithData = true;
            reportIfReady();
          },
          onWall ? wallCanvasAttributes(i === count - 1 ? 'live' : 'base') : undefined,
        ),
      );
      const [base, live] = parts.length === 2 ? [parts[0]!, parts[1]!] : [null, parts[0]!];
      let dropped = false;
      return {
        /** The top overlay: the units, the alerts (the one the page's hooks and picking see). */
        overlay: live.overlay,
        overlays: parts.map((p) => p.overlay),
        canvases: () => parts.map((p) => p.overlay.getCanvas()),
        /** Hands over the whole list; the wall's base only when `withBase` (something it draws changed). */
        setLayers(layers: readonly Layer[], withBase: boolean) {
          if (!base) return live.setLayers(layers);
          const split = splitLayers(layers);
          live.setLayers(split.live);
          if (withBase) base.setLayers(split.base);
        },
        wake: () => parts.forEach((p) => p.wake()),
        drop() {
          if (dropped) return;
          dropped = true;
          parts.forEach((p) => p.drop());
        },
      };
    };
    let deck = makeDeck();
    setLayersRef.current = (layers, withBase) => deck.setLayers(layers, withBase);
    // While MapLibre draws (the camera moving, tiles loading), the overlay redraws deck.gl from its frame
    // (MapboxOverlay's render handler; on the wall in the task right after it, deferViewUpdates): its loop
    // need not run too. It is woken when the camera stops, for the layer updates a new viewport asks for (the
    // heatmap's re-aggregation), and when the canvas is resized.
    map.on('moveend', () => deck.wake());
    map.on('resize', () => deck.wake());

    map.once('load', () => {
      readyRef.current.styleLoaded = true;
      setZoom(map.getZoom());
      setView(viewOf(map));
      reportIfReady();
    });
    map.on('zoomend', () => setZoom(map.getZoom()));
    map.on('moveend', () => setView(viewOf(map)));
    // The wall holds new layers while its camera eases (below): a render when it stops hands over the latest.
    if (onWall) map.on('moveend', () => setCameraStops((n) => n + 1));
    const handles = (): MapHandles => ({ map, overlay: deck.overlay, overlays: deck.overlays, layers: () => layersRef.current });
    // A tile of the archive failed: if the archive itself no longer answers (removed, its file lost), back to
    // the built-in style. One tile alone is not enough: a sparse archive has holes.
    let rechecking = false;
    const recheckArchive = async (failed: BasemapArchive) => {
      if (rechecking) return;
      rechecking = true;
      const answers = await archiveAnswers(failed.url).catch(() => false);
      rechecking = false;
      if (answers || archiveRef.current !== failed) return;
      console.error('[map] the basemap archive no longer answers; back to the built-in style');
      setArchiveState((state) => (state?.archive === failed ? { ...state, archive: 'failed' } : state));
    };
    map.on('error', (e) => {
      console.error('[map]', e.error);
      const failed = (e as { sourceId?: string }).sourceId === ARCHIVE_SOURCE_ID ? archiveRef.current : null;
      if (failed) void recheckArchive(failed);
    });

    // Tear the pair down (once): on a lost MapLibre context at once, otherwise when the effect is cleaned up.
    let removed = false;
    let remount: ReturnType<typeof setTimeout> | null = null;
    const teardown = () => {
      if (removed) return;
      removed = true;
      if (remount !== null) clearTimeout(remount);
      const c = map.getCenter();
      savedViewRef.current = { center: [c.lng, c.lat], zoom: map.getZoom() };
      mapRef.current = null;
      overlayRef.current = null;
      inputRef.current = null;
      readyRef.current = { ...NOT_READY };
      try {
        deck.drop();
        map.remove();
      } catch (error) {
        // A map whose context is gone may fail on its way out; the next one must still be made.
        console.error('[map] tearing down the old map failed', error);
      }
      callbacksRef.current.onHandles(null);
    };

    // A canvas losing its context: the page is told at once (not ready). Only deck.gl's lost, and MapLibre's
    // fine: deck.gl alone is made again and MapLibre keeps its style and shaders (in software WebGL, compiling
    // shaders is most of the cost: deck.gl alone came back in 8–12 s where the pair took 14–20 s, loaded machine).
    // Otherwise (MapLibre's, or both: a GPU reset) the pair is thrown away and a fresh one made in the same
    // container at the same camera. Caught in the capture phase on the container, before the canvases' own
    // handlers, and stopped there: MapLibre's would snapshot the whole style (the basemap's GeoJSON with it)
    // to restore a context that is never coming back — main-thread work the new map would wait for.
    const onContextLost = (event: Event) => {
      event.stopPropagation();
      // Also what keeps a teardown's own loseContext (MapLibre's remove, deck's drop) from scheduling more.
      if (removed || remount !== null) return;
      const mapLost = map.getCanvas().getContext('webgl2')?.isContextLost() ?? true;
      if (deck.canvases().includes(event.target as HTMLCanvasElement) && !mapLost) {
        console.warn(`[map] deck.gl's WebGL context lost (map ${generation}); making deck.gl again`);
        overlayRef.current = null;
        inputRef.current = null;
        readyRef.current = { ...NOT_READY, styleLoaded: readyRef.current.styleLoaded };
        callbacksRef.current.onHandles(null);
        try {
          deck.drop();
        } catch (error) {
          console.error('[map] dropping the lost deck.gl overlay failed', error);
        }
        remount = setTimeout(() => {
          remount = null;
          try {
            deck = makeDeck();
          } catch (error) {
            console.error('[map] could not make deck.gl again; making the map again', error);
            teardown();
            setGeneration((g) => g + 1);
            return;
          }
          overlayRef.current = deck.overlay;
          callbacksRef.current.onHandles(handles());
          // A render: the new overlay gets its layers, and the container its new generation.
          setDeckRemounts((n) => n + 1);
        }, REMOUNT_DELAY_MS);
        return;
      }
      console.warn(`[map] WebGL context lost (map ${generation}); making the map again`);
      teardown();
      remount = setTimeout(() => setGeneration((g) => g + 1), REMOUNT_DELAY_MS);
    };
    container.addEventListener('webglcontextlost', onContextLost, true);

    mapRef.current = map;
    overlayRef.current = deck.overlay;
    callbacksRef.current.onHandles(handles());

    return () => {
      container.removeEventListener('webglcontextlost', onContextLost, true);
      if (remount !== null) clearTimeout(remount);
      teardown();
    };
  }, [generation]);

  // Keep MapLibre's worker alive between maps: without this, removing the lost map ends the worker and the
  // next map waits for a new one to start and load its script. Declared after the map's effect, so on unmount
  // the map is removed before the worker is let go.
  useEffect(() => {
    prewarm();
    return () => clearPrewarmedResources();
  }, []);

  // Pulses: which rings pulse or stand still. On the wall a pulse stops WALL_PULSE_MS after its start even
  // between ticks of the page's clock: a timer moves the motion clock to that instant.
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
    camera,
    extraLayers,
  } = props;
  const dimLive = props.dimLive ?? false;
  const [motionClock, setMotionClock] = useState(0);
  const motionNow = Math.max(now, motionClock);
  const motion = useMemo(
    () => motionState({ incidents, alerts, now: motionNow, variant, reducedMotion }),
    [incidents, alerts, motionNow, variant, reducedMotion],
  );
  const nowSeenRef = useRef({ now, at: 0 });
  useEffect(() => {
    nowSeenRef.current = { now, at: performance.now() };
  }, [now]);
  useEffect(() => {
    const next = nextMotionChange({ incidents, alerts, now: motionNow, variant, reducedMotion });
    if (next === null) return;
    // The page's clock may tick in steps: count the time since its last tick too.
    const seen = nowSeenRef.current;
    const delay = Math.max(0, next - seen.now - (performance.now() - seen.at));
    const timer = setTimeout(() => setMotionClock(next), delay);
    return () => clearTimeout(timer);
  }, [incidents, alerts, motionNow, variant, reducedMotion]);

  // The wall's layers keep the time they were drawn at while a step of its clock changes nothing they draw
  // (wall-time.ts): no new layers, no deck.gl frames, no label placement for it.
  const steppedNow = layerTime(now, variant);
  const [heldTime, setHeldTime] = useState<HeldTime | null>(null);
  const nextHeld = wall ? nextHeldTime(heldTime, steppedNow, { units, alerts, lang, gridShading }) : null;
  // Adjusting state while rendering (React's pattern for derived state): kept only when it changed.
  if (nextHeld !== heldTime) setHeldTime(nextHeld);
  const layerNow = nextHeld?.now ?? steppedNow;
  // Which labels fit: only when what they say, where they are, or the zoom changes (not with every pulse frame).
  // The wall carries its placement from batch to batch and re-places only the units that moved (wall-labels.ts).
  // Kept in state, made once: each carries its work from one batch to the next.
  const [wallLabels] = useState(() => new WallLabelPlacer());
  const [unitDotBuffers] = useState(() => new UnitDotBuffers());
  const labelUnits = wall ? units : NO_UNITS;
  const labelNow = wall ? layerNow : 0;
  const labels = useMemo(() => {
    if (!wall) {
      return placeMapLabels(mapLabelInput({ basemap, grids, units: NO_UNITS, visibility, lang, zoom, now: 0, labelScale }, variant));
    }
    return wallLabels.place({ basemap, grids, units: labelUnits, visibility, lang, zoom, now: labelNow, labelScale });
  }, [wall, wallLabels, basemap, grids, labelUnits, visibility, lang, zoom, labelNow, variant, labelScale]);

  // The wall's dots: binary attributes whose rows change only for the units that moved (unit-dots.ts).
  const unitDots = useMemo(() => {
    if (!wall) return undefined;
    return unitDotBuffers.update({ units, now: layerNow, offline: offlineTeams(units, alerts, layerNow), selectedTeamId: selectedId(selection, 'unit') });
  }, [wall, unitDotBuffers, units, alerts, layerNow, selection]);

  // Push layers to deck.gl when an input changed; deck.gl diffs them by id. A render that changed nothing
  // (the page's clock ticking on the wall) hands deck.gl nothing, so nothing is drawn.
  useEffect(() => {
    callbacksRef.current = { onSelect, onRendered, onHandles, lang, picking: picking ?? false, onPickPoint };
    variantRef.current = variant;
    readyRef.current.dataReady = dataReady;
    const overlay = overlayRef.current;
    if (!overlay) return;
    // The wall's camera moving (it cuts between views, but a hand may drag it): every frame redraws the whole
    // map; new layers (a batch of fixes) would only add to those frames. They wait for the camera to stop
    // (moveend renders this again).
    if (wall && mapRef.current?.isMoving()) return;
    const last = inputRef.current;
    const input: PushedInput = {
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
      now: layerNow,
      variant,
      labelScale,
      dimLive,
      // The same rings as last time are the same input, whatever object holds them.
      motion: last?.motion?.key === motion.key ? last.motion : motion,
      labels: last?.labels?.key === labels.key ? last.labels : labels,
      unitDots,
      dataReady,
      overlay,
      extraLayers,
    };
    if (sameInput(last, input)) return;
    inputRef.current = input;
    const layers = [
      ...buildMapLayers({ ...input, phase: isAnimating(input.motion as MotionState, visibility.incidents) ? pulsePhase() : 0 }),
      ...(input.extraLayers ?? []),
    ];
    layersRef.current = layers;
    // The wall's base canvas is drawn again only when what it shows changed (a batch of fixes leaves it be).
    const withBase = last?.overlay !== overlay || !sameBaseInput(last, input) || baseAnimates(input.motion, visibility.incidents);
    setLayersRef.current(layers, withBase);
    readyRef.current.layersSet = true;
  });

  // Something pulses: redraw a few times a second until nothing does.
  const animating = isAnimating(motion, visibility.incidents);
  useEffect(() => {
    if (!animating) return;
    let frame = 0;
    let last = 0;
    const loop = (t: number) => {
      frame = requestAnimationFrame(loop);
      if (t - last < PULSE_FRAME_MS) return;
      last = t;
      const overlay = overlayRef.current;
      const input = inputRef.current;
      if (!overlay || !input || input.overlay !== overlay) return;
      const layers = [...buildMapLayers({ ...input, phase: pulsePhase() }), ...(input.extraLayers ?? [])];
      layersRef.current = layers;
      setLayersRef.current(layers, baseAnimates(input.motion, input.visibility.incidents));
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [animating, generation]);

  // The camera: a new key moves the map (eased; a jump under reduced motion). The first camera a map sees
  // is where it starts, unless it replaces a lost one, which keeps the view it had. The wall cuts to the new
  // view and fades the map in: an eased move drew the whole map, deck.gl's layers with it, in every frame of
  // 1.5 s at each rotation — measured, the idle wall's largest cost (docs/BENCHMARKS.md, wall idle).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !camera || cameraKeyRef.current === camera.key) return;
    const first = cameraKeyRef.current === null && savedViewRef.current === null;
    cameraKeyRef.current = camera.key;
    const duration = first || reducedMotion || wall ? 0 : CAMERA_EASE_MS;
    // An opacity animation runs in the compositor: no main-thread frames for it.
    if (wall && !first && !reducedMotion) {
      containerRef.current?.animate?.([{ opacity: WALL_CUT_FADE.fromOpacity }, { opacity: 1 }], { duration: WALL_CUT_FADE.ms, easing: 'ease-out' });
    }
    if (camera.kind === 'bounds') {
      const padding = Math.round((wall ? WALL_FIT_PADDING : FIT_PADDING) * labelScale);
      map.fitBounds(camera.bbox, { padding, duration, essential: true });
    } else {
      map.easeTo({ center: camera.center, zoom: camera.zoom, duration, essential: true });
    }
  }, [camera, generation, reducedMotion, wall, labelScale]);

  return (
    <div
      ref={containerRef}
      className={`map-canvas ${picking ? 'map-canvas--picking' : ''}`}
      data-testid="map"
      data-map-generation={generation + deckRemounts}
      data-variant={variant}
      data-basemap={archive ? 'archive' : 'built-in'}
      data-picking={picking ? 'true' : undefined}
      aria-label={translate(lang, 'map.label')}
      role="region"
    />
  );
}

function pulsePhase(): number {
  return (performance.now() % PULSE_PERIOD_MS) / PULSE_PERIOD_MS;
}
