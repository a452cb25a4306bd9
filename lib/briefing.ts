// The leadership briefing (GET /api/briefing, /briefing, GET /api/briefing/pdf):
// which township days a period covers, the two periods it is compared with,
// and the figures of all three from one statement (db/briefing.ts); the
// current period's heatmap snapshot from the rollup (db/briefing-heatmap.ts).
import type { Queryable } from '../db/client';
import { getBriefingFigures, listBriefingVillages } from '../db/briefing';
import { getGridOutlines } from '../db/briefing-heatmap';
import { getHeatmapBins, getHeatmapSettings } from '../db/heatmap';
import { incidentRollupReady } from '../db/incident-rollup';
import { patrolRollupReady } from '../db/patrol-rollup';
import type { Config } from './config';
import { DEFAULT_PLAN_ROUTE_COVER_M } from './model/plan-report';
import { readPlanReport } from './plans/report';
import { DEFAULT_MARKET_DAYS_SETTING } from './plans/recurrence';
import { AppError } from './errors';
import { heatmapMinCount, rollupRanges } from './heatmap';
import type { Role } from './model';
import {
  briefingHeatmapBin,
  DEFAULT_HERB_SEASON_SETTING,
  lastDay,
  parseHerbSeason,
  type Briefing,
  type BriefingHeatmap,
  type BriefingPeriod,
  type BriefingRange,
} from './model/briefing';
import { addDays, daysBetween, firstOfMonth, isDay, isoWeekday, townshipDay, townshipDayStart } from './model/township-time';

export interface BriefingQuery {
  period: BriefingPeriod;
  /** A day in the period (YYYY-MM-DD); for custom, its first day. Absent: the last whole period before today. */
  from?: string;
  /** Custom only: the day after the last (exclusive), YYYY-MM-DD. */
  to?: string;
  villageId?: number;
}

/** The longest custom period (a little over a year, so a year with a leap day fits). */
export const MAX_CUSTOM_DAYS = 366;

/** The same calendar day a year earlier; 29 February becomes 28 February. */
function yearEarlier(day: string): string {
  const candidate = `${String(Number(day.slice(0, 4)) - 1).padStart(4, '0')}${day.slice(4)}`;
  return isDay(candidate) ? candidate : `${candidate.slice(0, 8)}28`;
}

/** The aligned period of kind `period` that holds `day`: [from, to). */
function periodHolding(period: Exclude<BriefingPeriod, 'custom'>, day: string): { from: string; to: string } {
  switch (period) {
    case 'day':
      return { from: day, to: addDays(day, 1) };
    case 'week': {
      // ISO weeks: Monday first.
      const from = addDays(day, 1 - isoWeekday(day));
      return { from, to: addDays(from, 7) };
    }
    case 'month':
      return { from: firstOfMonth(day), to: firstOfMonth(day, 1) };
    case 'quarter': {
      // Quarters start in January, April, July and October.
      const from = firstOfMonth(day, -((Number(day.slice(5, 7)) - 1) % 3));
      return { from, to: firstOfMonth(from, 3) };
    }
    case 'year': {
      const from = `${day.slice(0, 4)}-01-01`;
      return { from, to: firstOfMonth(from, 12) };
    }
  }
}

const badInput = (message: string) => new AppError('invalid_input', message);

/**
 * The three spans a briefing compares, as township days:
 * - current: the aligned day/week/month/quarter/year holding `from` (by
 *   default the last whole one before `today`), or the custom [from, to);
 * - previous: the aligned period before it (the previous month, quarter…), or
 *   for custom the same number of days just before;
 * - yearAgo: days and weeks 364 days earlier (the same weekdays), everything
 *   else the same calendar dates a year earlier.
 */
export function briefingSpans(q: Pick<BriefingQuery, 'period' | 'from' | 'to'>, today: string): { current: Span; previous: Span; yearAgo: Span } {
  if (q.period === 'custom') {
    if (!q.from || !q.to) throw badInput('period=custom needs from and to (YYYY-MM-DD, to exclusive)');
    const days = daysBetween(q.from, q.to);
    if (days < 1) throw badInput('to must be after from');
    if (days > MAX_CUSTOM_DAYS) throw badInput(`a custom period is at most ${MAX_CUSTOM_DAYS} days`);
    return {
      current: { from: q.from, to: q.to },
      previous: { from: addDays(q.from, -days), to: q.from },
      yearAgo: { from: yearEarlier(q.from), to: yearEarlier(q.to) },
    };
  }
  if (q.to) throw badInput(`to is only for period=custom (period=${q.period} is set by from)`);
  const anchor = q.from ?? addDays(periodHolding(q.period, today).from, -1);
  const current = periodHolding(q.period, anchor);
  const previous = periodHolding(q.period, addDays(current.from, -1));
  const sameWeekdays = q.period === 'day' || q.period === 'week';
  const yearAgo = sameWeekdays
    ? { from: addDays(current.from, -364), to: addDays(current.to, -364) }
    : { from: yearEarlier(current.from), to: yearEarlier(current.to) };
  return { current, previous, yearAgo };
}

interface Span {
  from: string;
  to: string;
}

function toRange(span: Span, tz: string): BriefingRange {
  return {
    ...span,
    start: townshipDayStart(span.from, tz).toISOString(),
    end: townshipDayStart(span.to, tz).toISOString(),
    days: daysBetween(span.from, span.to),
  };
}

/**
 * The heat of the period's dispute incidents from the rollup (its days are
 * TOWNSHIP_TZ's, kept so by syncHeatmap at start-up), at a bin size for the
 * period's length, projected for `role` as GET /api/heatmap is.
 */
async function readBriefingHeatmap(db: Queryable, range: BriefingRange, villageId: number | null, role: Role): Promise<BriefingHeatmap> {
  const binM = briefingHeatmapBin(range.days);
  const minCount = heatmapMinCount(role);
  const [settings, cells] = await Promise.all([getHeatmapSettings(db), getGridOutlines(db, { villageId })]);
  const ranges = rollupRanges(range.from, lastDay(range.to));
  const bins = await getHeatmapBins(db, { binM, ranges, refLat: settings.refLat, minCount, villageId });
  return { binM, minCount, ...bins, ...cells };
}

/**
 * The briefing for a query, as of `now` (which decides the default period),
 * for a reader of `role` (who decides the heatmap's smallest bin; by default
 * the projection for viewers and walls).
 */
export async function readBriefing(
  deps: { db: Queryable; config: Pick<Config, 'TOWNSHIP_TZ'> & Partial<Pick<Config, 'TOWNSHIP_HERB_SEASON' | 'TOWNSHIP_MARKET_DAYS' | 'PLAN_ROUTE_COVER_M'>> },
  q: BriefingQuery,
  { now = Date.now(), role = 'viewer' }: { now?: number; role?: Role } = {},
): Promise<Briefing> {
  const tz = deps.config.TOWNSHIP_TZ;
  // Without the setting (benches, tests of other figures): the default season.
  const herbMonths = parseHerbSeason(deps.config.TOWNSHIP_HERB_SEASON ?? DEFAULT_HERB_SEASON_SETTING);
  const spans = briefingSpans(q, townshipDay(now, tz));
  const ranges = { current: toRange(spans.current, tz), previous: toRange(spans.previous, tz), yearAgo: toRange(spans.yearAgo, tz) };
  // A year's previous period is the year before, which is also its year-ago period: read it once.
  const distinct = [...new Map(Object.values(ranges).map((r) => [`${r.start}/${r.end}`, r])).values()];
  const windowOf = (r: BriefingRange) => ({ start: new Date(r.start), end: new Date(r.end) });
  // The patrol and incident rollups refreshed once for every window, beside the villages' read;
  // each figures call below is told where to read its patrols and incidents.
  const [villages, rollupReady, incidentsReady] = await Promise.all([
    listBriefingVillages(deps.db),
    patrolRollupReady(deps.db, distinct.map(windowOf), tz),
    incidentRollupReady(deps.db, distinct.map(windowOf), tz),
  ]);
  const village = q.villageId === undefined ? null : (villages.find((v) => v.id === q.villageId) ?? null);
  if (q.villageId !== undefined && !village) throw new AppError('not_found', `no village ${q.villageId}`);
  // One window per call, the calls at once (the server's pool runs them side by side; the embedded
  // engine one after the other). All windows in one statement measured no faster on the PostGIS
  // server (bench/briefing.ts, a year over 100,000 incidents: 510 ms p50 either way on a quiet run;
  // 1,851 against 1,238 ms in favour of separate windows on a loaded one).
  const readFigures = async (r: BriefingRange) => {
    const [f] = await getBriefingFigures(deps.db, {
      windows: [windowOf(r)],
      tz,
      villageId: village?.id ?? null,
      herbMonths,
      patrolSource: rollupReady ? 'rollup' : 'positions',
      incidentSource: incidentsReady ? 'rollup' : 'incidents',
    });
    return f!;
  };
  // Plan vs actual for the current period: the same read as GET /api/plans/report (its days inclusive).
  const planConfig = {
    TOWNSHIP_TZ: tz,
    TOWNSHIP_MARKET_DAYS: deps.config.TOWNSHIP_MARKET_DAYS ?? DEFAULT_MARKET_DAYS_SETTING,
    PLAN_ROUTE_COVER_M: deps.config.PLAN_ROUTE_COVER_M ?? DEFAULT_PLAN_ROUTE_COVER_M,
  };
  const [heatmap, figures, plans] = await Promise.all([
    readBriefingHeatmap(deps.db, ranges.current, village?.id ?? null, role),
    Promise.all(distinct.map(readFigures)),
    readPlanReport({ db: deps.db, config: planConfig }, { from: spans.current.from, to: addDays(spans.current.to, -1) }, { now, maxDays: MAX_CUSTOM_DAYS }),
  ]);
  const of = (r: BriefingRange) => ({ range: r, figures: figures[distinct.findIndex((d) => d.start === r.start && d.end === r.end)]! });
  return {
    period: q.period,
    townshipTz: tz,
    village,
    villages,
    herbSeasonMonths: herbMonths,
    heatmap,
    current: of(ranges.current),
    previous: of(ranges.previous),
    yearAgo: of(ranges.yearAgo),
    plans,
  };
}
