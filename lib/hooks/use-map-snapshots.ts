'use client';
// The map's snapshots that are not live: the offline basemap, the grid cells,
// the key locations and the heatmap. One place for their SWR keys and refresh
// rules, shared by the desk (components/live-map.tsx) and the wall
// (components/wall/wall-page.tsx); SWR dedupes the requests by key.
import { useCallback, useEffect, useState } from 'react';
import useSWR, { type SWRResponse } from 'swr';
import { heatmapBinForZoom, type BasemapPayload, type GridCollection, type HeatmapBinSize, type HeatmapPayload, type HeatmapWindow, type KeyLocation } from '../model';
import { heatmapBoxParam, heatmapRequestFor, type HeatmapBox } from '../model/heatmap-viewport';
import { BASEMAP_KEY, GRIDS_KEY, HEATMAP_KEY_PREFIX, KEY_LOCATIONS_KEY } from './use-live';

/** The basemap changes only when an administrator imports a new one: fetched once per page, and again on `township:changed` (use-live.ts). */
export const STATIC_SWR = { revalidateIfStale: false, revalidateOnReconnect: false };
/** New dispute incidents reach the heatmap on this refresh, not live. */
export const HEATMAP_REFRESH_MS = 5 * 60_000;
/**
 * A heatmap fetched this recently is reused as it is when its key comes back. The wall returns to each view
 * of its rotation every minute or so: asked again, the same bins came back under a new `to`, a new object,
 * and deck.gl aggregated the heat and redrew the base twice per cut. Kept under the refresh: SWR dedupes
 * its polling by this interval too.
 */
export const HEATMAP_REUSE_MS = HEATMAP_REFRESH_MS / 2;
/** The camera settles this long before the heatmap asks about a new viewport: a run of pans makes one request. */
export const HEATMAP_VIEWPORT_SETTLE_MS = 300;

export interface MapSnapshots {
  basemap: SWRResponse<BasemapPayload, Error>;
  grids: SWRResponse<GridCollection, Error>;
  keyLocations: SWRResponse<KeyLocation[], Error>;
  heat: SWRResponse<HeatmapPayload, Error>;
  /** The bin size follows the map's zoom: hand this to MapView's onZoom. */
  onZoom(zoom: number): void;
}

export interface MapSnapshotOptions {
  /** Refetch the grids this often (their lastPatrolAt feeds coverage shading); 0: only on resync. */
  gridsRefreshMs: number;
  heatmapWindow: HeatmapWindow;
  /** The heatmap's bin edge in metres until the map reports its zoom (then heatmapBinForZoom of it). */
  initialHeatmapBin: HeatmapBinSize;
  /** The box on screen (MapView's onViewport): at a bin finer than the window's finest, the heatmap asks for this box only. */
  heatmapViewport?: HeatmapBox | null;
}

/** `value` once it stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function useMapSnapshots({ gridsRefreshMs, heatmapWindow, initialHeatmapBin, heatmapViewport = null }: MapSnapshotOptions): MapSnapshots {
  const [heatmapBin, setHeatmapBin] = useState<HeatmapBinSize>(initialHeatmapBin);
  const onZoom = useCallback((zoom: number) => setHeatmapBin(heatmapBinForZoom(zoom)), []);
  const basemap = useSWR<BasemapPayload, Error>(BASEMAP_KEY, STATIC_SWR);
  const grids = useSWR<GridCollection, Error>(GRIDS_KEY, { refreshInterval: gridsRefreshMs });
  const keyLocations = useSWR<KeyLocation[], Error>(KEY_LOCATIONS_KEY);
  // The box asked about is held while the screen stays inside it (heatmapRequestFor): a small pan or a zoom
  // in keeps the key, and the cache; its edges are snapped to 0.01°, so keys repeat.
  const screen = useSettled(heatmapViewport, HEATMAP_VIEWPORT_SETTLE_MS);
  const [held, setHeld] = useState<HeatmapBox | null>(null);
  const request = heatmapRequestFor(heatmapWindow, heatmapBin, screen, held);
  const bbox = request.box ? heatmapBoxParam(request.box) : null;
  // Held from this render on (state adjusted while rendering: React renders again at once, before painting).
  // Compared by parameter: a box equal to the one held is not stored again, which would never settle.
  if (request.box && bbox !== (held ? heatmapBoxParam(held) : null)) setHeld(request.box);
  // keepPreviousData: switching the window, the bin size (a zoom across 12 or 14) or the box keeps the old
  // heat on the map until the new one arrives, so it never flickers empty.
  const heat = useSWR<HeatmapPayload, Error>(`${HEATMAP_KEY_PREFIX}?window=${heatmapWindow}&bin=${request.bin}${bbox ? `&bbox=${bbox}` : ''}`, {
    keepPreviousData: true,
    refreshInterval: HEATMAP_REFRESH_MS,
    dedupingInterval: HEATMAP_REUSE_MS,
  });
  return { basemap, grids, keyLocations, heat, onZoom };
}
