// The patrol rollup (db/migrations/0014_patrol_rollup.sql): per device and
// township day, path metres and clock-hour masks, kept exact by marking the
// device-days the ingest writes dirty and recomputing them here, before the
// briefing reads.
import { startOfTownshipDay, townshipDay } from '../lib/model/township-time';
import { isStatementCancelled, type Queryable } from './client';

/**
 * The most device-days one refresh recomputes. A briefing after ordinary
 * ingest finds a few dozen (each device's today); thousands are left only
 * after the time zone or the grids changed, and then each briefing recomputes
 * this many and reads positions directly until none are left.
 */
export const PATROL_REFRESH_LIMIT = 500;

/**
 * Recomputes the dirty device-days (at most `limit`; null: all) on `tz`'s
 * clock — rebuilding the whole rollup first when its zone is not `tz` or the
 * grids changed — and answers how many are still dirty: 0 means the rollup
 * now gives exactly what the fixes give.
 */
export async function refreshPatrolRollup(db: Queryable, tz: string, limit: number | null = PATROL_REFRESH_LIMIT): Promise<number> {
  const { rows } = await db.query<{ left: number }>(`SELECT patrol_rollup_refresh($1::text, $2::int) AS left`, [tz, limit]);
  return rows[0]!.left;
}

/** Every window starts and ends at a township midnight on `tz`'s clock (the first instant of its day): the rollups hold whole days. */
export function wholeTownshipDays(windows: readonly { start: Date; end: Date }[], tz: string): boolean {
  const atMidnight = (d: Date) => startOfTownshipDay(d, tz).getTime() === d.getTime();
  return windows.every((w) => atMidnight(w.start) && atMidnight(w.end));
}

/**
 * Whether the briefing may read these windows' patrols from the rollup: every
 * window starts and ends at a township midnight on `tz`'s clock (the first
 * instant of its day; the rollup holds whole days) and, after one refresh, no
 * mark is left on the windows' days (marks of other days, such as a live
 * ingest's today, do not count). Otherwise it reads positions directly. The
 * briefing asks once for all its windows (lib/briefing.ts) and passes the
 * answer to getBriefingFigures as `patrolSource`.
 */
export async function patrolRollupReady(db: Queryable, windows: readonly { start: Date; end: Date }[], tz: string): Promise<boolean> {
  if (!wholeTownshipDays(windows, tz)) return false;
  // A refresh the statement time limit cancels (a huge backlog) is rolled back
  // whole: this briefing reads the fixes, as it would with marks left.
  const { rows } = await db
    .query<{ left: number | null }>(`SELECT patrol_rollup_refresh($1::text, $2::int, $3::date[], $4::date[]) AS left`, [
      tz,
      PATROL_REFRESH_LIMIT,
      windows.map((w) => townshipDay(w.start, tz)),
      windows.map((w) => townshipDay(w.end, tz)),
    ])
    .catch((err: unknown) => {
      if (isStatementCancelled(err)) return { rows: [{ left: null }] };
      throw err;
    });
  return rows[0]!.left === 0;
}
