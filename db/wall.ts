// The wall's KPI figures (GET /api/wall/kpis) in one statement. Each wall
// polls every ~10 s, and the embedded engine has a single connection that
// every request queues on, so the figures are one round trip, not eight.
import type { OpenIncidentStatus, Severity, UnitStatus } from '../lib/model';
import type { Queryable } from './client';

/** A team committed to an incident: what the wall's "busy" tile counts. */
const BUSY_STATUSES = ['dispatched', 'en_route', 'on_scene'] as const satisfies readonly UnitStatus[];

export interface WallFigures {
  teams: { onDuty: number; available: number; busy: number };
  /** Open incidents per severity that has any (the service fills in the zeros). */
  openBySeverity: { severity: Severity; count: number }[];
  incidentsToday: number;
  /** Incidents in the four same-weekday windows together (the service divides by 4). */
  sameWeekdayTotal: number;
  medianResponseSeconds: number | null;
  responseSamples: number;
  openAlerts: number;
  unacknowledgedAlerts: number;
  busiestGrids: { gridId: number; code: string; name: string; nameEn: string; count: number }[];
}

interface FiguresRow {
  on_duty: number;
  available: number;
  busy: number;
  open_by_severity: { severity: number; count: number }[];
  incidents_today: number;
  same_weekday_total: number;
  median_response: number | string | null;
  response_samples: number;
  open_alerts: number;
  unacknowledged_alerts: number;
  busiest: { grid_id: number; code: string; name: string; name_en: string; count: number }[];
}

/**
 * Every figure as of `asOf`, days in the township zone `tz`.
 *
 * Day boundaries are computed in SQL from `asOf AT TIME ZONE tz` (the
 * township's wall clock, whatever the server's or the session's TimeZone):
 * today starts at that clock's midnight; the same weekday k weeks back runs
 * from its midnight to the same wall-clock time (local arithmetic, so a
 * daylight-saving change in between still compares 09:00 with 09:00). Every
 * window ends at `asOf` (inclusive), so the figures are those of that instant
 * even when asked about the past.
 *
 * Team status is the one the map shows (unit_state, else the roster); a team
 * is on duty when neither the roster (teams.on_duty) nor its unit state says
 * off duty, as dispatch recommendations count it.
 *
 * Response time: from the report to the first arrival among the incident's
 * assignments (the first team on scene — a reassigned first team that never
 * arrived does not hide the one that did), for incidents reported today.
 * percentile_cont(0.5) is the median: the middle value, or the mean of the
 * two middle values.
 *
 * Every incidents read is an index range (incidents_reported_at_idx; the
 * partial incidents_open_idx for open ones). The day bounds are MATERIALIZED
 * and each week counted through LATERAL: inlined, the planner joined the
 * four weeks to a sequential scan of incidents and recomputed the zone
 * conversions per row — 24 ms on the PostGIS server for the demo's 4,478
 * incidents and growing with the whole history; 2 ms as written (EXPLAIN
 * ANALYZE), growing only with the incidents inside the windows.
 */
export async function getWallFigures(
  db: Queryable,
  { asOf, tz, openStatuses }: { asOf: Date; tz: string; openStatuses: readonly OpenIncidentStatus[] },
): Promise<WallFigures> {
  const { rows } = await db.query<FiguresRow>(
    `WITH clock AS (
       SELECT $1::timestamptz AS as_of, ($1::timestamptz AT TIME ZONE $2::text) AS local_now
     ),
     today AS MATERIALIZED (
       SELECT as_of, date_trunc('day', local_now) AT TIME ZONE $2::text AS start FROM clock
     ),
     weeks AS MATERIALIZED (
       SELECT (date_trunc('day', local_now) - make_interval(days => 7 * k)) AT TIME ZONE $2::text AS start,
              (local_now - make_interval(days => 7 * k)) AT TIME ZONE $2::text AS cut
       FROM clock, generate_series(1, 4) AS k
     ),
     team_state AS (
       SELECT t.on_duty AND s.status <> 'off_duty' AS on_duty, s.status
       FROM teams t
       LEFT JOIN unit_state u ON u.team_id = t.id
       CROSS JOIN LATERAL (SELECT COALESCE(u.status, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END) AS status) s
     ),
     responses AS (
       SELECT (extract(epoch FROM min(a.arrived_at)) - extract(epoch FROM i.reported_at))::float8 AS seconds
       FROM today d
       JOIN incidents i ON i.reported_at >= d.start AND i.reported_at <= d.as_of
       JOIN assignments a ON a.incident_id = i.id AND a.arrived_at <= d.as_of
       GROUP BY i.id, i.reported_at
     ),
     busiest AS (
       SELECT g.id AS grid_id, g.code, g.name, g.name_en, count(*)::int AS count
       FROM clock c
       JOIN incidents i ON i.reported_at > c.as_of - interval '24 hours' AND i.reported_at <= c.as_of
       JOIN grids g ON g.id = i.grid_id
       GROUP BY g.id
       ORDER BY count DESC, g.code
       LIMIT 5
     )
     SELECT
       (SELECT count(*) FILTER (WHERE on_duty) FROM team_state)::int AS on_duty,
       (SELECT count(*) FILTER (WHERE on_duty AND status = 'available') FROM team_state)::int AS available,
       (SELECT count(*) FILTER (WHERE on_duty AND status = ANY($4::text[])) FROM team_state)::int AS busy,
       (SELECT COALESCE(json_agg(json_build_object('severity', severity, 'count', n) ORDER BY severity), '[]'::json)
        FROM (SELECT severity, count(*)::int AS n FROM incidents WHERE status = ANY($3::text[]) GROUP BY severity) s) AS open_by_severity,
       (SELECT count(*) FROM today d JOIN incidents i ON i.reported_at >= d.start AND i.reported_at <= d.as_of)::int AS incidents_today,
       (SELECT sum(n) FROM weeks w
        CROSS JOIN LATERAL (SELECT count(*) AS n FROM incidents i WHERE i.reported_at >= w.start AND i.reported_at <= w.cut) c)::int AS same_weekday_total,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM responses) AS median_response,
       (SELECT count(*) FROM responses)::int AS response_samples,
       (SELECT count(*) FROM alerts WHERE cleared_at IS NULL)::int AS open_alerts,
       (SELECT count(*) FROM alerts WHERE cleared_at IS NULL AND acknowledged_at IS NULL)::int AS unacknowledged_alerts,
       (SELECT COALESCE(json_agg(json_build_object('grid_id', grid_id, 'code', code, 'name', name, 'name_en', name_en, 'count', count)
                                 ORDER BY count DESC, code), '[]'::json)
        FROM busiest) AS busiest`,
    [asOf.toISOString(), tz, openStatuses, BUSY_STATUSES],
  );
  const r = rows[0]!;
  return {
    teams: { onDuty: r.on_duty, available: r.available, busy: r.busy },
    openBySeverity: r.open_by_severity.map((s) => ({ severity: s.severity as Severity, count: s.count })),
    incidentsToday: r.incidents_today,
    sameWeekdayTotal: r.same_weekday_total,
    medianResponseSeconds: r.median_response === null ? null : Number(r.median_response),
    responseSamples: r.response_samples,
    openAlerts: r.open_alerts,
    unacknowledgedAlerts: r.unacknowledged_alerts,
    busiestGrids: r.busiest.map((g) => ({ gridId: g.grid_id, code: g.code, name: g.name, nameEn: g.name_en, count: g.count })),
  };
}
