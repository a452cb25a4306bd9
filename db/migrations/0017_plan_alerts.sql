-- Patrol plans (issue 14): the two remaining plan alerts, raised and cleared
-- by the rules evaluator (lib/plans/plan-alerts.ts): a plan started with a
-- team not on duty or without fixes (rule key
-- plan_team_unready:plan:<id>:<day>:team:<id>), and a joint patrol whose
-- teams are further apart than PLAN_SPLIT_DISTANCE_M for PLAN_SPLIT_MINUTES
-- (joint_patrol_split:plan:<id>:<day>).
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_kind_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN
  ('sos', 'stale', 'offline', 'outside_area', 'coverage_gap', 'unacknowledged', 'checkpoint_overdue',
   'plan_team_unready', 'joint_patrol_split'));
