-- Patrol plans (issue 14, first step): who should patrol where and when.
-- A plan names one team (patrol) or several (joint patrol; each team's force
-- type is the team's own), a recurrence, a time window in the township's
-- wall clock, an area (grid cells and/or a drawn polygon) and/or a route,
-- and checkpoints. Occurrences are computed from the recurrence
-- (lib/plans/recurrence.ts), never stored.

CREATE TABLE IF NOT EXISTS patrol_plans (
  id            serial PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind          text NOT NULL CHECK (kind IN ('patrol', 'joint')),
  -- once: on_date; daily / weekdays / market_days: every such day, within
  -- from_date..until_date when given (the herb season, a festival week).
  repeat        text NOT NULL CHECK (repeat IN ('once', 'daily', 'weekdays', 'market_days')),
  on_date       date,
  from_date     date,
  until_date    date,
  -- Minutes after the township's midnight. An end at or before the start
  -- means the window crosses midnight (18:00–02:00 is 1080–120).
  start_minute  int NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute    int NOT NULL CHECK (end_minute BETWEEN 0 AND 1439),
  -- The drawn part of the area (a later step draws it on the map); the area
  -- the rules use is its union with the plan's grid cells.
  drawn_area    geometry(MultiPolygon, 4326),
  area          geometry(MultiPolygon, 4326),
  route         geometry(LineString, 4326),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (start_minute <> end_minute),
  CHECK ((repeat = 'once') = (on_date IS NOT NULL)),
  CHECK (repeat <> 'once' OR (from_date IS NULL AND until_date IS NULL)),
  CHECK (from_date IS NULL OR until_date IS NULL OR from_date <= until_date),
  CHECK (area IS NOT NULL OR route IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS patrol_plans_area_idx ON patrol_plans USING gist (area);

-- The cells the area was made of. A re-import that removes a cell drops the
-- link (the stored area keeps its outline), so it cannot block the import.
CREATE TABLE IF NOT EXISTS patrol_plan_grids (
  plan_id  int NOT NULL REFERENCES patrol_plans(id) ON DELETE CASCADE,
  grid_id  int NOT NULL REFERENCES grids(id) ON DELETE CASCADE,
  PRIMARY KEY (plan_id, grid_id)
);

CREATE TABLE IF NOT EXISTS patrol_plan_teams (
  plan_id  int NOT NULL REFERENCES patrol_plans(id) ON DELETE CASCADE,
  team_id  int NOT NULL REFERENCES teams(id),
  PRIMARY KEY (plan_id, team_id)
);
-- The overlap check reads a team's other plans.
CREATE INDEX IF NOT EXISTS patrol_plan_teams_team_idx ON patrol_plan_teams (team_id);

-- A place the plan's teams must visit: a key location (its point copied in,
-- so the checkpoint stays where it was planned if the key location is moved
-- or re-imported) or a map point. A visit is a fix within radius_m.
-- Optional frequency: every every_minutes between two wall-clock times
-- (which may cross midnight), within the plan's window.
CREATE TABLE IF NOT EXISTS patrol_checkpoints (
  id               serial PRIMARY KEY,
  plan_id          int NOT NULL REFERENCES patrol_plans(id) ON DELETE CASCADE,
  seq              int NOT NULL,
  key_location_id  int REFERENCES key_locations(id) ON DELETE SET NULL,
  name             text NOT NULL,
  geom             geometry(Point, 4326) NOT NULL,
  radius_m         int NOT NULL CHECK (radius_m BETWEEN 5 AND 2000),
  every_minutes    int CHECK (every_minutes BETWEEN 5 AND 1440),
  freq_start_minute int CHECK (freq_start_minute BETWEEN 0 AND 1439),
  freq_end_minute  int CHECK (freq_end_minute BETWEEN 0 AND 1439),
  UNIQUE (plan_id, seq),
  CHECK ((every_minutes IS NULL) = (freq_start_minute IS NULL) AND (every_minutes IS NULL) = (freq_end_minute IS NULL))
);
