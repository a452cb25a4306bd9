import type { UnitState, ForceType, UnitStatus, LonLat } from '../lib/model';
import type { Queryable } from './client';
import { iso, lonLat, num } from './rows';

/** A unit's columns as UNIT_SELECT names them (db/replay.ts reads the same at a past moment). */
export interface UnitRow {
  team_id: number;
  code: string;
  name: string;
  name_en: string;
  force_type: ForceType;
  size: number;
  status: UnitStatus | null;
  lon: number | null;
  lat: number | null;
  fix_time: Date | string | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  grid_id: number | null;
  incident_id: string | number | null;
}

const UNIT_SELECT = `
  SELECT t.id AS team_id, t.code, t.name, t.name_en, t.force_type, t.size,
         COALESCE(u.status, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END) AS status,
         ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat, u.fix_time, u.speed, u.heading, u.battery, u.grid_id,
         a.incident_id
  FROM teams t LEFT JOIN unit_state u ON u.team_id = t.id
  -- At most one active assignment per team (assignments_one_active_per_team), so no duplicate rows.
  LEFT JOIN assignments a ON a.team_id = t.id AND a.released_at IS NULL`;

export function toUnit(r: UnitRow): UnitState {
  return {
    teamId: r.team_id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    forceType: r.force_type,
    size: r.size,
    status: r.status ?? 'available',
    position: lonLat(r.lon, r.lat),
    fixTime: iso(r.fix_time),
    speed: num(r.speed),
    heading: num(r.heading),
    battery: num(r.battery),
    gridId: r.grid_id,
    incidentId: r.incident_id === null ? null : Number(r.incident_id),
  };
}

export async function getUnits(db: Queryable): Promise<UnitState[]> {
  const { rows } = await db.query<UnitRow>(`${UNIT_SELECT} ORDER BY t.id`);
  return rows.map(toUnit);
}

export async function getUnitsByTeam(db: Queryable, { teamIds }: { teamIds: readonly number[] }): Promise<UnitState[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.query<UnitRow>(`${UNIT_SELECT} WHERE t.id = ANY($1::int[]) ORDER BY t.id`, [teamIds]);
  return rows.map(toUnit);
}

/** What the simulator needs to know about each on-duty team. */
export interface SimTeam {
  teamId: number;
  forceType: ForceType;
  homeGridId: number | null;
  villageId: number | null;
  deviceId: number;
  position: LonLat | null;
}

export async function getSimTeams(db: Queryable): Promise<SimTeam[]> {
  const { rows } = await db.query<{
    team_id: number;
    force_type: ForceType;
    home_grid_id: number | null;
    village_id: number | null;
    device_id: number;
    lon: number | null;
    lat: number | null;
  }>(
    `SELECT DISTINCT ON (t.id) t.id AS team_id, t.force_type, t.home_grid_id, t.village_id, d.id AS device_id,
            ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat
     FROM teams t
     -- Not a device an administrator issued a secret for: that one is a real phone (migration 0009).
     JOIN devices d ON d.team_id = t.id AND d.disabled_at IS NULL AND NOT d.admin_managed
     LEFT JOIN unit_state u ON u.team_id = t.id
     WHERE t.on_duty
     ORDER BY t.id, d.id`,
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    forceType: r.force_type,
    homeGridId: r.home_grid_id,
    villageId: r.village_id,
    deviceId: r.device_id,
    position: lonLat(r.lon, r.lat),
  }));
}

/** What dispatch needs to know about a team, its unit_state row locked for the rest of the transaction. */
export interface LockedTeam {
  teamId: number;
  code: string;
  onDuty: boolean;
  status: UnitStatus;
}

/**
 * Locks the team's unit_state row (creating it first for a team that has
 * never sent a fix), so two dispatches of one team queue here: the second
 * sees the first's assignment once the first commits. Null when no such team.
 */
export async function lockTeamUnit(db: Queryable, { teamId }: { teamId: number }): Promise<LockedTeam | null> {
  await db.query(
    `INSERT INTO unit_state (team_id, status)
     SELECT t.id, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END FROM teams t WHERE t.id = $1::int
     ON CONFLICT (team_id) DO NOTHING`,
    [teamId],
  );
  const { rows } = await db.query<{ team_id: number; code: string; on_duty: boolean; status: UnitStatus }>(
    `SELECT t.id AS team_id, t.code, t.on_duty, u.status
     FROM unit_state u JOIN teams t ON t.id = u.team_id
     WHERE u.team_id = $1::int
     FOR UPDATE OF u`,
    [teamId],
  );
  const r = rows[0];
  return r ? { teamId: r.team_id, code: r.code, onDuty: r.on_duty, status: r.status } : null;
}

/**
 * Sets the teams' unit status. `available` for a team that is off duty
 * (teams.on_duty false) stores `off_duty`: a released team that was taken
 * off duty meanwhile is not offered again. Returns the team ids it changed.
 */
export async function setUnitStatus(
  db: Queryable,
  { teamIds, status }: { teamIds: readonly number[]; status: UnitStatus },
): Promise<number[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.query<{ team_id: number }>(
    `INSERT INTO unit_state AS u (team_id, status, updated_at)
     SELECT t.id, CASE WHEN $2::text = 'available' AND NOT t.on_duty THEN 'off_duty' ELSE $2::text END, now()
     FROM teams t WHERE t.id = ANY($1::int[])
     -- Rows are locked in team order, as the ingest batch locks them: no deadlock cycle.
     ORDER BY t.id
     ON CONFLICT (team_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
     WHERE u.status IS DISTINCT FROM EXCLUDED.status
     RETURNING team_id`,
    [teamIds, status],
  );
  return rows.map((r) => r.team_id).sort((a, b) => a - b);
}
