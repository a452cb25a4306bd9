// The dispute heatmap (issue 13): bins from the rollup (db/heatmap.ts), never
// incident points. A window is the last N township days, today included.
import { binRangeOfBox, getHeatmapBins, getHeatmapSettings, syncHeatmapSettings, type RollupRanges } from '../db/heatmap';
import type { Db, Queryable } from '../db/client';
import {
  HEATMAP_FINEST_BIN,
  HEATMAP_MIN_SHOWN_COUNT,
  HEATMAP_WINDOW_DAYS,
  STAFF_ROLES,
  type HeatmapBinSize,
  type HeatmapPayload,
  type HeatmapWindow,
  type Role,
} from './model';
import { heatmapFinestBin, type HeatmapBox } from './model/heatmap-viewport';
import { addDays, firstOfMonth, townshipDayStart } from './model/township-time';

/**
 * The rollup rows that cover the township days `first`..`last` (inclusive):
 * month rows for every whole calendar month inside, day rows for the rest.
 */
export function rollupRanges(first: string, last: string): RollupRanges {
  const fullFrom = first === firstOfMonth(first) ? first : firstOfMonth(first, 1);
  const fullTo = firstOfMonth(addDays(last, 1));
  if (fullFrom >= fullTo) return { days: [{ from: first, to: last }], months: [] };
  const days: RollupRanges['days'] = [];
  if (first < fullFrom) days.push({ from: first, to: addDays(fullFrom, -1) });
  if (fullTo <= last) days.push({ from: fullTo, to: last });
  return { days, months: [{ from: fullFrom, to: fullTo }] };
}

/** The smallest bin a role is shown: staff see every bin (they see incidents' places anyway), viewers and walls none under 3. */
export function heatmapMinCount(role: Role): number {
  return (STAFF_ROLES as readonly Role[]).includes(role) ? 1 : HEATMAP_MIN_SHOWN_COUNT;
}

/**
 * The bin size a window is served at: the one asked for, or the window's finest (HEATMAP_FINEST_BIN) if that is coarser;
 * in a box, the finest the box allows (heatmapFinestBin: finer than the window's while the box is small).
 */
export function servedBin(window: HeatmapWindow, asked: HeatmapBinSize, box: HeatmapBox | null = null): HeatmapBinSize {
  return Math.max(asked, box ? heatmapFinestBin(window, box) : HEATMAP_FINEST_BIN[window]) as HeatmapBinSize;
}

/**
 * GET /api/heatmap: the dispute incidents of the window's township days per bin of `asked` (or coarser: servedBin),
 * in the whole township or in `box` only.
 */
export async function getHeatmap(
  db: Queryable,
  { window, binM: asked, role, box = null }: { window: HeatmapWindow; binM: HeatmapBinSize; role: Role; box?: HeatmapBox | null },
): Promise<HeatmapPayload> {
  const binM = servedBin(window, asked, box);
  const settings = await getHeatmapSettings(db);
  const first = addDays(settings.today, -(HEATMAP_WINDOW_DAYS[window] - 1));
  const minCount = heatmapMinCount(role);
  const bins = await getHeatmapBins(db, {
    binM,
    ranges: rollupRanges(first, settings.today),
    refLat: settings.refLat,
    minCount,
    box: box ? binRangeOfBox(box, binM, settings.refLat) : null,
  });
  return {
    window,
    from: townshipDayStart(first, settings.timeZone).toISOString(),
    to: settings.now,
    binM,
    minCount,
    count: bins.count,
    withheld: bins.withheld,
    lon: bins.lon,
    lat: bins.lat,
    n: bins.n,
  };
}

/** At start-up: the rollup counts TOWNSHIP_TZ's days (recounted if the zone or the township's latitude changed). */
export async function syncHeatmap(db: Db, { timeZone }: { timeZone: string }): Promise<boolean> {
  return db.transaction((tx) => syncHeatmapSettings(tx, { timeZone }));
}
