-- Checkpoint visits (issue 14, live compliance). A visit is a run of a plan
-- team's fixes inside a checkpoint's radius that lasted at least the dwell
-- (PLAN_VISIT_DWELL_S); lib/plans/visits.ts finds it in memory from each
-- ingested batch, and lib/plans/monitor.ts writes it here: the row when the
-- dwell is reached (left_at NULL while the team is still there), left_at when
-- a fix shows it gone. `day` is the township day the plan's occurrence
-- started on (a night window crossing midnight belongs to the day it
-- started); which slot of a frequency the visit paid follows from arrived_at.
CREATE TABLE IF NOT EXISTS patrol_visits (
  id             bigserial PRIMARY KEY,
  plan_id        int NOT NULL REFERENCES patrol_plans(id) ON DELETE CASCADE,
  checkpoint_id  int NOT NULL REFERENCES patrol_checkpoints(id) ON DELETE CASCADE,
  team_id        int NOT NULL REFERENCES teams(id),
  day            date NOT NULL,
  arrived_at     timestamptz NOT NULL,
  left_at        timestamptz,
  CHECK (left_at IS NULL OR left_at >= arrived_at),
  -- A visit written twice (a restart replays nothing, but two writers might) is one row.
  UNIQUE (checkpoint_id, team_id, arrived_at)
);
-- The live view and the rules read the visits of the live occurrences (yesterday's and today's).
CREATE INDEX IF NOT EXISTS patrol_visits_arrived_idx ON patrol_visits (arrived_at);

-- The overdue checkpoint alert (rule key checkpoint_overdue:checkpoint:<id>:<day>).
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN
  ('sos', 'stale', 'offline', 'outside_area', 'coverage_gap', 'unacknowledged', 'checkpoint_overdue'));
