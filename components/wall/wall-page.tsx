'use client';
// The wall display (/wall): the map full height, the KPI column beside it,
// banners over the map, no controls and no account chrome. Read from across
// the room, left alone for days: the type is sized from the viewport height
// (wall.css), the views rotate by themselves (lib/live/wall-rotation.ts), the
// freshness of every figure is shown, and a new build reloads the page.
//
// Cheap when nothing changes: the page renders when the live store publishes
// (events, heartbeats) and every 10 s for the map's clock; its children are
// memoised on stable props, the clock renders itself, and no animation runs
// once an interruption's flash has played.
import './wall.css';
import dynamic from 'next/dynamic';
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import useSWR from 'swr';
import { DEFAULT_VISIBILITY } from '@/components/map/build-layers';
import { HEATMAP_LAYER_ID, binsToHeatmapData } from '@/components/map/layers/heatmap-layer';
import type { MapHandles } from '@/components/map/map-view';
import { type Alert, type HeatmapWindow, type IncidentView, type WallKpis } from '@/lib/model';
import {
  START_ROTATION,
  availableViews,
  findArrivals,
  interruptFor,
  isUnacknowledgedAlert,
  rotate,
  seenIds,
  wallBanner,
  wallCamera,
  wallTargets,
  type SeenIds,
  type WallView,
} from '@/lib/live/wall-rotation';
import { useCoarseNow } from '@/lib/hooks/use-coarse-now';
import { ALERTS_KEY, INCIDENTS_KEY, useLive } from '@/lib/hooks/use-live';
import { usePlansLive } from '@/lib/hooks/use-plans-live';
import { buildPlanLayers, planLayerData } from '@/components/map/layers/plan-layer';
import { PlanLivePanel } from '@/components/plans/plan-live-panel';
import { useLiveLists } from '@/lib/hooks/use-live-lists';
import { useMapSnapshots } from '@/lib/hooks/use-map-snapshots';
import type { HeatmapBox } from '@/lib/model/heatmap-viewport';
import { useSameKey } from '@/lib/hooks/use-same-key';
import { useTestHooks } from '@/lib/hooks/use-test-hooks';
import { useViewportHeight } from '@/lib/hooks/use-viewport-height';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { WallBanner } from './wall-banner';
import { WallClock } from './wall-clock';
import { WallConnBanner } from './wall-conn-banner';
import { WallFreshness } from './wall-freshness';
import { WallKpiTiles } from './wall-kpi-tiles';
import type { WallOptions } from './wall-options';
import { playInterruptSound } from './wall-sound';
import { WallViewIndicator } from './wall-view-indicator';

// Memoised: the map renders when its data, its clock or its camera change, not with every banner.
const MapView = memo(dynamic(() => import('@/components/map/map-view'), { ssr: false }));

export const WALL_KPIS_KEY = '/api/wall/kpis';
const KPI_REFRESH_MS = 10_000;
/** A burst of incident or alert events asks for the KPIs once. */
const KPI_EVENT_DEBOUNCE_MS = 500;
/** The map's `now` moves in steps of this (ages, pulses expiring): no new layers every second. */
const MAP_CLOCK_STEP_MS = 10_000;
/** The type is designed at 1080 px of height; the map's labels scale with the viewport like the CSS does. */
const DESIGN_HEIGHT_PX = 1080;
const WALL_HEATMAP_WINDOW: HeatmapWindow = '30d';
const NO_SELECTION = () => {};
/**
 * Units' moves are drawn at most every two seconds (useLive's pacing): each batch redraws every unit, age label
 * and incident, which on a PC drawing WebGL in software held the GPU process at 1.6 of 2 cores under load
 * unpaced (docs/BENCHMARKS.md, wall load, 2026-12-03), and each batch's new records, lists and layers are what
 * the page's garbage collector sweeps (2026-12-05). A patrol reports every few seconds at best and the wall is
 * read from across the room: a dot at most two seconds behind its fix, its age label saying how old the fix is.
 * Incidents and alerts still appear at the next frame.
 */
const WALL_MOVES_EVERY_MS = 2_000;

export function WallPage({ options }: { options: WallOptions }) {
  const { t, lang, setLang, timeZone: configTimeZone } = useI18n();
  const live = useLive({ movesEveryMs: WALL_MOVES_EVERY_MS });
  // A close-up asks for the box on screen alone, at the zoom's finer bin.
  const [heatmapViewport, setHeatmapViewport] = useState<HeatmapBox | null>(null);
  const onViewport = useCallback((view: { bounds: HeatmapBox }) => setHeatmapViewport(view.bounds), []);
  // The wall's camera moves between the township and close-ups: the heatmap's bins follow its zoom.
  const { basemap, grids, keyLocations, heat, onZoom } = useMapSnapshots({
    gridsRefreshMs: 0,
    heatmapWindow: WALL_HEATMAP_WINDOW,
    initialHeatmapBin: 1600,
    heatmapViewport,
  });
  const kpis = useSWR<WallKpis, Error>(WALL_KPIS_KEY, { refreshInterval: KPI_REFRESH_MS });
  const lists = useLiveLists(live.data);
  const heatmapData = useMemo(() => (heat.data ? binsToHeatmapData(heat.data) : null), [heat.data]);
  const plansLive = usePlansLive();
  const timeZone = kpis.data?.townshipTz ?? configTimeZone;

  const viewportHeight = useViewportHeight();
  const labelScale = viewportHeight === null ? 1 : viewportHeight / DESIGN_HEIGHT_PX;
  const coarseNow = useCoarseNow(MAP_CLOCK_STEP_MS);
  const mapNow = coarseNow === null ? 0 : Math.floor((coarseNow + live.clockOffsetMs) / MAP_CLOCK_STEP_MS) * MAP_CLOCK_STEP_MS;

  // The language is the kiosk's URL's (?lang=), kept like the desk's switch keeps it.
  useEffect(() => {
    if (options.lang !== null) setLang(options.lang);
  }, [options.lang, setLang]);

  // A new server build: this page is out of date. Reload (the kiosk needs nobody for it).
  useEffect(() => {
    if (live.buildChanged) window.location.reload();
  }, [live.buildChanged]);

  // KPIs: every 10 s, and soon after any incident or alert arrives or changes.
  const { mutate: refreshKpis } = kpis;
  const liveLoaded = live.incidentsLoaded && live.alertsLoaded;
  useEffect(() => {
    if (!liveLoaded) return;
    const timer = setTimeout(() => void refreshKpis(), KPI_EVENT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [live.data.incidents, live.data.alerts, liveLoaded, refreshKpis]);

  // The map and its readiness.
  const handlesRef = useRef<MapHandles | null>(null);
  const [deckRendered, setDeckRendered] = useState(false);
  const onHandles = useCallback((h: MapHandles | null) => {
    handlesRef.current = h;
    if (!h) setDeckRendered(false);
  }, []);
  const onRendered = useCallback(() => setDeckRendered(true), []);
  const dataReady = basemap.data !== undefined && grids.data !== undefined && live.unitsLoaded && live.incidentsLoaded;
  const ready = dataReady && deckRendered && kpis.data !== undefined;

  useTestHooks(
    { ready, units: live.data.units, incidents: lists.incidents, alerts: lists.alerts, heat: heat.data, lang },
    handlesRef,
    HEATMAP_LAYER_ID,
  );

  // Rotation: a timer of one interval after every change of the rotation's state, not running while paused.
  const [rotation, dispatch] = useReducer(rotate, START_ROTATION);
  const paused = useMemo(() => lists.alerts.some(isUnacknowledgedAlert), [lists.alerts]);
  const targets = useMemo(
    () =>
      wallTargets({
        grids: grids.data,
        fallbackBbox: basemap.data?.bbox ?? null,
        busiestGrids: kpis.data?.busiestGrids,
        incidents: lists.incidents,
      }),
    [grids.data, basemap.data, kpis.data?.busiestGrids, lists.incidents],
  );
  const availableKey = availableViews(targets).join(',');
  const available = useMemo(() => (availableKey === '' ? [] : (availableKey.split(',') as WallView[])), [availableKey]);
  const availableRef = useRef(available);
  useEffect(() => {
    availableRef.current = available;
  });
  const intervalMs = kpis.data ? kpis.data.rotateSeconds * 1000 : null;
  useEffect(() => {
    if (intervalMs === null || paused) return;
    const timer = setTimeout(() => dispatch({ type: 'elapsed', available: availableRef.current, paused: false }), intervalMs);
    return () => clearTimeout(timer);
  }, [rotation, paused, intervalMs]);

  // New incidents and SOS alerts interrupt. What the first snapshots hold is not new: the baseline
  // is taken from them (SWR shares the answers useLive fetched), plus anything already in the store.
  const { data: firstIncidents } = useSWR<IncidentView[], Error>(INCIDENTS_KEY);
  const { data: firstAlerts } = useSWR<Alert[], Error>(ALERTS_KEY);
  const seenRef = useRef<SeenIds | null>(null);
  const lookupRef = useRef({ units: live.data.units, grids: grids.data, sound: options.sound });
  useEffect(() => {
    lookupRef.current = { units: live.data.units, grids: grids.data, sound: options.sound };
  });
  useEffect(() => {
    if (seenRef.current === null) {
      if (!firstIncidents || !firstAlerts) return;
      seenRef.current = seenIds(
        [...firstIncidents, ...Object.values(live.data.incidents)],
        [...firstAlerts, ...Object.values(live.data.alerts)],
      );
    }
    const arrivals = findArrivals(seenRef.current, live.data.incidents, live.data.alerts);
    seenRef.current = arrivals.seen;
    const { units, grids: gridData, sound } = lookupRef.current;
    const interrupt = interruptFor(arrivals, units, gridData);
    if (!interrupt) return;
    dispatch({ type: 'interrupt', interrupt, paused });
    if (sound) playInterruptSound(interrupt.kind);
  }, [firstIncidents, firstAlerts, live.data.incidents, live.data.alerts, paused]);

  const camera = useSameKey(wallCamera(rotation, targets));
  const lastSos = rotation.lastSosId === null ? undefined : live.data.alerts[rotation.lastSosId];
  const banner = wallBanner(rotation, lastSos);

  const lostAt = live.lostSince === null ? null : live.lostSince + live.clockOffsetMs;
  const planData = useMemo(() => planLayerData(plansLive.data), [plansLive.data]);
  const planLayers = useMemo(
    () => buildPlanLayers({ data: planData, visible: true, variant: 'wall', scale: labelScale, dim: lostAt !== null }),
    [planData, labelScale, lostAt],
  );
  const loadError = basemap.error ?? grids.error ?? keyLocations.error ?? live.unitsError ?? live.incidentsError ?? live.alertsError;

  return (
    <div className="wall" data-testid="wall" data-theme={options.theme} data-ready={ready ? 'true' : 'false'}>
      <main className="wall-map" aria-label={t('wall.label')}>
        {basemap.data ? (
          <MapView
            basemap={basemap.data}
            grids={grids.data}
            keyLocations={keyLocations.data}
            units={lists.units}
            incidents={lists.incidents}
            alerts={lists.openAlerts}
            openByGrid={live.incidentsLoaded ? lists.openByGrid : null}
            gridShading="load"
            heatmap={heatmapData}
            visibility={DEFAULT_VISIBILITY}
            selection={null}
            lang={lang}
            now={mapNow}
            dataReady={dataReady}
            onSelect={NO_SELECTION}
            onHandles={onHandles}
            onZoom={onZoom}
            onViewport={onViewport}
            onRendered={onRendered}
            variant="wall"
            labelScale={labelScale}
            camera={camera}
            dimLive={lostAt !== null}
            extraLayers={planLayers}
          />
        ) : (
          <div className="wall-map-placeholder">{basemap.error ? null : t('map.loading')}</div>
        )}
        <div className="wall-map-top">
          {lostAt !== null && <WallConnBanner lostAt={lostAt} timeZone={timeZone} />}
          {banner && (
            <WallBanner
              subject={banner}
              incident={banner.kind === 'incident' ? live.data.incidents[banner.id] : undefined}
              alert={banner.kind === 'sos' ? live.data.alerts[banner.id] : undefined}
              timeZone={timeZone}
            />
          )}
          {loadError && (
            <div className="wall-error" role="alert">
              {t('error.load', { message: loadError.message })} · {t('error.retrying')}
            </div>
          )}
        </div>
        <div className="wall-map-bottom">
          <WallViewIndicator
            view={rotation.view}
            rotation={rotation.rotation}
            paused={paused}
            available={available}
            interrupted={rotation.interrupt !== null}
          />
        </div>
      </main>
      <aside className="wall-side">
        <WallClock timeZone={timeZone} clockOffsetMs={live.clockOffsetMs} />
        <WallKpiTiles kpis={kpis.data} />
        <WallFreshness
          dataAsOf={live.data.dataAsOf}
          kpisAsOf={kpis.data?.asOf}
          kpisFailed={kpis.error !== undefined}
          clockOffsetMs={live.clockOffsetMs}
          timeZone={timeZone}
        />
        {(plansLive.data?.occurrences.length ?? 0) > 0 && (
          <PlanLivePanel live={plansLive.data} error={plansLive.error} now={mapNow === 0 ? null : mapNow} linkDown={lostAt !== null} variant="wall" />
        )}
      </aside>
    </div>
  );
}
