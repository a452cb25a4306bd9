-- Township import (issue 12): a preview's parsed features wait here, under an
-- unguessable token, until an administrator applies them or they expire. In
-- the database rather than in memory so a preview made by one process can be
-- applied through another (several processes share one server at county scale).
CREATE TABLE IF NOT EXISTS import_previews (
  token       text PRIMARY KEY CHECK (length(token) >= 32),
  layer       text NOT NULL CHECK (layer IN ('boundary', 'villages', 'grids', 'key_locations', 'roads')),
  file_name   text NOT NULL,
  -- [{code, name, nameEn, category, properties, geometry}] in WGS-84, as the parser left them.
  features    jsonb NOT NULL,
  -- The report shown to the administrator (ImportReport without the token).
  report      jsonb NOT NULL,
  importable  boolean NOT NULL,
  -- Some geometry is invalid but ST_MakeValid repairs it: apply only with makeValid.
  needs_make_valid boolean NOT NULL DEFAULT false,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS import_previews_expires_idx ON import_previews (expires_at);

-- An imported village keeps its outline (the demo seed's villages have only a
-- centre): the diff compares it, and new grid cells are given to the village
-- whose outline holds them.
ALTER TABLE villages ADD COLUMN IF NOT EXISTS area geometry(MultiPolygon, 4326);
