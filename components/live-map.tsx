'use client';
// The live map page: header, side panel (map layers and feed, the incident
// list, the alerts), the map, the SOS banner over it, the details panel and the
// incident drawer, and for staff the report flow (N or the button: pick a place,
// then the form). Owns the page's state; the map itself is client-only.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AlertsPanel } from '@/components/alerts/alerts-panel';
import { IncidentDrawer } from '@/components/incidents/incident-drawer';
import { IncidentForm } from '@/components/incidents/incident-form';
import { IncidentList, type VillageOption } from '@/components/incidents/incident-list';
import { PlacePicker } from '@/components/incidents/place-picker';
import type { Place } from '@/components/incidents/place-search';
import { DEFAULT_VISIBILITY, type LayerKey, type LayerVisibility } from '@/components/map/build-layers';
import type { GridShading } from '@/components/map/layers/grid-layer';
import { HEATMAP_LAYER_ID, binsToHeatmapData } from '@/components/map/layers/heatmap-layer';
import { buildPlanLayers, planLayerData } from '@/components/map/layers/plan-layer';
import { PlanLivePanel } from '@/components/plans/plan-live-panel';
import type { MapHandles } from '@/components/map/map-view';
import { selectedId, type Selection } from '@/components/map/selection';
import { AppHeader } from '@/components/panels/app-header';
import { DetailsPanel } from '@/components/panels/details-panel';
import { IncidentFeed } from '@/components/panels/incident-feed';
import { LayerPanel } from '@/components/panels/layer-panel';
import { Legend } from '@/components/panels/legend';
import { SosBanner } from '@/components/panels/sos-banner';
import { EmptyTownship } from '@/components/panels/empty-township';
import { STAFF_ROLES, type Alert, type IncidentView, type KeyLocation, type HeatmapWindow, type LonLat } from '@/lib/model';
import { alertPosition, deriveConnState, isEscalatedAlert, isOpenIncident } from '@/lib/live/live-store';
import { ApiError } from '@/lib/hooks/fetcher';
import { useHotkey } from '@/lib/hooks/use-hotkey';
import { useMe } from '@/lib/hooks/use-me';
import { localName } from '@/lib/i18n/messages';
import { useLive } from '@/lib/hooks/use-live';
import { useLiveLists } from '@/lib/hooks/use-live-lists';
import { usePlansLive } from '@/lib/hooks/use-plans-live';
import { useMapSnapshots } from '@/lib/hooks/use-map-snapshots';
import type { HeatmapBox } from '@/lib/model/heatmap-viewport';
import { useTestHooks } from '@/lib/hooks/use-test-hooks';
import { useNow } from '@/lib/hooks/use-now';
import { useI18n } from '@/lib/i18n/i18n-provider';

const MapView = dynamic(() => import('@/components/map/map-view'), { ssr: false });

const FOCUS_ZOOM = 13.5;
/** Locating an SOS zooms in closer than an incident: the team is one dot among houses. */
const SOS_ZOOM = 15;
/** Coverage shading reads the grids' lastPatrolAt: refreshed this often while it is shown. */
const COVERAGE_REFRESH_MS = 60_000;

type SideTab = 'map' | 'incidents' | 'alerts';
const SIDE_TABS: readonly SideTab[] = ['map', 'incidents', 'alerts'];

/** The report flow: looking for a place, then the form for it. */
type ReportState = { stage: 'pick' } | { stage: 'form'; place: Place };

export function LiveMap() {
  const { t, lang } = useI18n();
  const [gridShading, setGridShading] = useState<GridShading>('load');
  const [heatmapWindow, setHeatmapWindow] = useState<HeatmapWindow>('30d');
  // The box on screen: at street zoom a 30-day or year heatmap is asked for it alone, at a finer bin.
  const [heatmapViewport, setHeatmapViewport] = useState<HeatmapBox | null>(null);
  const onViewport = useCallback((view: { bounds: HeatmapBox }) => setHeatmapViewport(view.bounds), []);
  const { basemap, grids, keyLocations, heat, onZoom } = useMapSnapshots({
    gridsRefreshMs: gridShading === 'coverage' ? COVERAGE_REFRESH_MS : 0,
    heatmapWindow,
    initialHeatmapBin: 400,
    heatmapViewport,
  });
  const me = useMe();
  const staff = me !== undefined && (STAFF_ROLES as readonly string[]).includes(me.role);
  const [sideTab, setSideTab] = useState<SideTab>('map');
  const [report, setReport] = useState<ReportState | null>(null);
  const live = useLive();
  const plansLive = usePlansLive();

  const [visibility, setVisibility] = useState<LayerVisibility>(DEFAULT_VISIBILITY);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [deckRendered, setDeckRendered] = useState(false);
  const handlesRef = useRef<MapHandles | null>(null);

  const clientNow = useNow();
  const serverNow = clientNow === null ? null : clientNow + live.clockOffsetMs;
  const conn = clientNow === null ? 'connecting' : deriveConnState(live.socket, live.lastEventAt, clientNow);

  const {
    units: unitList,
    incidents: incidentList,
    alerts: alertList,
    openAlerts,
    sosAlerts,
    openByGrid,
  } = useLiveLists(live.data);
  const escalated = useMemo(() => openAlerts.some(isEscalatedAlert), [openAlerts]);
  const villages = useMemo<VillageOption[]>(
    () =>
      (basemap.data?.villages.features ?? [])
        .map((f) => f.properties)
        .map((v) => ({ id: v.id, code: v.code, name: v.name, nameEn: v.nameEn }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    [basemap.data],
  );
  const heatmapData = useMemo(() => (heat.data ? binsToHeatmapData(heat.data) : null), [heat.data]);
  const planData = useMemo(() => planLayerData(plansLive.data), [plansLive.data]);
  const planLayers = useMemo(() => buildPlanLayers({ data: planData, visible: visibility.plans }), [planData, visibility.plans]);

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
  // The incident last opened from a list: an old one (outside the live store's window) still opens in the drawer.
  const [picked, setPicked] = useState<IncidentView | null>(null);
  const focusIncident = useCallback((i: IncidentView) => {
    setPicked(i);
    setSelection({ kind: 'incident', id: i.id });
    const map = handlesRef.current?.map;
    map?.easeTo({ center: i.position, zoom: Math.max(map.getZoom(), FOCUS_ZOOM), duration: 600 });
  }, []);
  // Locate an alert (SOS banner, alerts panel): fly to it and open what it is about — the team, the
  // incident, the grid cell, or the alert itself. Reads units and grids through a ref so the callback stays stable.
  const lookupRef = useRef({ units: live.data.units, grids: grids.data });
  useEffect(() => {
    lookupRef.current = { units: live.data.units, grids: grids.data };
  });
  const flyTo = useCallback((center: LonLat, zoom: number) => {
    const map = handlesRef.current?.map;
    map?.flyTo({ center, zoom: Math.max(map.getZoom(), zoom), duration: 1200, essential: true });
  }, []);
  const locateAlert = useCallback(
    (a: Alert) => {
      setSelection(
        a.teamId !== null
          ? { kind: 'unit', id: a.teamId }
          : a.incidentId !== null
            ? { kind: 'incident', id: a.incidentId }
            : a.gridId !== null
              ? { kind: 'grid', id: a.gridId }
              : { kind: 'alert', id: a.id },
      );
      const center = alertPosition(a, lookupRef.current.units, lookupRef.current.grids);
      if (center) flyTo(center, a.kind === 'sos' ? SOS_ZOOM : FOCUS_ZOOM);
    },
    [flyTo],
  );
  const openIncident = useCallback((id: number) => setSelection({ kind: 'incident', id }), []);

  // The report flow (staff only): N or the button starts picking; a place opens the form.
  const startReport = useCallback(() => {
    setReport({ stage: 'pick' });
    setSelection(null);
  }, []);
  useHotkey('n', startReport, staff && report === null);
  const onPickPoint = useCallback(
    (position: LonLat, key: KeyLocation | null) =>
      setReport({
        stage: 'form',
        place: key ? { kind: 'keyLocation', id: key.id, position: key.position, label: localName(key, lang) } : { kind: 'point', id: null, position, label: null },
      }),
    [lang],
  );
  const onPlace = useCallback(
    (place: Place) => {
      setReport({ stage: 'form', place });
      flyTo(place.position, FOCUS_ZOOM);
    },
    [flyTo],
  );
  const { applyLocal } = live;
  const onCreated = useCallback(
    (incident: IncidentView) => {
      applyLocal({ incident });
      setReport(null);
      setSelection({ kind: 'incident', id: incident.id });
    },
    [applyLocal],
  );
  const onIncidentChanged = useCallback((incident: IncidentView) => applyLocal({ incident }), [applyLocal]);
  const onAlertChanged = useCallback((alert: Alert) => applyLocal({ alert }), [applyLocal]);

  // Esc: cancel a report first (picking or the form), else close what is open.
  useEffect(() => {
    if (!report) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setReport(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [report]);

  useEffect(() => {
    if (!selection || report) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, report]);

  useTestHooks(
    { ready, units: live.data.units, incidents: incidentList, alerts: alertList, heat: heat.data, lang },
    handlesRef,
    HEATMAP_LAYER_ID,
  );

  // An empty install (SEED_DEMO=false, nothing imported yet): /api/basemap answers 404. Said in words, not as a load error.
  const noTownship = basemap.error instanceof ApiError && basemap.error.status === 404;
  const loadError =
    (noTownship ? undefined : basemap.error) ?? grids.error ?? keyLocations.error ?? live.unitsError ?? live.incidentsError ?? live.alertsError ?? heat.error;

  const alertCount = openAlerts.length;
  const incidentSelected = selectedId(selection, 'incident');

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
          {staff && (
            <div className="panel-section report-section">
              <button
                type="button"
                className="action-button action-button--primary report-button"
                data-testid="report-incident"
                aria-keyshortcuts="N"
                title={t('report.shortcutHint')}
                disabled={report !== null}
                onClick={startReport}
              >
                <span>{t('report.button')}</span>
                <kbd className="kbd">N</kbd>
              </button>
            </div>
          )}
          <div className="side-tabs" role="tablist" aria-label={t('tabs.label')}>
            {SIDE_TABS.map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                className={`side-tab ${tab === 'alerts' && escalated ? 'side-tab--escalated' : ''}`}
                data-testid={`side-tab-${tab}`}
                aria-selected={sideTab === tab}
                onClick={() => setSideTab(tab)}
              >
                {t(`tabs.${tab}`)}
                {tab === 'alerts' && alertCount > 0 && (
                  <span className="side-tab-count" data-testid="alert-count">
                    {alertCount}
                  </span>
                )}
              </button>
            ))}
          </div>
          {sideTab === 'map' && (
            <>
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
                  plans: plansLive.data?.occurrences.length,
                }}
                gridShading={gridShading}
                onGridShading={setGridShading}
              />
              {visibility.plans && <PlanLivePanel live={plansLive.data} error={plansLive.error} now={serverNow} linkDown={conn === 'offline'} />}
              <IncidentFeed incidents={incidentList} now={serverNow} selectedId={incidentSelected} onPick={focusIncident} />
              <Legend gridShading={gridShading} />
            </>
          )}
          {sideTab === 'incidents' && (
            <IncidentList
              live={live.data.incidents}
              grids={grids.data}
              villages={villages}
              now={serverNow}
              selectedId={incidentSelected}
              onPick={focusIncident}
            />
          )}
          {sideTab === 'alerts' && (
            <AlertsPanel
              alerts={live.data.alerts}
              units={live.data.units}
              grids={grids.data}
              now={serverNow}
              onLocate={locateAlert}
              onOpenIncident={openIncident}
              onChanged={onAlertChanged}
            />
          )}
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
              gridShading={gridShading}
              draftPosition={report?.stage === 'form' ? report.place.position : null}
              heatmap={heatmapData}
              visibility={visibility}
              selection={selection}
              lang={lang}
              now={serverNow ?? 0}
              dataReady={dataReady}
              onSelect={setSelection}
              picking={report !== null}
              onPickPoint={onPickPoint}
              onHandles={onHandles}
              onZoom={onZoom}
              onViewport={onViewport}
              onRendered={onRendered}
              extraLayers={planLayers}
            />
          ) : noTownship ? (
            <EmptyTownship role={me?.role} />
          ) : (
            <div className="map-placeholder">{basemap.error ? null : t('map.loading')}</div>
          )}
          {/* Overlays in a column: the SOS banner takes the top of the map, everything else sits below it, never under it. */}
          <div className="map-overlays">
            <SosBanner alerts={sosAlerts} now={serverNow} onLocate={locateAlert} onChanged={onAlertChanged} />
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
              {report?.stage === 'pick' && (
                <PlacePicker grids={grids.data} keyLocations={keyLocations.data} onPick={onPlace} onCancel={() => setReport(null)} />
              )}
              {report?.stage === 'form' && (
                <IncidentForm
                  place={report.place}
                  onChangePlace={() => setReport({ stage: 'pick' })}
                  onCancel={() => setReport(null)}
                  onCreated={onCreated}
                />
              )}
              {selection?.kind === 'incident' && (
                <IncidentDrawer
                  key={selection.id}
                  incidentId={selection.id}
                  incident={live.data.incidents[selection.id] ?? (picked?.id === selection.id ? picked : undefined)}
                  grids={grids.data}
                  units={live.data.units}
                  now={serverNow}
                  onClose={() => setSelection(null)}
                  onChanged={onIncidentChanged}
                  onLocate={(p) => flyTo(p, FOCUS_ZOOM)}
                />
              )}
              {selection && selection.kind !== 'incident' && (
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
