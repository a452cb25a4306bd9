-- Position history that does not grow forever (issue 15): positions is
-- partitioned by fix time (native declarative RANGE partitioning), one
-- partition per UTC day, so retention (lib/retention.ts) drops whole days —
-- a catalog change, not a DELETE of millions of rows and the vacuum after it.
--
-- Why UTC days and not township days: a partition's bounds are fixed when it
-- is made, and TOWNSHIP_TZ is a setting that may change (the patrol rollup,
-- 0014, rebuilds itself on the new clock; partitions could not move). A UTC
-- day is 24 h under every zone and every DST rule, so partitions never
-- overlap or leave gaps, and a township day is read from at most two of them
-- (partition pruning). Retention keeps whole UTC days, at least the setting's.
--
-- Partitions:
--   positions_pYYYYMMDD   [YYYY-MM-DD 00:00Z, next day 00:00Z), made by
--                         positions_ensure_days(): ahead of time by the
--                         leader's maintenance step, and on demand by the
--                         ingest statement (db/positions.ts) for a day it has
--                         not seen (a backlog days old, a clock in the future).
--   positions_default     every fix no day partition covers, so no insert is
--                         ever refused (ingest accepts fix times from 1900 to
--                         now + MAX_FUTURE_MS; imports and fixtures insert
--                         directly). Making a day's partition moves that day's
--                         rows out of it; retention deletes its old rows.
--
-- Each partition carries the parent's indexes: the unique (device_id,
-- fix_time) btree the time machine (db/replay.ts), the rules and the patrol
-- rollup probe, the BRIN on fix_time and the GiST on geom. The patrol
-- triggers (0014, 0016) are statement triggers with transition tables on the
-- parent: they see the rows of every partition a statement writes.
--
-- The existing table is converted in place: renamed aside, a partitioned
-- table made under the old name, a partition made for every UTC day it holds,
-- its rows copied (the patrol rollup is already exact for them: the copy runs
-- before the triggers exist), and the old table dropped.

ALTER TABLE positions RENAME TO positions_unpartitioned;
ALTER TABLE positions_unpartitioned RENAME CONSTRAINT positions_device_id_fix_time_key TO positions_unpartitioned_key;
ALTER INDEX positions_fix_time_brin RENAME TO positions_unpartitioned_brin;
ALTER INDEX positions_geom_idx RENAME TO positions_unpartitioned_geom;
DROP TRIGGER positions_patrol_insert ON positions_unpartitioned;
DROP TRIGGER positions_patrol_delete ON positions_unpartitioned;
DROP TRIGGER positions_patrol_update_old ON positions_unpartitioned;
DROP TRIGGER positions_patrol_update_new ON positions_unpartitioned;
DROP TRIGGER positions_patrol_truncate ON positions_unpartitioned;

CREATE TABLE positions (
  device_id   int NOT NULL,
  team_id     int NOT NULL,
  fix_time    timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  geom        geometry(Point, 4326) NOT NULL,
  speed       real,      -- m/s
  heading     real,      -- degrees clockwise from north
  accuracy    real,      -- metres
  altitude    real,      -- metres
  battery     real,      -- percent 0..100
  grid_id     int,
  attributes  jsonb,
  UNIQUE (device_id, fix_time)
) PARTITION BY RANGE (fix_time);
CREATE INDEX positions_fix_time_brin ON positions USING brin (fix_time) WITH (autosummarize = on);
CREATE INDEX positions_geom_idx ON positions USING gist (geom);
CREATE TABLE positions_default PARTITION OF positions DEFAULT;

-- Makes the partition of every UTC day given that has none yet; answers how
-- many it made. A partition is made standalone, given the rows of its day the
-- default partition holds, then attached: ATTACH takes SHARE UPDATE EXCLUSIVE
-- on positions, which does not wait for (nor stop) inserts, where CREATE TABLE
-- … PARTITION OF would take ACCESS EXCLUSIVE. Makers are serialised by an
-- advisory lock, so two processes asking for the same day make it once.
CREATE FUNCTION positions_ensure_days(days date[]) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  d date;
  part text;
  lo timestamptz;
  hi timestamptz;
  made int := 0;
BEGIN
  FOR d IN SELECT DISTINCT u FROM unnest(days) AS u WHERE u IS NOT NULL ORDER BY 1 LOOP
    part := 'positions_p' || to_char(d, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(format('public.%I', part)) IS NOT NULL;
    -- Its own lock key: (7204414, 1) is the patrol rollup refresh, (7204414, 2) the incident rollup refresh; ingest must not wait for a briefing.
    PERFORM pg_advisory_xact_lock(7204414, 3);
    CONTINUE WHEN to_regclass(format('public.%I', part)) IS NOT NULL;
    lo := d::timestamp AT TIME ZONE 'UTC';
    hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
    -- Another transaction may have made it while this one waited for the lock: the catalog lookup above
    -- can still miss it (no invalidation is read on an advisory lock), the CREATE cannot.
    BEGIN
      EXECUTE format('CREATE TABLE public.%I (LIKE public.positions INCLUDING DEFAULTS)', part);
    EXCEPTION WHEN duplicate_table THEN
      CONTINUE;
    END;
    -- The bound as a constraint first: ATTACH then skips scanning the new table.
    EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (fix_time >= %L AND fix_time < %L)',
                   part, part || '_bound', lo, hi);
    EXECUTE format('WITH moved AS (DELETE FROM public.positions_default WHERE fix_time >= %L AND fix_time < %L RETURNING *)
                    INSERT INTO public.%I SELECT * FROM moved', lo, hi, part);
    EXECUTE format('ALTER TABLE public.positions ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', part, part || '_bound');
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;

-- The day partitions, oldest first, with their bounds (retention and tests).
CREATE FUNCTION positions_day_partitions() RETURNS TABLE (name text, lo timestamptz, hi timestamptz) LANGUAGE sql STABLE AS $$
  SELECT c.relname::text, (to_date(substr(c.relname, 12), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC'),
         ((to_date(substr(c.relname, 12), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC')
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'public.positions'::regclass AND c.relname ~ '^positions_p[0-9]{8}$'
  ORDER BY c.relname
$$;

SELECT positions_ensure_days(array_agg(DISTINCT (fix_time AT TIME ZONE 'UTC')::date)) FROM positions_unpartitioned;
INSERT INTO positions (device_id, team_id, fix_time, received_at, geom, speed, heading, accuracy, altitude, battery, grid_id, attributes)
SELECT device_id, team_id, fix_time, received_at, geom, speed, heading, accuracy, altitude, battery, grid_id, attributes
FROM positions_unpartitioned;
DROP TABLE positions_unpartitioned;

CREATE TRIGGER positions_patrol_insert AFTER INSERT ON positions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_delete AFTER DELETE ON positions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_update_old AFTER UPDATE ON positions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_update_new AFTER UPDATE ON positions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION patrol_mark_rows();
CREATE TRIGGER positions_patrol_truncate AFTER TRUNCATE ON positions
  FOR EACH STATEMENT EXECUTE FUNCTION patrol_on_truncate();
