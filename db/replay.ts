// The time machine's reads (issue 13): the township as it was at T, and the
// history of a range in columns. Every read is a probe of an index, never a
// scan of the history: positions through the unique (device_id, fix_time)
// btree, once per device; incidents through incidents_span_idx, their status
// and severity at T from each one's own timeline; alerts and assignments
// through the indexes of migration 0012.
import type { Alert, Assignment, IncidentStatus, Severity, UnitState } from '../lib/model';
import { REPLAY_RECENT_HOURS, OPEN_INCIDENT_STATUSES } from '../lib/model';
import { alertSelect, toAlert, type AlertRow } from './alerts';
import { ASSIGNMENT_JSON, toAssignments } from './assignments';
import type { Queryable } from './client';
import { isoRequired } from './rows';
import { toUnit, type UnitRow } from './units';

/**
 * An incident's span, written exactly as incidents_span_idx (0012_replay.sql)
 * so the planner matches it: report → last change once resolved or closed, →
 * infinity while open. Every timeline step and every moment it was open lie inside.
 */
const INCIDENT_SPAN = `tstzrange(i.reported_at,
            CASE WHEN i.status IN ('resolved', 'closed') THEN GREATEST(i.reported_at, i.updated_at)
                 ELSE 'infinity'::timestamptz END,
            '[]')`;

/**
 * An incident's status and severity at the moment `at` (SQL), from one pass
 * over its timeline `tl` (today's severity `sev`): a LATERAL subquery giving
 * the columns `status` and `severity`. Status: the newest step at or before
 * `at` with a status (a string: old severity-only steps carry
 * `"status": null`), else 'reported'. Severity, in order:
 * 1. the newest step at or before `at` that set a severity — a change, or,
 *    since issue 13, the report, which carries the first severity;
 * 2. before any such step, the severity the first later change replaced
 *    (`fromSeverity`, recorded since issue 13);
 * 3. when that change is older than issue 13 and recorded nothing, or nothing
 *    ever changed it: today's severity. For an incident whose severity never
 *    changed this is exact; for an old one changed before issue 13 it is the
 *    one guess left (its first severity was never stored).
 * A step sets a severity when its `severity` is a number: changes written
 * before issue 10 carry `"severity": null` when only the status moved. Ties
 * in time go to the later step in the array. The aggregates read one
 * incident's timeline array once, nothing else; `[1]` of an ordered
 * array_agg is its first element (NULL when none passed the filter), and the
 * second probe keeps NULL elements so a later change without `fromSeverity`
 * still counts as the first one.
 */
function timelineAtSql(tl: string, sev: string, at: string): string {
  return `LATERAL (
       SELECT COALESCE((array_agg(x.e->>'status' ORDER BY x.at DESC, x.n DESC)
                          FILTER (WHERE jsonb_typeof(x.e->'status') = 'string' AND x.at <= ${at}))[1],
                       'reported') AS status,
              COALESCE((array_agg((x.e->>'severity')::int ORDER BY x.at DESC, x.n DESC)
                          FILTER (WHERE x.sets_severity AND x.at <= ${at}))[1],
                       (array_agg(CASE WHEN jsonb_typeof(x.e->'fromSeverity') = 'number' THEN (x.e->>'fromSeverity')::int END
                                  ORDER BY x.at, x.n)
                          FILTER (WHERE x.sets_severity AND x.at > ${at}))[1],
                       ${sev}::int) AS severity
       FROM (SELECT t.e, t.n, (t.e->>'at')::timestamptz AS at, jsonb_typeof(t.e->'severity') = 'number' AS sets_severity
             FROM jsonb_array_elements(${tl}) WITH ORDINALITY AS t(e, n)) x
     )`;
}

/**
 * Every team with its newest fix at or before `at`. Per device, a LATERAL
 * `ORDER BY fix_time DESC LIMIT 1` is one backward probe of the unique
 * (device_id, fix_time) index; the newest of a team's devices wins. A naive
 * `DISTINCT ON (device_id) … WHERE fix_time <= T` reads every fix up to T
 * instead: bench/replay.ts measures both.
 * The status is the team's assignment at T (dispatched → en route once
 * acknowledged → on scene once arrived); without one, the roster's today.
 * The columns are db/units.ts's (UnitRow), so the live map's toUnit reads them.
 */
export async function getTeamsAt(db: Queryable, { at }: { at: string }): Promise<UnitState[]> {
  const { rows } = await db.query<UnitRow>(
    `SELECT t.id AS team_id, t.code, t.name, t.name_en, t.force_type, t.size,
            COALESCE(a.assigned_status, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END) AS status,
            ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, p.fix_time, p.speed, p.heading, p.battery, p.grid_id,
            a.incident_id
     FROM teams t
     LEFT JOIN LATERAL (
       SELECT f.* FROM devices d
       CROSS JOIN LATERAL (
         -- The day before T first: positions is partitioned by UTC day with a
         -- default partition (migration 0019), and only a bounded range lets
         -- the default be pruned, so the probe reads one or two partitions;
         -- before that (a device silent all day) the unbounded probe, which
         -- opens every older partition's index once.
         (SELECT q.fix_time, q.geom, q.speed, q.heading, q.battery, q.grid_id
          FROM positions q
          WHERE q.device_id = d.id AND q.fix_time <= $1::timestamptz AND q.fix_time > $1::timestamptz - interval '1 day'
          ORDER BY q.fix_time DESC LIMIT 1)
         UNION ALL
         (SELECT q.fix_time, q.geom, q.speed, q.heading, q.battery, q.grid_id
          FROM positions q
          WHERE q.device_id = d.id AND q.fix_time <= $1::timestamptz - interval '1 day'
          ORDER BY q.fix_time DESC LIMIT 1)
         LIMIT 1
       ) f
       WHERE d.team_id = t.id
       ORDER BY f.fix_time DESC LIMIT 1
     ) p ON true
     LEFT JOIN LATERAL (
       SELECT x.incident_id,
              CASE WHEN x.arrived_at <= $1::timestamptz THEN 'on_scene'
                   WHEN x.acknowledged_at <= $1::timestamptz THEN 'en_route'
                   ELSE 'dispatched' END AS assigned_status
       FROM assignments x
       WHERE x.team_id = t.id AND x.dispatched_at <= $1::timestamptz
         AND (x.released_at IS NULL OR x.released_at > $1::timestamptz)
       ORDER BY x.dispatched_at DESC LIMIT 1
     ) a ON true
     ORDER BY t.id`,
    [at],
  );
  return rows.map(toUnit);
}

/** An incident's status and severity at T, read from its timeline. */
export interface IncidentAtRow {
  id: number;
  status: IncidentStatus;
  severity: Severity;
}

/**
 * The incidents to show at T: every one open at T, and those reported in the
 * REPLAY_RECENT_HOURS before T (whatever their state), as the live map shows
 * now. Candidates come from incidents_span_idx and incidents_reported_at_idx;
 * their status and severity at T are read from each candidate's timeline in
 * one pass (timelineAtSql).
 */
export async function getIncidentStatesAt(db: Queryable, { at }: { at: string }): Promise<IncidentAtRow[]> {
  const { rows } = await db.query<{ id: string; status: IncidentStatus; severity: number }>(
    `WITH candidates AS (
       SELECT i.id, i.reported_at, i.severity, i.timeline FROM incidents i
       WHERE ${INCIDENT_SPAN} @> $1::timestamptz
       UNION
       SELECT i.id, i.reported_at, i.severity, i.timeline FROM incidents i
       WHERE i.reported_at <= $1::timestamptz
         AND i.reported_at > $1::timestamptz - make_interval(hours => $2::int)
     ), at_t AS (
       SELECT c.id, c.reported_at, s.status, s.severity
       FROM candidates c
       CROSS JOIN ${timelineAtSql('c.timeline', 'c.severity', '$1::timestamptz')} s
       WHERE c.reported_at <= $1::timestamptz
     )
     SELECT id::text, status, severity FROM at_t
     WHERE status = ANY($3::text[]) OR reported_at > $1::timestamptz - make_interval(hours => $2::int)
     ORDER BY id`,
    [at, REPLAY_RECENT_HOURS, OPEN_INCIDENT_STATUSES],
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status, severity: Number(r.severity) as Severity }));
}

/** Each of these incidents' severity when it was reported (timelineAtSql at its report time), by id, through the primary key. */
export async function getSeveritiesAtReport(db: Queryable, { ids }: { ids: readonly number[] }): Promise<Map<number, Severity>> {
  const out = new Map<number, Severity>();
  if (ids.length === 0) return out;
  const { rows } = await db.query<{ id: string; severity: number }>(
    `SELECT i.id::text, s.severity
     FROM incidents i CROSS JOIN ${timelineAtSql('i.timeline', 'i.severity', 'i.reported_at')} s
     WHERE i.id = ANY($1::bigint[])`,
    [ids],
  );
  for (const r of rows) out.set(Number(r.id), Number(r.severity) as Severity);
  return out;
}

/** The assignments of these incidents that were active at T (dispatched by then, not yet released), by incident. */
export async function getAssignmentsAt(db: Queryable, { incidentIds, at }: { incidentIds: readonly number[]; at: string }): Promise<Map<number, Assignment[]>> {
  const out = new Map<number, Assignment[]>();
  if (incidentIds.length === 0) return out;
  const { rows } = await db.query<{ incident_id: string; list: unknown }>(
    `SELECT a.incident_id::text, json_agg(${ASSIGNMENT_JSON} ORDER BY a.dispatched_at, a.id) AS list
     FROM assignments a JOIN teams t ON t.id = a.team_id
     WHERE a.incident_id = ANY($1::bigint[]) AND a.dispatched_at <= $2::timestamptz
       AND (a.released_at IS NULL OR a.released_at > $2::timestamptz)
     GROUP BY a.incident_id`,
    [incidentIds, at],
  );
  for (const r of rows) out.set(Number(r.incident_id), toAssignments(r.list));
  return out;
}

/**
 * Alerts raised in [from, to) — or [from, to] with `toInclusive` (the state at
 * T holds what was raised at T itself) — oldest first, as stored now, through
 * alerts_raised_at_idx.
 */
export async function getAlertsRaised(db: Queryable, { from, to, toInclusive = false }: { from: string; to: string; toInclusive?: boolean }): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `${alertSelect('alerts')}
     WHERE a.raised_at >= $1::timestamptz AND a.raised_at <= $2::timestamptz
       AND (a.raised_at < $2::timestamptz OR $3::boolean)
     ORDER BY a.raised_at, a.id`,
    [from, to, toInclusive],
  );
  return rows.map(toAlert);
}

/** A step of an incident that set its status, its severity or both (the other field absent). */
export interface IncidentStepRow {
  incidentId: number;
  at: string;
  status?: IncidentStatus;
  severity?: Severity;
}

/**
 * Every timeline step in [from, to) that set a status or a severity (a string
 * `status`, a numeric `severity`: see timelineAtSql), oldest first. Only
 * incidents whose span (incidents_span_idx) meets the range can hold one.
 */
export async function getIncidentSteps(db: Queryable, { from, to }: { from: string; to: string }): Promise<IncidentStepRow[]> {
  const { rows } = await db.query<{ id: string; at: Date | string; status: IncidentStatus | null; severity: number | null }>(
    `SELECT i.id::text, (x.e->>'at')::timestamptz AS at,
            CASE WHEN jsonb_typeof(x.e->'status') = 'string' THEN x.e->>'status' END AS status,
            CASE WHEN jsonb_typeof(x.e->'severity') = 'number' THEN (x.e->>'severity')::int END AS severity
     FROM incidents i
     CROSS JOIN LATERAL jsonb_array_elements(i.timeline) WITH ORDINALITY AS x(e, n)
     WHERE ${INCIDENT_SPAN} && tstzrange($1::timestamptz, $2::timestamptz, '[)')
       AND (jsonb_typeof(x.e->'status') = 'string' OR jsonb_typeof(x.e->'severity') = 'number')
       AND (x.e->>'at')::timestamptz >= $1::timestamptz AND (x.e->>'at')::timestamptz < $2::timestamptz
     ORDER BY 2, i.id, x.n`,
    [from, to],
  );
  return rows.map((r) => ({
    incidentId: Number(r.id),
    at: isoRequired(r.at),
    ...(r.status !== null ? { status: r.status } : {}),
    ...(r.severity !== null ? { severity: Number(r.severity) as Severity } : {}),
  }));
}

/** One device's fixes in a range, as columns: ms since `from`, lon and lat in microdegrees. */
export interface TrackColumns {
  deviceId: number;
  teamId: number;
  t: number[];
  x: number[];
  y: number[];
}

/**
 * Every device's fixes in [from, to), oldest first. Per device one forward
 * range read of the unique (device_id, fix_time) index (the shape survives
 * partitioning by time); the database builds the columns, so no row per fix
 * crosses the wire.
 */
export async function getTracks(db: Queryable, { from, to }: { from: string; to: string }): Promise<TrackColumns[]> {
  const { rows } = await db.query<{ device_id: number; team_id: number; t: number[]; x: number[]; y: number[] }>(
    `SELECT d.id AS device_id, d.team_id, f.t, f.x, f.y
     FROM devices d
     CROSS JOIN LATERAL (
       SELECT count(*) AS n,
              array_agg(round(extract(epoch FROM q.fix_time - $1::timestamptz) * 1000)::int ORDER BY q.fix_time) AS t,
              array_agg(round(ST_X(q.geom) * 1e6)::int ORDER BY q.fix_time) AS x,
              array_agg(round(ST_Y(q.geom) * 1e6)::int ORDER BY q.fix_time) AS y
       FROM positions q
       WHERE q.device_id = d.id AND q.fix_time >= $1::timestamptz AND q.fix_time < $2::timestamptz
     ) f
     WHERE f.n > 0
     ORDER BY d.id`,
    [from, to],
  );
  return rows.map((r) => ({ deviceId: r.device_id, teamId: r.team_id, t: r.t.map(Number), x: r.x.map(Number), y: r.y.map(Number) }));
}
