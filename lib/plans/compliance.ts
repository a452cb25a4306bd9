// Checkpoint compliance (issue 14): what each checkpoint of a plan occurrence
// owes and whether it was paid, from the plan, the visits and `now`. Pure,
// with the township's zone as an argument (lib/model/township-time), so it
// never reads the server's TZ: tests/unit/plan-compliance*.test.ts.
//
// A checkpoint's periods: without a frequency, the whole occurrence is one
// period; "every N min between HH:MM and HH:MM" cuts that window (which may
// cross midnight) into slots of N minutes, the last one cut at the end. A
// period is visited when a visit arrived in it; it is due while it runs
// unvisited; it is overdue ("missed") once it ends unvisited — unless the
// plan's team was on a dispatch during it: then it is suspended, and a
// period that is running while the team is dispatched is suspended too.
import type { CheckpointFrequency, CheckpointState, PlanWindow } from '../model/plans';
import { addDays, startOfTownshipDay } from '../model/township-time';
import { clock, formatClock, occurrenceOn, wallInstant } from './recurrence';

/** A half-open span [start, end) in epoch ms; `end` null: still running. */
export interface Span {
  start: number;
  end: number | null;
}

export interface Period {
  start: number;
  end: number;
}

export interface PeriodState extends Period {
  state: CheckpointState;
}

/** The instant the township clock reads `minute` minutes after midnight of `day` (minute may pass 1440: the next day). */
function wallMs(day: string, minute: number, tz: string): number {
  return Date.parse(wallInstant(addDays(day, Math.floor(minute / 1440)), formatClock(minute % 1440), tz));
}

/**
 * The checkpoint's periods in the occurrence of `window` that starts on `day`.
 * Slot edges are wall-clock times (every 2 h from 18:00 is 18:00, 20:00,
 * 22:00, 00:00 on the township's clock), each turned into an instant.
 */
export function checkpointPeriods(
  { day, window, frequency, tz }: { day: string; window: PlanWindow; frequency: CheckpointFrequency | null; tz: string },
): Period[] {
  if (frequency === null) {
    const o = occurrenceOn(day, window, tz);
    return [{ start: Date.parse(o.start), end: Date.parse(o.end) }];
  }
  const planStart = clock(window.start);
  // The frequency window lies within the plan's (the service checks it), so
  // its start is the first time at or after the plan's start that reads fs.
  const first = planStart + ((clock(frequency.start) - planStart + 1440) % 1440);
  const length = (clock(frequency.end) - clock(frequency.start) + 1440) % 1440;
  const last = first + length;
  const out: Period[] = [];
  for (let m = first; m < last; m += frequency.everyMinutes) {
    out.push({ start: wallMs(day, m, tz), end: wallMs(day, Math.min(m + frequency.everyMinutes, last), tz) });
  }
  return out;
}

/** Whether the span overlaps the period (both half-open). */
export const overlaps = (p: Period, s: Span) => s.start < p.end && (s.end === null || s.end > p.start);
const covers = (s: Span, t: number) => s.start <= t && (s.end === null || t < s.end);

/** One period's state at `now` from the arrival times of visits and the team's dispatch spans. */
export function periodState(p: Period, { visits, suspensions, now }: { visits: readonly number[]; suspensions: readonly Span[]; now: number }): CheckpointState {
  if (visits.some((v) => v >= p.start && v < p.end)) return 'visited';
  if (now < p.start) return 'upcoming';
  if (now < p.end) return suspensions.some((s) => covers(s, now)) ? 'suspended' : 'due';
  return suspensions.some((s) => overlaps(p, s)) ? 'suspended' : 'overdue';
}

export interface CheckpointStatus {
  state: CheckpointState;
  /** The period `state` speaks of: the running one (the missed one before it when that makes it overdue), else the last ended one, else the first. */
  period: Period;
  /** The newest visit's arrival at or before now (epoch ms), or null. */
  lastVisitAt: number | null;
  /** When the next unvisited period ends (the time to be there by), or null when nothing more is owed in this occurrence. */
  nextDueAt: number | null;
  periods: PeriodState[];
}

/**
 * A checkpoint's state at `now`: the running period's, except that a period
 * left unvisited stays overdue until the next visit (a running slot after a
 * missed one reads overdue, not due, until the team comes). Before the first
 * period: upcoming; after the last: the last period's.
 */
export function checkpointStatus(
  periods: readonly Period[],
  { visits, suspensions, now }: { visits: readonly number[]; suspensions: readonly Span[]; now: number },
): CheckpointStatus {
  if (periods.length === 0) throw new RangeError('a checkpoint has at least one period');
  const seen = visits.filter((v) => v <= now);
  const states = periods.map((p) => ({ ...p, state: periodState(p, { visits: seen, suspensions, now }) }));
  const lastVisitAt = seen.length === 0 ? null : Math.max(...seen);
  let i = states.findIndex((p) => now >= p.start && now < p.end);
  // Periods follow one another without gaps: outside them is before the first or after the last.
  if (i < 0) i = now < states[0]!.start ? 0 : states.length - 1;
  let current = states[i]!;
  if (current.state === 'due' && i > 0) {
    const before = states[i - 1]!;
    if (before.state === 'overdue' && (lastVisitAt === null || lastVisitAt < before.end)) current = before;
  }
  const owed = states.find((p) => p.end > now && p.state !== 'visited');
  return { state: current.state, period: { start: current.start, end: current.end }, lastVisitAt, nextDueAt: owed?.end ?? null, periods: states };
}

/** The occurrences that may be live at `now`: the ones starting on `today` and the day before (a night window still running). */
export function liveOccurrenceDays(today: string): string[] {
  return [addDays(today, -1), today];
}

/**
 * The start of the township day before the one containing `t` (epoch ms):
 * where the live occurrences' visits and dispatches are read from. Taken as
 * the day containing t - 24 h, so on the day after a 25-hour day (DST ends)
 * within its first hour this is the start of that same day, not of the day
 * before (left as it is: the occurrences it misses began 25 h earlier).
 */
export function startOfYesterday(t: number, tz: string): Date {
  return startOfTownshipDay(t - 86_400_000, tz);
}

/** The key of a checkpoint of an occurrence: its arrivals and states are kept by it. */
export const arrivalKey = (planId: number, day: string, checkpointId: number) => `${planId}:${day}:${checkpointId}`;

/** The key of a visit pending its write: one row per checkpoint, team and arrival. */
export const pendingVisitKey = (v: { checkpointId: number; teamId: number; arrivedAt: number }) => `${v.checkpointId}:${v.teamId}:${v.arrivedAt}`;
