// The leadership briefing (GET /api/briefing, /briefing, the PDF): what
// happened over a period of township days, against the period before it and
// the same period a year earlier. Aggregates only: no narratives, no contacts,
// no single incident.
import { addDays } from './township-time';

/**
 * The medicinal-herb season, as township calendar months (1..12): May, June,
 * July, when young adults are up in the mountains. The briefing compares it
 * with the rest of the year; the demo township's planner (lib/sim/township/
 * incidents.ts) shapes its incidents by it.
 */
export const HERB_SEASON_MONTHS: readonly number[] = [5, 6, 7];

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

/** GET /api/briefing */
export interface Briefing {
  period: BriefingPeriod;
  townshipTz: string;
  village: BriefingVillage | null;
  /** Every village, for the picker. */
  villages: BriefingVillage[];
  /** Months (1..12) of the herb season. */
  herbSeasonMonths: number[];
  current: BriefingPart;
  previous: BriefingPart;
  yearAgo: BriefingPart;
}
