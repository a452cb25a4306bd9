// The heatmap's viewport rule (issue 13): how fine a box may be served (by its
// area, so a county of 100 m bins over a year is never asked for), the box the
// map asks about (snapped, with a margin, held while a pan stays inside it),
// and the bin ranges the SQL reads for it (whole 16× bins for viewers' merging).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binRangeOfBox, wholeBins } from '@/db/heatmap';
import { servedBin } from '@/lib/heatmap';
import { HEATMAP_BIN_SIZES, HEATMAP_FINEST_BIN, HEATMAP_WINDOWS, type HeatmapBinSize } from '@/lib/model';
import {
  HEATMAP_BOX_MAX_BINS,
  heatmapBoxAreaM2,
  heatmapBoxBins,
  heatmapBoxContains,
  heatmapBoxParam,
  heatmapFinestBin,
  heatmapPaddedBox,
  heatmapRequestFor,
  type HeatmapBox,
} from '@/lib/model/heatmap-viewport';

const KX30 = 111_320 * Math.cos((30 * Math.PI) / 180);
/** A box of `w` × `h` km with its south-west corner at (100.3, 30) (its mid-latitude a hair above 30°). */
const boxKm = (w: number, h: number): HeatmapBox => [100.3, 30, 100.3 + (w * 1000) / KX30, 30 + (h * 1000) / 110_574];

describe('heatmapFinestBin', () => {
  it('is the window finest without a box', () => {
    for (const w of HEATMAP_WINDOWS) expect(heatmapFinestBin(w, null)).toBe(HEATMAP_FINEST_BIN[w]);
  });

  it('measures a box in metres on the ground: a degree of longitude at 30° is 0.866 of one at the equator', () => {
    expect(heatmapBoxAreaM2([100, 29.995, 100.01, 30.005]) / (1113.2 * Math.cos((30 * Math.PI) / 180) * 1105.74)).toBeCloseTo(1, 6);
    expect(heatmapBoxBins(boxKm(2, 3), 100)).toBeCloseTo(600, 0);
  });

  it('serves a street-sized box at 100 m in every window, a town at 400 m, a county at the window finest', () => {
    const street = boxKm(3, 2);
    const town = boxKm(30, 30);
    const county = boxKm(100, 100);
    expect(HEATMAP_WINDOWS.map((w) => heatmapFinestBin(w, street))).toEqual([100, 100, 100]);
    // 900 km²: 90,000 bins of 100 m (too many), 5,625 of 400 m.
    expect(HEATMAP_WINDOWS.map((w) => heatmapFinestBin(w, town))).toEqual([100, 400, 400]);
    // 10,000 km²: 62,500 bins of 400 m, so a year stays at 1.6 km; a week is 100 m anyway.
    expect(HEATMAP_WINDOWS.map((w) => heatmapFinestBin(w, county))).toEqual([100, 400, 1600]);
  });

  it('allows 100 m up to HEATMAP_BOX_MAX_BINS bins of it and not one more', () => {
    const side = Math.sqrt(HEATMAP_BOX_MAX_BINS) * 100;
    // A square of that many bins at the equator (the cosine is 1 there): just inside, then just outside.
    const square = (m: number): HeatmapBox => [0, -m / 2 / 110_574, m / 111_320, m / 2 / 110_574];
    expect(heatmapFinestBin('1y', square(side * 0.999))).toBe(100);
    expect(heatmapFinestBin('1y', square(side * 1.001))).toBe(400);
  });

  it('never serves a box coarser than the whole township, nor finer than the box allows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HEATMAP_WINDOWS),
        fc.constantFrom(...HEATMAP_BIN_SIZES),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        (window, asked, lon, lat, w, h) => {
          const box: HeatmapBox = [lon, lat, lon + w, lat + h];
          const bin = servedBin(window, asked, box);
          expect(bin).toBeLessThanOrEqual(servedBin(window, asked));
          expect(bin).toBeGreaterThanOrEqual(asked);
          // Finer than the window's finest only within the cap.
          expect(bin >= HEATMAP_FINEST_BIN[window] || heatmapBoxBins(box, bin) <= HEATMAP_BOX_MAX_BINS).toBe(true);
        },
      ),
    );
  });
});

describe('the box the map asks about', () => {
  // About 16 × 9 km: a 1080p screen at zoom 14 at 30° N.
  const screen: HeatmapBox = [100.25, 29.96, 100.415, 30.04];

  it('adds a fifth of the screen on each side, snapped outwards to 0.01°, printed short', () => {
    const padded = heatmapPaddedBox(screen);
    expect(heatmapBoxParam(padded)).toBe('100.21,29.94,100.45,30.06');
    expect(heatmapBoxContains(padded, screen)).toBe(true);
    expect(heatmapPaddedBox([-179.999, -89.99, 179.999, 89.99])).toEqual([-180, -90, 180, 90]);
  });

  it('asks for the whole township when the zoom bin is no finer than the window finest', () => {
    expect(heatmapRequestFor('7d', 100, screen, null)).toEqual({ bin: 100, box: null });
    expect(heatmapRequestFor('1y', 1600, screen, null)).toEqual({ bin: 1600, box: null });
    expect(heatmapRequestFor('30d', 400, screen, null)).toEqual({ bin: 400, box: null });
    // No screen yet: the whole township at the finest the window is served at.
    expect(heatmapRequestFor('1y', 100, null, null)).toEqual({ bin: 1600, box: null });
  });

  it('asks a year at street zoom for the padded screen at 100 m, and keeps that box while a pan stays inside it', () => {
    const first = heatmapRequestFor('1y', 100, screen, null);
    expect(first.bin).toBe(100);
    expect(heatmapBoxParam(first.box!)).toBe('100.21,29.94,100.45,30.06');
    const panned: HeatmapBox = [screen[0] + 0.02, screen[1] - 0.01, screen[2] + 0.02, screen[3] - 0.01];
    expect(heatmapRequestFor('1y', 100, panned, first.box)).toEqual({ bin: 100, box: first.box });
    // Zoomed in at the same bin: still inside.
    expect(heatmapRequestFor('1y', 100, [100.3, 29.99, 100.32, 30.0], first.box).box).toBe(first.box);
    // Panned out of it: a new box around the new screen.
    const away: HeatmapBox = [screen[0] + 0.1, screen[1], screen[2] + 0.1, screen[3]];
    const next = heatmapRequestFor('1y', 100, away, first.box);
    expect(heatmapBoxParam(next.box!)).toBe('100.31,29.94,100.55,30.06');
  });

  it('drops a held box too large for the bin now asked (zoomed in from 400 m to 100 m)', () => {
    const wide = heatmapRequestFor('1y', 400, [100.0, 29.8, 100.66, 30.16], null);
    expect(wide.bin).toBe(400);
    const closer = heatmapRequestFor('1y', 100, screen, wide.box);
    expect(closer.bin).toBe(100);
    expect(heatmapBoxParam(closer.box!)).toBe('100.21,29.94,100.45,30.06');
  });

  it('falls back to a coarser bin in the box, or to the whole township, when the screen is too large', () => {
    // A 4K wall at zoom 14: four times the screen's area, too many 100 m bins, few enough of 400 m.
    const wall: HeatmapBox = [100.17, 29.92, 100.5, 30.08];
    const r = heatmapRequestFor('1y', 100, wall, null);
    expect(r.bin).toBe(400);
    expect(heatmapBoxBins(r.box!, 400)).toBeLessThanOrEqual(HEATMAP_BOX_MAX_BINS);
    // The 30-day window is served at 400 m anyway: the whole township, no box.
    expect(heatmapRequestFor('30d', 100, wall, null)).toEqual({ bin: 400, box: null });
  });

  it('never asks for a bin the API would refuse for the box', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HEATMAP_WINDOWS),
        fc.constantFrom<HeatmapBinSize>(100, 400),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        (window, asked, lon, lat, span) => {
          const view: HeatmapBox = [lon, lat, lon + span, lat + span / 2];
          const r = heatmapRequestFor(window, asked, view, null);
          // Without a box, what the API serves the whole township at; with one, a box holding the screen
          // and a bin it allows.
          const box = r.box ?? view;
          expect(r.box === null ? r.bin === servedBin(window, asked) : heatmapBoxContains(box, view)).toBe(true);
          expect(r.bin).toBeGreaterThanOrEqual(heatmapFinestBin(window, r.box));
        },
      ),
    );
  });
});

describe('the bins the SQL reads for a box', () => {
  it('bins the corners as migration 0011 bins a point, and widens to whole 16× bins for merging', () => {
    const r = binRangeOfBox([100.3, 31.2, 100.31, 31.21], 100, 30);
    expect(r).toEqual({
      ix0: Math.floor((100.3 * KX30) / 100),
      ix1: Math.floor((100.31 * KX30) / 100),
      iy0: Math.floor((31.2 * 110_574) / 100),
      iy1: Math.floor((31.21 * 110_574) / 100),
    });
    expect(wholeBins({ ix0: -1, ix1: 17, iy0: 32, iy1: 47 }, 16)).toEqual({ ix0: -16, ix1: 31, iy0: 32, iy1: 47 });
    expect(wholeBins({ ix0: 5, ix1: 6, iy0: 7, iy1: 8 }, 1)).toEqual({ ix0: 5, ix1: 6, iy0: 7, iy1: 8 });
  });
});
