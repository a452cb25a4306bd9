// Checkpoint visits and what suspends a plan's obligations (issue 14, live
// compliance; migration 0015). Written and read by lib/plans/monitor.ts once
// per rules cycle, never per fix.
import type { DispatchSpan, PlanVisit } from '../lib/model';
import type { Queryable } from './client';

/**
 * Writes visits in one statement: a new one as a row, a known one (same
 * checkpoint, team and arrival) gets its left time. A visit of a checkpoint
 * deleted meanwhile (its plan changed) is dropped by the join rather than
 * failing the batch on the foreign key.
 */
export async function upsertVisits(db: Queryable, { visits }: { visits: readonly PlanVisit[] }): Promise<number> {
  if (visits.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `WITH w AS (
       INSERT INTO patrol_visits (plan_id, checkpoint_id, team_id, day, arrived_at, left_at)
       SELECT u.plan_id, u.checkpoint_id, u.team_id, u.day, to_timestamp(u.arrived_ms / 1000.0),
              CASE WHEN u.left_ms IS NULL THEN NULL ELSE to_timestamp(u.left_ms / 1000.0) END
       FROM unnest($1::int[], $2::int[], $3::int[], $4::date[], $5::float8[], $6::float8[])
         AS u(plan_id, checkpoint_id, team_id, day, arrived_ms, left_ms)
       JOIN patrol_checkpoints c ON c.id = u.checkpoint_id AND c.plan_id = u.plan_id
       JOIN teams t ON t.id = u.team_id
       ON CONFLICT (checkpoint_id, team_id, arrived_at)
         DO UPDATE SET left_at = COALESCE(EXCLUDED.left_at, patrol_visits.left_at)
       RETURNING 1)
     SELECT count(*)::int AS n FROM w`,
    [
      visits.map((v) => v.planId),
      visits.map((v) => v.checkpointId),
      visits.map((v) => v.teamId),
      visits.map((v) => v.day),
      visits.map((v) => v.arrivedAt),
      visits.map((v) => v.leftAt),
    ],
  );
  return rows[0]?.n ?? 0;
}

/** Visits that arrived in [from, to], oldest first. */
export async function getVisits(db: Queryable, { from, to }: { from: Date; to: Date }): Promise<PlanVisit[]> {
  const { rows } = await db.query<{ plan_id: number; checkpoint_id: number; team_id: number; day: string; arrived_ms: number; left_ms: number | null }>(
    `SELECT plan_id, checkpoint_id, team_id, day::text AS day,
            (extract(epoch FROM arrived_at) * 1000)::float8 AS arrived_ms,
            (extract(epoch FROM left_at) * 1000)::float8 AS left_ms
     FROM patrol_visits
     WHERE arrived_at >= $1::timestamptz AND arrived_at <= $2::timestamptz
     ORDER BY arrived_at, id`,
    [from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => ({
    planId: r.plan_id,
    checkpointId: r.checkpoint_id,
    teamId: r.team_id,
    day: r.day,
    arrivedAt: Number(r.arrived_ms),
    leftAt: r.left_ms === null ? null : Number(r.left_ms),
  }));
}

/**
 * The dispatches of these teams that overlap [from, to]: while one is
 * active, the team's plan obligations are suspended. Served by
 * assignments_team_dispatched_idx (0012).
 */
export async function getDispatchSpans(
  db: Queryable,
  { teamIds, from, to }: { teamIds: readonly number[]; from: Date; to: Date },
): Promise<DispatchSpan[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.query<{ team_id: number; incident_id: string; start_ms: number; end_ms: number | null }>(
    `SELECT team_id, incident_id::text, (extract(epoch FROM dispatched_at) * 1000)::float8 AS start_ms,
            (extract(epoch FROM released_at) * 1000)::float8 AS end_ms
     FROM assignments
     WHERE team_id = ANY($1::int[]) AND dispatched_at <= $3::timestamptz
       AND (released_at IS NULL OR released_at > $2::timestamptz)
     ORDER BY dispatched_at, id`,
    [[...teamIds], from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    incidentId: Number(r.incident_id),
    start: Number(r.start_ms),
    end: r.end_ms === null ? null : Number(r.end_ms),
  }));
}

/**
 * The duty state and newest fix of these teams (the plan monitor's once-a-cycle
 * read for plan_team_unready; a team's newest fix also seeds the monitor's
 * memory after a restart). Primary-key lookups on teams and unit_state.
 */
export async function getPlanTeamStates(
  db: Queryable,
  { teamIds }: { teamIds: readonly number[] },
): Promise<{ teamId: number; onDuty: boolean; fix: { fixTime: number; lon: number; lat: number } | null }[]> {
  if (teamIds.length === 0) return [];
  const { rows } = await db.query<{ id: number; on_duty: boolean; fix_ms: number | null; lon: number | null; lat: number | null }>(
    `SELECT t.id, t.on_duty, (extract(epoch FROM u.fix_time) * 1000)::float8 AS fix_ms, ST_X(u.geom) AS lon, ST_Y(u.geom) AS lat
     FROM teams t LEFT JOIN unit_state u ON u.team_id = t.id
     WHERE t.id = ANY($1::int[])
     ORDER BY t.id`,
    [[...teamIds]],
  );
  return rows.map((r) => ({
    teamId: r.id,
    onDuty: r.on_duty,
    fix: r.fix_ms === null || r.lon === null || r.lat === null ? null : { fixTime: Number(r.fix_ms), lon: r.lon, lat: r.lat },
  }));
}
