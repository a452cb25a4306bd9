// What ranking teams for an incident reads: the incident's position and every
// team's latest position, status and active assignment, in ONE statement so
// the ranking sees one consistent moment.
import type { ForceType, LonLat, UnitStatus } from '../lib/model';
import type { Queryable } from './client';
import { lonLat } from './rows';

export interface DispatchCandidate {
  teamId: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  status: UnitStatus;
  position: LonLat | null;
  /** Epoch milliseconds of the newest fix, or null. */
  fixTimeMs: number | null;
  /** The incident of the team's active assignment (released_at IS NULL), or null. */
  busyWith: number | null;
}

export interface DispatchCandidates {
  incidentPosition: LonLat;
  onDuty: number;
  offDuty: number;
  /** On-duty teams only, by id. */
  teams: DispatchCandidate[];
}

interface CandidateJson {
  team_id: number;
  code: string;
  name: string;
  name_en: string;
  force_type: ForceType;
  status: UnitStatus;
  lon: number | null;
  lat: number | null;
  fix_ms: number | null;
  busy_with: number | string | null;
}

/**
 * Null when there is no such incident. A team is off duty when the roster
 * says so (teams.on_duty) or its unit state does; busy when it has an active
 * assignment (the partial unique index allows at most one per team).
 * Teams are aggregated into one JSON value: one round trip, one snapshot,
 * a few hundred teams at most.
 */
export async function getDispatchCandidates(db: Queryable, { incidentId }: { incidentId: number }): Promise<DispatchCandidates | null> {
  const { rows } = await db.query<{ lon: number; lat: number; on_duty: number; off_duty: number; teams: CandidateJson[] }>(
    `WITH team_state AS (
       SELECT t.id, t.code, t.name, t.name_en, t.force_type,
              t.on_duty AND COALESCE(u.status, 'available') <> 'off_duty' AS on_duty,
              COALESCE(u.status, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END) AS status,
              ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat,
              (extract(epoch FROM u.fix_time) * 1000)::float8 AS fix_ms,
              a.incident_id AS busy_with
       FROM teams t
       LEFT JOIN unit_state u ON u.team_id = t.id
       LEFT JOIN assignments a ON a.team_id = t.id AND a.released_at IS NULL
     )
     SELECT ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
            (SELECT count(*) FROM team_state WHERE on_duty)::int AS on_duty,
            (SELECT count(*) FROM team_state WHERE NOT on_duty)::int AS off_duty,
            (SELECT COALESCE(json_agg(json_build_object(
                      'team_id', id, 'code', code, 'name', name, 'name_en', name_en, 'force_type', force_type,
                      'status', status, 'lon', lon, 'lat', lat, 'fix_ms', fix_ms, 'busy_with', busy_with) ORDER BY id), '[]'::json)
             FROM team_state WHERE on_duty) AS teams
     FROM incidents i
     WHERE i.id = $1::bigint`,
    [incidentId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    incidentPosition: [Number(r.lon), Number(r.lat)],
    onDuty: r.on_duty,
    offDuty: r.off_duty,
    teams: r.teams.map((t) => ({
      teamId: t.team_id,
      code: t.code,
      name: t.name,
      nameEn: t.name_en,
      forceType: t.force_type,
      status: t.status,
      position: lonLat(t.lon, t.lat),
      fixTimeMs: t.fix_ms === null ? null : Number(t.fix_ms),
      busyWith: t.busy_with === null ? null : Number(t.busy_with),
    })),
  };
}
