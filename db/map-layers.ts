// Read-only queries for the static map layers: basemap, grids, key locations.
import { OPEN_INCIDENT_STATUSES, type BasemapPayload, type GridCollection, type KeyLocation, type KeyLocationCategory, type LonLat } from '../lib/model';
import type { Queryable } from './client';
import { getBasemapArchive } from './basemap-archive';

type Json = Record<string, unknown>;

export async function getBasemap(db: Queryable): Promise<BasemapPayload | null> {
  const { rows } = await db.query<{ boundary: Json; features: Json; villages: Json; bbox: Json }>(
    `SELECT
       (SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(json_build_object(
          'type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 6)::json,
          'properties', json_build_object('name', name, 'nameEn', name_en)))) FROM township) AS boundary,
       (SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
          'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, 6)::json,
          'properties', json_build_object('kind', kind, 'name', name, 'nameEn', name_en, 'level', level))
          ORDER BY kind, level, id), '[]'::json)) FROM basemap_features) AS features,
       (SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
          'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(centre, 6)::json,
          'properties', json_build_object('id', id, 'code', code, 'name', name, 'nameEn', name_en,
                                          'kind', kind, 'population', population)) ORDER BY id), '[]'::json))
        FROM villages) AS villages,
       (SELECT json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))
        FROM (SELECT ST_Extent(geom)::geometry AS e FROM township) x) AS bbox
     WHERE EXISTS (SELECT 1 FROM township)`,
  );
  const r = rows[0];
  if (!r) return null;
  const archive = await getBasemapArchive(db);
  return {
    bbox: r.bbox as unknown as BasemapPayload['bbox'],
    boundary: r.boundary as unknown as BasemapPayload['boundary'],
    features: r.features as unknown as BasemapPayload['features'],
    villages: r.villages as unknown as BasemapPayload['villages'],
    pmtiles: archive && {
      url: archive.url,
      tileType: archive.tileType,
      bounds: archive.bounds,
      minZoom: archive.minZoom,
      maxZoom: archive.maxZoom,
      vectorLayers: archive.vectorLayers,
    },
  };
}

export async function getGridCollection(db: Queryable): Promise<GridCollection> {
  const { rows } = await db.query<{ fc: Json }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature', 'id', g.id, 'geometry', ST_AsGeoJSON(g.geom, 6)::json,
        'properties', json_build_object(
          'id', g.id, 'code', g.code, 'name', g.name, 'nameEn', g.name_en,
          'villageId', g.village_id, 'villageName', v.name, 'villageNameEn', v.name_en,
          'openIncidents', COALESCE(o.n, 0),
          'lastPatrolAt', to_char(c.last_patrol_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'areaKm2', round((ST_Area(g.geom::geography) / 1e6)::numeric, 3)::float8,
          'labelPoint', json_build_array(round(ST_X(ST_PointOnSurface(g.geom))::numeric, 6)::float8,
                                         round(ST_Y(ST_PointOnSurface(g.geom))::numeric, 6)::float8)))
        ORDER BY g.id), '[]'::json)) AS fc
     FROM grids g
     JOIN villages v ON v.id = g.village_id
     LEFT JOIN (SELECT grid_id, count(*) AS n FROM incidents WHERE status = ANY($1::text[]) GROUP BY grid_id) o
       ON o.grid_id = g.id
     LEFT JOIN grid_coverage c ON c.grid_id = g.id`,
    [[...OPEN_INCIDENT_STATUSES]],
  );
  return rows[0]?.fc as unknown as GridCollection;
}

export async function getKeyLocations(db: Queryable): Promise<KeyLocation[]> {
  const { rows } = await db.query<{
    id: number;
    category: KeyLocationCategory;
    name: string;
    name_en: string;
    grid_id: number | null;
    lon: number;
    lat: number;
  }>(`SELECT id, category, name, name_en, grid_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM key_locations ORDER BY id`);
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    name: r.name,
    nameEn: r.name_en,
    gridId: r.grid_id,
    position: [Number(r.lon), Number(r.lat)],
  }));
}

/** Road and track lines for the simulator's graph. */
export async function getRoadLines(db: Queryable): Promise<{ kind: string; coordinates: LonLat[] }[]> {
  const { rows } = await db.query<{ kind: string; g: { type: string; coordinates: LonLat[] } }>(
    `SELECT kind, ST_AsGeoJSON(geom)::json AS g FROM basemap_features
     WHERE kind IN ('road', 'track') AND GeometryType(geom) = 'LINESTRING' ORDER BY id`,
  );
  return rows.map((r) => ({ kind: r.kind, coordinates: r.g.coordinates }));
}

/** A random point inside a grid (or the township), found in PostGIS. */
export async function getRandomPointsInGrid(
  db: Queryable,
  { gridId, count }: { gridId: number | null; count: number },
): Promise<LonLat[]> {
  const { rows } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
     FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, $2::int))).geom
           FROM (SELECT geom FROM grids WHERE id = $1::int
                 UNION ALL SELECT geom FROM township WHERE $1::int IS NULL) s) p`,
    [gridId, count],
  );
  return rows.map((r) => [Number(r.lon), Number(r.lat)]);
}
