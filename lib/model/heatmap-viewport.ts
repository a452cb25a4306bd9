// The heatmap's viewport (issue 13): a box the map asks about, and the finest
// bin it may ask for in it. Shared by the API (which refuses a box too large
// for the bin asked) and the map (which never asks for one), so both apply one rule.
import { HEATMAP_BIN_SIZES, HEATMAP_FINEST_BIN, type HeatmapBinSize, type HeatmapWindow } from './domain';

/** A box in degrees: west, south, east, north (the `bbox` query parameter's order). */
export type HeatmapBox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * A box may be served finer than its window's finest bin (HEATMAP_FINEST_BIN)
 * only while it holds at most this many bins of the size asked: 400 km² of
 * 100 m bins (a zoom-14 screen and a margin), 6,400 km² of 400 m. Only
 * non-empty bins are sent, so this bounds the payload whatever the window.
 */
export const HEATMAP_BOX_MAX_BINS = 40_000;

/** Degrees the map snaps its box to, outwards (about 1 km): keys repeat and read well. */
export const HEATMAP_BOX_STEP_DEG = 0.01;

/** The share of the screen's width and height the map adds on each side: a small pan stays inside the box fetched. */
export const HEATMAP_BOX_MARGIN = 0.2;

/** The box's area in m² on the grid's projection (degrees of longitude shrink with the cosine of latitude). */
export function heatmapBoxAreaM2([minLon, minLat, maxLon, maxLat]: HeatmapBox): number {
  const midLat = ((minLat + maxLat) / 2) * (Math.PI / 180);
  return (maxLon - minLon) * 111_320 * Math.cos(midLat) * ((maxLat - minLat) * 110_574);
}

/** How many bins of `binM` the box holds (by area: a rule both sides compute alike, not the grid's cells). */
export function heatmapBoxBins(box: HeatmapBox, binM: HeatmapBinSize): number {
  return heatmapBoxAreaM2(box) / (binM * binM);
}

/**
 * The finest bin a window is served at: HEATMAP_FINEST_BIN for the whole
 * township; in a box, finer while the box holds at most HEATMAP_BOX_MAX_BINS of
 * that size (never coarser than without a box: a box only ever takes bins away).
 */
export function heatmapFinestBin(window: HeatmapWindow, box: HeatmapBox | null): HeatmapBinSize {
  const finest = HEATMAP_FINEST_BIN[window];
  if (!box) return finest;
  return HEATMAP_BIN_SIZES.find((s) => s >= finest || heatmapBoxBins(box, s) <= HEATMAP_BOX_MAX_BINS) ?? finest;
}

/** The `bbox` parameter for a box: six decimals at most (0.1 m), no trailing zeros. */
export function heatmapBoxParam(box: HeatmapBox): string {
  return box.map((v) => String(Math.round(v * 1e6) / 1e6)).join(',');
}

/** Whether `outer` holds all of `inner`. */
export function heatmapBoxContains(outer: HeatmapBox, inner: HeatmapBox): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** The screen's box with HEATMAP_BOX_MARGIN on each side, snapped outwards to HEATMAP_BOX_STEP_DEG and kept on the globe. */
export function heatmapPaddedBox([minLon, minLat, maxLon, maxLat]: HeatmapBox): HeatmapBox {
  const dx = (maxLon - minLon) * HEATMAP_BOX_MARGIN;
  const dy = (maxLat - minLat) * HEATMAP_BOX_MARGIN;
  const step = HEATMAP_BOX_STEP_DEG;
  // Snapped in whole steps (integers) and divided once, so the same step always prints the same decimals.
  const down = (v: number) => Math.floor(v / step + 1e-9) / (1 / step);
  const up = (v: number) => Math.ceil(v / step - 1e-9) / (1 / step);
  return [
    Math.max(-180, down(minLon - dx)),
    Math.max(-90, down(minLat - dy)),
    Math.min(180, up(maxLon + dx)),
    Math.min(90, up(maxLat + dy)),
  ];
}

/** What the map asks /api/heatmap for: a bin size, and a box when the bin is finer than the whole township is served at. */
export interface HeatmapRequest {
  bin: HeatmapBinSize;
  box: HeatmapBox | null;
}

/**
 * The map's heatmap request for the bin its zoom picks (heatmapBinForZoom) and
 * the box on screen. Where that bin is no finer than the window's finest, no
 * box: the whole township, one SWR key for every pan. Finer, the box fetched
 * last (`held`) while the screen is still inside it and it allows that bin, or else the screen with a
 * margin; and the finest bin that box allows, falling back to the whole
 * township at the window's finest.
 */
export function heatmapRequestFor(
  window: HeatmapWindow,
  asked: HeatmapBinSize,
  screen: HeatmapBox | null,
  held: HeatmapBox | null,
): HeatmapRequest {
  const finest = HEATMAP_FINEST_BIN[window];
  if (!screen || asked >= finest) return { bin: Math.max(asked, finest) as HeatmapBinSize, box: null };
  // The held box only while it still allows the bin asked (a box fetched at 400 m may be too large for 100 m).
  const reuse = held !== null && heatmapBoxContains(held, screen) && heatmapFinestBin(window, held) <= asked;
  const box = reuse ? held : heatmapPaddedBox(screen);
  const bin = Math.max(asked, heatmapFinestBin(window, box)) as HeatmapBinSize;
  return bin >= finest ? { bin: finest, box: null } : { bin, box };
}
