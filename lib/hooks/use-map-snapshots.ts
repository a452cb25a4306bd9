'use client';
// The map's snapshots that are not live: the offline basemap, the grid cells,
// the key locations and the heatmap. One place for their SWR keys and refresh
// rules, shared by the desk (components/live-map.tsx) and the wall
// (components/wall/wall-page.tsx); SWR dedupes the requests by key.
import useSWR, { type SWRResponse } from 'swr';
import type { BasemapPayload, GridCollection, HeatmapBinSize, HeatmapPayload, HeatmapWindow, KeyLocation } from '../model';
import { BASEMAP_KEY, GRIDS_KEY, HEATMAP_KEY_PREFIX, KEY_LOCATIONS_KEY } from './use-live';

/** The basemap changes only when an administrator imports a new one: fetched once per page, and again on `township:changed` (use-live.ts). */
const STATIC_SWR = { revalidateIfStale: false, revalidateOnReconnect: false };
/** New dispute incidents reach the heatmap on this refresh, not live. */
export const HEATMAP_REFRESH_MS = 5 * 60_000;

export interface MapSnapshots {
  basemap: SWRResponse<BasemapPayload, Error>;
  grids: SWRResponse<GridCollection, Error>;
  keyLocations: SWRResponse<KeyLocation[], Error>;
  heat: SWRResponse<HeatmapPayload, Error>;
}

export interface MapSnapshotOptions {
  /** Refetch the grids this often (their lastPatrolAt feeds coverage shading); 0: only on resync. */
  gridsRefreshMs: number;
  heatmapWindow: HeatmapWindow;
  /** The heatmap's bin edge in metres, from the map's zoom (heatmapBinForZoom). */
  heatmapBin: HeatmapBinSize;
}

export function useMapSnapshots({ gridsRefreshMs, heatmapWindow, heatmapBin }: MapSnapshotOptions): MapSnapshots {
  const basemap = useSWR<BasemapPayload, Error>(BASEMAP_KEY, STATIC_SWR);
  const grids = useSWR<GridCollection, Error>(GRIDS_KEY, { refreshInterval: gridsRefreshMs });
  const keyLocations = useSWR<KeyLocation[], Error>(KEY_LOCATIONS_KEY);
  // keepPreviousData: switching the window or the bin size (a zoom across 12 or 14) keeps the old heat on
  // the map until the new one arrives, so it never flickers empty.
  const heat = useSWR<HeatmapPayload, Error>(`${HEATMAP_KEY_PREFIX}?window=${heatmapWindow}&bin=${heatmapBin}`, {
    keepPreviousData: true,
    refreshInterval: HEATMAP_REFRESH_MS,
  });
  return { basemap, grids, keyLocations, heat };
}
