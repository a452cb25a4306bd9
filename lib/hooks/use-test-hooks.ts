'use client';
// Installs `window.__gridsight` (lib/hooks/test-hooks.ts) for the page that
// owns the map: the desk (components/live-map.tsx) and the wall
// (components/wall/wall-page.tsx) expose the same interface, so end-to-end
// tests and benchmarks drive either the same way. The object is installed
// once; its getters read the newest state through a ref, so it never goes stale.
import { useEffect, useRef, type RefObject } from 'react';
import type { Layer } from '@deck.gl/core';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Alert, HeatmapPayload, IncidentView, UnitState } from '../model';
import type { Lang } from '../i18n/messages';
import type { GridSightTestHooks } from './test-hooks';

/** What the map component hands its page (components/map/map-view.tsx: MapHandles has this shape). */
export interface TestHookHandles {
  map: MaplibreMap;
  overlay: MapboxOverlay;
  overlays: readonly MapboxOverlay[];
  layers(): readonly Layer[];
}

/** The page's state the hooks report. */
export interface TestHookState {
  ready: boolean;
  units: Record<number, UnitState>;
  /** Newest first. */
  incidents: IncidentView[];
  /** Newest first. */
  alerts: Alert[];
  heat: HeatmapPayload | undefined;
  lang: Lang;
}

/**
 * `heatmapLayerId` names the deck layer `heatmap()` counts (lib/ may not
 * import the layer builders, so the page passes it).
 */
export function useTestHooks(state: TestHookState, handlesRef: RefObject<TestHookHandles | null>, heatmapLayerId: string): void {
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
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
      get decks() {
        return [...(handlesRef.current?.overlays ?? [])];
      },
      units: () => ({ ...latest.current.units }),
      incidents: () => [...latest.current.incidents],
      alerts: () => [...latest.current.alerts],
      heatmap: () => {
        const layer = handlesRef.current?.layers().find((l) => l.id === heatmapLayerId);
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
      pick: (x, y, layerIds) => {
        const overlay = handlesRef.current?.overlay;
        if (!overlay) throw new Error('__gridsight.pick: the map is not created yet');
        const info = overlay.pickObject({ x, y, radius: 4, ...(layerIds ? { layerIds: [...layerIds] } : {}) });
        if (!info || info.object === undefined || info.object === null || !info.layer) return null;
        return { layerId: info.layer.id, object: info.object };
      },
      lang: () => latest.current.lang,
    };
    window.__gridsight = hooks;
    return () => {
      if (window.__gridsight === hooks) delete window.__gridsight;
    };
  }, [handlesRef, heatmapLayerId]);
}
