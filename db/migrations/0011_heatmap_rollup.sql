-- The dispute heatmap at county scale (issue 13): per-day counts of dispute
-- incidents per square bin, kept up to date by triggers on incidents as they are written,
-- so GET /api/heatmap sums a few thousand rollup rows instead of reading every
-- incident of the window.
--
-- Bins are squares of 100, 400 and 1600 m on an equirectangular grid: x is
-- longitude × the metres of one degree of longitude at ref_lat, y is latitude ×
-- 110,574 m. Over a county (tens of km) the squares stay square to within a
-- fraction of a percent. A bin is (ix, iy) = floor(x / size), floor(y / size).
-- Days are the township's (time_zone, kept equal to TOWNSHIP_TZ at start-up by
-- lib/heatmap.ts, which rebuilds the rollup when it or ref_lat changes).
-- Besides the day rows, month rows hold the same counts per township calendar
-- month, so a year's window reads about 12 month rows per bin plus the days at
-- its two ends, not 365.

CREATE TABLE heatmap_settings (
  id        int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  ref_lat   double precision NOT NULL DEFAULT 30 CHECK (ref_lat BETWEEN -80 AND 80)
);
INSERT INTO heatmap_settings (id, ref_lat)
  VALUES (1, COALESCE((SELECT round(ST_Y(ST_Centroid(geom)))::float8 FROM township WHERE id = 1), 30));

-- The categories the heatmap counts (lib/model DISPUTE_CATEGORIES; a test
-- pins the two equal). Other incidents never reach the rollup: one series, so a
-- window reads one row per bin and period, not one per category.
CREATE TABLE heatmap_categories (category text PRIMARY KEY);
INSERT INTO heatmap_categories (category)
  VALUES ('neighbour_dispute'), ('family_dispute'), ('land_grazing_dispute'), ('wage_labour_dispute');

CREATE TABLE heatmap_bins_day (
  bin_m    int NOT NULL CHECK (bin_m IN (100, 400, 1600)),
  day      date NOT NULL,
  ix       int NOT NULL,
  iy       int NOT NULL,
  -- 0 after the bin's incidents were deleted or moved away (left in place: cheaper than a delete per change).
  -- No CHECK (n >= 0): PostgreSQL checks the row an upsert proposes (a -1) before it finds the conflict.
  n        int NOT NULL,
  PRIMARY KEY (bin_m, day, ix, iy) INCLUDE (n)
);

CREATE TABLE heatmap_bins_month (
  bin_m    int NOT NULL CHECK (bin_m IN (100, 400, 1600)),
  -- The first day of the township calendar month.
  month    date NOT NULL,
  ix       int NOT NULL,
  iy       int NOT NULL,
  n        int NOT NULL,
  PRIMARY KEY (bin_m, month, ix, iy) INCLUDE (n)
);

-- Adds sign (+1 or -1) for each incident given (category, lon, lat, reported_at)
-- of a category the heatmap counts to its day and month rows at every bin
-- size, in one statement per table.
CREATE FUNCTION heatmap_apply(cats text[], lons float8[], lats float8[], ats timestamptz[], signs int[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
  kx float8;
BEGIN
  SELECT s.time_zone, 111320 * cos(radians(s.ref_lat)) INTO tz, kx FROM heatmap_settings s WHERE s.id = 1;
  WITH r AS (
    SELECT * FROM unnest(cats, lons, lats, ats, signs) AS u(category, lon, lat, at, d)
    WHERE u.category IN (SELECT c.category FROM heatmap_categories c)
  ), delta AS (
    SELECT s.bin_m, (r.at AT TIME ZONE tz)::date AS day,
           floor(r.lon * kx / s.bin_m)::int AS ix, floor(r.lat * 110574 / s.bin_m)::int AS iy,
           sum(r.d)::int AS n
    FROM r CROSS JOIN (VALUES (100), (400), (1600)) AS s(bin_m)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.d) <> 0
  ), days AS (
    INSERT INTO heatmap_bins_day AS b (bin_m, day, ix, iy, n)
    SELECT bin_m, day, ix, iy, n FROM delta
    ON CONFLICT (bin_m, day, ix, iy) DO UPDATE SET n = b.n + excluded.n
  )
  INSERT INTO heatmap_bins_month AS b (bin_m, month, ix, iy, n)
  SELECT bin_m, date_trunc('month', day)::date, ix, iy, sum(n)::int
  FROM delta GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
  ON CONFLICT (bin_m, month, ix, iy) DO UPDATE SET n = b.n + excluded.n;
END $$;

-- Inserts and deletes: once per statement over its transition table (a seed or
-- an import of thousands of incidents is one pass).
CREATE FUNCTION heatmap_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM heatmap_apply(array_agg(category), array_agg(ST_X(geom)), array_agg(ST_Y(geom)), array_agg(reported_at),
                        array_agg(1))
  FROM new_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION heatmap_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM heatmap_apply(array_agg(category), array_agg(ST_X(geom)), array_agg(ST_Y(geom)), array_agg(reported_at),
                        array_agg(-1))
  FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END $$;

-- Updates: per row, and only when what the rollup counts changed (status and
-- timeline changes, nearly every update, do not reach it).
CREATE FUNCTION heatmap_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM heatmap_apply(ARRAY[OLD.category, NEW.category], ARRAY[ST_X(OLD.geom), ST_X(NEW.geom)],
                        ARRAY[ST_Y(OLD.geom), ST_Y(NEW.geom)], ARRAY[OLD.reported_at, NEW.reported_at], ARRAY[-1, 1]);
  RETURN NULL;
END $$;

-- TRUNCATE incidents (removing the demo township) empties the rollup too.
CREATE FUNCTION heatmap_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE heatmap_bins_day, heatmap_bins_month;
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_heatmap_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heatmap_on_insert();
CREATE TRIGGER incidents_heatmap_delete AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heatmap_on_delete();
CREATE TRIGGER incidents_heatmap_update AFTER UPDATE OF category, geom, reported_at ON incidents
  FOR EACH ROW
  WHEN (OLD.category IS DISTINCT FROM NEW.category OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
        OR ST_X(OLD.geom) IS DISTINCT FROM ST_X(NEW.geom) OR ST_Y(OLD.geom) IS DISTINCT FROM ST_Y(NEW.geom))
  EXECUTE FUNCTION heatmap_on_update();
CREATE TRIGGER incidents_heatmap_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION heatmap_on_truncate();

-- Recounts everything from incidents (the backfill below, and after a change
-- of time zone or reference latitude).
CREATE FUNCTION heatmap_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE heatmap_bins_day, heatmap_bins_month;
  PERFORM heatmap_apply(array_agg(category), array_agg(ST_X(geom)), array_agg(ST_Y(geom)), array_agg(reported_at),
                        array_agg(1))
  FROM incidents HAVING count(*) > 0;
END $$;

SELECT heatmap_rebuild();
