-- The uploaded basemap archive (issue 12, "Basemap"): at most one PMTiles file,
-- kept under DATA_DIR/basemap/ and named by its SHA-256, so a new upload never
-- overwrites the file a page may still be reading. The row is what the map
-- and the admin page read; the file is served with range requests.
CREATE TABLE IF NOT EXISTS basemap_archive (
  -- One row at most: the key can only be true.
  single        boolean PRIMARY KEY DEFAULT true CHECK (single),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes    bigint NOT NULL CHECK (size_bytes >= 127),
  tile_type     text NOT NULL CHECK (tile_type IN ('mvt', 'png', 'jpg', 'webp')),
  min_zoom      smallint NOT NULL CHECK (min_zoom BETWEEN 0 AND 26),
  max_zoom      smallint NOT NULL CHECK (max_zoom BETWEEN min_zoom AND 26),
  west          double precision NOT NULL,
  south         double precision NOT NULL,
  east          double precision NOT NULL,
  north         double precision NOT NULL,
  -- The vector layer ids from the archive's metadata ([] for raster archives).
  vector_layers jsonb NOT NULL DEFAULT '[]'::jsonb,
  original_name text,
  uploaded_by   text NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now()
);
