import type { Incident, IncidentCategory, IncidentStatus, LonLat, Severity } from '../lib/model';
import type { Queryable } from './client';
import { isoRequired } from './rows';

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
}

const INCIDENT_SELECT = `
  SELECT i.id, i.category, i.severity, i.status, i.title, i.description, i.reporter_contact,
         ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.grid_id, g.code AS grid_code,
         i.reported_at, i.source
  FROM incidents i LEFT JOIN grids g ON g.id = i.grid_id`;

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
  };
}

/** Everything not closed, plus whatever was reported in the last `recentHours`. */
export async function getLiveIncidents(db: Queryable, { recentHours = 24 }: { recentHours?: number } = {}): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `${INCIDENT_SELECT}
     WHERE i.status <> 'closed' OR i.reported_at > now() - make_interval(hours => $1::int)
     ORDER BY i.reported_at DESC
     LIMIT 2000`,
    [recentHours],
  );
  return rows.map(toIncident);
}

export async function getIncident(db: Queryable, { id }: { id: number }): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`${INCIDENT_SELECT} WHERE i.id = $1::bigint`, [id]);
  return rows[0] ? toIncident(rows[0]) : null;
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
            p.at, jsonb_build_array(jsonb_build_object('at', p.at, 'status', 'reported'))
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
    ],
  );
  const id = Number(rows[0]?.id);
  const stored = await getIncident(db, { id });
  if (!stored) throw new Error(`incident ${id} vanished after insert`);
  return stored;
}

/** Dispute incidents in a window as a flat [lon, lat, weight, …] array. */
export async function getDisputePoints(
  db: Queryable,
  { days, categories }: { days: number; categories: readonly string[] },
): Promise<{ from: string; to: string; points: number[] }> {
  const { rows } = await db.query<{ lon: number; lat: number; severity: number; from_t: Date | string; to_t: Date | string }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, severity,
            now() - make_interval(days => $1::int) AS from_t, now() AS to_t
     FROM incidents
     WHERE reported_at > now() - make_interval(days => $1::int) AND category = ANY($2::text[])`,
    [days, categories],
  );
  const points = new Array<number>(rows.length * 3);
  rows.forEach((r, i) => {
    points[i * 3] = Number(r.lon);
    points[i * 3 + 1] = Number(r.lat);
    points[i * 3 + 2] = Number(r.severity);
  });
  const now = new Date();
  return {
    from: rows[0] ? isoRequired(rows[0].from_t) : new Date(now.getTime() - days * 86_400_000).toISOString(),
    to: rows[0] ? isoRequired(rows[0].to_t) : now.toISOString(),
    points,
  };
}

export interface IncidentChange {
  status?: IncidentStatus;
  severity?: Severity;
}

/**
 * Applies a status and/or severity change and appends it to the incident's
 * timeline (who and when). Returns the stored incident, or null when there is
 * no such incident.
 */
export async function updateIncident(
  db: Queryable,
  { id, change, by }: { id: number; change: IncidentChange; by: string },
): Promise<Incident | null> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE incidents SET
       status      = COALESCE($2::text, status),
       severity    = COALESCE($3::smallint, severity),
       resolved_at = CASE WHEN $2::text = 'resolved' THEN COALESCE(resolved_at, now())
                          WHEN $2::text IN ('reported', 'dispatched', 'on_scene') THEN NULL ELSE resolved_at END,
       closed_at   = CASE WHEN $2::text = 'closed' THEN COALESCE(closed_at, now())
                          WHEN $2::text IS NOT NULL THEN NULL ELSE closed_at END,
       timeline    = timeline || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                       'at', now(), 'by', $4::text, 'status', $2::text, 'severity', $3::smallint)))
     WHERE id = $1::bigint
     RETURNING id::text`,
    [id, change.status ?? null, change.severity ?? null, by],
  );
  return rows[0] ? getIncident(db, { id }) : null;
}
