// What the demo seed's patrol plans are made from (lib/sim/seed-plans.ts):
// read inside the seed's transaction, after the teams and key locations.
import type { ForceType, KeyLocationCategory, LonLat } from '../lib/model';
import type { Queryable } from './client';

export interface DemoPlanSources {
  teams: { id: number; forceType: ForceType; onDuty: boolean }[];
  keyLocations: { id: number; category: KeyLocationCategory; position: LonLat }[];
}

export async function getDemoPlanSources(db: Queryable): Promise<DemoPlanSources> {
  const teams = await db.query<{ id: number; force_type: ForceType; on_duty: boolean }>(`SELECT id, force_type, on_duty FROM teams ORDER BY id`);
  const kls = await db.query<{ id: number; category: KeyLocationCategory; lon: number; lat: number }>(
    `SELECT id, category, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM key_locations ORDER BY id`,
  );
  return {
    teams: teams.rows.map((r) => ({ id: r.id, forceType: r.force_type, onDuty: r.on_duty })),
    keyLocations: kls.rows.map((r) => ({ id: r.id, category: r.category, position: [r.lon, r.lat] })),
  };
}

/** The grid cells holding these points (a plan's area: its checkpoints must lie inside it). */
export async function getGridIdsAt(db: Queryable, { points }: { points: readonly LonLat[] }): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT DISTINCT g.id FROM grids g
     JOIN unnest($1::float8[], $2::float8[]) AS p(lon, lat) ON ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
     ORDER BY g.id`,
    [points.map((p) => p[0]), points.map((p) => p[1])],
  );
  return rows.map((r) => r.id);
}
