'use client';
// The live map page: header, side panel (layers, incidents, legend), the map,
// the SOS banner over it and the details panel. Owns the page's state; the map itself is client-only.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useSWR from 'swr';
import { DEFAULT_VISIBILITY, type LayerKey, type LayerVisibility } from '@/components/map/build-layers';
import { HEATMAP_LAYER_ID, toHeatmapData } from '@/components/map/layers/heatmap-layer';
import type { MapHandles } from '@/components/map/map-view';
import { selectedId, type Selection } from '@/components/map/selection';
import { AppHeader } from '@/components/panels/app-header';
import { DetailsPanel } from '@/components/panels/details-panel';
import { IncidentFeed } from '@/components/panels/incident-feed';
import { LayerPanel } from '@/components/panels/layer-panel';
import { Legend } from '@/components/panels/legend';
import { SosBanner } from '@/components/panels/sos-banner';
import type { Alert, BasemapPayload, GridCollection, HeatmapPayload, IncidentView, KeyLocation, HeatmapWindow } from '@/lib/model';
import {
  countOpenByGrid,
  deriveConnState,
  isOpenAlert,
  isOpenIncident,
  openSosAlerts,
  sortAlerts,
  sortIncidents,
} from '@/lib/live/live-store';
import type { GridSightTestHooks } from '@/lib/hooks/test-hooks';
import { HEATMAP_KEY_PREFIX, useLive } from '@/lib/hooks/use-live';
import { useNow } from '@/lib/hooks/use-now';
import { useI18n } from '@/lib/i18n/i18n-provider';

const MapView = dynamic(() => import('@/components/map/map-view'), { ssr: false });

const STATIC_SWR = { revalidateIfStale: false, revalidateOnReconnect: false };
/** New dispute incidents reach the heatmap on this refresh, not live. */
const HEATMAP_REFRESH_MS = 5 * 60_000;
const FOCUS_ZOOM = 13.5;
/** Locating an SOS zooms in closer than an incident: the team is one dot among houses. */
const SOS_ZOOM = 15;

export function LiveMap() {
  const { t, lang } = useI18n();
  const basemap = useSWR<BasemapPayload, Error>('/api/basemap', STATIC_SWR);
  const grids = useSWR<GridCollection, Error>('/api/grids');
  const keyLocations = useSWR<KeyLocation[], Error>('/api/key-locations');
  const live = useLive();

  const [heatmapWindow, setHeatmapWindow] = useState<HeatmapWindow>('30d');
  const heat = useSWR<HeatmapPayload, Error>(`${HEATMAP_KEY_PREFIX}?window=${heatmapWindow}`, {
    keepPreviousData: true,
    refreshInterval: HEATMAP_REFRESH_MS,
  });
  const [visibility, setVisibility] = useState<LayerVisibility>(DEFAULT_VISIBILITY);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [deckRendered, setDeckRendered] = useState(false);
  const handlesRef = useRef<MapHandles | null>(null);

  const clientNow = useNow();
  const serverNow = clientNow === null ? null : clientNow + live.clockOffsetMs;
  const conn = clientNow === null ? 'connecting' : deriveConnState(live.socket, live.lastEventAt, clientNow);

  const unitList = useMemo(() => Object.values(live.data.units), [live.data.units]);
  const incidentList = useMemo(() => sortIncidents(live.data.incidents), [live.data.incidents]);
  const alertList = useMemo(() => sortAlerts(live.data.alerts), [live.data.alerts]);
  const openAlerts = useMemo(() => alertList.filter(isOpenAlert), [alertList]);
  const sosAlerts = useMemo(() => openSosAlerts(alertList), [alertList]);
  const openByGrid = useMemo(() => countOpenByGrid(incidentList), [incidentList]);
  const heatmapData = useMemo(() => (heat.data ? toHeatmapData(heat.data.points) : null), [heat.data]);

  const unitsOnMap = live.unitsLoaded ? unitList.filter((u) => u.position !== null).length : null;
  const openIncidents = live.incidentsLoaded ? incidentList.filter(isOpenIncident).length : null;
  const dataReady = basemap.data !== undefined && grids.data !== undefined && live.unitsLoaded && live.incidentsLoaded;
  const ready = dataReady && deckRendered;

  const onHandles = useCallback((h: MapHandles | null) => {
    handlesRef.current = h;
    if (!h) setDeckRendered(false);
  }, []);
  const onRendered = useCallback(() => setDeckRendered(true), []);
  const onToggle = useCallback((key: LayerKey, visible: boolean) => setVisibility((v) => ({ ...v, [key]: visible })), []);
  const focusIncident = useCallback((i: IncidentView) => {
    setSelection({ kind: 'incident', id: i.id });
    const map = handlesRef.current?.map;
    map?.easeTo({ center: i.position, zoom: Math.max(map.getZoom(), FOCUS_ZOOM), duration: 600 });
  }, []);
  // Locate from the SOS banner: fly to where the SOS was raised and open the team's details
  // (the alert's own details when it names no team). Reads units through a ref so the callback stays stable.
  const unitsRef = useRef(live.data.units);
  useEffect(() => {
    unitsRef.current = live.data.units;
  });
  const locateAlert = useCallback((a: Alert) => {
    setSelection(a.teamId !== null ? { kind: 'unit', id: a.teamId } : { kind: 'alert', id: a.id });
    const center = a.position ?? (a.teamId !== null ? unitsRef.current[a.teamId]?.position : null) ?? null;
    const map = handlesRef.current?.map;
    if (map && center) map.flyTo({ center, zoom: Math.max(map.getZoom(), SOS_ZOOM), duration: 1200, essential: true });
  }, []);

  useEffect(() => {
    if (!selection) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection]);

  // Test hooks read the newest state through a ref, so the object installed on window never goes stale.
  const latest = useRef({ ready, units: live.data.units, incidentList, alertList, heat: heat.data, lang });
  useEffect(() => {
    latest.current = { ready, units: live.data.units, incidentList, alertList, heat: heat.data, lang };
  });
  useEffect(() => {
    const hooks: GridSightTestHooks = {
      get ready() {
        return latest.current.ready;
      },
      get map() {
        return handlesRef.current?.map ?? null;
      },
      get deck() {
        return handlesRef.current?.overlay ?? null;
      },
      units: () => ({ ...latest.current.units }),
      incidents: () => [...latest.current.incidentList],
      alerts: () => [...latest.current.alertList],
      heatmap: () => {
        const layer = handlesRef.current?.layers().find((l) => l.id === HEATMAP_LAYER_ID);
        const data = layer?.props.data as { length?: number } | undefined;
        return {
          window: latest.current.heat?.window ?? '',
          count: latest.current.heat?.count ?? 0,
          drawnPoints: layer?.props.visible ? (data?.length ?? 0) : 0,
        };
      },
      project: ([lon, lat]) => {
        const map = handlesRef.current?.map;
        if (!map) throw new Error('__gridsight.project: the map is not created yet');
        const p = map.project([lon, lat]);
        return [p.x, p.y];
      },
      pick: (x, y) => {
        const overlay = handlesRef.current?.overlay;
        if (!overlay) throw new Error('__gridsight.pick: the map is not created yet');
        const info = overlay.pickObject({ x, y, radius: 4 });
        if (!info || info.object === undefined || info.object === null || !info.layer) return null;
        return { layerId: info.layer.id, object: info.object };
      },
      lang: () => latest.current.lang,
    };
    window.__gridsight = hooks;
    return () => {
      if (window.__gridsight === hooks) delete window.__gridsight;
    };
  }, []);

  const loadError =
    basemap.error ?? grids.error ?? keyLocations.error ?? live.unitsError ?? live.incidentsError ?? live.alertsError ?? heat.error;

  return (
    <div className="app-shell">
      <AppHeader
        conn={conn}
        dataAsOf={live.data.dataAsOf}
        serverNow={serverNow}
        clientNow={clientNow}
        unitCount={unitsOnMap}
        openIncidentCount={openIncidents}
      />
      <div className="app-body">
        <nav className="side-panel" aria-label={t('panel.label')}>
          <LayerPanel
            visibility={visibility}
            onToggle={onToggle}
            heatmapWindow={heatmapWindow}
            onHeatmapWindow={setHeatmapWindow}
            heatmapCount={heat.data && heat.data.window === heatmapWindow ? heat.data.count : null}
            counts={{
              grids: grids.data?.features.length,
              'key-locations': keyLocations.data?.length,
              units: unitsOnMap ?? undefined,
              incidents: openIncidents ?? undefined,
            }}
          />
          <IncidentFeed
            incidents={incidentList}
            now={serverNow}
            selectedId={selectedId(selection, 'incident')}
            onPick={focusIncident}
          />
          <Legend />
        </nav>
        <main className="map-area">
          {basemap.data ? (
            <MapView
              basemap={basemap.data}
              grids={grids.data}
              keyLocations={keyLocations.data}
              units={unitList}
              incidents={incidentList}
              alerts={openAlerts}
              openByGrid={live.incidentsLoaded ? openByGrid : null}
              heatmap={heatmapData}
              visibility={visibility}
              selection={selection}
              lang={lang}
              now={serverNow ?? 0}
              dataReady={dataReady}
              onSelect={setSelection}
              onHandles={onHandles}
              onRendered={onRendered}
            />
          ) : (
            <div className="map-placeholder">{basemap.error ? null : t('map.loading')}</div>
          )}
          {/* Overlays in a column: the SOS banner takes the top of the map, everything else sits below it, never under it. */}
          <div className="map-overlays">
            <SosBanner alerts={sosAlerts} now={serverNow} onLocate={locateAlert} />
            <div className="map-overlays-body">
              {conn === 'offline' && (
                <div className="banner banner--warn" role="status">
                  {t('banner.offline')}
                </div>
              )}
              {loadError && (
                <div className="banner banner--error" role="alert">
                  {t('error.load', { message: loadError.message })} · {t('error.retrying')}
                </div>
              )}
              {selection && (
                <DetailsPanel
                  selection={selection}
                  grids={grids.data}
                  keyLocations={keyLocations.data}
                  units={live.data.units}
                  incidents={live.data.incidents}
                  alerts={live.data.alerts}
                  openByGrid={openByGrid}
                  now={serverNow}
                  onClose={() => setSelection(null)}
                  onSelect={setSelection}
                />
              )}
            </div>
          </div>
        </main>
      </div>
    </div>
  );
}
