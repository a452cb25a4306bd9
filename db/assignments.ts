// Assignments: a team committed to an incident, from dispatch until release.
// The partial unique index assignments_one_active_per_team (migration 0006)
// is the database's own rule that a team is never committed twice; the
// dispatch service (lib/dispatch.ts) also locks the team's unit_state row
// first, so the index is the backstop, not the everyday path.
import type { Assignment, ForceType, ReleaseReason } from '../lib/model';
import type { Queryable } from './client';
import { iso, isoRequired } from './rows';

interface AssignmentRow {
  id: string | number;
  incident_id: string | number;
  team_id: number;
  team_code: string;
  team_name: string;
  team_name_en: string;
  force_type: ForceType;
  dispatched_at: Date | string;
  dispatched_by: string;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  arrived_at: Date | string | null;
  arrived_by: string | null;
  released_at: Date | string | null;
  release_reason: ReleaseReason | null;
}

/**
 * The columns of an Assignment, for a query over `assignments a JOIN teams t`.
 * db/incidents.ts builds the same object in json for Incident.assignments
 * (ASSIGNMENT_JSON); both go through toAssignment.
 */
const ASSIGNMENT_COLUMNS = `
  a.id, a.incident_id, a.team_id, t.code AS team_code, t.name AS team_name, t.name_en AS team_name_en,
  t.force_type, a.dispatched_at, a.dispatched_by, a.acknowledged_at, a.acknowledged_by,
  a.arrived_at, a.arrived_by, a.released_at, a.release_reason`;

/** The same columns as a json object (for json_agg in db/incidents.ts). */
export const ASSIGNMENT_JSON = `json_build_object(
  'id', a.id, 'incident_id', a.incident_id, 'team_id', a.team_id, 'team_code', t.code, 'team_name', t.name,
  'team_name_en', t.name_en, 'force_type', t.force_type, 'dispatched_at', a.dispatched_at,
  'dispatched_by', a.dispatched_by, 'acknowledged_at', a.acknowledged_at, 'acknowledged_by', a.acknowledged_by,
  'arrived_at', a.arrived_at, 'arrived_by', a.arrived_by, 'released_at', a.released_at,
  'release_reason', a.release_reason)`;

export function toAssignment(r: AssignmentRow): Assignment {
  return {
    id: Number(r.id),
    incidentId: Number(r.incident_id),
    teamId: Number(r.team_id),
    teamCode: r.team_code,
    teamName: r.team_name,
    teamNameEn: r.team_name_en,
    forceType: r.force_type,
    dispatchedAt: isoRequired(r.dispatched_at),
    dispatchedBy: r.dispatched_by,
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    arrivedAt: iso(r.arrived_at),
    arrivedBy: r.arrived_by,
    releasedAt: iso(r.released_at),
    releaseReason: r.release_reason,
  };
}

/** Rows as json_agg hands them back (timestamps as strings). */
export function toAssignments(json: unknown): Assignment[] {
  return Array.isArray(json) ? (json as AssignmentRow[]).map(toAssignment) : [];
}

const SELECT = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments a JOIN teams t ON t.id = a.team_id`;

export async function getAssignment(db: Queryable, { id }: { id: number }): Promise<Assignment | null> {
  const { rows } = await db.query<AssignmentRow>(`${SELECT} WHERE a.id = $1::bigint`, [id]);
  return rows[0] ? toAssignment(rows[0]) : null;
}

/** The assignment row locked for the rest of the transaction (take the incident's lock first). */
export async function lockAssignment(db: Queryable, { id }: { id: number }): Promise<Assignment | null> {
  const { rows } = await db.query<AssignmentRow>(`${SELECT} WHERE a.id = $1::bigint FOR UPDATE OF a`, [id]);
  return rows[0] ? toAssignment(rows[0]) : null;
}

/** The team's active (not released) assignment, or null: at most one (the partial unique index). */
export async function getActiveAssignmentForTeam(db: Queryable, { teamId }: { teamId: number }): Promise<Assignment | null> {
  const { rows } = await db.query<AssignmentRow>(`${SELECT} WHERE a.team_id = $1::int AND a.released_at IS NULL`, [teamId]);
  return rows[0] ? toAssignment(rows[0]) : null;
}

/** Every assignment of an incident (released ones too unless `activeOnly`), oldest first. */
export async function getAssignmentsByIncident(
  db: Queryable,
  { incidentId, activeOnly = false }: { incidentId: number; activeOnly?: boolean },
): Promise<Assignment[]> {
  const { rows } = await db.query<AssignmentRow>(
    `${SELECT} WHERE a.incident_id = $1::bigint AND (NOT $2::boolean OR a.released_at IS NULL) ORDER BY a.dispatched_at, a.id`,
    [incidentId, activeOnly],
  );
  return rows.map(toAssignment);
}

/**
 * Commits a team to an incident. A second active assignment of the same team
 * fails with 23505 on assignments_one_active_per_team (the caller maps it).
 */
export async function insertAssignment(
  db: Queryable,
  { incidentId, teamId, by }: { incidentId: number; teamId: number; by: string },
): Promise<Assignment> {
  const { rows } = await db.query<AssignmentRow>(
    `WITH a AS (
       INSERT INTO assignments (incident_id, team_id, dispatched_by) VALUES ($1::bigint, $2::int, $3::text)
       RETURNING *)
     SELECT ${ASSIGNMENT_COLUMNS} FROM a JOIN teams t ON t.id = a.team_id`,
    [incidentId, teamId, by],
  );
  const row = rows[0];
  if (!row) throw new Error(`assignment of team ${teamId} to incident ${incidentId} returned no row`);
  return toAssignment(row);
}

/** Ends the given assignments that are still active; returns the ones it ended. */
export async function releaseAssignments(
  db: Queryable,
  { ids, reason }: { ids: readonly number[]; reason: ReleaseReason },
): Promise<Assignment[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<AssignmentRow>(
    `WITH a AS (
       UPDATE assignments SET released_at = now(), release_reason = $2::text
       WHERE id = ANY($1::bigint[]) AND released_at IS NULL
       RETURNING *)
     SELECT ${ASSIGNMENT_COLUMNS} FROM a JOIN teams t ON t.id = a.team_id ORDER BY a.dispatched_at, a.id`,
    [ids, reason],
  );
  return rows.map(toAssignment);
}

/** Records the team's acknowledgement (only if not yet acknowledged); null when nothing changed. */
export async function setAssignmentAcknowledged(db: Queryable, { id, by }: { id: number; by: string }): Promise<Assignment | null> {
  const { rows } = await db.query<AssignmentRow>(
    `WITH a AS (
       UPDATE assignments SET acknowledged_at = now(), acknowledged_by = $2::text
       WHERE id = $1::bigint AND acknowledged_at IS NULL AND released_at IS NULL
       RETURNING *)
     SELECT ${ASSIGNMENT_COLUMNS} FROM a JOIN teams t ON t.id = a.team_id`,
    [id, by],
  );
  return rows[0] ? toAssignment(rows[0]) : null;
}

/** Marks active, not yet arrived assignments arrived (at `at`, or now); returns the ones it marked. */
export async function setAssignmentsArrived(
  db: Queryable,
  { ids, by, at }: { ids: readonly number[]; by: string; at?: Date },
): Promise<Assignment[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<AssignmentRow>(
    `WITH a AS (
       UPDATE assignments SET arrived_at = COALESCE($3::timestamptz, now()), arrived_by = $2::text
       WHERE id = ANY($1::bigint[]) AND arrived_at IS NULL AND released_at IS NULL
       RETURNING *)
     SELECT ${ASSIGNMENT_COLUMNS} FROM a JOIN teams t ON t.id = a.team_id ORDER BY a.dispatched_at, a.id`,
    [ids, by, at ? at.toISOString() : null],
  );
  return rows.map(toAssignment);
}

/** A device's label and its team's active assignment (null when the team has none); null when no such device. */
export async function getDeviceAssignment(
  db: Queryable,
  { deviceId }: { deviceId: number },
): Promise<{ label: string; teamId: number; assignmentId: number | null } | null> {
  const { rows } = await db.query<{ label: string; team_id: number; assignment_id: string | null }>(
    `SELECT d.label, d.team_id, a.id::text AS assignment_id
     FROM devices d LEFT JOIN assignments a ON a.team_id = d.team_id AND a.released_at IS NULL
     WHERE d.id = $1::int`,
    [deviceId],
  );
  const r = rows[0];
  return r ? { label: r.label, teamId: r.team_id, assignmentId: r.assignment_id === null ? null : Number(r.assignment_id) } : null;
}
