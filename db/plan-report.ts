// Plan vs actual (issue 14): route coverage and time on plan of plan
// occurrences, from the teams' fixes, in one statement for a whole report
// (lib/plans/report.ts computes the checkpoint slots from the visits).
import type { Queryable } from './client';

/** One team of one plan occurrence, over [start, stop) (stop: the occurrence's end, or the report's time if earlier). */
export interface ActualsInput {
  k: number;
  planId: number;
  teamId: number;
  start: number;
  stop: number;
}

export interface ActualsRow {
  k: number;
  /** null: the occurrence as a whole (route covered by any of its teams). */
  teamId: number | null;
  onPlanS: number;
  routeM: number;
  coveredM: number;
}

/** The route is cut into pieces of at most this many metres; a piece is covered when its middle is within the distance of a fix. */
const ROUTE_PIECE_M = 10;
/** A fix inside the area counts the time to the next fix, but at most this long: a device silent for longer is not assumed to have stayed. */
const MAX_FIX_GAP_S = 120;
/** Fixes are thinned to cells of this many degrees (about 5 m) before the coverage test: a team standing still sends hundreds of the same point. */
const THIN_DEG = 0.00005;

/**
 * Per (occurrence, team): seconds its fixes were inside the plan's area (for
 * a route-only plan: within `coverM` of the route), and the route's length
 * and the part within `coverM` of its fixes; per occurrence, the part within
 * `coverM` of any of its teams' fixes. The positions are read once per team
 * and occurrence through the fix_time BRIN index; the coverage test is a
 * geography ST_DWithin of each route piece's middle against the team's
 * thinned fixes as one multipoint.
 */
export async function getPlanActuals(db: Queryable, { rows, coverM }: { rows: readonly ActualsInput[]; coverM: number }): Promise<ActualsRow[]> {
  if (rows.length === 0) return [];
  const { rows: out } = await db.query<{ k: number; team_id: number | null; on_plan_s: number; route_m: number; covered_m: number }>(
    `WITH o AS MATERIALIZED (
       SELECT u.k, u.plan_id, u.team_id, to_timestamp(u.start_ms / 1000.0) AS start, to_timestamp(u.stop_ms / 1000.0) AS stop
       FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[]) AS u(k, plan_id, team_id, start_ms, stop_ms)
     ),
     f AS MATERIALIZED (
       SELECT o.k, o.team_id, o.plan_id, p.fix_time, p.geom,
              COALESCE(lead(p.fix_time) OVER (PARTITION BY o.k, o.team_id ORDER BY p.fix_time), o.stop) AS next_time
       FROM o JOIN positions p ON p.team_id = o.team_id AND p.fix_time >= o.start AND p.fix_time < o.stop
       WHERE p.geom IS NOT NULL
     ),
     on_plan AS (
       SELECT f.k, f.team_id,
              sum(LEAST(extract(epoch FROM f.next_time - f.fix_time)::float8, $7::float8)) AS s
       FROM f JOIN patrol_plans pl ON pl.id = f.plan_id
       WHERE CASE WHEN pl.area IS NOT NULL THEN ST_Covers(pl.area, f.geom)
                  ELSE ST_DWithin(pl.route::geography, f.geom::geography, $6::float8) END
       GROUP BY f.k, f.team_id
     ),
     pts AS (
       SELECT pl.id AS plan_id, d.path[1] AS i, d.geom
       FROM patrol_plans pl,
            LATERAL ST_DumpPoints(ST_Segmentize(pl.route::geography, $8::float8)::geometry) d
       WHERE pl.route IS NOT NULL AND pl.id IN (SELECT plan_id FROM o)
     ),
     seg AS MATERIALIZED (
       SELECT plan_id, i, ST_Distance(prev::geography, geom::geography) AS m,
              ST_LineInterpolatePoint(ST_MakeLine(prev, geom), 0.5)::geography AS mid
       FROM (SELECT plan_id, i, geom, lag(geom) OVER (PARTITION BY plan_id ORDER BY i) AS prev FROM pts) s
       WHERE prev IS NOT NULL
     ),
     seg_plans AS (SELECT DISTINCT plan_id FROM seg),
     track AS MATERIALIZED (
       SELECT k, team_id, ST_Collect(g)::geography AS g
       FROM (SELECT DISTINCT f.k, f.team_id, ST_SnapToGrid(f.geom, $9::float8) AS g
             FROM f JOIN seg_plans sp ON sp.plan_id = f.plan_id) x
       GROUP BY k, team_id
     ),
     cov AS (
       SELECT o.k, o.team_id, s.i, s.m, COALESCE(ST_DWithin(s.mid, tr.g, $6::float8), false) AS hit
       FROM o JOIN seg s ON s.plan_id = o.plan_id
       LEFT JOIN track tr ON tr.k = o.k AND tr.team_id = o.team_id
     ),
     team_cov AS (
       SELECT k, team_id, sum(m) AS route_m, COALESCE(sum(m) FILTER (WHERE hit), 0) AS covered_m FROM cov GROUP BY k, team_id
     ),
     plan_cov AS (
       SELECT k, sum(m) AS route_m, COALESCE(sum(m) FILTER (WHERE h), 0) AS covered_m
       FROM (SELECT k, i, max(m) AS m, bool_or(hit) AS h FROM cov GROUP BY k, i) x
       GROUP BY k
     )
     SELECT o.k, o.team_id, COALESCE(op.s, 0)::float8 AS on_plan_s,
            COALESCE(tc.route_m, 0)::float8 AS route_m, COALESCE(tc.covered_m, 0)::float8 AS covered_m
     FROM o LEFT JOIN on_plan op ON op.k = o.k AND op.team_id = o.team_id
     LEFT JOIN team_cov tc ON tc.k = o.k AND tc.team_id = o.team_id
     UNION ALL
     SELECT k, NULL, 0::float8, route_m::float8, covered_m::float8 FROM plan_cov`,
    [
      rows.map((r) => r.k),
      rows.map((r) => r.planId),
      rows.map((r) => r.teamId),
      rows.map((r) => r.start),
      rows.map((r) => r.stop),
      coverM,
      MAX_FIX_GAP_S,
      ROUTE_PIECE_M,
      THIN_DEG,
    ],
  );
  return out.map((r) => ({ k: r.k, teamId: r.team_id, onPlanS: Number(r.on_plan_s), routeM: Number(r.route_m), coveredM: Number(r.covered_m) }));
}
