// Patrol plans (issue 14): plans, their teams, cells and checkpoints
// (migration 0013). The service (lib/plans/service.ts) runs these inside one
// transaction with the plan's audit row.
import type { CheckpointFrequency, ForceType, PatrolPlan, PlanCheckpoint, PlanInput, PlanKind, PlanPolygon, PlanRecurrence, PlanTeam } from '../lib/model';
import type { Queryable } from './client';

interface PlanRow {
  id: number;
  name: string;
  kind: PlanKind;
  repeat: PlanRecurrence['repeat'];
  on_date: string | null;
  from_date: string | null;
  until_date: string | null;
  start_minute: number;
  end_minute: number;
  area: string | null;
  drawn_area?: string | null;
  route: string | null;
  created_by: string;
  updated_at: Date | string;
}

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function recurrenceOf(r: PlanRow): PlanRecurrence {
  return r.repeat === 'once' ? { repeat: 'once', date: r.on_date! } : { repeat: r.repeat, from: r.from_date, until: r.until_date };
}

/** The plan's own columns as bound parameters $1..$11 (see PLAN_VALUES). */
function planParams(plan: PlanInput): unknown[] {
  const rec = plan.recurrence;
  return [
    plan.name,
    plan.kind,
    rec.repeat,
    rec.repeat === 'once' ? rec.date : null,
    rec.repeat === 'once' ? null : rec.from,
    rec.repeat === 'once' ? null : rec.until,
    minutes(plan.window.start),
    minutes(plan.window.end),
    plan.areaGridIds,
    plan.areaPolygon === null ? null : JSON.stringify(plan.areaPolygon),
    plan.route === null ? null : JSON.stringify(plan.route),
  ];
}

// The drawn polygon as a MultiPolygon, and the area the rules use: the union
// of the plan's cells and the drawn polygon (NULL when neither is given: a
// route-only plan). ST_Union over no rows is NULL.
const DRAWN = `(SELECT CASE WHEN $10::text IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($10::text), 4326)) END AS g)`;
const AREA = `(SELECT ST_Multi(ST_CollectionExtract(ST_Union(x.geom), 3))
               FROM (SELECT geom FROM grids WHERE id = ANY($9::int[]) UNION ALL SELECT d.g WHERE d.g IS NOT NULL) x)`;
const ROUTE = `CASE WHEN $11::text IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON($11::text), 4326) END`;

export async function insertPlan(db: Queryable, { plan, createdBy }: { plan: PlanInput; createdBy: string }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO patrol_plans (name, kind, repeat, on_date, from_date, until_date, start_minute, end_minute, drawn_area, area, route, created_by)
     SELECT $1::text, $2::text, $3::text, $4::date, $5::date, $6::date, $7::int, $8::int, d.g, ${AREA}, ${ROUTE}, $12::text
     FROM ${DRAWN} d
     RETURNING id`,
    [...planParams(plan), createdBy],
  );
  const id = rows[0]!.id;
  await writeParts(db, id, plan);
  return id;
}

/** Replaces a plan's fields, teams, cells and checkpoints; false when there is no such plan. */
export async function replacePlan(db: Queryable, { id, plan }: { id: number; plan: PlanInput }): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE patrol_plans p SET
       name = $1::text, kind = $2::text, repeat = $3::text, on_date = $4::date, from_date = $5::date, until_date = $6::date,
       start_minute = $7::int, end_minute = $8::int, drawn_area = d.g, area = ${AREA}, route = ${ROUTE}, updated_at = now()
     FROM ${DRAWN} d
     WHERE p.id = $12::int
     RETURNING p.id`,
    [...planParams(plan), id],
  );
  if (rows.length === 0) return false;
  await db.query(`DELETE FROM patrol_plan_teams WHERE plan_id = $1::int`, [id]);
  await db.query(`DELETE FROM patrol_plan_grids WHERE plan_id = $1::int`, [id]);
  await db.query(`DELETE FROM patrol_checkpoints WHERE plan_id = $1::int`, [id]);
  await writeParts(db, id, plan);
  return true;
}

async function writeParts(db: Queryable, id: number, plan: PlanInput): Promise<void> {
  await db.query(`INSERT INTO patrol_plan_teams (plan_id, team_id) SELECT $1::int, t FROM unnest($2::int[]) AS t`, [id, plan.teamIds]);
  await db.query(`INSERT INTO patrol_plan_grids (plan_id, grid_id) SELECT $1::int, g FROM unnest($2::int[]) AS g`, [id, plan.areaGridIds]);
  const cps = plan.checkpoints;
  // A key location's point is copied in: the checkpoint stays where it was planned if the key location moves or goes.
  await db.query(
    `INSERT INTO patrol_checkpoints (plan_id, seq, key_location_id, name, geom, radius_m, every_minutes, freq_start_minute, freq_end_minute)
     SELECT $1::int, c.seq, c.kl, COALESCE(c.name, k.name), COALESCE(k.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)), c.radius, c.every, c.fs, c.fe
     FROM unnest($2::int[], $3::int[], $4::text[], $5::float8[], $6::float8[], $7::int[], $8::int[], $9::int[], $10::int[])
          AS c(seq, kl, name, lon, lat, radius, every, fs, fe)
     LEFT JOIN key_locations k ON k.id = c.kl`,
    [
      id,
      cps.map((_, i) => i + 1),
      cps.map((c) => c.keyLocationId),
      cps.map((c) => c.name),
      cps.map((c) => c.point?.[0] ?? null),
      cps.map((c) => c.point?.[1] ?? null),
      cps.map((c) => c.radiusM),
      cps.map((c) => c.frequency?.everyMinutes ?? null),
      cps.map((c) => (c.frequency ? minutes(c.frequency.start) : null)),
      cps.map((c) => (c.frequency ? minutes(c.frequency.end) : null)),
    ],
  );
}

/** Deletes a plan with its teams, cells and checkpoints; its name, or null when there is no such plan. */
export async function deletePlan(db: Queryable, { id }: { id: number }): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>(`DELETE FROM patrol_plans WHERE id = $1::int RETURNING name`, [id]);
  return rows[0]?.name ?? null;
}

/** Plans by id (every plan when `ids` is undefined), by name. */
export async function listPlans(db: Queryable, { ids }: { ids?: readonly number[] } = {}): Promise<PatrolPlan[]> {
  const only = ids === undefined ? null : [...ids];
  const [plans, teams, grids, cps] = await Promise.all([
    db.query<PlanRow>(
      `SELECT id, name, kind, repeat, on_date::text AS on_date, from_date::text AS from_date, until_date::text AS until_date,
              start_minute, end_minute, ST_AsGeoJSON(area, 7) AS area, ST_AsGeoJSON(drawn_area, 7) AS drawn_area, ST_AsGeoJSON(route, 7) AS route, created_by, updated_at
       FROM patrol_plans WHERE $1::int[] IS NULL OR id = ANY($1::int[]) ORDER BY name, id`,
      [only],
    ),
    db.query<{ plan_id: number; id: number; code: string; name: string; name_en: string; force_type: ForceType; on_duty: boolean }>(
      `SELECT pt.plan_id, t.id, t.code, t.name, t.name_en, t.force_type, t.on_duty
       FROM patrol_plan_teams pt JOIN teams t ON t.id = pt.team_id
       WHERE $1::int[] IS NULL OR pt.plan_id = ANY($1::int[]) ORDER BY t.code`,
      [only],
    ),
    db.query<{ plan_id: number; grid_id: number }>(
      `SELECT plan_id, grid_id FROM patrol_plan_grids WHERE $1::int[] IS NULL OR plan_id = ANY($1::int[]) ORDER BY grid_id`,
      [only],
    ),
    db.query<{
      plan_id: number;
      id: number;
      seq: number;
      key_location_id: number | null;
      name: string;
      lon: number;
      lat: number;
      radius_m: number;
      every_minutes: number | null;
      freq_start_minute: number | null;
      freq_end_minute: number | null;
    }>(
      `SELECT plan_id, id, seq, key_location_id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, radius_m, every_minutes, freq_start_minute, freq_end_minute
       FROM patrol_checkpoints WHERE $1::int[] IS NULL OR plan_id = ANY($1::int[]) ORDER BY plan_id, seq`,
      [only],
    ),
  ]);
  return plans.rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    teams: teams.rows
      .filter((t) => t.plan_id === r.id)
      .map((t): PlanTeam => ({ id: t.id, code: t.code, name: t.name, nameEn: t.name_en, forceType: t.force_type, onDuty: t.on_duty })),
    recurrence: recurrenceOf(r),
    window: { start: clock(r.start_minute), end: clock(r.end_minute) },
    areaGridIds: grids.rows.filter((g) => g.plan_id === r.id).map((g) => g.grid_id),
    area: r.area === null ? null : (JSON.parse(r.area) as PlanPolygon),
    drawnArea: r.drawn_area == null ? null : (JSON.parse(r.drawn_area) as PlanPolygon),
    route: r.route === null ? null : (JSON.parse(r.route) as PatrolPlan['route']),
    checkpoints: cps.rows
      .filter((c) => c.plan_id === r.id)
      .map(
        (c): PlanCheckpoint => ({
          id: c.id,
          seq: c.seq,
          keyLocationId: c.key_location_id,
          name: c.name,
          point: [Number(c.lon), Number(c.lat)],
          radiusM: c.radius_m,
          frequency:
            c.every_minutes === null
              ? null
              : ({ everyMinutes: c.every_minutes, start: clock(c.freq_start_minute!), end: clock(c.freq_end_minute!) } satisfies CheckpointFrequency),
        }),
      ),
    createdBy: r.created_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** What a plan refers to that does not exist, and a drawn area or route that is not valid geometry (the service's 422s). */
export interface PlanInputProblems {
  unknownTeamIds: number[];
  unknownGridIds: number[];
  unknownKeyLocationIds: number[];
  areaInvalid: string | null;
  routeInvalid: string | null;
}

export async function findPlanInputProblems(db: Queryable, { plan }: { plan: PlanInput }): Promise<PlanInputProblems> {
  const keyLocationIds = plan.checkpoints.map((c) => c.keyLocationId).filter((k): k is number => k !== null);
  const { rows } = await db.query<{
    unknown_team_ids: number[] | null;
    unknown_grid_ids: number[] | null;
    unknown_key_location_ids: number[] | null;
    area_invalid: string | null;
    route_invalid: string | null;
  }>(
    `SELECT (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest($1::int[]) x WHERE NOT EXISTS (SELECT 1 FROM teams WHERE id = x)) AS unknown_team_ids,
            (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest($2::int[]) x WHERE NOT EXISTS (SELECT 1 FROM grids WHERE id = x)) AS unknown_grid_ids,
            (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest($3::int[]) x WHERE NOT EXISTS (SELECT 1 FROM key_locations WHERE id = x)) AS unknown_key_location_ids,
            (SELECT CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsValidReason(g) END
             FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326) AS g) a WHERE $4::text IS NOT NULL) AS area_invalid,
            (SELECT CASE WHEN ST_IsValid(g) AND ST_Length(g) > 0 THEN NULL ELSE 'a route needs two different points' END
             FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($5::text), 4326) AS g) r WHERE $5::text IS NOT NULL) AS route_invalid`,
    [
      plan.teamIds,
      plan.areaGridIds,
      keyLocationIds,
      plan.areaPolygon === null ? null : JSON.stringify(plan.areaPolygon),
      plan.route === null ? null : JSON.stringify(plan.route),
    ],
  );
  const r = rows[0]!;
  return {
    unknownTeamIds: r.unknown_team_ids ?? [],
    unknownGridIds: r.unknown_grid_ids ?? [],
    unknownKeyLocationIds: r.unknown_key_location_ids ?? [],
    areaInvalid: r.area_invalid,
    routeInvalid: r.route_invalid,
  };
}

/**
 * Locks the teams for the rest of the caller's transaction and answers their
 * codes and duty: two plans for one team written at once are checked one after
 * the other, so neither misses the other's occurrences.
 */
export async function lockPlanTeams(db: Queryable, { teamIds }: { teamIds: readonly number[] }): Promise<{ id: number; code: string; onDuty: boolean }[]> {
  const { rows } = await db.query<{ id: number; code: string; on_duty: boolean }>(
    `SELECT id, code, on_duty FROM teams WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
    [[...teamIds]],
  );
  return rows.map((r) => ({ id: r.id, code: r.code, onDuty: r.on_duty }));
}

/** The other plans that name any of these teams (the overlap check), with the teams they share. */
export async function listPlansOfTeams(
  db: Queryable,
  { teamIds, exceptPlanId }: { teamIds: readonly number[]; exceptPlanId: number | null },
): Promise<{ id: number; name: string; recurrence: PlanRecurrence; window: { start: string; end: string }; sharedTeamCodes: string[] }[]> {
  const { rows } = await db.query<PlanRow & { shared: string[] }>(
    `SELECT p.id, p.name, p.kind, p.repeat, p.on_date::text AS on_date, p.from_date::text AS from_date, p.until_date::text AS until_date,
            p.start_minute, p.end_minute, NULL AS area, NULL AS route, p.created_by, p.updated_at,
            array_agg(t.code ORDER BY t.code) AS shared
     FROM patrol_plans p
     JOIN patrol_plan_teams pt ON pt.plan_id = p.id AND pt.team_id = ANY($1::int[])
     JOIN teams t ON t.id = pt.team_id
     WHERE $2::int IS NULL OR p.id <> $2::int
     GROUP BY p.id
     ORDER BY p.id`,
    [[...teamIds], exceptPlanId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    recurrence: recurrenceOf(r),
    window: { start: clock(r.start_minute), end: clock(r.end_minute) },
    sharedTeamCodes: r.shared,
  }));
}

/**
 * The plan's checkpoints outside its area, by sequence. A checkpoint is inside
 * when its visit circle reaches the area: the point lies within radius_m of
 * the area (ST_DWithin on geography, the same as ST_Covers of the area grown
 * by the radius), so a team that stays inside the area can come within the
 * radius of it — a bridge on the cell's edge is in, a point farther out than
 * its radius is not. A route-only plan's checkpoints must be within their
 * radius of the route.
 */
export async function findCheckpointsOutsideArea(
  db: Queryable,
  { planId }: { planId: number },
): Promise<{ seq: number; name: string; distanceM: number; radiusM: number }[]> {
  const { rows } = await db.query<{ seq: number; name: string; distance_m: number; radius_m: number }>(
    `SELECT c.seq, c.name, round(ST_Distance(COALESCE(p.area, p.route)::geography, c.geom::geography))::int AS distance_m, c.radius_m
     FROM patrol_checkpoints c JOIN patrol_plans p ON p.id = c.plan_id
     WHERE c.plan_id = $1::int
       AND NOT ST_DWithin(COALESCE(p.area, p.route)::geography, c.geom::geography, c.radius_m)
     ORDER BY c.seq`,
    [planId],
  );
  return rows.map((r) => ({ seq: r.seq, name: r.name, distanceM: r.distance_m, radiusM: r.radius_m }));
}
