// Teams as the administrator manages them (issue 12). The unit view of a team
// (status, position) is db/units.ts; devices are db/devices.ts.
import type { AdminTeam, ForceType, PlaceOption } from '../lib/model';
import type { Queryable } from './client';
import { listAdminDevices } from './devices';

/** What a team is made of, as the admin form sends it (the area empty: the whole township). */
export type TeamFields = Omit<AdminTeam, 'id' | 'devices' | 'areaGridIds'> & { areaGridIds: readonly number[] };

interface TeamRow {
  id: number;
  code: string;
  name: string;
  name_en: string;
  force_type: ForceType;
  size: number;
  village_id: number | null;
  home_grid_id: number | null;
  area_grid_ids: number[] | null;
  on_duty: boolean;
}

// The area is stored as one MultiPolygon (the outside-area rule tests points
// against it); the cells it was made of are read back as those whose inner
// point it covers, so an area drawn by the seed or an import reads the same way.
const TEAM_SELECT = `
  SELECT t.id, t.code, t.name, t.name_en, t.force_type, t.size, t.village_id, t.home_grid_id, t.on_duty,
         (SELECT array_agg(g.id ORDER BY g.id) FROM grids g
          WHERE t.area IS NOT NULL AND ST_Covers(t.area, ST_PointOnSurface(g.geom))) AS area_grid_ids
  FROM teams t`;

/** Every team with its devices, by code. */
export async function listAdminTeams(db: Queryable): Promise<AdminTeam[]> {
  const [{ rows }, devices] = await Promise.all([db.query<TeamRow>(`${TEAM_SELECT} ORDER BY t.code`), listAdminDevices(db, {})]);
  return rows.map((r) => toTeam(r, devices.filter((d) => d.teamId === r.id)));
}

export async function getAdminTeam(db: Queryable, { id }: { id: number }): Promise<AdminTeam | null> {
  const { rows } = await db.query<TeamRow>(`${TEAM_SELECT} WHERE t.id = $1::int`, [id]);
  const r = rows[0];
  return r ? toTeam(r, await listAdminDevices(db, { teamId: id })) : null;
}

function toTeam(r: TeamRow, devices: AdminTeam['devices']): AdminTeam {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    forceType: r.force_type,
    size: r.size,
    villageId: r.village_id,
    homeGridId: r.home_grid_id,
    areaGridIds: r.area_grid_ids ?? [],
    onDuty: r.on_duty,
    devices,
  };
}

/** The team's code, for messages and the device card; null when there is no such team. */
export async function getTeamName(db: Queryable, { id }: { id: number }): Promise<{ id: number; code: string; name: string; nameEn: string } | null> {
  const { rows } = await db.query<{ id: number; code: string; name: string; name_en: string }>(
    `SELECT id, code, name, name_en FROM teams WHERE id = $1::int`,
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, code: r.code, name: r.name, nameEn: r.name_en } : null;
}

/** Villages and grid cells by code: what a team may be given. */
export async function listPlaceOptions(db: Queryable): Promise<{ villages: PlaceOption[]; grids: PlaceOption[] }> {
  const [villages, grids] = await Promise.all([
    db.query<{ id: number; code: string; name: string; name_en: string }>(`SELECT id, code, name, name_en FROM villages ORDER BY code`),
    db.query<{ id: number; code: string; name: string; name_en: string }>(`SELECT id, code, name, name_en FROM grids ORDER BY code`),
  ]);
  const option = (r: { id: number; code: string; name: string; name_en: string }): PlaceOption => ({ id: r.id, code: r.code, name: r.name, nameEn: r.name_en });
  return { villages: villages.rows.map(option), grids: grids.rows.map(option) };
}

/** Which of the given village and grid ids do not exist (the service names them in its 422). */
export async function findUnknownPlaces(
  db: Queryable,
  { villageId, gridIds }: { villageId: number | null; gridIds: readonly number[] },
): Promise<{ villageUnknown: boolean; unknownGridIds: number[] }> {
  const { rows } = await db.query<{ village_unknown: boolean; unknown_grid_ids: number[] | null }>(
    `SELECT ($1::int IS NOT NULL AND NOT EXISTS (SELECT 1 FROM villages WHERE id = $1::int)) AS village_unknown,
            (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest($2::int[]) AS x
             WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = x)) AS unknown_grid_ids`,
    [villageId, gridIds],
  );
  return { villageUnknown: rows[0]?.village_unknown ?? false, unknownGridIds: rows[0]?.unknown_grid_ids ?? [] };
}

/** Inserts a team; a taken code raises the unique violation (23505) for the service to answer. */
export async function insertTeam(db: Queryable, { team }: { team: TeamFields }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO teams (code, name, name_en, force_type, size, village_id, home_grid_id, on_duty, area)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::int, $6::int, $7::int, $8::boolean,
             -- No cells: NULL, the whole township (ST_Union over no rows is NULL).
             (SELECT ST_Multi(ST_Union(geom)) FROM grids WHERE id = ANY($9::int[])))
     RETURNING id`,
    [team.code, team.name, team.nameEn, team.forceType, team.size, team.villageId, team.homeGridId, team.onDuty, team.areaGridIds],
  );
  return rows[0]!.id;
}

/**
 * Changes the given fields of a team (absent ones are kept: each has a
 * "given" flag, since null is a value for village, home cell and area).
 * Returns false when there is no such team.
 */
export async function updateTeam(db: Queryable, { id, change }: { id: number; change: Partial<TeamFields> }): Promise<boolean> {
  const given = (v: unknown) => v !== undefined;
  const { rows } = await db.query<{ id: number }>(
    `UPDATE teams SET
       code = CASE WHEN $2::boolean THEN $3::text ELSE code END,
       name = CASE WHEN $4::boolean THEN $5::text ELSE name END,
       name_en = CASE WHEN $6::boolean THEN $7::text ELSE name_en END,
       force_type = CASE WHEN $8::boolean THEN $9::text ELSE force_type END,
       size = CASE WHEN $10::boolean THEN $11::int ELSE size END,
       village_id = CASE WHEN $12::boolean THEN $13::int ELSE village_id END,
       home_grid_id = CASE WHEN $14::boolean THEN $15::int ELSE home_grid_id END,
       on_duty = CASE WHEN $16::boolean THEN $17::boolean ELSE on_duty END,
       area = CASE WHEN $18::boolean THEN (SELECT ST_Multi(ST_Union(geom)) FROM grids WHERE id = ANY($19::int[])) ELSE area END
     WHERE id = $1::int
     RETURNING id`,
    [
      id,
      given(change.code), change.code ?? null,
      given(change.name), change.name ?? null,
      given(change.nameEn), change.nameEn ?? null,
      given(change.forceType), change.forceType ?? null,
      given(change.size), change.size ?? null,
      given(change.villageId), change.villageId ?? null,
      given(change.homeGridId), change.homeGridId ?? null,
      given(change.onDuty), change.onDuty ?? null,
      given(change.areaGridIds), change.areaGridIds ?? [],
    ],
  );
  return rows.length > 0;
}

/**
 * A team put on or taken off duty: its unit status follows where it is idle
 * (available ↔ off duty). A team that is committed to an incident keeps its
 * status; its release stores off duty if it is off duty by then (setUnitStatus).
 */
export async function syncDutyStatus(db: Queryable, { teamId }: { teamId: number }): Promise<void> {
  await db.query(
    `UPDATE unit_state u SET status = CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END, updated_at = now()
     FROM teams t
     WHERE t.id = $1::int AND u.team_id = t.id
       AND u.status = CASE WHEN t.on_duty THEN 'off_duty' ELSE 'available' END`,
    [teamId],
  );
}
