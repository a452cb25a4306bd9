// The incident rollup (db/migrations/0018_incident_rollup.sql): per incident
// its township day, hour and response durations, and per township day its
// counts by category, severity, outcome, cell and hour, kept exact by marking
// the incidents each write touches and recomputing them here, before the
// briefing reads — as the patrol rollup (db/patrol-rollup.ts) does for fixes.
import { isStatementCancelled, type Queryable } from './client';
import { wholeTownshipDays } from './patrol-rollup';

/**
 * The most incidents one refresh recomputes. A briefing after ordinary use
 * finds a handful (the incidents written since the last one); the whole table
 * is marked only after the time zone, the grids' villages or the assignments
 * (TRUNCATE) changed, and then each briefing recomputes this many and reads
 * the incidents directly until none are left.
 */
const INCIDENT_REFRESH_LIMIT = 10_000;

/**
 * Recomputes the marked incidents (at most `limit`; null: all) on `tz`'s
 * clock — emptying the rollup and marking every incident first when its zone
 * is not `tz` or the grids changed — and answers how many marks are left: 0
 * means the rollup now gives exactly what the incidents give.
 */
export async function refreshIncidentRollup(db: Queryable, tz: string, limit: number | null = INCIDENT_REFRESH_LIMIT): Promise<number> {
  const { rows } = await db.query<{ left: number }>(`SELECT incident_rollup_refresh($1::text, $2::int) AS left`, [tz, limit]);
  return rows[0]!.left;
}

/**
 * Whether the briefing may read these windows' incident figures from the
 * rollup: every window starts and ends at a township midnight on `tz`'s clock
 * (the rollup holds whole days) and, after one refresh, no mark is left.
 * Otherwise it reads the incidents directly (the same figures). The briefing
 * asks once for all its windows (lib/briefing.ts) and passes the answer to
 * getBriefingFigures as `incidentSource`.
 */
export async function incidentRollupReady(db: Queryable, windows: readonly { start: Date; end: Date }[], tz: string): Promise<boolean> {
  if (!wholeTownshipDays(windows, tz)) return false;
  // A refresh the statement time limit cancels is rolled back whole: this briefing reads the incidents.
  const left = await refreshIncidentRollup(db, tz).catch((err: unknown) => {
    if (isStatementCancelled(err)) return null;
    throw err;
  });
  return left === 0;
}
