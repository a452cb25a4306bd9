// The leadership briefing (GET /api/briefing, /briefing, the PDF): what
// happened over a period of township days, against the period before it and
// the same period a year earlier. Aggregates only: no narratives, no contacts,
// no single incident.
import type { HeatmapBinSize } from './domain';
import type { HeatmapPayload } from './api';
import type { PlanReport } from './plan-report';
import { addDays } from './township-time';

/**
 * The TOWNSHIP_HERB_SEASON default: May to July, when young adults of the demo
 * township are up in the mountains collecting medicinal herbs.
 */
export const DEFAULT_HERB_SEASON_SETTING = '5-7';

/**
 * Reads the TOWNSHIP_HERB_SEASON setting: township calendar months (1..12),
 * comma-separated, each a month (`6`) or an inclusive range (`5-7`); a range
 * may wrap the year end (`11-2` is November to February). Returns the months
 * sorted, each once. Throws RangeError naming the bad item.
 */
export function parseHerbSeason(setting: string): number[] {
  const months = new Set<number>();
  const month = (text: string, item: string): number => {
    if (!/^\d{1,2}$/.test(text) || +text < 1 || +text > 12) {
      throw new RangeError(`herb season item "${item}" is neither a month (1…12) nor a range of months such as 5-7`);
    }
    return +text;
  };
  for (const raw of setting.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const range = /^(\S+?)\s*-\s*(\S+)$/.exec(item);
    if (!range) {
      months.add(month(item, item));
      continue;
    }
    const first = month(range[1]!, item);
    const last = month(range[2]!, item);
    // Walk forward from the first month to the last, wrapping after December.
    for (let m = first; ; m = (m % 12) + 1) {
      months.add(m);
      if (m === last) break;
    }
  }
  if (months.size === 0) throw new RangeError('no herb season months given');
  return [...months].sort((a, b) => a - b);
}

/**
 * The medicinal-herb season as township calendar months (1..12) when
 * TOWNSHIP_HERB_SEASON is not set: the default for code without a
 * configuration (the seed's tests, the benches). The briefing compares the
 * season with the rest of the year; the demo township's planner
 * (lib/sim/township/incidents.ts) shapes its incidents by it.
 */
export const HERB_SEASON_MONTHS: readonly number[] = parseHerbSeason(DEFAULT_HERB_SEASON_SETTING);

export const BRIEFING_PERIODS = ['day', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type BriefingPeriod = (typeof BRIEFING_PERIODS)[number];

/** The last day of a span `[from, to)`: the day before `to`. */
export const lastDay = (to: string): string => addDays(to, -1);

/** A change as an arrow and a signed number, readable without colour: "↑ +3", "↓ −2", "= 0"; "—" without both figures. */
export function deltaLabel(now: number | null, before: number | null, digits = 0): { arrow: '↑' | '↓' | '=' | ''; text: string } {
  if (now === null || before === null) return { arrow: '', text: '—' };
  const d = Number((now - before).toFixed(digits));
  if (d === 0) return { arrow: '=', text: '= 0' };
  return d > 0 ? { arrow: '↑', text: `↑ +${d.toFixed(digits)}` } : { arrow: '↓', text: `↓ −${Math.abs(d).toFixed(digits)}` };
}

/** A span of whole township days: `from` inclusive, `to` exclusive (YYYY-MM-DD), and the instants they begin. */
export interface BriefingRange {
  from: string;
  to: string;
  /** ISO 8601 UTC: township midnight starting `from`. */
  start: string;
  /** ISO 8601 UTC: township midnight starting `to` (exclusive). */
  end: string;
  days: number;
}

export interface ResponseStat {
  /** Incidents that reached this step. */
  samples: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface BriefingVillageRow {
  villageId: number;
  code: string;
  name: string;
  nameEn: string;
  incidents: number;
  resolved: number;
}

export interface BriefingGridRow {
  gridId: number;
  code: string;
  name: string;
  nameEn: string;
  villageCode: string;
  incidents: number;
  resolved: number;
  /** Township clock hours in which any patrol fix fell in the cell. */
  patrolHours: number;
}

export interface BriefingForceRow {
  forceType: string;
  teams: number;
  /** Team-hours: per team, the township clock hours that hold a fix, summed. */
  hours: number;
  km: number;
  cells: number;
}

export interface BriefingTeamRow {
  teamId: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: string;
  hours: number;
  km: number;
  cells: number;
}

/** Every figure of one period; every list is sorted (counts descending, then code), zero rows only where a table lists every village or cell. */
export interface BriefingFigures {
  incidents: number;
  resolved: number;
  byCategory: { category: string; count: number }[];
  bySeverity: { severity: number; count: number }[];
  byOutcome: { outcome: string; count: number }[];
  byVillage: BriefingVillageRow[];
  byGrid: BriefingGridRow[];
  response: { dispatched: ResponseStat; onScene: ResponseStat; resolved: ResponseStat };
  patrolByForce: BriefingForceRow[];
  patrolByTeam: BriefingTeamRow[];
  patrolKm: number;
  gridsTotal: number;
  gridsNotPatrolled: number;
  alertsByKind: { kind: string; count: number }[];
  /** Incidents per township weekday (1 = Monday … 7 = Sunday) and hour (0..23); only non-zero cells. */
  hourOfWeek: { dow: number; hour: number; count: number }[];
  /** Herb-season months (township calendar) against the rest: incidents and days of the period in each. */
  herbSeason: { inSeason: { incidents: number; days: number }; offSeason: { incidents: number; days: number } };
}

export interface BriefingPart {
  range: BriefingRange;
  figures: BriefingFigures;
}

export interface BriefingVillage {
  id: number;
  code: string;
  name: string;
  nameEn: string;
}

/** Periods up to a quarter (92 days) are mapped at 400 m bins; longer ones at 1,600 m, so a year's heat is not a scatter of single incidents. */
export const BRIEFING_HEATMAP_MAX_400M_DAYS = 92;

/** The rollup's bin size the briefing maps a period of `days` township days at. */
export const briefingHeatmapBin = (days: number): HeatmapBinSize => (days <= BRIEFING_HEATMAP_MAX_400M_DAYS ? 400 : 1600);

/**
 * Where the period's dispute incidents concentrated: the heatmap rollup's bins
 * (the categories GET /api/heatmap counts) over the current period's township
 * days, with the same projection for viewers and walls (no bin under minCount:
 * merged into bins 4× and 16× wider, or withheld). With a village, the bins
 * whose centre lies in one of its cells.
 */
export interface BriefingHeatmap extends Pick<HeatmapPayload, 'binM' | 'minCount' | 'count' | 'withheld' | 'lon' | 'lat' | 'n'> {
  /** The grid cells' outlines (the village's cells when one is chosen), simplified to about 10 m: closed rings. */
  outlines: [lon: number, lat: number][][];
  /** [west, south, east, north] of the outlines; null when there are no cells. */
  bbox: [west: number, south: number, east: number, north: number] | null;
}

/** GET /api/briefing */
export interface Briefing {
  period: BriefingPeriod;
  townshipTz: string;
  village: BriefingVillage | null;
  /** Every village, for the picker. */
  villages: BriefingVillage[];
  /** Months (1..12) of the herb season. */
  herbSeasonMonths: number[];
  /** The current period's heat (not the comparison periods'). */
  heatmap: BriefingHeatmap;
  current: BriefingPart;
  previous: BriefingPart;
  yearAgo: BriefingPart;
  /**
   * Plan vs actual for the current period (lib/plans/report.ts: the figures
   * GET /api/plans/report gives for the same days), township-wide whatever
   * the village. Absent from briefings kept from before patrol plans.
   */
  plans?: PlanReport;
}
