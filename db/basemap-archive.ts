// The uploaded basemap archive's row (migration 0010): at most one. The file
// itself lives under DATA_DIR/basemap/<sha256>.pmtiles (lib/basemap/archive.ts).
import { BASEMAP_ARCHIVE_PATH, type ArchiveTileType, type BasemapArchive, type BasemapArchiveDetails } from '../lib/model';
import type { Queryable } from './client';
import { isoRequired } from './rows';

export interface BasemapArchiveRow {
  sha256: string;
  sizeBytes: number;
  tileType: ArchiveTileType;
  minZoom: number;
  maxZoom: number;
  bounds: [west: number, south: number, east: number, north: number];
  vectorLayers: string[];
  originalName: string | null;
  uploadedBy: string;
}

interface Row {
  sha256: string;
  size_bytes: string;
  tile_type: ArchiveTileType;
  min_zoom: number;
  max_zoom: number;
  west: number;
  south: number;
  east: number;
  north: number;
  vector_layers: string[];
  original_name: string | null;
  uploaded_by: string;
  uploaded_at: Date | string;
}

/** The page's URL for an archive: `v` is part of the content hash, so a new upload is a new source to the browser. */
export function basemapArchiveUrl(sha256: string): string {
  return `${BASEMAP_ARCHIVE_PATH}?v=${sha256.slice(0, 16)}`;
}

function toBasemapArchive(r: Pick<BasemapArchiveRow, 'sha256' | 'tileType' | 'bounds' | 'minZoom' | 'maxZoom' | 'vectorLayers'>): BasemapArchive {
  return { url: basemapArchiveUrl(r.sha256), tileType: r.tileType, bounds: r.bounds, minZoom: r.minZoom, maxZoom: r.maxZoom, vectorLayers: r.vectorLayers };
}

export async function getBasemapArchive(db: Queryable): Promise<BasemapArchiveDetails | null> {
  const { rows } = await db.query<Row>(
    `SELECT sha256, size_bytes::text, tile_type, min_zoom, max_zoom, west, south, east, north, vector_layers,
            original_name, uploaded_by, uploaded_at
     FROM basemap_archive`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...toBasemapArchive({
      sha256: r.sha256,
      tileType: r.tile_type,
      bounds: [Number(r.west), Number(r.south), Number(r.east), Number(r.north)],
      minZoom: r.min_zoom,
      maxZoom: r.max_zoom,
      vectorLayers: r.vector_layers,
    }),
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    originalName: r.original_name,
    uploadedAt: isoRequired(r.uploaded_at),
    uploadedBy: r.uploaded_by,
  };
}

/** Replaces the stored archive's row (there is one at most); answers the hash of the one it replaced, if any. */
export async function replaceBasemapArchive(db: Queryable, a: BasemapArchiveRow): Promise<{ previousSha256: string | null }> {
  // Locked: of two uploads at once, the second waits and replaces the first (and learns its hash).
  const { rows: before } = await db.query<{ sha256: string }>(`SELECT sha256 FROM basemap_archive FOR UPDATE`);
  await db.query(
    `INSERT INTO basemap_archive (single, sha256, size_bytes, tile_type, min_zoom, max_zoom, west, south, east, north,
                                  vector_layers, original_name, uploaded_by, uploaded_at)
     VALUES (true, $1::text, $2::bigint, $3::text, $4::smallint, $5::smallint, $6::float8, $7::float8, $8::float8, $9::float8,
             $10::jsonb, $11::text, $12::text, now())
     ON CONFLICT (single) DO UPDATE SET
       sha256 = EXCLUDED.sha256, size_bytes = EXCLUDED.size_bytes, tile_type = EXCLUDED.tile_type,
       min_zoom = EXCLUDED.min_zoom, max_zoom = EXCLUDED.max_zoom,
       west = EXCLUDED.west, south = EXCLUDED.south, east = EXCLUDED.east, north = EXCLUDED.north,
       vector_layers = EXCLUDED.vector_layers, original_name = EXCLUDED.original_name,
       uploaded_by = EXCLUDED.uploaded_by, uploaded_at = EXCLUDED.uploaded_at`,
    [
      a.sha256,
      a.sizeBytes,
      a.tileType,
      a.minZoom,
      a.maxZoom,
      ...a.bounds,
      JSON.stringify(a.vectorLayers),
      a.originalName,
      a.uploadedBy,
    ],
  );
  return { previousSha256: before[0]?.sha256 ?? null };
}

/** Deletes the row; answers the removed archive's hash, or null when none was stored. */
export async function deleteBasemapArchive(db: Queryable): Promise<{ sha256: string; sizeBytes: number } | null> {
  const { rows } = await db.query<{ sha256: string; size_bytes: string }>(`DELETE FROM basemap_archive RETURNING sha256, size_bytes::text`);
  const r = rows[0];
  return r ? { sha256: r.sha256, sizeBytes: Number(r.size_bytes) } : null;
}
