// The briefing's heatmap snapshot (issue 13): the grid cells' outlines drawn
// under the period's bins (those come from db/heatmap.ts getHeatmapBins, for
// the township or one village). Reads grids only.
import type { Queryable } from './client';

export interface GridOutlines {
  /** Closed rings, [lon, lat] to 1e-6°. */
  outlines: [lon: number, lat: number][][];
  /** [west, south, east, north]; null without cells. */
  bbox: [west: number, south: number, east: number, north: number] | null;
}

/**
 * The grid cells' outlines (one village's, or all), simplified to 0.0001°
 * (about 10 m, under a pixel of the briefing's snapshot) so a township's cells
 * travel as a few thousand points, and their bounding box.
 */
export async function getGridOutlines(db: Queryable, { villageId }: { villageId: number | null }): Promise<GridOutlines> {
  const { rows } = await db.query<{ outlines: [number, number][][] | null; west: number | null; south: number | null; east: number | null; north: number | null }>(
    // Each polygon's rings taken from its GeoJSON: ST_DumpRings measured 80 ms against 5.5 ms for
    // the demo's 65 cells (warm, on the PostGIS server).
    `WITH cells AS (SELECT geom FROM grids WHERE $1::int IS NULL OR village_id = $1::int),
          rings AS (SELECT ring FROM cells c, LATERAL ST_Dump(ST_SimplifyPreserveTopology(c.geom, 0.0001)) d,
                                               LATERAL json_array_elements(ST_AsGeoJSON(d.geom, 6)::json -> 'coordinates') ring),
          box AS (SELECT ST_Extent(geom) AS b FROM cells)
     SELECT (SELECT json_agg(ring) FROM rings) AS outlines,
            ST_XMin(b)::float8 AS west, ST_YMin(b)::float8 AS south, ST_XMax(b)::float8 AS east, ST_YMax(b)::float8 AS north
     FROM box`,
    [villageId],
  );
  const r = rows[0];
  const box = r && r.west !== null && r.south !== null && r.east !== null && r.north !== null ? ([r.west, r.south, r.east, r.north] as GridOutlines['bbox']) : null;
  return { outlines: r?.outlines ?? [], bbox: box };
}
