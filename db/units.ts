import type { UnitState, ForceType, UnitStatus, LonLat } from '../lib/model';
import type { Queryable } from './client';
import { iso, lonLat, num } from './rows';

interface UnitRow {
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
}

const UNIT_SELECT = `
  SELECT t.id AS team_id, t.code, t.name, t.name_en, t.force_type, t.size,
         COALESCE(u.status, CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END) AS status,
         ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat, u.fix_time, u.speed, u.heading, u.battery, u.grid_id
  FROM teams t LEFT JOIN unit_state u ON u.team_id = t.id`;

function toUnit(r: UnitRow): UnitState {
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
     JOIN devices d ON d.team_id = t.id AND d.disabled_at IS NULL
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
