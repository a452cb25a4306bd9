// The uploaded basemap archive (issue 12, "Basemap"): a PMTiles v3 file kept
// under DATA_DIR, read by the page with the `pmtiles` library over HTTP range
// requests from our own origin.

/** Where any signed-in person reads the archive (GET/HEAD with Range). */
export const BASEMAP_ARCHIVE_PATH = '/api/basemap/tiles.pmtiles';

/** The tile types the page can draw: vector (Mapbox Vector Tiles) or raster images. */
export const ARCHIVE_TILE_TYPES = ['mvt', 'png', 'jpg', 'webp'] as const;
export type ArchiveTileType = (typeof ARCHIVE_TILE_TYPES)[number];

/** What the map needs to draw the archive: part of GET /api/basemap (`pmtiles`, null when none is stored). */
export interface BasemapArchive {
  /** Same-origin URL of the archive; its `v` changes with the content, so a new upload is a new source. */
  url: string;
  tileType: ArchiveTileType;
  bounds: [west: number, south: number, east: number, north: number];
  minZoom: number;
  maxZoom: number;
  /** The vector layers the archive's metadata names (empty for raster archives). */
  vectorLayers: string[];
}

/** GET /api/admin/basemap: the stored archive as the admin page shows it. */
export interface BasemapArchiveDetails extends BasemapArchive {
  sizeBytes: number;
  sha256: string;
  /** The file name the administrator's browser sent, if any. */
  originalName: string | null;
  uploadedAt: string;
  uploadedBy: string;
}
