// The wall display's KPI tiles (GET /api/wall/kpis): read-only figures from
// the database as of one instant, days in the township's time zone.
import type { Queryable } from '../db/client';
import { getWallFigures } from '../db/wall';
import type { Config } from './config';
import { OPEN_INCIDENT_STATUSES, SEVERITIES, type Severity, type WallKpis } from './model';
import { townshipDay } from './model/township-time';

/** How many previous same weekdays the "incidents today" tile is compared with. */
const WEEKS_COMPARED = 4;

/**
 * The figures as of `now` (the server's clock unless a test fixes it). Every
 * severity is present in `openBySeverity`; the same-weekday average divides
 * by all four weeks, days without incidents included, so a quiet week lowers
 * it as it should.
 */
export async function readWallKpis(
  deps: { db: Queryable; config: Pick<Config, 'TOWNSHIP_TZ' | 'WALL_ROTATE_S'> },
  { now = Date.now() }: { now?: number } = {},
): Promise<WallKpis> {
  const tz = deps.config.TOWNSHIP_TZ;
  const f = await getWallFigures(deps.db, { asOf: new Date(now), tz, openStatuses: OPEN_INCIDENT_STATUSES });
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const { severity, count } of f.openBySeverity) openBySeverity[severity] = count;
  return {
    asOf: now,
    townshipTz: tz,
    day: townshipDay(now, tz),
    teams: f.teams,
    openBySeverity,
    incidentsToday: f.incidentsToday,
    sameWeekdayAverage: f.sameWeekdayTotal / WEEKS_COMPARED,
    medianResponseSeconds: f.medianResponseSeconds,
    responseSamples: f.responseSamples,
    openAlerts: f.openAlerts,
    unacknowledgedAlerts: f.unacknowledgedAlerts,
    rotateSeconds: deps.config.WALL_ROTATE_S,
    busiestGrids: f.busiestGrids,
  };
}
