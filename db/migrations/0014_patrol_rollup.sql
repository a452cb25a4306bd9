-- The briefing's patrol figures from a rollup (issue 13): per device and
-- township day, the path length (metres) and the township clock hours holding
-- a fix, so a year's briefing sums some 10,000 rollup rows instead of reading
-- every fix of the year twice and building a path per device-day.
--
-- Fixes arrive late and out of order (devices upload what they buffered), and
-- a path's length depends on the order of all its fixes, so the rollup is not
-- added to as fixes come: the ingest statement (db/positions.ts) only marks
-- each (device, township day) it wrote as dirty (patrol_dirty: one upsert per
-- device-day per batch), and patrol_rollup_refresh() — which the briefing
-- calls before it reads (db/patrol-rollup.ts) — recomputes the dirty
-- device-days from positions, exactly as the direct query did.
--
-- Rows:
--   patrol_paths: (day, device, team, scope) → metres of the device's fixes of
--     that day and team joined in time order; scope 0 = every fix, else a
--     village id = only the fixes whose cell is in that village (a village
--     briefing joins just those into its path). A device that changes team
--     within a day has one row per team, as the direct query's grouping.
--   patrol_cells: (day, device, team, cell) → mask of the township clock hours
--     holding a fix (bit h for hour h); cell 0 = fixes outside every cell.
--     A team's hours of a day are its cell masks or-ed (every fix is in
--     exactly one cell row), in a village over the village's cells only.
--
-- The time zone: days and hours are on the clock of patrol_rollup_state.time_zone.
-- The briefing passes the township's zone (TOWNSHIP_TZ); when it differs from
-- the rollup's (the setting changed), the refresh empties the rollup, takes the
-- new zone and marks every device-day of positions dirty, so the rollup is
-- rebuilt on the new clock (in chunks: until no mark is left, the briefing
-- reads positions directly, as before). Marks carry the zone their day was
-- counted in, so one an ingest wrote on the old zone while the zone changed is
-- turned into the new zone's days that overlap it, not lost.
--
-- Grids: a village's rows depend on which cells are in it, so any change to
-- grids (a village's cells re-drawn by an import) sets `stale`, which rebuilds
-- the same way. Positions deleted or updated mark their device-days dirty;
-- TRUNCATE positions empties the rollup.

CREATE TABLE patrol_rollup_state (
  id        int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  time_zone text NOT NULL,
  stale     boolean NOT NULL DEFAULT false
);
-- The heatmap's zone is kept equal to TOWNSHIP_TZ at start-up (lib/heatmap.ts): the best first guess.
INSERT INTO patrol_rollup_state (id, time_zone)
  VALUES (1, COALESCE((SELECT time_zone FROM heatmap_settings WHERE id = 1), 'Asia/Shanghai'));

CREATE TABLE patrol_paths (
  day        date NOT NULL,
  device_id  int NOT NULL,
  team_id    int NOT NULL,
  -- 0: the whole township (every fix); else villages.id (the fixes in its cells).
  village_id int NOT NULL,
  metres     double precision NOT NULL,
  PRIMARY KEY (village_id, day, device_id, team_id) INCLUDE (metres)
);

CREATE TABLE patrol_cells (
  day       date NOT NULL,
  device_id int NOT NULL,
  team_id   int NOT NULL,
  -- 0: outside every cell (positions.grid_id NULL).
  grid_id   int NOT NULL,
  hours     int NOT NULL,
  PRIMARY KEY (day, device_id, team_id, grid_id) INCLUDE (hours)
);

-- Device-days whose rollup rows are out of date. `gen` grows with every mark
-- of the same key, so a refresh deletes only the marks it has seen (a batch
-- committed while it computed keeps its mark for the next refresh).
CREATE TABLE patrol_dirty (
  device_id int NOT NULL,
  day       date NOT NULL,
  zone      text NOT NULL,
  gen       int NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, day, zone)
);

-- Recomputes the rollup rows of the given device-days (days on tz's clock)
-- from positions: deletes theirs, then writes them again in one statement
-- (the deletes first: an insert in the same statement would still meet the
-- deleted keys).
CREATE FUNCTION patrol_rollup_compute(devs int[], days date[], tz text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM patrol_paths r USING unnest(devs, days) AS m(device_id, day) WHERE r.device_id = m.device_id AND r.day = m.day;
  DELETE FROM patrol_cells r USING unnest(devs, days) AS m(device_id, day) WHERE r.device_id = m.device_id AND r.day = m.day;
  WITH m AS MATERIALIZED (
    SELECT DISTINCT u.device_id, u.day FROM unnest(devs, days) AS u(device_id, day)
  ), x AS MATERIALIZED (
    -- The day's fixes by the unique (device_id, fix_time) index: a range a day
    -- wider on each side, then the exact township day (a zone may move its
    -- clock at midnight).
    SELECT x.device_id, x.team_id, m.day, x.fix_time, x.geom, x.grid_id, g.village_id
    FROM m
    JOIN positions x ON x.device_id = m.device_id
                    AND x.fix_time >= (m.day::timestamp AT TIME ZONE tz) - interval '1 day'
                    AND x.fix_time < ((m.day + 1)::timestamp AT TIME ZONE tz) + interval '1 day'
                    AND (x.fix_time AT TIME ZONE tz)::date = m.day
    LEFT JOIN grids g ON g.id = x.grid_id
  ), new_p AS (
    INSERT INTO patrol_paths (day, device_id, team_id, village_id, metres)
    SELECT day, device_id, team_id, 0,
           CASE WHEN count(*) > 1 THEN ST_Length(ST_MakeLine(geom ORDER BY fix_time)::geography) ELSE 0 END
    FROM x GROUP BY day, device_id, team_id
    UNION ALL
    SELECT day, device_id, team_id, village_id,
           CASE WHEN count(*) > 1 THEN ST_Length(ST_MakeLine(geom ORDER BY fix_time)::geography) ELSE 0 END
    FROM x WHERE village_id IS NOT NULL GROUP BY day, device_id, team_id, village_id
  )
  INSERT INTO patrol_cells (day, device_id, team_id, grid_id, hours)
  SELECT day, device_id, team_id, COALESCE(grid_id, 0), bit_or(1 << date_part('hour', fix_time AT TIME ZONE tz)::int)
  FROM x GROUP BY day, device_id, team_id, COALESCE(grid_id, 0);
END $$;

-- Brings the rollup up to date on tz's clock, recomputing at most lim
-- device-days (NULL: all); answers how many marks are left (0: the rollup is
-- exact). Refreshes are serialised by an advisory lock; ingest never waits on it.
CREATE FUNCTION patrol_rollup_refresh(tz text, lim int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  st patrol_rollup_state;
  devs int[];
  days date[];
  zones text[];
  gens int[];
  left_n int;
BEGIN
  PERFORM pg_advisory_xact_lock(7204414, 1);
  SELECT * INTO st FROM patrol_rollup_state WHERE id = 1 FOR UPDATE;
  IF st.stale OR st.time_zone IS DISTINCT FROM tz THEN
    UPDATE patrol_rollup_state SET time_zone = tz, stale = false WHERE id = 1;
    DELETE FROM patrol_paths;
    DELETE FROM patrol_cells;
    INSERT INTO patrol_dirty (device_id, day, zone)
    SELECT DISTINCT device_id, (fix_time AT TIME ZONE tz)::date, tz FROM positions
    ON CONFLICT DO NOTHING;
  END IF;
  SELECT array_agg(device_id), array_agg(day), array_agg(zone), array_agg(gen)
    INTO devs, days, zones, gens
  FROM (SELECT device_id, day, zone, gen FROM patrol_dirty ORDER BY day DESC, device_id LIMIT lim) d;
  IF devs IS NOT NULL THEN
    -- A mark on another zone's clock: the township days of tz that its day overlaps (a day wider each side; extra days recompute to the same rows).
    PERFORM patrol_rollup_compute(array_agg(u.device_id), array_agg(s.day), tz)
    FROM unnest(devs, days, zones) AS u(device_id, day, zone)
    CROSS JOIN LATERAL (
      SELECT u.day WHERE u.zone = tz
      UNION ALL
      SELECT g::date FROM generate_series((((u.day::timestamp AT TIME ZONE u.zone) AT TIME ZONE tz)::date - 1)::timestamp,
                                          ((((u.day + 1)::timestamp AT TIME ZONE u.zone) AT TIME ZONE tz)::date + 1)::timestamp,
                                          interval '1 day') AS g
      WHERE u.zone <> tz
    ) s;
    DELETE FROM patrol_dirty d USING unnest(devs, days, zones, gens) AS u(device_id, day, zone, gen)
    WHERE d.device_id = u.device_id AND d.day = u.day AND d.zone = u.zone AND d.gen = u.gen;
  END IF;
  SELECT count(*)::int INTO left_n FROM patrol_dirty;
  RETURN left_n;
END $$;

-- Writers other than the ingest statement: deletes and updates of positions
-- mark the device-days they touch (once per statement).
CREATE FUNCTION patrol_mark_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patrol_dirty AS d (device_id, day, zone)
  SELECT DISTINCT r.device_id, (r.fix_time AT TIME ZONE s.time_zone)::date, s.time_zone
  FROM changed_rows r CROSS JOIN patrol_rollup_state s
  ORDER BY 1, 2
  ON CONFLICT (device_id, day, zone) DO UPDATE SET gen = d.gen + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION patrol_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM patrol_paths;
  DELETE FROM patrol_cells;
  DELETE FROM patrol_dirty;
  RETURN NULL;
END $$;

CREATE FUNCTION patrol_on_grids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE patrol_rollup_state SET stale = true WHERE id = 1 AND NOT stale;
  RETURN NULL;
END $$;

CREATE TRIGGER positions_patrol_delete AFTER DELETE ON positions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_update_old AFTER UPDATE ON positions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_update_new AFTER UPDATE ON positions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_truncate AFTER TRUNCATE ON positions
  FOR EACH STATEMENT EXECUTE FUNCTION patrol_on_truncate();
CREATE TRIGGER grids_patrol_stale AFTER INSERT OR UPDATE OF id, village_id OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION patrol_on_grids();

-- Backfill: every device-day of the positions already stored.
SELECT patrol_rollup_refresh((SELECT time_zone FROM patrol_rollup_state WHERE id = 1), NULL);
