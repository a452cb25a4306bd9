import {
  OPEN_INCIDENT_STATUSES,
  type Incident,
  type IncidentCategory,
  type IncidentOutcome,
  type IncidentStatus,
  type LonLat,
  type Severity,
  type TimelineAction,
  type TimelineEntry,
} from '../lib/model';
import { ASSIGNMENT_JSON, toAssignments } from './assignments';
import type { Queryable } from './client';
import { iso, isoRequired } from './rows';

interface IncidentRow {
  id: string | number;
  category: IncidentCategory;
  severity: number;
  status: IncidentStatus;
  title: string;
  description: string | null;
  reporter_contact: string | null;
  lon: number;
  lat: number;
  grid_id: number | null;
  grid_code: string | null;
  reported_at: Date | string;
  source: string;
  outcome: IncidentOutcome | null;
  outcome_note: string | null;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  updated_at: Date | string;
  assignments: unknown;
}

/**
 * The incident with its active assignments. The lateral subquery reads the
 * incident's few assignments through assignments_incident_idx, so the live
 * list (up to 2,000 incidents) stays one statement.
 */
const INCIDENT_SELECT = `
  SELECT i.id, i.category, i.severity, i.status, i.title, i.description, i.reporter_contact,
         ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.grid_id, g.code AS grid_code,
         i.reported_at, i.source, i.outcome, i.outcome_note, i.resolved_at, i.closed_at, i.updated_at,
         asg.list AS assignments
  FROM incidents i LEFT JOIN grids g ON g.id = i.grid_id
  LEFT JOIN LATERAL (
    SELECT json_agg(${ASSIGNMENT_JSON} ORDER BY a.dispatched_at, a.id) AS list
    FROM assignments a JOIN teams t ON t.id = a.team_id
    WHERE a.incident_id = i.id AND a.released_at IS NULL
  ) asg ON true`;

function toIncident(r: IncidentRow): Incident {
  return {
    id: Number(r.id),
    category: r.category,
    severity: r.severity as Severity,
    status: r.status,
    title: r.title,
    description: r.description,
    reporterContact: r.reporter_contact,
    position: [Number(r.lon), Number(r.lat)],
    gridId: r.grid_id,
    gridCode: r.grid_code,
    reportedAt: isoRequired(r.reported_at),
    source: r.source,
    outcome: r.outcome,
    outcomeNote: r.outcome_note,
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    updatedAt: isoRequired(r.updated_at),
    assignments: toAssignments(r.assignments),
  };
}

/** The most incidents one list answers (newest first). */
export const INCIDENT_LIST_LIMIT = 2000;

/** Every open incident (OPEN_INCIDENT_STATUSES: not yet resolved), plus whatever was reported in the last `recentHours`. */
export async function getLiveIncidents(db: Queryable, { recentHours = 24 }: { recentHours?: number } = {}): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
     WHERE i.status = ANY($2::text[]) OR i.reported_at > now() - make_interval(hours => $1::int)
     ORDER BY i.reported_at DESC
     LIMIT ${INCIDENT_LIST_LIMIT}`,
    [recentHours, OPEN_INCIDENT_STATUSES],
  );
  return rows.map(toIncident);
}

/** GET /api/incidents filters; each one given narrows the list, none given means no narrowing. */
export interface IncidentFilter {
  statuses?: readonly IncidentStatus[];
  categories?: readonly IncidentCategory[];
  severities?: readonly Severity[];
  /** A grid cell's code (V1-03). */
  gridCode?: string;
  /** A village's code. */
  villageCode?: string;
  /** Reported at or after (ISO). */
  from?: string;
  /** Reported before (ISO). */
  to?: string;
}

/** Incidents matching every filter given, newest first. */
export async function getIncidents(db: Queryable, { filter }: { filter: IncidentFilter }): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
     WHERE ($1::text[] IS NULL OR i.status = ANY($1::text[]))
       AND ($2::text[] IS NULL OR i.category = ANY($2::text[]))
       AND ($3::int[] IS NULL OR i.severity = ANY($3::int[]))
       AND ($4::text IS NULL OR g.code = $4::text)
       AND ($5::text IS NULL OR g.village_id = (SELECT v.id FROM villages v WHERE v.code = $5::text))
       AND ($6::timestamptz IS NULL OR i.reported_at >= $6::timestamptz)
       AND ($7::timestamptz IS NULL OR i.reported_at < $7::timestamptz)
     ORDER BY i.reported_at DESC
     LIMIT ${INCIDENT_LIST_LIMIT}`,
    [
      filter.statuses ?? null,
      filter.categories ?? null,
      filter.severities ?? null,
      filter.gridCode ?? null,
      filter.villageCode ?? null,
      filter.from ?? null,
      filter.to ?? null,
    ],
  );
  return rows.map(toIncident);
}

export async function getIncident(db: Queryable, { id }: { id: number }): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`${INCIDENT_SELECT} WHERE i.id = $1::bigint`, [id]);
  return rows[0] ? toIncident(rows[0]) : null;
}

/** The incidents with these ids (the time machine reads the ones it found open at T), in id order. */
export async function getIncidentsByIds(db: Queryable, { ids }: { ids: readonly number[] }): Promise<Incident[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<IncidentRow>(`${INCIDENT_SELECT} WHERE i.id = ANY($1::bigint[]) ORDER BY i.id`, [ids]);
  return rows.map(toIncident);
}

export interface NewIncident {
  category: IncidentCategory;
  severity: Severity;
  title: string;
  description?: string | null;
  reporterContact?: string | null;
  source: string;
  position: LonLat;
  reportedAt?: Date;
  /** Who reported it (a username); null for the simulator's demo reports. */
  reportedBy?: string | null;
}

/** Inserts one incident; its grid is found in SQL. Returns the stored incident. */
export async function insertIncident(db: Queryable, inc: NewIncident): Promise<Incident> {
  const { rows } = await db.query<{ id: string }>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($6::float8, $7::float8), 4326) AS geom,
                       COALESCE($8::timestamptz, now()) AS at)
     INSERT INTO incidents (category, severity, title, description, reporter_contact, source, geom,
                            grid_id, reported_at, timeline)
     SELECT $1::text, $2::smallint, $3::text, $4::text, $5::text, $9::text, p.geom,
            (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, p.geom) ORDER BY g.id LIMIT 1),
            p.at, jsonb_build_array(jsonb_build_object('at', p.at, 'by', $10::text, 'action', 'reported', 'status', 'reported',
                                                       'severity', $2::smallint))
     FROM p
     RETURNING id::text`,
    [
      inc.category,
      inc.severity,
      inc.title,
      inc.description ?? null,
      inc.reporterContact ?? null,
      inc.position[0],
      inc.position[1],
      inc.reportedAt ? inc.reportedAt.toISOString() : null,
      inc.source,
      inc.reportedBy ?? null,
    ],
  );
  const id = Number(rows[0]?.id);
  const stored = await getIncident(db, { id });
  if (!stored) throw new Error(`incident ${id} vanished after insert`);
  return stored;
}

/** The incident's status, severity and position, its row locked for the rest of the transaction; null when no such incident. */
export async function lockIncident(
  db: Queryable,
  { id }: { id: number },
): Promise<{ id: number; status: IncidentStatus; severity: Severity; position: LonLat } | null> {
  const { rows } = await db.query<{ status: IncidentStatus; severity: number; lon: number; lat: number }>(
    `SELECT status, severity, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents WHERE id = $1::bigint FOR UPDATE`,
    [id],
  );
  const r = rows[0];
  return r ? { id, status: r.status, severity: r.severity as Severity, position: [Number(r.lon), Number(r.lat)] } : null;
}

/** A timeline step as a service writes it; `at` defaults to the transaction's time. */
export type NewTimelineEntry = Omit<TimelineEntry, 'at'> & { at?: string };

export interface IncidentChange {
  status?: IncidentStatus;
  severity?: Severity;
  /** With status `resolved`: how it ended (and the note). */
  outcome?: IncidentOutcome;
  outcomeNote?: string | null;
}

/**
 * Applies a change the incident service has already checked against the
 * transition table (lib/incidents.ts, with the row locked), stamps the
 * resolved/closed times, and appends the timeline steps. Moving back to an
 * open status (a reopen) clears the outcome, the note and both times, as the
 * CHECK incidents_outcome_when_resolved requires. Returns the stored incident,
 * or null when there is no such incident.
 */
export async function updateIncident(
  db: Queryable,
  { id, change, entries }: { id: number; change: IncidentChange; entries: readonly NewTimelineEntry[] },
): Promise<Incident | null> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE incidents SET
       status       = COALESCE($2::text, status),
       severity     = COALESCE($3::smallint, severity),
       outcome      = CASE WHEN $2::text = ANY($7::text[]) THEN NULL
                           WHEN $4::text IS NOT NULL THEN $4::text ELSE outcome END,
       outcome_note = CASE WHEN $2::text = ANY($7::text[]) THEN NULL
                           WHEN $4::text IS NOT NULL THEN $5::text ELSE outcome_note END,
       resolved_at  = CASE WHEN $2::text = 'resolved' THEN now()
                           WHEN $2::text = ANY($7::text[]) THEN NULL ELSE resolved_at END,
       closed_at    = CASE WHEN $2::text = 'closed' THEN now()
                           WHEN $2::text IS NOT NULL THEN NULL ELSE closed_at END,
       updated_at   = now(),
       timeline     = timeline || COALESCE(
                        (SELECT jsonb_agg(jsonb_build_object('at', now()) || e ORDER BY n)
                         FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS x(e, n)),
                        '[]'::jsonb)
     WHERE id = $1::bigint
     RETURNING id::text`,
    [
      id,
      change.status ?? null,
      change.severity ?? null,
      change.outcome ?? null,
      change.outcomeNote ?? null,
      JSON.stringify(entries),
      OPEN_INCIDENT_STATUSES,
    ],
  );
  return rows[0] ? getIncident(db, { id }) : null;
}

/** Appends timeline steps without changing anything else (a team acknowledged, but the status stays). */
export async function appendTimeline(db: Queryable, { id, entries }: { id: number; entries: readonly NewTimelineEntry[] }): Promise<void> {
  await updateIncident(db, { id, change: {}, entries });
}

/**
 * Timeline steps as stored. Steps written before issue 10 carry no `action`
 * ({at, status} from the seed, {at, by, status, severity} from a change):
 * the first is the report, the others a status or severity change. Since
 * issue 13 the report carries the first severity and a severity change the
 * one it replaced (`fromSeverity`), so the time machine can tell the severity
 * at any moment (db/replay.ts).
 */
export function toTimelineEntries(raw: unknown): TimelineEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((value: unknown, index): TimelineEntry => {
    const e = (value ?? {}) as Record<string, unknown>;
    const action: TimelineAction =
      typeof e.action === 'string'
        ? (e.action as TimelineAction)
        : index === 0
          ? 'reported'
          : e.status !== undefined && e.status !== null
            ? 'status'
            : 'severity';
    const out: TimelineEntry = {
      at: typeof e.at === 'string' ? isoRequired(e.at) : new Date(0).toISOString(),
      by: typeof e.by === 'string' ? e.by : null,
      action,
    };
    if (typeof e.status === 'string') out.status = e.status as IncidentStatus;
    if (typeof e.from === 'string') out.from = e.from as IncidentStatus;
    if (typeof e.severity === 'number') out.severity = e.severity as Severity;
    if (typeof e.fromSeverity === 'number') out.fromSeverity = e.fromSeverity as Severity;
    if (typeof e.teamId === 'number') out.teamId = e.teamId;
    if (typeof e.teamCode === 'string') out.teamCode = e.teamCode;
    if (typeof e.assignmentId === 'number') out.assignmentId = e.assignmentId;
    if (typeof e.releaseReason === 'string') out.releaseReason = e.releaseReason as TimelineEntry['releaseReason'];
    if (typeof e.outcome === 'string') out.outcome = e.outcome as IncidentOutcome;
    if (typeof e.note === 'string') out.note = e.note;
    return out;
  });
}

/** The incident's timeline, oldest first (in the order written); null when no such incident. */
export async function getIncidentTimeline(db: Queryable, { id }: { id: number }): Promise<TimelineEntry[] | null> {
  const { rows } = await db.query<{ timeline: unknown }>(`SELECT timeline FROM incidents WHERE id = $1::bigint`, [id]);
  return rows[0] ? toTimelineEntries(rows[0].timeline) : null;
}
