// The SQL that writes a generated township (planned in lib/sim/township/,
// handed over as the plain data of lib/model/township.ts). One function per
// table family, each a single batched statement: rows go in as parallel
// arrays through unnest (explicit casts, so both engines infer the same
// types) and geometry as GeoJSON text. Spatial facts — the grid tiling,
// which grid a point is in, which village owns a grid — are decided here, in
// PostGIS, not in TypeScript.
import { nextTownshipStep, type AuditAction, type LonLat, type TownshipStatus } from '../lib/model';
import type { BasemapFeaturePlan, GridRef, PlannedIncident, TeamPlan, TownshipPlan } from '../lib/model/township';
import type { Queryable } from './client';
import { iso } from './rows';

function pointJson(at: LonLat): string {
  return JSON.stringify({ type: 'Point', coordinates: at });
}

export async function townshipExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM township) AS found`);
  return rows[0]?.found === true;
}

/**
 * Claims the single township row. false means another seeder got there first
 * (ON CONFLICT waits for its transaction, then yields): the caller stops.
 */
export async function insertTownship(db: Queryable, { plan }: { plan: TownshipPlan }): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO township (id, name, name_en, geom)
     VALUES (1, $1::text, $2::text, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3::text), 4326)))
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [plan.name, plan.nameEn, JSON.stringify({ type: 'Polygon', coordinates: [plan.boundary] })],
  );
  return rows.length === 1;
}

export async function insertVillages(db: Queryable, { plan }: { plan: TownshipPlan }): Promise<void> {
  const s = plan.settlements;
  // Inserted in plan order (community first), so village ids follow it and grid codes do too.
  await db.query(
    `INSERT INTO villages (code, name, name_en, kind, centre, population)
     SELECT v.code, v.name, v.name_en, v.kind, ST_SetSRID(ST_GeomFromGeoJSON(v.centre), 4326), v.population
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
          WITH ORDINALITY AS v(code, name, name_en, kind, centre, population, ord)
     ORDER BY v.ord`,
    [
      s.map((v) => v.code),
      s.map((v) => v.name),
      s.map((v) => v.nameEn),
      s.map((v) => v.kind),
      s.map((v) => pointJson(v.centre)),
      s.map((v) => v.population),
    ],
  );
}

/**
 * The management grid: Voronoi cells of the seed points clipped to the
 * boundary, so the cells tile the township with no gap or overlap.
 *
 * - The Voronoi runs with longitude scaled by cos(latitude), a locally
 *   metric frame: a cell is then the area nearest its seed on the ground
 *   (in raw degrees, cells would be ~12 % too wide east–west here).
 *   Shared cell edges are scaled back by the same factor, so they stay shared.
 * - extend_to covers the whole boundary, or outer cells would stop short of it.
 * - Each cell is matched to its seed with ST_Contains (a generator is always
 *   strictly inside its own cell), and owned by the nearest settlement centre
 *   on the ellipsoid.
 * - Codes run G01… village by village (community first), outwards from each
 *   centre; names count within the village: 格曲第3网格 / Gequ Grid 3.
 */
export async function insertGridsFromSeeds(
  db: Queryable,
  { plan }: { plan: TownshipPlan },
): Promise<GridRef[]> {
  const s = plan.settlements;
  const { rows } = await db.query<{ id: number; code: string; name: string; name_en: string; village_id: number }>(
    `WITH boundary AS (SELECT geom FROM township WHERE id = 1),
     k AS (SELECT cos(radians(ST_Y(ST_Centroid(geom)))) AS f FROM boundary),
     seeds AS (
       SELECT s.ord, ST_SetSRID(ST_GeomFromGeoJSON(s.gj), 4326) AS pt
       FROM unnest($1::text[]) WITH ORDINALITY AS s(gj, ord)
     ),
     cells AS (
       SELECT (ST_Dump(ST_VoronoiPolygons(
                 (SELECT ST_Collect(ST_Scale(pt, k.f, 1)) FROM seeds),
                 0,
                 (SELECT ST_Scale(ST_Expand(b.geom, 0.05), k.f, 1) FROM boundary b)))).geom AS cell
       FROM k
     ),
     tiles AS (
       SELECT s.ord, s.pt,
              ST_Multi(ST_CollectionExtract(ST_Intersection(ST_Scale(c.cell, 1 / k.f, 1), b.geom), 3)) AS geom
       FROM seeds s
       CROSS JOIN k
       JOIN cells c ON ST_Contains(c.cell, ST_Scale(s.pt, k.f, 1))
       CROSS JOIN boundary b
     ),
     owned AS (
       SELECT t.ord, t.geom, v.id AS village_id, v.code AS village_code, v.d
       FROM tiles t
       CROSS JOIN LATERAL (
         SELECT id, code, ST_Distance(centre::geography, t.pt::geography) AS d
         FROM villages ORDER BY 3, id LIMIT 1
       ) v
     ),
     numbered AS (
       SELECT o.*,
              row_number() OVER (PARTITION BY o.village_id ORDER BY o.d, o.ord) AS n_in_village,
              row_number() OVER (ORDER BY o.village_id, o.d, o.ord) AS n
       FROM owned o
     )
     INSERT INTO grids (code, name, name_en, village_id, geom)
     SELECT 'G' || lpad(n::text, 2, '0'),
            st.stem || '第' || n_in_village || '网格',
            st.stem_en || ' Grid ' || n_in_village,
            village_id,
            -- Intersections of valid polygons are valid in practice; repair only if GEOS disagrees.
            CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) END
     FROM numbered
     JOIN unnest($2::text[], $3::text[], $4::text[]) AS st(code, stem, stem_en) ON st.code = numbered.village_code
     ORDER BY n
     RETURNING id, code, name, name_en, village_id`,
    [plan.gridSeeds.map(pointJson), s.map((v) => v.code), s.map((v) => v.stem), s.map((v) => v.stemEn)],
  );
  const { rows: villages } = await db.query<{ id: number; code: string; kind: string }>(`SELECT id, code, kind FROM villages`);
  const byId = new Map(villages.map((v) => [v.id, v]));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    villageCode: byId.get(r.village_id)?.code ?? '',
    isTown: byId.get(r.village_id)?.kind === 'community',
  }));
}

/** Grids with an empty geometry: a seed that lost its cell. Must be zero. */
export async function countEmptyGrids(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM grids WHERE ST_IsEmpty(geom)`);
  return rows[0]?.n ?? 0;
}

export async function insertBasemapFeatures(
  db: Queryable,
  { features }: { features: readonly BasemapFeaturePlan[] },
): Promise<void> {
  await db.query(
    `INSERT INTO basemap_features (kind, name, name_en, level, geom)
     SELECT f.kind, f.name, f.name_en, f.level, ST_SetSRID(ST_GeomFromGeoJSON(f.gj), 4326)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
          WITH ORDINALITY AS f(kind, name, name_en, level, gj, ord)
     ORDER BY f.ord`,
    [
      features.map((f) => f.kind),
      features.map((f) => f.name),
      features.map((f) => f.nameEn),
      features.map((f) => f.level),
      features.map((f) => JSON.stringify(f.geometry)),
    ],
  );
}

/** Key locations, each placed in the grid that covers it. */
export async function insertKeyLocations(db: Queryable, { plan }: { plan: TownshipPlan }): Promise<void> {
  const k = plan.keyLocations;
  await db.query(
    `INSERT INTO key_locations (category, name, name_en, grid_id, geom)
     SELECT l.category, l.name, l.name_en,
            (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, l.geom) ORDER BY g.id LIMIT 1),
            l.geom
     FROM (SELECT x.ord, x.category, x.name, x.name_en, ST_SetSRID(ST_GeomFromGeoJSON(x.gj), 4326) AS geom
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                WITH ORDINALITY AS x(category, name, name_en, gj, ord)) l
     ORDER BY l.ord`,
    [k.map((l) => l.category), k.map((l) => l.name), k.map((l) => l.nameEn), k.map((l) => pointJson(l.at))],
  );
}

export interface TeamRow extends TeamPlan {
  /** SHA-256 hex of the device's secret (the secret itself is never stored). */
  secretHash: string;
}

/**
 * Teams, one device each, and each team's unit_state row, in one statement
 * (data-modifying CTEs). A team without a fixed home grid gets the grid that
 * covers its home point; a grid worker's area is its home grid. unit_state starts without a fix: the first position
 * report gives it one.
 */
export async function insertTeamsWithDevices(db: Queryable, { teams }: { teams: readonly TeamRow[] }): Promise<void> {
  await db.query(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[],
                            $7::int[], $8::text[], $9::boolean[], $10::text[], $11::text[])
         WITH ORDINALITY AS t(code, name, name_en, force_type, size, village_code,
                              home_grid_id, home_point, on_duty, secret_hash, label, ord)
     ),
     homed AS (
       SELECT i.*, COALESCE(i.home_grid_id,
                            (SELECT g.id FROM grids g
                             WHERE ST_Covers(g.geom, ST_SetSRID(ST_GeomFromGeoJSON(i.home_point), 4326))
                             ORDER BY g.id LIMIT 1)) AS grid_id
       FROM input i
     ),
     team AS (
       -- A grid worker's area (the outside-area rule) is its home grid cell; other teams cover the whole township (NULL).
       INSERT INTO teams (code, name, name_en, force_type, size, village_id, home_grid_id, on_duty, area)
       SELECT i.code, i.name, i.name_en, i.force_type, i.size, v.id, i.grid_id, i.on_duty,
              CASE WHEN i.force_type = 'grid_worker' THEN (SELECT g.geom FROM grids g WHERE g.id = i.grid_id) END
       FROM homed i LEFT JOIN villages v ON v.code = i.village_code
       ORDER BY i.ord
       RETURNING id, code, on_duty
     ),
     device AS (
       INSERT INTO devices (team_id, secret_hash, label, protocol)
       SELECT team.id, i.secret_hash, i.label, 'osmand'
       FROM team JOIN input i ON i.code = team.code
       ORDER BY i.ord
       RETURNING id, team_id
     )
     INSERT INTO unit_state (team_id, device_id, status)
     SELECT device.team_id, device.id, CASE WHEN team.on_duty THEN 'available' ELSE 'off_duty' END
     FROM device JOIN team ON team.id = device.team_id`,
    [
      teams.map((t) => t.code),
      teams.map((t) => t.name),
      teams.map((t) => t.nameEn),
      teams.map((t) => t.forceType),
      teams.map((t) => t.size),
      teams.map((t) => t.villageCode),
      teams.map((t) => t.homeGridId),
      teams.map((t) => (t.homePoint ? pointJson(t.homePoint) : null)),
      teams.map((t) => t.onDuty),
      teams.map((t) => t.secretHash),
      teams.map((t) => t.deviceLabel),
    ],
  );
}

/**
 * Incident history in batches of unnest arrays. Each point's grid is found
 * with ST_Covers on the grid index. Measured on the embedded engine for 4,470
 * incidents: 0.29 s batched against 2.7 s as one INSERT per row.
 */
export async function insertIncidents(
  db: Queryable,
  { incidents, batchSize = 2000 }: { incidents: readonly PlannedIncident[]; batchSize?: number },
): Promise<void> {
  for (let from = 0; from < incidents.length; from += batchSize) {
    const b = incidents.slice(from, from + batchSize);
    await db.query(
      `INSERT INTO incidents (category, severity, status, title, description, reporter_contact, source,
                              geom, grid_id, reported_at, resolved_at, closed_at, timeline, outcome, updated_at)
       SELECT x.category, x.severity::smallint, x.status, x.title, x.description, NULL, x.source,
              x.geom,
              (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, x.geom) ORDER BY g.id LIMIT 1),
              x.reported_at, x.resolved_at, x.closed_at, x.timeline::jsonb,
              -- History needs an outcome once resolved: disputes were mediated,
              -- everything else handed to the service that owns it.
              CASE WHEN x.status NOT IN ('resolved', 'closed') THEN NULL
                   WHEN x.category LIKE '%\_dispute' THEN 'mediated'
                   ELSE 'referred' END,
              COALESCE(x.closed_at, x.resolved_at, x.reported_at)
       FROM (SELECT u.*, ST_SetSRID(ST_GeomFromGeoJSON(u.gj), 4326) AS geom
             FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[])
                  WITH ORDINALITY AS u(category, severity, status, title, description, source, gj,
                                       reported_at, resolved_at, closed_at, timeline, ord)) x
       ORDER BY x.ord`,
      [
        b.map((i) => i.category),
        b.map((i) => i.severity),
        b.map((i) => i.status),
        b.map((i) => i.title),
        b.map((i) => i.description),
        b.map((i) => i.source),
        b.map((i) => pointJson(i.at)),
        b.map((i) => i.reportedAt.toISOString()),
        b.map((i) => i.resolvedAt?.toISOString() ?? null),
        b.map((i) => i.closedAt?.toISOString() ?? null),
        b.map((i) => JSON.stringify(i.timeline)),
      ],
    );
  }
}

export interface SeededCounts {
  grids: number;
  villages: number;
  keyLocations: number;
  teams: number;
  devices: number;
  incidents: number;
}

export async function countSeeded(db: Queryable): Promise<SeededCounts> {
  const { rows } = await db.query<SeededCounts>(
    `SELECT (SELECT count(*) FROM grids)::int AS grids,
            (SELECT count(*) FROM villages)::int AS villages,
            (SELECT count(*) FROM key_locations)::int AS "keyLocations",
            (SELECT count(*) FROM teams)::int AS teams,
            (SELECT count(*) FROM devices)::int AS devices,
            (SELECT count(*) FROM incidents)::int AS incidents`,
  );
  const r = rows[0];
  if (!r) throw new Error('countSeeded: no row');
  return r;
}

// ── removing the demo (npm run demo:remove) ─────────────────────────────────

/**
 * Audit actions after which the stored township is no longer the generated
 * demo: an imported layer, or a team or device an administrator set up (a
 * real phone would lose its team). Incidents, dispatches and the simulator's
 * positions are the demo being used, and go with it.
 */
export const DEMO_ENDING_ACTIONS = ['import.apply', 'team.create', 'device.create', 'device.secret'] as const satisfies readonly AuditAction[];

export interface DemoState {
  /** A township row is stored. */
  township: boolean;
  seededAt: string | null;
  /** The first audit row since the township was written that makes it not the demo, or null. */
  endedBy: { action: string; at: string; actor: string | null; target: string | null } | null;
}

/** Whether the stored township is still the demo as seeded (the audit log says what happened since). */
export async function getDemoState(db: Queryable): Promise<DemoState> {
  const { rows } = await db.query<{ seeded_at: Date | string | null; action: string | null; at: Date | string | null; actor: string | null; target: string | null }>(
    `SELECT t.seeded_at, a.action, a.at, a.actor, a.target
     FROM (SELECT 1) one
     LEFT JOIN township t ON t.id = 1
     LEFT JOIN LATERAL (
       SELECT action, at, actor, target FROM audit_log
       WHERE action = ANY($1::text[]) AND outcome = 'ok' AND at >= t.seeded_at
       ORDER BY at, id LIMIT 1
     ) a ON true`,
    [[...DEMO_ENDING_ACTIONS]],
  );
  const r = rows[0]!;
  return {
    township: r.seeded_at !== null,
    seededAt: iso(r.seeded_at),
    endedBy: r.action === null ? null : { action: r.action, at: iso(r.at)!, actor: r.actor, target: r.target },
  };
}

/** An administrator removed the demo (npm run demo:remove): starting with SEED_DEMO=true must not bring it back. */
export async function demoWasRemoved(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'demo.remove' AND outcome = 'ok') AS found`);
  return rows[0]?.found === true;
}

/** Every table the township's data lives in, referencing tables first. */
const TOWNSHIP_TABLES = `alerts, assignments, grid_coverage, unit_state, positions, incidents, devices, teams,
  key_locations, grids, villages, basemap_features, township, import_previews,
  patrol_visits, patrol_checkpoints, patrol_plan_teams, patrol_plan_grids, patrol_plans`;

/**
 * Takes the township's tables for the caller's transaction before it looks
 * at them: an import or a device's fix that is under way commits first (and
 * is then seen), anything later waits for the removal.
 */
export async function lockTownshipTables(db: Queryable): Promise<void> {
  await db.query(`LOCK TABLE ${TOWNSHIP_TABLES} IN ACCESS EXCLUSIVE MODE`);
}

export interface RemovedCounts {
  township: number;
  villages: number;
  grids: number;
  keyLocations: number;
  basemapFeatures: number;
  teams: number;
  devices: number;
  unitStates: number;
  positions: number;
  incidents: number;
  assignments: number;
  alerts: number;
}

/**
 * Empties the township's tables in the caller's transaction and says how many
 * rows each held. Accounts, sessions, the audit log and an uploaded PMTiles
 * basemap stay. TRUNCATE rather than DELETE: positions holds every fix the
 * simulator ever sent (millions after a few weeks), and TRUNCATE is one cheap
 * statement whatever the size, and as transactional as DELETE. A table added
 * later with a foreign key into these makes it fail (nothing is removed)
 * rather than leave rows pointing at nothing. Ids are not restarted: audit
 * rows that name an incident or a team keep naming only that one.
 */
export async function deleteTownshipData(db: Queryable): Promise<RemovedCounts> {
  const { rows } = await db.query<RemovedCounts>(
    `SELECT (SELECT count(*) FROM township)::int AS township,
            (SELECT count(*) FROM villages)::int AS villages,
            (SELECT count(*) FROM grids)::int AS grids,
            (SELECT count(*) FROM key_locations)::int AS "keyLocations",
            (SELECT count(*) FROM basemap_features)::int AS "basemapFeatures",
            (SELECT count(*) FROM teams)::int AS teams,
            (SELECT count(*) FROM devices)::int AS devices,
            (SELECT count(*) FROM unit_state)::int AS "unitStates",
            (SELECT count(*) FROM positions)::int AS positions,
            (SELECT count(*) FROM incidents)::int AS incidents,
            (SELECT count(*) FROM assignments)::int AS assignments,
            (SELECT count(*) FROM alerts)::int AS alerts`,
  );
  await db.query(`TRUNCATE ${TOWNSHIP_TABLES}`);
  return rows[0]!;
}

/** GET /api/township/status: what is stored, in one statement, and whether it is still the demo. */
export async function getTownshipStatus(db: Queryable): Promise<TownshipStatus> {
  const { rows } = await db.query<Omit<TownshipStatus, 'next' | 'demo'>>(
    `SELECT EXISTS (SELECT 1 FROM township WHERE id = 1) AS "hasBoundary",
            (SELECT name FROM township WHERE id = 1) AS name,
            (SELECT count(*) FROM villages)::int AS villages,
            (SELECT count(*) FROM grids)::int AS grids,
            (SELECT count(*) FROM key_locations)::int AS "keyLocations",
            (SELECT count(*) FROM basemap_features WHERE kind = 'road')::int AS roads,
            (SELECT count(*) FROM teams)::int AS teams`,
  );
  const counts = rows[0]!;
  const demo = await getDemoState(db);
  return { ...counts, demo: demo.township && demo.endedBy === null, next: nextTownshipStep(counts) };
}
