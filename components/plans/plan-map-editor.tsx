'use client';
// Drawing a plan on the map (issue 14): a map click adds an area vertex, a
// route point (snapped to the nearest road or track of the offline basemap
// within ROAD_SNAP_M, when the basemap has any), or a checkpoint (the key
// location under the pointer, else a map point). Keyboard: the map pans with
// the arrow keys (MapLibre's keyboard handler) and "add at map centre" adds
// there, so nothing needs a mouse. The form owns the geometry; this draws it
// and reports clicks.
import dynamic from 'next/dynamic';
import { useCallback, useMemo, useRef, useState } from 'react';
import { DEFAULT_VISIBILITY } from '@/components/map/build-layers';
import { HEATMAP_LAYER_ID } from '@/components/map/layers/heatmap-layer';
import { buildPlanDraftLayers, planDraftData, type DraftCheckpoint } from '@/components/map/layers/plan-draft-layer';
import type { MapHandles } from '@/components/map/map-view';
import type { BasemapPayload, GridCollection, KeyLocation, LonLat } from '@/lib/model';
import { snapToLines } from '@/components/map/snap-to-lines';
import { useTestHooks } from '@/lib/hooks/use-test-hooks';
import { useI18n } from '@/lib/i18n/i18n-provider';

const MapView = dynamic(() => import('@/components/map/map-view'), { ssr: false });

/** How far a route point moves to meet a road: a street's width plus a click's slack. */
export const ROAD_SNAP_M = 40;

export const DRAW_MODES = ['area', 'route', 'checkpoint'] as const;
export type DrawMode = (typeof DRAW_MODES)[number];

const NO_SELECT = () => {};
const NO_UNITS: never[] = [];
/** The editor's map: the township, its cells and key locations; nothing live. */
const EDITOR_VISIBILITY = { ...DEFAULT_VISIBILITY, heatmap: false, units: false, incidents: false, plans: false };

/** The basemap's roads and tracks as lines (what a route point snaps to). */
export function roadLines(basemap: BasemapPayload | undefined): LonLat[][] {
  return (basemap?.features.features ?? [])
    .filter((f) => (f.properties.kind === 'road' || f.properties.kind === 'track') && f.geometry.type === 'LineString')
    .map((f) => f.geometry.coordinates as LonLat[]);
}

export interface PlanMapEditorProps {
  prefix: string;
  basemap: BasemapPayload;
  grids: GridCollection | undefined;
  keyLocations: KeyLocation[];
  area: readonly LonLat[];
  keptArea: readonly (readonly LonLat[])[];
  route: readonly LonLat[];
  checkpoints: readonly DraftCheckpoint[];
  onArea(next: LonLat[]): void;
  onRoute(next: LonLat[]): void;
  onClearKeptArea(): void;
  onCheckpoint(position: LonLat, keyLocation: KeyLocation | null): void;
}

export function PlanMapEditor(props: PlanMapEditorProps) {
  const { t, lang } = useI18n();
  const { prefix, basemap, area, route, onArea, onRoute, onCheckpoint } = props;
  const [mode, setMode] = useState<DrawMode>('area');
  const roads = useMemo(() => roadLines(basemap), [basemap]);
  const [snap, setSnap] = useState(true);
  const [rendered, setRendered] = useState(false);
  const handlesRef = useRef<MapHandles | null>(null);
  const onHandles = useCallback((h: MapHandles | null) => {
    handlesRef.current = h;
    if (!h) setRendered(false);
  }, []);
  const onRendered = useCallback(() => setRendered(true), []);
  useTestHooks({ ready: rendered, units: {}, incidents: [], alerts: [], heat: undefined, lang }, handlesRef, HEATMAP_LAYER_ID);

  const add = (p: LonLat, keyLocation: KeyLocation | null) => {
    if (mode === 'area') onArea([...area, p]);
    else if (mode === 'route') onRoute([...route, snap && roads.length > 0 ? snapToLines(p, roads, ROAD_SNAP_M).point : p]);
    else onCheckpoint(keyLocation ? keyLocation.position : p, keyLocation);
  };
  const addAtCentre = () => {
    const c = handlesRef.current?.map.getCenter();
    if (c) add([c.lng, c.lat], null);
  };
  const undo = () => (mode === 'area' ? onArea(area.slice(0, -1)) : onRoute(route.slice(0, -1)));

  const layers = useMemo(
    () => buildPlanDraftLayers(planDraftData({ area, keptArea: props.keptArea, route, checkpoints: props.checkpoints })),
    [area, props.keptArea, route, props.checkpoints],
  );

  return (
    <fieldset className="plan-draw" data-testid={`${prefix}-draw`}>
      <legend className="field-label">{t('plans.draw.title')}</legend>
      <div className="plan-draw-tools" role="radiogroup" aria-label={t('plans.draw.mode')}>
        <span className="field-label">{t('plans.draw.mode')}</span>
        {DRAW_MODES.map((m) => (
          <label key={m} className="toggle">
            <input type="radio" name={`${prefix}-draw-mode`} data-testid={`${prefix}-draw-mode-${m}`} checked={mode === m} onChange={() => setMode(m)} />
            <span className="toggle-label">{t(`plans.draw.mode.${m}`)}</span>
          </label>
        ))}
        <button type="button" className="action-button" data-testid={`${prefix}-draw-centre`} onClick={addAtCentre}>
          {t('plans.draw.addCentre')}
        </button>
        <button
          type="button"
          className="action-button"
          data-testid={`${prefix}-draw-undo`}
          disabled={mode === 'checkpoint' || (mode === 'area' ? area.length === 0 : route.length === 0)}
          onClick={undo}
        >
          {t('plans.draw.undo')}
        </button>
        <button
          type="button"
          className="action-button"
          data-testid={`${prefix}-draw-clear-area`}
          disabled={area.length === 0 && props.keptArea.length === 0}
          onClick={() => {
            onArea([]);
            props.onClearKeptArea();
          }}
        >
          {t('plans.draw.clearArea')}
        </button>
        <button type="button" className="action-button" data-testid={`${prefix}-draw-clear-route`} disabled={route.length === 0} onClick={() => onRoute([])}>
          {t('plans.draw.clearRoute')}
        </button>
        {roads.length > 0 ? (
          <label className="toggle">
            <input type="checkbox" className="switch" data-testid={`${prefix}-draw-snap`} checked={snap} onChange={(e) => setSnap(e.currentTarget.checked)} />
            <span className="toggle-label">{t('plans.draw.snap', { m: ROAD_SNAP_M })}</span>
          </label>
        ) : (
          <span className="plan-draw-note">{t('plans.draw.noRoads')}</span>
        )}
      </div>
      <p className="plan-draw-note" data-testid={`${prefix}-draw-status`} aria-live="polite">
        {t('plans.draw.status', { area: area.length, route: route.length })} · {t('plans.draw.hint')}
      </p>
      <div className="plan-draw-map" data-testid={`${prefix}-draw-map`}>
        <MapView
          basemap={basemap}
          grids={props.grids}
          keyLocations={props.keyLocations}
          units={NO_UNITS}
          incidents={NO_UNITS}
          alerts={NO_UNITS}
          openByGrid={null}
          heatmap={null}
          visibility={EDITOR_VISIBILITY}
          selection={null}
          lang={lang}
          now={0}
          dataReady={props.grids !== undefined}
          onSelect={NO_SELECT}
          picking
          onPickPoint={add}
          onHandles={onHandles}
          onRendered={onRendered}
          extraLayers={layers}
        />
      </div>
    </fieldset>
  );
}
