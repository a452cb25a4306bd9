-- GridSight base schema. SRID 4326 everywhere, timestamptz everywhere.
CREATE EXTENSION IF NOT EXISTS postgis;

-- The township outline (one row) and its basemap features (roads, river,
-- relief bands, settlements) so the default basemap needs no internet.
CREATE TABLE township (
  id          int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name        text NOT NULL,
  name_en     text NOT NULL,
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  seeded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE villages (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_en     text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('village', 'community')),
  centre      geometry(Point, 4326) NOT NULL,
  population  int NOT NULL CHECK (population >= 0)
);

CREATE TABLE grids (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_en     text NOT NULL,
  village_id  int NOT NULL REFERENCES villages(id),
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);

-- Basemap line and polygon features: kind is road | track | river | relief.
CREATE TABLE basemap_features (
  id          serial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('road', 'track', 'river', 'relief')),
  name        text,
  name_en     text,
  level       int NOT NULL DEFAULT 0,
  geom        geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX basemap_features_kind_idx ON basemap_features (kind);

CREATE TABLE key_locations (
  id          serial PRIMARY KEY,
  category    text NOT NULL,
  name        text NOT NULL,
  name_en     text NOT NULL,
  grid_id     int REFERENCES grids(id),
  geom        geometry(Point, 4326) NOT NULL
);
CREATE INDEX key_locations_geom_idx ON key_locations USING gist (geom);

CREATE TABLE teams (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_en     text NOT NULL,
  force_type  text NOT NULL CHECK (force_type IN
                ('emergency', 'armband', 'motorcycle', 'militia', 'grid_worker')),
  size        int NOT NULL CHECK (size > 0),
  village_id  int REFERENCES villages(id),
  home_grid_id int REFERENCES grids(id),
  on_duty     boolean NOT NULL DEFAULT true
);

-- A device belongs to one team. identifier is the long unguessable id that
-- GridSight issues (used as the OsmAnd `id`); token_hash is the per-device
-- secret (sha-256 hex) for protocols that send one.
CREATE TABLE devices (
  id          serial PRIMARY KEY,
  team_id     int NOT NULL REFERENCES teams(id),
  identifier  text NOT NULL UNIQUE CHECK (length(identifier) >= 20),
  token_hash  text,
  label       text NOT NULL,
  protocol    text NOT NULL DEFAULT 'osmand',
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- Append-only position history.
CREATE TABLE positions (
  device_id   int NOT NULL REFERENCES devices(id),
  team_id     int NOT NULL REFERENCES teams(id),
  fix_time    timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  geom        geometry(Point, 4326) NOT NULL,
  speed       real,      -- m/s
  heading     real,      -- degrees clockwise from north
  accuracy    real,      -- metres
  altitude    real,      -- metres
  battery     real,      -- percent 0..100
  grid_id     int REFERENCES grids(id),
  attributes  jsonb,
  UNIQUE (device_id, fix_time)
);
CREATE INDEX positions_fix_time_brin ON positions USING brin (fix_time);
CREATE INDEX positions_geom_idx ON positions USING gist (geom);

-- Latest fix and status per team: one row each.
CREATE TABLE unit_state (
  team_id     int PRIMARY KEY REFERENCES teams(id),
  device_id   int REFERENCES devices(id),
  status      text NOT NULL DEFAULT 'available' CHECK (status IN
                ('available', 'dispatched', 'en_route', 'on_scene', 'off_duty')),
  fix_time    timestamptz,
  received_at timestamptz,
  geom        geometry(Point, 4326),
  speed       real,
  heading     real,
  battery     real,
  grid_id     int REFERENCES grids(id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE incidents (
  id          bigserial PRIMARY KEY,
  category    text NOT NULL,
  severity    smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  status      text NOT NULL DEFAULT 'reported' CHECK (status IN
                ('reported', 'dispatched', 'on_scene', 'resolved', 'closed')),
  title       text NOT NULL,
  description text,
  reporter_contact text,
  source      text NOT NULL DEFAULT 'coordinator',
  geom        geometry(Point, 4326) NOT NULL,
  grid_id     int REFERENCES grids(id),
  reported_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  closed_at   timestamptz,
  timeline    jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX incidents_reported_at_idx ON incidents (reported_at);
CREATE INDEX incidents_status_idx ON incidents (status) WHERE status <> 'closed';
