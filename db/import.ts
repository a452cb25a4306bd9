// The township import's SQL (issue 12): PostGIS checks a parsed layer against
// itself and the stored township, diffs it against what is stored, keeps
// previews under a token, and writes a layer in the caller's transaction.
// The features come in as ONE jsonb array (FEATURES below unpacks it), so
// every check is one statement whatever the number of features, and the
// geometry work — validity, overlaps, gaps, areas on the ellipsoid, which cell
// a point is in — is PostGIS's, never a loop in TypeScript.
import type { Geometry } from 'geojson';
import type { Queryable } from './client';
import { isoRequired } from './rows';

/** A feature as the SQL takes it: geometry in WGS-84 GeoJSON; index is its place in the file. */
export interface ImportRow {
  index: number;
  code: string | null;
  name: string | null;
  nameEn: string | null;
  /** Key locations: one of KEY_LOCATION_CATEGORIES (mapped by the service). */
  category: string | null;
  /** Villages: 'village' | 'community', and the population (0 when the file has none). */
  kind: string | null;
  population: number | null;
  /** Roads: 1 a through road, 2 a street (the basemap draws them so); null when the file does not say. Absent in previews made before roads were stored. */
  level?: number | null;
  geometry: Geometry;
}

export type ImportLayerName = 'boundary' | 'villages' | 'grids' | 'key_locations' | 'roads';

/** Below this many m² an overlap, gap or part outside is a digitising sliver, not a finding. */
export const SLIVER_M2 = 1;

const json = (features: readonly ImportRow[]): string => JSON.stringify(features);

/**
 * The features as rows: `raw` as read, `g` valid (ST_MakeValid's repair of
 * the same dimension when `raw` is not; NULL when its rings are malformed),
 * so later steps never hand GEOS an invalid geometry (ST_Intersection would
 * throw a TopologyException).
 */
const FEATURES = `
  raw AS (
    SELECT (e->>'index')::int AS idx, e->>'code' AS code, e->>'name' AS name, e->>'nameEn' AS name_en,
           e->>'category' AS category, e->>'kind' AS kind, (e->>'population')::int AS population, (e->>'level')::int AS level,
           ST_SetSRID(ST_GeomFromGeoJSON(e->>'geometry'), 4326) AS raw
    FROM jsonb_array_elements($1::jsonb) AS e
  ),
  shaped AS (
    -- Rings too short or not closed are refused before GEOS sees them: the
    -- engines disagree about them (embedded PostGIS calls a one-point ring
    -- valid, the server's GEOS throws from ST_MakeValid).
    SELECT raw.*,
           CASE ST_Dimension(raw)
             WHEN 2 THEN (SELECT CASE WHEN bool_or(ST_NPoints(r.geom) < 4) THEN 'Too few points in a ring (at least 4, the last equal to the first)'
                                      WHEN bool_or(NOT ST_IsClosed(r.geom)) THEN 'Ring not closed (its last point is not its first)' END
                          FROM ST_Dump(raw) p CROSS JOIN LATERAL ST_DumpRings(p.geom) r)
             WHEN 1 THEN (SELECT CASE WHEN bool_or(ST_NPoints(p.geom) < 2) THEN 'Too few points in a line (at least 2)' END FROM ST_Dump(raw) p)
           END AS shape_error
    FROM raw
  ),
  f AS (
    SELECT shaped.*,
           CASE WHEN shape_error IS NOT NULL THEN NULL
                WHEN ST_IsValid(raw) THEN raw
                ELSE ST_CollectionExtract(ST_MakeValid(raw), ST_Dimension(raw) + 1) END AS g
    FROM shaped
  )`;

export interface InvalidGeometry {
  index: number;
  reason: string;
  /** ST_MakeValid gives a non-empty geometry of the same dimension. */
  fixable: boolean;
}

export async function findInvalidGeometries(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<InvalidGeometry[]> {
  const { rows } = await db.query<{ idx: number; reason: string; fixable: boolean }>(
    `WITH ${FEATURES}
     SELECT idx, coalesce(shape_error, ST_IsValidReason(raw)) AS reason, coalesce(NOT ST_IsEmpty(g), false) AS fixable
     FROM f WHERE shape_error IS NOT NULL OR NOT ST_IsValid(raw) ORDER BY idx`,
    [json(features)],
  );
  return rows.map((r) => ({ index: r.idx, reason: r.reason, fixable: r.fixable }));
}

export interface Overlap {
  a: number;
  b: number;
  areaM2: number;
}

/** Pairs of features (polygons) that share more than a sliver of area; the area on the ellipsoid. */
export async function findOverlaps(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<Overlap[]> {
  const { rows } = await db.query<{ a: number; b: number; area: number }>(
    `WITH ${FEATURES},
     pairs AS (
       SELECT a.idx AS a, b.idx AS b,
              ST_Area(ST_CollectionExtract(ST_Intersection(a.g, b.g), 3)::geography) AS area
       FROM f a JOIN f b ON a.idx < b.idx AND a.g && b.g AND ST_Intersects(a.g, b.g)
     )
     SELECT a, b, area FROM pairs WHERE area > $2::float8 ORDER BY a, b`,
    [json(features), SLIVER_M2],
  );
  return rows.map((r) => ({ a: r.a, b: r.b, areaM2: Number(r.area) }));
}

export interface Gap {
  areaM2: number;
  at: [lon: number, lat: number];
}

/** The parts of the stored township boundary no feature covers, largest first. Empty when no boundary is stored. */
export async function findGaps(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<Gap[]> {
  const { rows } = await db.query<{ area: number; lon: number; lat: number }>(
    `WITH ${FEATURES},
     gaps AS (
       SELECT (ST_Dump(ST_CollectionExtract(ST_Difference(t.geom, (SELECT ST_Union(g) FROM f)), 3))).geom AS gap
       FROM township t WHERE t.id = 1
     ),
     measured AS (SELECT gap, ST_Area(gap::geography) AS area FROM gaps)
     SELECT area, ST_X(ST_PointOnSurface(gap)) AS lon, ST_Y(ST_PointOnSurface(gap)) AS lat
     FROM measured WHERE area > $2::float8 ORDER BY area DESC`,
    [json(features), SLIVER_M2],
  );
  return rows.map((r) => ({ areaM2: Number(r.area), at: [Number(r.lon), Number(r.lat)] }));
}

export interface Outside {
  index: number;
  /** Nothing of it is inside the boundary. */
  wholly: boolean;
  /** Polygons: m² outside; lines: metres outside; points: null. */
  amount: number | null;
}

/** Features not covered by the stored township boundary (beyond a sliver). Empty when no boundary is stored. */
export async function findOutside(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<Outside[]> {
  const { rows } = await db.query<{ idx: number; wholly: boolean; amount: number | null }>(
    `WITH ${FEATURES},
     o AS (
       SELECT f.idx, NOT ST_Intersects(f.g, t.geom) AS wholly,
              CASE ST_Dimension(f.g)
                WHEN 2 THEN ST_Area(ST_CollectionExtract(ST_Difference(f.g, t.geom), 3)::geography)
                WHEN 1 THEN ST_Length(ST_CollectionExtract(ST_Difference(f.g, t.geom), 2)::geography)
              END AS amount
       FROM f CROSS JOIN township t
       WHERE t.id = 1 AND NOT ST_CoveredBy(f.g, t.geom)
     )
     SELECT idx, wholly, amount FROM o WHERE wholly OR amount IS NULL OR amount > $2::float8 ORDER BY idx`,
    [json(features), SLIVER_M2],
  );
  return rows.map((r) => ({ index: r.idx, wholly: r.wholly, amount: r.amount === null ? null : Number(r.amount) }));
}

export interface RoadTotals {
  lines: number;
  lengthKm: number;
  /** Length beyond the stored boundary; null when none is stored. */
  outsideKm: number | null;
}

/** A road layer in numbers, lengths on the ellipsoid (repaired shapes; lines that cannot be read count 0 km). */
export async function summarizeRoads(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<RoadTotals> {
  const { rows } = await db.query<{ lines: number; km: number; outside_km: number | null }>(
    `WITH ${FEATURES}
     SELECT count(*)::int AS lines,
            coalesce(sum(ST_Length(f.g::geography)), 0) / 1000 AS km,
            CASE WHEN t.id IS NOT NULL
                 THEN coalesce(sum(ST_Length(ST_CollectionExtract(ST_Difference(f.g, t.geom), 2)::geography)), 0) / 1000 END AS outside_km
     FROM f LEFT JOIN township t ON t.id = 1
     GROUP BY t.id`,
    [json(features)],
  );
  const r = rows[0];
  if (!r) return { lines: 0, lengthKm: 0, outsideKm: null };
  return { lines: r.lines, lengthKm: Number(r.km), outsideKm: r.outside_km === null ? null : Number(r.outside_km) };
}

/** How well a layer fits what is stored: the measure of the offset check (lib/import/offset.ts). */
export interface LayerFit {
  /**
   * Share of the layer (area, length or points) inside the reference: for a
   * boundary the stored grid cells, else the stored boundary (or, without
   * one, the grid cells). Null when there is no reference.
   */
  share: number | null;
  /** Features matched to stored ones of the same layer (by code; key locations and roads by name; the boundary to the stored one). */
  matched: number;
  /** Median distance between matched features' centres in metres; null when none matched. */
  medianM: number | null;
}

/**
 * Where each reading of a layer (the same features read as different datums,
 * lib/import/offset.ts) sits against what is stored: all readings in one
 * statement, so the reference (a union of the grid cells for a boundary) is
 * built once. The features are ones the checks above found usable — valid,
 * or repaired by ST_MakeValid here as there. Distances are between centroids
 * on the ellipsoid; a village stored with only its centre (the demo) is not
 * matched, since an outline's centroid need not be that centre.
 */
export async function measureLayerFits(db: Queryable, { layer, readings }: { layer: ImportLayerName; readings: readonly (readonly ImportRow[])[] }): Promise<LayerFit[]> {
  const { rows } = await db.query<{ share: number | null; matched: number; median_m: number | null }>(
    `WITH raw AS (
       SELECT r.reading::int AS reading, e->>'code' AS code, e->>'name' AS name,
              ST_SetSRID(ST_GeomFromGeoJSON(e->>'geometry'), 4326) AS raw
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(features, reading)
       CROSS JOIN LATERAL jsonb_array_elements(r.features) AS e
     ),
     f AS (
       SELECT reading, code, name,
              CASE WHEN ST_IsValid(raw) THEN raw ELSE ST_CollectionExtract(ST_MakeValid(raw), ST_Dimension(raw) + 1) END AS g
       FROM raw
     ),
     ref AS MATERIALIZED (
       SELECT CASE WHEN $2::text = 'boundary' THEN (SELECT ST_Union(geom) FROM grids)
                   ELSE coalesce((SELECT geom FROM township WHERE id = 1), (SELECT ST_Union(geom) FROM grids)) END AS geom
     ),
     amounts AS (
       SELECT f.reading,
              CASE ST_Dimension(f.g) WHEN 2 THEN ST_Area(f.g::geography) WHEN 1 THEN ST_Length(f.g::geography) ELSE 1 END AS whole,
              -- Most of a layer lies wholly inside or outside: the intersection is worked out only for the rest.
              CASE WHEN ST_CoveredBy(f.g, ref.geom) THEN NULL
                   WHEN NOT ST_Intersects(f.g, ref.geom) THEN 0
                   WHEN ST_Dimension(f.g) = 2 THEN ST_Area(ST_CollectionExtract(ST_Intersection(f.g, ref.geom), 3)::geography)
                   WHEN ST_Dimension(f.g) = 1 THEN ST_Length(ST_CollectionExtract(ST_Intersection(f.g, ref.geom), 2)::geography)
                   ELSE 0 END AS part
       FROM f CROSS JOIN ref WHERE f.g IS NOT NULL AND NOT ST_IsEmpty(f.g) AND ref.geom IS NOT NULL
     ),
     pairs AS (
       SELECT f.reading, ST_Distance(ST_Centroid(s.geom)::geography, ST_Centroid(f.g)::geography) AS d
         FROM f JOIN grids s ON s.code = f.code WHERE $2::text = 'grids'
       UNION ALL
       SELECT f.reading, ST_Distance(ST_Centroid(s.area)::geography, ST_Centroid(f.g)::geography)
         FROM f JOIN villages s ON s.code = f.code WHERE $2::text = 'villages' AND s.area IS NOT NULL
       UNION ALL
       SELECT f.reading, ST_Distance(s.geom::geography, f.g::geography)
         FROM f JOIN key_locations s ON s.name = f.name WHERE $2::text = 'key_locations'
       UNION ALL
       SELECT u.reading, ST_Distance(ST_Centroid(t.geom)::geography, ST_Centroid(u.g)::geography)
         FROM township t, (SELECT reading, ST_Union(g) AS g FROM f GROUP BY reading) u WHERE $2::text = 'boundary' AND t.id = 1 AND u.g IS NOT NULL
       UNION ALL
       SELECT i.reading, ST_Distance(ST_Centroid(s.g)::geography, ST_Centroid(i.g)::geography)
         FROM (SELECT reading, name, ST_Collect(g) AS g FROM f WHERE name IS NOT NULL GROUP BY reading, name) i
         JOIN (SELECT name, ST_Collect(geom) AS g FROM basemap_features WHERE kind = 'road' AND name IS NOT NULL GROUP BY name) s ON s.name = i.name
         WHERE $2::text = 'roads'
     )
     SELECT (SELECT sum(coalesce(part, whole)) / nullif(sum(whole), 0) FROM amounts a WHERE a.reading = n.reading) AS share,
            (SELECT count(*)::int FROM pairs p WHERE p.reading = n.reading AND p.d IS NOT NULL) AS matched,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p.d) FROM pairs p WHERE p.reading = n.reading AND p.d IS NOT NULL) AS median_m
     FROM generate_series(1, $3::int) AS n(reading)
     ORDER BY n.reading`,
    [JSON.stringify(readings), layer, readings.length],
  );
  return rows.map((r) => ({ share: r.share === null ? null : Number(r.share), matched: r.matched, medianM: r.median_m === null ? null : Number(r.median_m) }));
}

export interface StoredOutside {
  layer: 'grids' | 'villages' | 'key_locations';
  /** Codes (grid cells, villages) or names (key locations). */
  key: string;
}

/**
 * Stored grid cells, villages and key locations that a new boundary (the
 * union of `features`) would leave (partly) outside: cells and village
 * outlines by more than a sliver, a village without an outline by its centre.
 */
export async function findStoredOutside(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<StoredOutside[]> {
  const { rows } = await db.query<StoredOutside>(
    `WITH ${FEATURES},
     b AS (SELECT ST_Union(g) AS g FROM f WHERE g IS NOT NULL)
     SELECT 'grids' AS layer, s.code AS key FROM grids s, b
       WHERE NOT ST_CoveredBy(s.geom, b.g) AND ST_Area(ST_CollectionExtract(ST_Difference(s.geom, b.g), 3)::geography) > $2::float8
     UNION ALL
     SELECT 'villages', v.code FROM villages v, b
       WHERE CASE WHEN v.area IS NULL THEN NOT ST_Covers(b.g, v.centre)
                  ELSE NOT ST_CoveredBy(v.area, b.g) AND ST_Area(ST_CollectionExtract(ST_Difference(v.area, b.g), 3)::geography) > $2::float8 END
     UNION ALL
     SELECT 'key_locations', k.name FROM key_locations k, b WHERE NOT ST_Covers(b.g, k.geom)`,
    [json(features), SLIVER_M2],
  );
  return rows;
}

export async function hasTownshipBoundary(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM township WHERE id = 1) AS found`);
  return rows[0]?.found === true;
}

export async function countVillages(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM villages`);
  return rows[0]?.n ?? 0;
}

/**
 * A geometry moved when some vertex of one is more than 1e-7° (about 1 cm)
 * from the other (Hausdorff distance). Not ST_Equals: that is exact, and a
 * layer exported again from a GIS, or read back as GeoJSON, differs in the
 * last digits of every coordinate — every cell would look changed. Vertex
 * order and Polygon vs. the stored MultiPolygon do not count.
 */
const moved = (stored: string, incoming: string) => `ST_HausdorffDistance(${stored}, ${incoming}) > 1e-7`;

/** What the diff calls the unnamed roads, all together. */
const UNNAMED_ROAD = '(no name)';

/**
 * added / changed / removed against what is stored, one statement per layer:
 * grids and villages by code, key locations by name, the boundary as the one
 * 'township', roads by name (the lines of one name together; unnamed ones as
 * one '(no name)'). Changed = the name differs or the geometry moved.
 */
const DIFF_SQL: Record<ImportLayerName, string> = {
  grids: `WITH ${FEATURES}
    SELECT 'added' AS kind, f.code AS key FROM f WHERE NOT EXISTS (SELECT 1 FROM grids s WHERE s.code = f.code)
    UNION ALL
    SELECT 'changed', f.code FROM f JOIN grids s ON s.code = f.code
      WHERE s.name IS DISTINCT FROM f.name OR ${moved('s.geom', 'f.g')}
    UNION ALL
    SELECT 'removed', s.code FROM grids s WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.code = s.code)`,
  villages: `WITH ${FEATURES}
    SELECT 'added' AS kind, f.code AS key FROM f WHERE NOT EXISTS (SELECT 1 FROM villages s WHERE s.code = f.code)
    UNION ALL
    SELECT 'changed', f.code FROM f JOIN villages s ON s.code = f.code
      WHERE s.name IS DISTINCT FROM f.name OR s.area IS NULL OR ${moved('s.area', 'f.g')}
    UNION ALL
    SELECT 'removed', s.code FROM villages s WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.code = s.code)`,
  key_locations: `WITH ${FEATURES}
    SELECT 'added' AS kind, f.name AS key FROM f WHERE NOT EXISTS (SELECT 1 FROM key_locations s WHERE s.name = f.name)
    UNION ALL
    SELECT DISTINCT 'changed', f.name FROM f JOIN key_locations s ON s.name = f.name
      WHERE s.category IS DISTINCT FROM f.category OR ${moved('s.geom', 'f.g')}
    UNION ALL
    SELECT DISTINCT 'removed', s.name FROM key_locations s WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.name = s.name)`,
  boundary: `WITH ${FEATURES}, u AS (SELECT ST_Union(g) AS g FROM f)
    SELECT CASE WHEN t.id IS NULL THEN 'added' ELSE 'changed' END AS kind, 'township' AS key
    FROM u LEFT JOIN township t ON t.id = 1
    WHERE t.id IS NULL OR ${moved('t.geom', 'u.g')}`,
  roads: `WITH ${FEATURES},
    inc AS (SELECT coalesce(name, '${UNNAMED_ROAD}') AS key, ST_Collect(g) AS g FROM f WHERE g IS NOT NULL GROUP BY 1),
    st AS (SELECT coalesce(name, '${UNNAMED_ROAD}') AS key, ST_Collect(geom) AS g FROM basemap_features WHERE kind = 'road' GROUP BY 1)
    SELECT 'added' AS kind, inc.key FROM inc WHERE NOT EXISTS (SELECT 1 FROM st WHERE st.key = inc.key)
    UNION ALL
    SELECT 'changed', inc.key FROM inc JOIN st ON st.key = inc.key WHERE ${moved('st.g', 'inc.g')}
    UNION ALL
    SELECT 'removed', st.key FROM st WHERE NOT EXISTS (SELECT 1 FROM inc WHERE inc.key = st.key)`,
};

export interface LayerDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export async function diffImportLayer(db: Queryable, { layer, features }: { layer: ImportLayerName; features: readonly ImportRow[] }): Promise<LayerDiff> {
  const { rows } = await db.query<{ kind: keyof LayerDiff; key: string }>(`SELECT kind, key FROM (${DIFF_SQL[layer]}) d`, [json(features)]);
  const diff: LayerDiff = { added: [], changed: [], removed: [] };
  for (const r of rows) diff[r.kind].push(r.key);
  // Sorted here, by code point: the two engines' collations order Chinese names differently.
  for (const list of [diff.added, diff.changed, diff.removed]) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return diff;
}

// ── previews ────────────────────────────────────────────────────────────────

export interface StoredPreview {
  token: string;
  layer: ImportLayerName;
  fileName: string;
  features: ImportRow[];
  report: Record<string, unknown>;
  importable: boolean;
  needsMakeValid: boolean;
  createdBy: string;
  expiresAt: string;
  expired: boolean;
}

export async function insertImportPreview(
  db: Queryable,
  p: { token: string; layer: ImportLayerName; fileName: string; features: readonly ImportRow[]; report: object; importable: boolean; needsMakeValid: boolean; createdBy: string; ttlSeconds: number },
): Promise<{ expiresAt: string }> {
  // Expired previews are cleared by the next one: they are never applied, so keeping them buys nothing.
  await db.query(`DELETE FROM import_previews WHERE expires_at < now() - interval '1 day'`);
  const { rows } = await db.query<{ expires_at: Date | string }>(
    `INSERT INTO import_previews (token, layer, file_name, features, report, importable, needs_make_valid, created_by, expires_at)
     VALUES ($1::text, $2::text, $3::text, $4::jsonb, $5::jsonb, $6::boolean, $7::boolean, $8::text, now() + make_interval(secs => $9::int))
     RETURNING expires_at`,
    [p.token, p.layer, p.fileName, json(p.features), JSON.stringify(p.report), p.importable, p.needsMakeValid, p.createdBy, p.ttlSeconds],
  );
  return { expiresAt: isoRequired(rows[0]!.expires_at) };
}

/** Locks the preview's row for the transaction (a second apply of the same token waits, then finds nothing). */
export async function takeImportPreview(db: Queryable, { token }: { token: string }): Promise<StoredPreview | null> {
  const { rows } = await db.query<{
    token: string;
    layer: ImportLayerName;
    file_name: string;
    features: ImportRow[];
    report: Record<string, unknown>;
    importable: boolean;
    needs_make_valid: boolean;
    created_by: string;
    expires_at: Date | string;
    expired: boolean;
  }>(
    `SELECT token, layer, file_name, features, report, importable, needs_make_valid, created_by, expires_at, expires_at <= now() AS expired
     FROM import_previews WHERE token = $1::text FOR UPDATE`,
    [token],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    token: r.token,
    layer: r.layer,
    fileName: r.file_name,
    features: r.features,
    report: r.report,
    importable: r.importable,
    needsMakeValid: r.needs_make_valid,
    createdBy: r.created_by,
    expiresAt: isoRequired(r.expires_at),
    expired: r.expired,
  };
}

export async function deleteImportPreview(db: Queryable, { token }: { token: string }): Promise<void> {
  await db.query(`DELETE FROM import_previews WHERE token = $1::text`, [token]);
}

// ── apply ───────────────────────────────────────────────────────────────────
// Each writer runs in the caller's transaction. Polygons are stored as
// MultiPolygons; an invalid geometry is stored repaired (`g`) — the service
// refuses to get here with one unless the administrator asked for makeValid.

const MULTI_POLYGON = `ST_Multi(f.g)`;

export interface GridWrite {
  diff: LayerDiff;
  reassigned: { incidents: number; keyLocations: number; units: number; positions: number };
}

/**
 * Writes the grid layer: changed cells keep their id (so history keeps
 * pointing at them), new cells get the village whose outline or centre holds
 * them (else the nearest centre), removed cells are deleted after everything
 * that referred to them has been moved to the cell that now covers it — or
 * NULL when none does. Points (incidents, key locations, unit states,
 * positions) are then re-assigned by ST_Covers wherever the cells changed.
 */
export async function writeGrids(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<GridWrite> {
  const p = json(features);
  // Everything that may change cell: inside an old cell that changes or goes, or a new or changed cell.
  // Computed before any row moves; kept as EWKB (exact). Three plain statements, not one: embedded
  // PostGIS answered the single-statement form (these CTEs with ST_Union over them) with no row at all
  // on the demo township, while the server answered it right.
  const { rows: removed } = await db.query<{ id: number }>(
    `WITH ${FEATURES} SELECT s.id FROM grids s WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.code = s.code) ORDER BY s.id`,
    [p],
  );
  const removedIds = removed.map((r) => Number(r.id));
  const { rows: areas } = await db.query<{ hex: string }>(
    `WITH ${FEATURES},
     changed AS (SELECT s.geom AS old, f.g AS new FROM grids s JOIN f ON f.code = s.code
                 WHERE s.name IS DISTINCT FROM f.name OR s.name_en IS DISTINCT FROM coalesce(f.name_en, f.name) OR ${moved('s.geom', 'f.g')})
     SELECT encode(ST_AsEWKB(g), 'hex') AS hex FROM (
       SELECT old AS g FROM changed UNION ALL SELECT new FROM changed
       UNION ALL SELECT s.geom FROM grids s WHERE s.id = ANY($2::int[])
       UNION ALL SELECT f.g FROM f WHERE NOT EXISTS (SELECT 1 FROM grids s WHERE s.code = f.code)
     ) a`,
    [p, removedIds],
  );
  const { rows: union } = await db.query<{ hex: string | null }>(
    `SELECT encode(ST_AsEWKB(ST_Union(ST_GeomFromEWKB(decode(h, 'hex')))), 'hex') AS hex FROM unnest($1::text[]) AS h`,
    [areas.map((a) => a.hex)],
  );
  const affected = union[0]?.hex ?? null;

  const diff = await diffImportLayer(db, { layer: 'grids', features });
  await db.query(
    `WITH ${FEATURES}
     UPDATE grids s SET name = f.name, name_en = coalesce(f.name_en, f.name), geom = ${MULTI_POLYGON}
     FROM f WHERE s.code = f.code
       AND (s.name IS DISTINCT FROM f.name OR s.name_en IS DISTINCT FROM coalesce(f.name_en, f.name) OR ${moved('s.geom', 'f.g')})`,
    [p],
  );
  await db.query(
    `WITH ${FEATURES}
     INSERT INTO grids (code, name, name_en, village_id, geom)
     SELECT f.code, f.name, coalesce(f.name_en, f.name), v.id, ${MULTI_POLYGON}
     FROM f CROSS JOIN LATERAL (
       SELECT id FROM villages
       ORDER BY (area IS NOT NULL AND ST_Covers(area, ST_PointOnSurface(f.g))) DESC,
                ST_Covers(f.g, centre) DESC,
                ST_Distance(centre::geography, ST_PointOnSurface(f.g)::geography), id
       LIMIT 1
     ) v
     WHERE NOT EXISTS (SELECT 1 FROM grids s WHERE s.code = f.code)
     ORDER BY f.idx`,
    [p],
  );

  // What pointed at a removed cell (without a point of its own) goes to the cell now covering the old cell's inner point.
  const coveringOld = `(SELECT g.id FROM grids g WHERE g.id <> ALL($1::int[]) AND ST_Covers(g.geom, ST_PointOnSurface(r.geom)) ORDER BY g.id LIMIT 1)`;
  if (removedIds.length > 0) {
    await db.query(`UPDATE teams t SET home_grid_id = ${coveringOld} FROM grids r WHERE r.id = ANY($1::int[]) AND t.home_grid_id = r.id`, [removedIds]);
    await db.query(`UPDATE alerts a SET grid_id = ${coveringOld} FROM grids r WHERE r.id = ANY($1::int[]) AND a.grid_id = r.id`, [removedIds]);
    // Coverage is derived from positions; the rules evaluator rebuilds it for the new cells.
    await db.query(`DELETE FROM grid_coverage WHERE grid_id = ANY($1::int[])`, [removedIds]);
  }
  // A grid worker patrols its home cell: its area follows the cell's new outline.
  await db.query(
    `UPDATE teams t SET area = g.geom FROM grids g
     WHERE t.force_type = 'grid_worker' AND g.id = t.home_grid_id AND (t.area IS NULL OR NOT ST_Equals(t.area, g.geom))`,
  );

  // Points: the lowest-id cell that covers them (cells meet on shared edges), never a removed one; NULL outside every cell.
  // Rows are found through the GiST index on geom (inside an affected area); the small tables with a
  // foreign key also by a removed cell's id, so a row whose point lies elsewhere cannot block the delete.
  const reassign = (table: string, byRemovedId: boolean) =>
    db.query<{ n: number }>(
      `WITH moved AS (
         UPDATE ${table} x
         SET grid_id = (SELECT g.id FROM grids g WHERE g.id <> ALL($1::int[]) AND ST_Covers(g.geom, x.geom) ORDER BY g.id LIMIT 1)
         WHERE (${byRemovedId ? 'x.grid_id = ANY($1::int[]) OR ' : ''}($2::text IS NOT NULL AND ST_Intersects(x.geom, ST_GeomFromEWKB(decode($2::text, 'hex')))))
           AND x.grid_id IS DISTINCT FROM
               (SELECT g.id FROM grids g WHERE g.id <> ALL($1::int[]) AND ST_Covers(g.geom, x.geom) ORDER BY g.id LIMIT 1)
         RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [removedIds, affected],
    );
  const incidents = (await reassign('incidents', true)).rows[0]?.n ?? 0;
  const keyLocations = (await reassign('key_locations', true)).rows[0]?.n ?? 0;
  const units = (await reassign('unit_state', true)).rows[0]?.n ?? 0;
  // positions (append-only, the big table) has no foreign key (0002): its rows are only given their new cell, never removed.
  const positions = (await reassign('positions', false)).rows[0]?.n ?? 0;

  if (removedIds.length > 0) await db.query(`DELETE FROM grids WHERE id = ANY($1::int[])`, [removedIds]);
  return { diff, reassigned: { incidents, keyLocations, units, positions } };
}

/**
 * Writes the villages: centre = a point on the outline's surface. A removed
 * village's grid cells and teams go to the nearest remaining village before
 * it is deleted.
 */
export async function writeVillages(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<LayerDiff> {
  const p = json(features);
  const diff = await diffImportLayer(db, { layer: 'villages', features });
  await db.query(
    `WITH ${FEATURES}
     UPDATE villages s SET name = f.name, name_en = coalesce(f.name_en, f.name), area = ${MULTI_POLYGON},
            centre = ST_PointOnSurface(f.g), kind = coalesce(f.kind, s.kind), population = coalesce(f.population, s.population)
     FROM f WHERE s.code = f.code`,
    [p],
  );
  await db.query(
    `WITH ${FEATURES}
     INSERT INTO villages (code, name, name_en, kind, centre, population, area)
     SELECT f.code, f.name, coalesce(f.name_en, f.name), coalesce(f.kind, 'village'), ST_PointOnSurface(f.g), coalesce(f.population, 0), ${MULTI_POLYGON}
     FROM f WHERE NOT EXISTS (SELECT 1 FROM villages s WHERE s.code = f.code)
     ORDER BY f.idx`,
    [p],
  );
  const nearest = (point: string) =>
    `(SELECT v.id FROM villages v WHERE v.code = ANY($1::text[])
      ORDER BY (v.area IS NOT NULL AND ST_Covers(v.area, ${point})) DESC, ST_Distance(v.centre::geography, ${point}::geography), v.id LIMIT 1)`;
  const kept = features.map((f) => f.code ?? '');
  await db.query(
    `UPDATE grids g SET village_id = ${nearest('ST_PointOnSurface(g.geom)')}
     FROM villages r WHERE r.id = g.village_id AND r.code <> ALL($1::text[])`,
    [kept],
  );
  await db.query(`UPDATE teams t SET village_id = ${nearest('r.centre')} FROM villages r WHERE r.id = t.village_id AND r.code <> ALL($1::text[])`, [kept]);
  await db.query(`DELETE FROM villages WHERE code <> ALL($1::text[])`, [kept]);
  return diff;
}

/** Replaces the key locations, matched by name; each gets the cell that covers it. */
export async function writeKeyLocations(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<LayerDiff> {
  const p = json(features);
  const diff = await diffImportLayer(db, { layer: 'key_locations', features });
  const cell = `(SELECT g.id FROM grids g WHERE ST_Covers(g.geom, f.g) ORDER BY g.id LIMIT 1)`;
  await db.query(
    `WITH ${FEATURES}
     UPDATE key_locations s SET category = f.category, name_en = coalesce(f.name_en, f.name), geom = f.g, grid_id = ${cell}
     FROM f WHERE s.name = f.name`,
    [p],
  );
  await db.query(
    `WITH ${FEATURES}
     INSERT INTO key_locations (category, name, name_en, grid_id, geom)
     SELECT f.category, f.name, coalesce(f.name_en, f.name), ${cell}, f.g
     FROM f WHERE NOT EXISTS (SELECT 1 FROM key_locations s WHERE s.name = f.name)
     ORDER BY f.idx`,
    [p],
  );
  await db.query(`DELETE FROM key_locations WHERE name <> ALL($1::text[])`, [features.map((f) => f.name ?? '')]);
  return diff;
}

/** The township boundary: the union of the features, one row; its name from the first feature that has one, else kept. */
export async function writeBoundary(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<LayerDiff> {
  const p = json(features);
  const diff = await diffImportLayer(db, { layer: 'boundary', features });
  await db.query(
    `WITH ${FEATURES},
     u AS (SELECT ST_Multi(ST_CollectionExtract(ST_Union(g), 3)) AS g,
                  (array_agg(name ORDER BY idx) FILTER (WHERE name IS NOT NULL))[1] AS name,
                  (array_agg(name_en ORDER BY idx) FILTER (WHERE name_en IS NOT NULL))[1] AS name_en
           FROM f)
     INSERT INTO township (id, name, name_en, geom)
     SELECT 1, coalesce(u.name, 'Township'), coalesce(u.name_en, u.name, 'Township'), u.g FROM u
     ON CONFLICT (id) DO UPDATE SET geom = EXCLUDED.geom,
       name = coalesce((SELECT name FROM u), township.name),
       name_en = coalesce((SELECT coalesce(name_en, name) FROM u), township.name_en)`,
    [p],
  );
  return diff;
}

/**
 * Replaces the township's roads (basemap kind 'road'; tracks, the river and
 * relief stay). Each part of a MultiLineString becomes its own LineString
 * row: the dispatch road network (db/map-layers.ts: getRoadLines) and the
 * basemap read lines, and join them where they share a vertex.
 */
export async function writeRoads(db: Queryable, { features }: { features: readonly ImportRow[] }): Promise<LayerDiff> {
  const diff = await diffImportLayer(db, { layer: 'roads', features });
  await db.query(`DELETE FROM basemap_features WHERE kind = 'road'`);
  await db.query(
    `WITH ${FEATURES}
     INSERT INTO basemap_features (kind, name, name_en, level, geom)
     SELECT 'road', f.name, coalesce(f.name_en, f.name), coalesce(f.level, 1), d.geom
     FROM f CROSS JOIN LATERAL ST_Dump(f.g) AS d
     WHERE f.g IS NOT NULL AND ST_NPoints(d.geom) >= 2
     ORDER BY f.idx, d.path`,
    [json(features)],
  );
  return diff;
}
