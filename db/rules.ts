// The set-based reads of the rules evaluator (lib/rules/evaluator.ts): a few
// statements per cycle for every team, assignment and grid cell at once,
// never a query per fix on the ingest path. Every statement takes the cycle's
// `now` as a bound parameter, never now(), so tests drive time explicitly.
import type { LonLat } from '../lib/model';
import type { Queryable } from './client';
import { lonLat } from './rows';

/** One fix of a dispatched team, with its distance to the incident on the geography. */
export interface ArrivalFixRow {
  assignmentId: number;
  at: number;
  metres: number;
}

/**
 * Every active assignment not yet arrived, with the newest `maxFixes` fixes of
 * its team's devices since dispatch (and not before `from`), each with its
 * distance to the incident in metres on the geography, oldest first per
 * assignment. The LATERAL limit walks the (device_id, fix_time) unique index
 * backwards and stops, and the distance is computed only for the rows it
 * keeps, so the cost per cycle is bounded by assignments × maxFixes however
 * fast devices report.
 */
export async function getArrivalFixes(
  db: Queryable,
  { now, from, maxFixes }: { now: Date; from: Date; maxFixes: number },
): Promise<ArrivalFixRow[]> {
  const { rows } = await db.query<{ assignment_id: string; at_ms: number; metres: number }>(
    `SELECT a.id::text AS assignment_id, (extract(epoch FROM f.fix_time) * 1000)::float8 AS at_ms,
            ST_Distance(f.geom::geography, i.geom::geography)::float8 AS metres
     FROM assignments a
     JOIN incidents i ON i.id = a.incident_id
     -- A team whose newest fix is older than the window has nothing in it: no index probes.
     JOIN unit_state u ON u.team_id = a.team_id AND u.fix_time >= GREATEST(a.dispatched_at, $2::timestamptz)
     CROSS JOIN LATERAL (
       SELECT p.fix_time, p.geom
       FROM devices d JOIN positions p ON p.device_id = d.id
       WHERE d.team_id = a.team_id
         AND p.fix_time >= GREATEST(a.dispatched_at, $2::timestamptz) AND p.fix_time <= $1::timestamptz
       ORDER BY p.fix_time DESC
       LIMIT $3::int) f
     WHERE a.released_at IS NULL AND a.arrived_at IS NULL AND a.dispatched_at <= $1::timestamptz
     ORDER BY a.id, f.fix_time`,
    [now.toISOString(), from.toISOString(), maxFixes],
  );
  return rows.map((r) => ({ assignmentId: Number(r.assignment_id), at: Number(r.at_ms), metres: Number(r.metres) }));
}

/**
 * The embedded engine has no autovacuum, so nothing would ever summarize the
 * BRIN index on positions.fix_time (0006 turns on autosummarize for the
 * server): summarize the ranges filled since the last call, each page read
 * once, before the coverage statement relies on them. On the server this is
 * left to autovacuum — calling it there would take a lock that cancels an
 * autovacuum of positions every cycle.
 */
export async function summarizeNewPositionRanges(db: Queryable & { engine: 'pglite' | 'pg' }): Promise<void> {
  if (db.engine !== 'pglite') return;
  // positions is partitioned (migration 0019): each partition carries its own BRIN, attached to the parent's.
  await db.query(
    `SELECT brin_summarize_new_values(i.inhrelid::regclass) FROM pg_inherits i WHERE i.inhparent = 'positions_fix_time_brin'::regclass`,
  );
}

/**
 * Patrol coverage in ONE statement: the newest fix per grid cell among the
 * fixes timed in (from, now] — positions.grid_id was decided at insert, and
 * the BRIN index on fix_time keeps the scan to the recent pages — merged into
 * grid_coverage so a cell's time only moves forward. Returns the cells touched.
 */
export async function updateGridCoverage(db: Queryable, { from, now }: { from: Date; now: Date }): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH seen AS (
       INSERT INTO grid_coverage (grid_id, last_patrol_at)
       SELECT grid_id, max(fix_time) FROM positions
       WHERE fix_time > $1::timestamptz AND fix_time <= $2::timestamptz AND grid_id IS NOT NULL
       GROUP BY grid_id
       ON CONFLICT (grid_id) DO UPDATE
         SET last_patrol_at = GREATEST(grid_coverage.last_patrol_at, EXCLUDED.last_patrol_at)
       RETURNING 1)
     SELECT count(*)::int AS n FROM seen`,
    [from.toISOString(), now.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

export interface UnacknowledgedAssignmentRow {
  assignmentId: number;
  incidentId: number;
  teamId: number;
  teamCode: string;
  incidentPosition: LonLat | null;
}

/** Active assignments dispatched before `dispatchedBefore` that nobody has acknowledged. */
export async function getUnacknowledgedAssignments(
  db: Queryable,
  { dispatchedBefore }: { dispatchedBefore: Date },
): Promise<UnacknowledgedAssignmentRow[]> {
  const { rows } = await db.query<{ id: string; incident_id: string; team_id: number; code: string; lon: number | null; lat: number | null }>(
    `SELECT a.id::text, a.incident_id::text, a.team_id, t.code, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
     FROM assignments a
     JOIN teams t ON t.id = a.team_id
     JOIN incidents i ON i.id = a.incident_id
     WHERE a.released_at IS NULL AND a.acknowledged_at IS NULL AND a.dispatched_at < $1::timestamptz
     ORDER BY a.id`,
    [dispatchedBefore.toISOString()],
  );
  return rows.map((r) => ({
    assignmentId: Number(r.id),
    incidentId: Number(r.incident_id),
    teamId: r.team_id,
    teamCode: r.code,
    incidentPosition: lonLat(r.lon, r.lat),
  }));
}

export interface OnDutyTeamFixRow {
  teamId: number;
  teamCode: string;
  /** epoch ms of the newest fix, or null if the team never sent one. */
  fixMs: number | null;
  position: LonLat | null;
}

/** Every on-duty team with its newest fix (unit_state): the stale and offline rules decide from these. */
export async function getOnDutyTeamFixes(db: Queryable): Promise<OnDutyTeamFixRow[]> {
  const { rows } = await db.query<{ id: number; code: string; fix_ms: number | null; lon: number | null; lat: number | null }>(
    `SELECT t.id, t.code, (extract(epoch FROM u.fix_time) * 1000)::float8 AS fix_ms, ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat
     FROM teams t LEFT JOIN unit_state u ON u.team_id = t.id
     WHERE t.on_duty
     ORDER BY t.id`,
  );
  return rows.map((r) => ({ teamId: r.id, teamCode: r.code, fixMs: r.fix_ms === null ? null : Number(r.fix_ms), position: lonLat(r.lon, r.lat) }));
}

/** A team walking a running patrol plan (lib/plans/monitor.ts runningPlans): held to the plan's area from the occurrence's start. */
export interface TeamPlanArea {
  teamId: number;
  planId: number;
  /** epoch ms the occurrence began: fixes before it say nothing about the plan's area. */
  startMs: number;
}

export interface OutsideAreaTeamRow {
  teamId: number;
  teamCode: string;
  position: LonLat | null;
  /** The plan whose area the team was held to, or null for its own area. */
  planName: string | null;
  /** epoch ms of the first fix of the run outside the area that reaches the newest fix. */
  outsideSinceMs: number;
}

/**
 * Patrolling teams outside their area since before `outsideBefore`: on
 * duty, with an area, on no active assignment (a dispatched team goes where
 * it is sent), and whose newest fix (unit_state) is in the window and
 * outside it — a cheap filter of a handful of teams before positions are read. For those, the
 * newest `maxFixes` fixes in (from, now]: the run outside starts at the first
 * fix after the latest one inside; it must have started before
 * `outsideBefore`. A team that reported nothing before `outsideBefore` in the
 * window has no evidence of being outside that long and is not returned.
 * A team walking a running plan (`plans`) is held to the plan's area instead
 * of its own — a route-only plan's route widened by `routeMarginM` — and only
 * its fixes since the occurrence began count.
 */
export async function getTeamsOutsideArea(
  db: Queryable,
  {
    now,
    from,
    outsideBefore,
    maxFixes,
    plans = [],
    routeMarginM = 0,
  }: { now: Date; from: Date; outsideBefore: Date; maxFixes: number; plans?: readonly TeamPlanArea[]; routeMarginM?: number },
): Promise<OutsideAreaTeamRow[]> {
  const { rows } = await db.query<{ team_id: number; code: string; lon: number | null; lat: number | null; since_ms: number; plan_name: string | null }>(
    `WITH tp AS (
       SELECT DISTINCT ON (u.team_id) u.team_id, pl.name AS plan_name, to_timestamp(u.since_ms / 1000.0) AS since,
              COALESCE(pl.area, ST_Buffer(pl.route::geography, $8::float8)::geometry) AS area
       FROM unnest($5::int[], $6::int[], $7::float8[]) AS u(team_id, plan_id, since_ms)
       JOIN patrol_plans pl ON pl.id = u.plan_id
       WHERE pl.area IS NOT NULL OR pl.route IS NOT NULL
       ORDER BY u.team_id, u.since_ms DESC
     ), cand AS (
       SELECT t.id AS team_id, t.code, COALESCE(tp.area, t.area) AS area, tp.plan_name,
              GREATEST($2::timestamptz, tp.since) AS after, ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat
       FROM teams t JOIN unit_state u ON u.team_id = t.id
       LEFT JOIN tp ON tp.team_id = t.id
       WHERE t.on_duty AND COALESCE(tp.area, t.area) IS NOT NULL AND u.geom IS NOT NULL AND u.fix_time > $2::timestamptz
         AND NOT ST_Covers(COALESCE(tp.area, t.area), u.geom)
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.team_id = t.id AND a.released_at IS NULL)
     ), fixes AS (
       SELECT c.team_id, f.fix_time, ST_Covers(c.area, f.geom) AS inside
       FROM cand c CROSS JOIN LATERAL (
         SELECT p.fix_time, p.geom
         FROM devices d JOIN positions p ON p.device_id = d.id
         WHERE d.team_id = c.team_id AND p.fix_time > c.after AND p.fix_time <= $1::timestamptz
         ORDER BY p.fix_time DESC
         LIMIT $4::int) f
     ), last_inside AS (
       SELECT team_id, max(fix_time) FILTER (WHERE inside) AS at FROM fixes GROUP BY team_id
     )
     SELECT c.team_id, c.code, c.lon, c.lat, c.plan_name, (extract(epoch FROM min(f.fix_time)) * 1000)::float8 AS since_ms
     FROM cand c
     JOIN fixes f ON f.team_id = c.team_id
     JOIN last_inside l ON l.team_id = c.team_id
     WHERE NOT f.inside AND (l.at IS NULL OR f.fix_time > l.at)
     GROUP BY c.team_id, c.code, c.lon, c.lat, c.plan_name
     HAVING min(f.fix_time) < $3::timestamptz
     ORDER BY c.team_id`,
    [
      now.toISOString(),
      from.toISOString(),
      outsideBefore.toISOString(),
      maxFixes,
      plans.map((p) => p.teamId),
      plans.map((p) => p.planId),
      plans.map((p) => p.startMs),
      routeMarginM,
    ],
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    teamCode: r.code,
    position: lonLat(r.lon, r.lat),
    outsideSinceMs: Number(r.since_ms),
    planName: r.plan_name,
  }));
}

export interface CoverageGapRow {
  gridId: number;
  gridCode: string;
  labelPoint: LonLat;
}

/**
 * Grid cells no patrol has entered since `patrolledBefore`. A cell with no
 * recorded patrol, or one last patrolled before the evaluator started
 * listening (`since`), counts from `since`: a fresh demo or a restart does not
 * raise a gap for every cell before patrols had a chance to report.
 */
export async function getCoverageGaps(
  db: Queryable,
  { patrolledBefore, since }: { patrolledBefore: Date; since: Date },
): Promise<CoverageGapRow[]> {
  const { rows } = await db.query<{ id: number; code: string; lon: number; lat: number }>(
    `SELECT g.id, g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
     FROM grids g LEFT JOIN grid_coverage c ON c.grid_id = g.id
     WHERE GREATEST(COALESCE(c.last_patrol_at, $2::timestamptz), $2::timestamptz) < $1::timestamptz
     ORDER BY g.id`,
    [patrolledBefore.toISOString(), since.toISOString()],
  );
  return rows.map((r) => ({ gridId: r.id, gridCode: r.code, labelPoint: [Number(r.lon), Number(r.lat)] }));
}
