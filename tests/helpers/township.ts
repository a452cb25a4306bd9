import type { Queryable } from '../../db/client';

/** A point inside the township: a point on the surface of the first grid cell. */
export async function pointInFirstGrid(db: Queryable): Promise<{ lon: number; lat: number }> {
  const { rows } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY id LIMIT 1`,
  );
  return rows[0]!;
}
