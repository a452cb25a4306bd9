-- The briefing's incident figures from a rollup (issue 13), as the patrol
-- rollup (0014, 0016) does for the fixes: a year's briefing sums some
-- thousands of per-day count rows and sorts three compact duration columns
-- instead of reading every incident of the year, joining its assignments and
-- grouping it six ways.
--
-- Rows:
--   incident_facts: one per incident — its township day and clock hour, the
--     village of its cell (0: none), cell, category, severity, outcome, and its
--     response durations in seconds (report → first dispatch, → first arrival
--     among its assignments, → resolved_at else closed_at when it carries an
--     outcome): exactly the values the direct statement computes, so the
--     percentiles over them are the same.
--   incident_counts: (scope, day, dim, key) → incidents and resolved ones;
--     scope 0 = the whole township, else a village id (the incidents in its
--     cells); dim 't' total (key ''), 'c' category, 's' severity, 'o' outcome
--     (resolved ones only), 'g' cell (incidents in a cell only), 'h' township
--     clock hour (the weekday is the day's). Made from incident_facts per day.
--
-- Upkeep: every write to incidents or assignments marks the incidents it
-- touches (incident_dirty, once per statement, `gen` bumped on a mark already
-- there); incident_rollup_refresh() — which the briefing calls before it reads
-- (db/incident-rollup.ts) — recomputes the marked incidents' facts and the
-- counts of every day they were or are on. A change of time zone, or of the
-- grids' villages, or TRUNCATE assignments, empties the rollup and marks every
-- incident (recomputed in chunks; until none is left the briefing reads the
-- incidents directly). TRUNCATE incidents empties it.

CREATE TABLE incident_rollup_state (
  id        int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  time_zone text NOT NULL,
  stale     boolean NOT NULL DEFAULT false
);
INSERT INTO incident_rollup_state (id, time_zone)
  VALUES (1, COALESCE((SELECT time_zone FROM patrol_rollup_state WHERE id = 1), 'Asia/Shanghai'));

CREATE TABLE incident_facts (
  id          bigint PRIMARY KEY,
  day         date NOT NULL,
  hour        smallint NOT NULL,
  village_id  int NOT NULL,
  grid_id     int,
  category    text NOT NULL,
  severity    smallint NOT NULL,
  outcome     text,
  to_dispatch double precision,
  to_scene    double precision,
  to_resolved double precision
);
-- The percentiles' read: a window's days (and village), the durations only.
CREATE INDEX incident_facts_day_idx ON incident_facts (day, village_id) INCLUDE (to_dispatch, to_scene, to_resolved);

CREATE TABLE incident_counts (
  scope    int NOT NULL,
  day      date NOT NULL,
  dim      text NOT NULL,
  key      text NOT NULL,
  n        int NOT NULL,
  resolved int NOT NULL,
  -- Each figure reads its own dim's days of one scope: one index range.
  PRIMARY KEY (scope, dim, day, key) INCLUDE (n, resolved)
);
-- The refresh recounts whole days.
CREATE INDEX incident_counts_day_idx ON incident_counts (day);

CREATE TABLE incident_dirty (
  incident_id bigint PRIMARY KEY,
  gen         int NOT NULL DEFAULT 0
);

-- Recomputes the facts of the given incidents on tz's clock, then the counts
-- of every day those incidents were on before or are on now. The deletes
-- first, in their own statement: an insert in the same statement would still
-- meet the deleted keys.
CREATE FUNCTION incident_rollup_compute(ids bigint[], tz text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  old_days date[];
  days date[];
BEGIN
  WITH gone AS (
    DELETE FROM incident_facts f USING unnest(ids) AS u(id) WHERE f.id = u.id RETURNING f.day
  )
  SELECT array_agg(DISTINCT day) INTO old_days FROM gone;
  WITH made AS (
    INSERT INTO incident_facts (id, day, hour, village_id, grid_id, category, severity, outcome, to_dispatch, to_scene, to_resolved)
    SELECT i.id, (i.reported_at AT TIME ZONE tz)::date, date_part('hour', i.reported_at AT TIME ZONE tz)::int,
           COALESCE(g.village_id, 0), i.grid_id, i.category, i.severity, i.outcome,
           extract(epoch FROM a.first_dispatch - i.reported_at)::float8,
           extract(epoch FROM a.first_arrival - i.reported_at)::float8,
           extract(epoch FROM CASE WHEN i.outcome IS NOT NULL THEN COALESCE(i.resolved_at, i.closed_at) END - i.reported_at)::float8
    FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) u
    JOIN incidents i ON i.id = u.id
    LEFT JOIN grids g ON g.id = i.grid_id
    LEFT JOIN LATERAL (
      SELECT min(s.dispatched_at) AS first_dispatch, min(s.arrived_at) AS first_arrival FROM assignments s WHERE s.incident_id = i.id
    ) a ON true
    RETURNING day
  )
  SELECT array_agg(DISTINCT d) INTO days FROM (SELECT unnest(old_days) UNION ALL SELECT day FROM made) x(d);
  IF days IS NULL THEN
    RETURN;
  END IF;
  DELETE FROM incident_counts c USING unnest(days) AS u(day) WHERE c.day = u.day;
  INSERT INTO incident_counts (scope, day, dim, key, n, resolved)
  SELECT s.scope, f.day, d.dim, d.key, count(*)::int, count(f.outcome)::int
  FROM incident_facts f
  CROSS JOIN LATERAL (VALUES (0), (NULLIF(f.village_id, 0))) AS s(scope)
  CROSS JOIN LATERAL (VALUES ('t', ''), ('c', f.category), ('s', f.severity::text), ('o', f.outcome),
                             ('g', f.grid_id::text), ('h', f.hour::text)) AS d(dim, key)
  WHERE f.day = ANY(days) AND s.scope IS NOT NULL AND d.key IS NOT NULL
  GROUP BY s.scope, f.day, d.dim, d.key;
END $$;

-- Brings the rollup up to date on tz's clock, recomputing at most lim marked
-- incidents (NULL: all); answers how many marks are left (0: the rollup gives
-- exactly what the incidents give). Serialised by an advisory lock; writers
-- never wait on it.
CREATE FUNCTION incident_rollup_refresh(tz text, lim int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  st incident_rollup_state;
  ids bigint[];
  gens int[];
  left_n int;
BEGIN
  PERFORM pg_advisory_xact_lock(7204414, 2);
  SELECT * INTO st FROM incident_rollup_state WHERE id = 1 FOR UPDATE;
  IF st.stale OR st.time_zone IS DISTINCT FROM tz THEN
    UPDATE incident_rollup_state SET time_zone = tz, stale = false WHERE id = 1;
    DELETE FROM incident_facts;
    DELETE FROM incident_counts;
    INSERT INTO incident_dirty (incident_id) SELECT id FROM incidents ON CONFLICT DO NOTHING;
  END IF;
  SELECT array_agg(incident_id), array_agg(gen) INTO ids, gens
  FROM (SELECT incident_id, gen FROM incident_dirty ORDER BY incident_id DESC LIMIT lim) d;
  IF ids IS NOT NULL THEN
    PERFORM incident_rollup_compute(ids, tz);
    DELETE FROM incident_dirty d USING unnest(ids, gens) AS u(id, gen) WHERE d.incident_id = u.id AND d.gen = u.gen;
  END IF;
  SELECT count(*)::int INTO left_n FROM incident_dirty;
  RETURN left_n;
END $$;

-- Marks: the incidents a statement on incidents or assignments touched, in key order.
CREATE FUNCTION incident_rollup_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'incidents' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO incident_dirty AS d (incident_id) SELECT DISTINCT id FROM new_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO incident_dirty AS d (incident_id) SELECT DISTINCT id FROM old_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    ELSE
      INSERT INTO incident_dirty AS d (incident_id) SELECT id FROM new_rows UNION SELECT id FROM old_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO incident_dirty AS d (incident_id) SELECT DISTINCT incident_id FROM new_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO incident_dirty AS d (incident_id) SELECT DISTINCT incident_id FROM old_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    ELSE
      INSERT INTO incident_dirty AS d (incident_id) SELECT incident_id FROM new_rows UNION SELECT incident_id FROM old_rows ORDER BY 1
      ON CONFLICT (incident_id) DO UPDATE SET gen = d.gen + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION incident_rollup_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE incident_facts, incident_counts, incident_dirty;
  RETURN NULL;
END $$;

-- Grids re-drawn or moved to another village, or every assignment gone: rebuild.
CREATE FUNCTION incident_rollup_on_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE incident_rollup_state SET stale = true WHERE id = 1 AND NOT stale;
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_rollup_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER incidents_rollup_update AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER incidents_rollup_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER incidents_rollup_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_on_truncate();
CREATE TRIGGER assignments_rollup_insert AFTER INSERT ON assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER assignments_rollup_update AFTER UPDATE ON assignments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER assignments_rollup_delete AFTER DELETE ON assignments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_mark();
CREATE TRIGGER assignments_rollup_truncate AFTER TRUNCATE ON assignments
  FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_on_stale();
CREATE TRIGGER grids_incident_rollup_stale AFTER UPDATE OF id, village_id OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION incident_rollup_on_stale();

-- Backfill: every incident already stored.
SELECT incident_rollup_refresh((SELECT time_zone FROM incident_rollup_state WHERE id = 1), NULL);
