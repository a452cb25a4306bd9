-- The patrol rollup (0014) marks the device-days inserted fixes fall on from a
-- trigger, as it already does for deletes and updates, instead of a CTE of the
-- ingest statement (db/positions.ts): every INSERT into positions (the ingest,
-- imports, benches, test fixtures) now marks its device-days dirty, once per
-- statement, with patrol_mark_rows() — one row per device and township day,
-- in key order, gen bumped on a mark already there, exactly as the CTE did.
CREATE TRIGGER positions_patrol_insert AFTER INSERT ON positions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();

-- TRUNCATE positions empties the rollup with TRUNCATE, as the heatmap's (0011) does.
CREATE OR REPLACE FUNCTION patrol_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE patrol_paths, patrol_cells, patrol_dirty;
  RETURN NULL;
END $$;

-- The refresh for a briefing's windows (township days [d0, d1) on tz's clock):
-- as patrol_rollup_refresh(tz, lim), but answers how many marks are left that
-- touch those days — a mark on tz's clock by its day, one on another zone's by
-- the days of tz the refresh turns it into (a day wider each side) — so marks
-- of other days (a live ingest's today, committed during a year's refresh)
-- do not send the briefing to the fixes.
CREATE FUNCTION patrol_rollup_refresh(tz text, lim int, d0 date[], d1 date[]) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  left_n int;
BEGIN
  PERFORM patrol_rollup_refresh(tz, lim);
  SELECT count(*)::int INTO left_n
  FROM patrol_dirty d
  WHERE EXISTS (
    SELECT 1 FROM unnest(d0, d1) AS w(d0, d1)
    WHERE CASE WHEN d.zone = tz THEN d.day >= w.d0 AND d.day < w.d1
               ELSE ((d.day::timestamp AT TIME ZONE d.zone) AT TIME ZONE tz)::date - 1 < w.d1
                AND (((d.day + 1)::timestamp AT TIME ZONE d.zone) AT TIME ZONE tz)::date + 1 >= w.d0 END);
  RETURN left_n;
END $$;
