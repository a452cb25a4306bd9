-- The time machine (issue 13): the township as it was at any moment T.
--
-- Positions need nothing new: "each device's newest fix at or before T" is a
-- backward probe of the unique (device_id, fix_time) btree, one per device
-- (db/replay.ts), a handful of pages each whatever the history holds. It stays
-- that shape when positions is partitioned by time (each partition carries the
-- same unique index).

-- An incident's span: from its report to its last change when it is resolved
-- or closed now, to infinity while it is open. Every timeline step lies inside
-- it (each change stamps updated_at with the step's time), and an incident open
-- at T has T inside it, so "open at T" and "changed in [from, to)" are GiST
-- probes instead of a scan of every incident ever reported. GREATEST: a report
-- dated after its last change (imported history) still makes a valid range.
CREATE INDEX IF NOT EXISTS incidents_span_idx ON incidents USING gist (
  tstzrange(reported_at,
            CASE WHEN status IN ('resolved', 'closed') THEN GREATEST(reported_at, updated_at)
                 ELSE 'infinity'::timestamptz END,
            '[]'));

-- Alerts raised in a window (the existing alert indexes are partial: open ones only).
CREATE INDEX IF NOT EXISTS alerts_raised_at_idx ON alerts (raised_at);

-- A team's assignment at T (its status then): assignments only had an index
-- for the active one per team.
CREATE INDEX IF NOT EXISTS assignments_team_dispatched_idx ON assignments (team_id, dispatched_at);
