// The time machine's reads (issue 13): the township as it was at T, and the
// history of a range in columns. Every read is a probe of an index, never a
// scan of the history: positions through the unique (device_id, fix_time)
// btree, once per device; incidents through incidents_span_idx; alerts and
// assignments through the indexes of migration 0012.
import type { Alert, Assignment, IncidentStatus, UnitState } from '../lib/model';
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
         SELECT q.fix_time, q.geom, q.speed, q.heading, q.battery, q.grid_id
         FROM positions q
         WHERE q.device_id = d.id AND q.fix_time <= $1::timestamptz
         ORDER BY q.fix_time DESC LIMIT 1
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

/** An incident's status at T (the newest timeline step with a status at or before T). */
export interface IncidentAtRow {
  id: number;
  status: IncidentStatus;
}

/**
 * The incidents to show at T: every one open at T, and those reported in the
 * REPLAY_RECENT_HOURS before T (whatever their state), as the live map shows
 * now. Candidates come from incidents_span_idx and incidents_reported_at_idx;
 * the status at T is read from each candidate's timeline.
 */
export async function getIncidentStatusesAt(db: Queryable, { at }: { at: string }): Promise<IncidentAtRow[]> {
  const { rows } = await db.query<{ id: string; status: IncidentStatus }>(
    `WITH candidates AS (
       SELECT i.id, i.reported_at, i.timeline FROM incidents i
       WHERE ${INCIDENT_SPAN} @> $1::timestamptz
       UNION
       SELECT i.id, i.reported_at, i.timeline FROM incidents i
       WHERE i.reported_at <= $1::timestamptz
         AND i.reported_at > $1::timestamptz - make_interval(hours => $2::int)
     ), at_t AS (
       SELECT c.id, c.reported_at,
              COALESCE((SELECT x.e->>'status'
                        FROM jsonb_array_elements(c.timeline) WITH ORDINALITY AS x(e, n)
                        WHERE x.e ? 'status' AND (x.e->>'at')::timestamptz <= $1::timestamptz
                        ORDER BY (x.e->>'at')::timestamptz DESC, x.n DESC LIMIT 1), 'reported') AS status
       FROM candidates c
       WHERE c.reported_at <= $1::timestamptz
     )
     SELECT id::text, status FROM at_t
     WHERE status = ANY($3::text[]) OR reported_at > $1::timestamptz - make_interval(hours => $2::int)
     ORDER BY id`,
    [at, REPLAY_RECENT_HOURS, OPEN_INCIDENT_STATUSES],
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status }));
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

/** A status step of an incident. */
export interface StatusStepRow {
  incidentId: number;
  at: string;
  status: IncidentStatus;
}

/**
 * Every timeline step with a status in [from, to), oldest first. Only
 * incidents whose span (incidents_span_idx) meets the range can hold one.
 */
export async function getStatusSteps(db: Queryable, { from, to }: { from: string; to: string }): Promise<StatusStepRow[]> {
  const { rows } = await db.query<{ id: string; at: Date | string; status: IncidentStatus }>(
    `SELECT i.id::text, (x.e->>'at')::timestamptz AS at, x.e->>'status' AS status
     FROM incidents i
     CROSS JOIN LATERAL jsonb_array_elements(i.timeline) WITH ORDINALITY AS x(e, n)
     WHERE ${INCIDENT_SPAN} && tstzrange($1::timestamptz, $2::timestamptz, '[)')
       AND x.e ? 'status'
       AND (x.e->>'at')::timestamptz >= $1::timestamptz AND (x.e->>'at')::timestamptz < $2::timestamptz
     ORDER BY 2, i.id, x.n`,
    [from, to],
  );
  return rows.map((r) => ({ incidentId: Number(r.id), at: isoRequired(r.at), status: r.status }));
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
