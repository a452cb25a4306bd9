// The contract of the township import (issue 12): a file becomes WGS-84
// GeoJSON features plus a list of problems an administrator can read. The
// parser, the pure checks, and later the PostGIS validation, the preview /
// apply service, the admin page and the CLI all speak these types.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { ImportLayer } from '../model/township-layers';

/** A feature as read from a file: its geometry may be missing (a KML placemark without one, a null shape). */
export type ImportFeature = Feature<Geometry | null>;

// What a file is imported as: written once in the shared model (the socket event names it too).
export { IMPORT_LAYERS, type ImportLayer } from '../model/township-layers';

export const SOURCE_FORMATS = ['geojson', 'kml', 'kmz', 'shapefile', 'csv'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/**
 * What the administrator says the coordinates are. CGCS2000 longitude /
 * latitude counts as WGS-84 (they differ by centimetres); GCJ-02 (Amap,
 * Tencent) and BD-09 (Baidu) are the offset systems of Chinese web maps.
 */
export const SOURCE_DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type SourceDatum = (typeof SOURCE_DATUMS)[number];

export const IMPORT_PROBLEM_CODES = [
  /** The bytes cannot be read as the format they claim or look like (broken zip, XML, JSON, shapefile). */
  'unreadable',
  /** Readable, but not a format the importer knows. */
  'unknown_format',
  /** A lone .shp: the other parts of the shapefile are missing. */
  'shapefile_not_zipped',
  /** More than one shapefile in one zip. */
  'multiple_shapefiles',
  /** A CSV without recognisable longitude / latitude columns. */
  'csv_columns_missing',
  'no_features',
  /** Text that is not UTF-8 and names no encoding: read with a fallback, names may be wrong. */
  'encoding_unknown',
  /** A .prj (or GeoJSON `crs`) that cannot be read: nothing is reprojected on a guess. */
  'projection_unknown',
  /** A shapefile without a .prj: its coordinates are taken as longitude / latitude. */
  'projection_missing',
  /** A .prj on a datum other than WGS-84 / CGCS2000 (Beijing 1954, Xi'an 1980): used without a shift. */
  'datum_assumed',
  /** A shapefile without a .dbf: its features have no attributes. */
  'attributes_missing',
  'geometry_missing',
  /** A geometry is there but its coordinates cannot be read. */
  'geometry_unreadable',
  'geometry_wrong_type',
  'coordinates_out_of_range',
  'missing_code',
  'missing_name',
  'missing_category',
  'duplicate_code',
  'duplicate_name',
  /** Key locations: a category GridSight does not know (or none). */
  'unknown_category',
  // PostGIS's checks (db/import.ts, lib/import/service.ts):
  /** ST_IsValid says no; `fixable` says whether ST_MakeValid repairs it (apply with makeValid). */
  'geometry_invalid',
  /** Two grid cells share area (`codes`, `areaM2`). */
  'grid_overlap',
  /** Part of the township no grid cell covers (`areaM2`, `at`). */
  'grid_gap',
  /** A feature wholly or partly outside the township boundary (`areaM2` outside for polygons). */
  'outside_boundary',
  /** No township boundary is stored: nothing can be checked against it. */
  'boundary_missing',
  /** Grid cells need villages to belong to: import the villages first. */
  'villages_missing',
  /**
   * The layer fits what is stored (the boundary, grid cells, villages, key
   * locations) much better read as GCJ-02 or BD-09 (`datum`, `shiftM`): a
   * copy from a Chinese web map imported as WGS-84, or the other way round.
   */
  'looks_offset',
  /** A new boundary: stored grid cells, villages or key locations would lie (partly) outside it (`storedLayer`, `keys`). */
  'stored_outside_boundary',
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];

export interface ImportProblem {
  code: ImportProblemCode;
  /** An error stops the import; a warning is shown and the administrator decides. */
  severity: 'error' | 'warning';
  /** Plain words for an administrator: what is wrong and, where it helps, what to do. */
  message: string;
  /** Index in `ParsedLayer.features` when the problem is about one feature. */
  feature?: number;
  /** The feature's own code and name, where known (the report names features as the file does). */
  featureCode?: string | null;
  featureName?: string | null;
  /** grid_overlap: the two cells' codes. */
  codes?: [string, string];
  /** grid_overlap / grid_gap / outside_boundary: the area in square metres (on the ellipsoid). */
  areaM2?: number;
  /** grid_gap: a point inside the gap, [lon, lat]. */
  at?: [lon: number, lat: number];
  /** geometry_invalid: true when ST_MakeValid turns it into a valid geometry of the same kind. */
  fixable?: boolean;
  /** looks_offset: what the file's coordinates seem to be (choose it as the datum and preview again). */
  datum?: SourceDatum;
  /** looks_offset: how far that datum's conversion moves the layer, in metres. */
  shiftM?: number;
  /** stored_outside_boundary: which stored layer, and the codes (grid cells, villages) or names (key locations) outside. */
  storedLayer?: 'grids' | 'villages' | 'key_locations';
  keys?: string[];
}

export interface ParsedLayer {
  /** Null when the bytes could not be told as any format (junk, an empty file, a zip with neither a shapefile nor KML). */
  format: SourceFormat | null;
  /** WGS-84 longitude / latitude, whatever the file held. */
  features: ImportFeature[];
  /** 'EPSG:4326', or the name the file gives its coordinate system (a .prj's PROJCS / GEOGCS name, a GeoJSON `crs`). */
  sourceCrs: string;
  /** True when the coordinates were reprojected from a projected system. */
  reprojected: boolean;
  /** The datum the administrator chose; anything but wgs84 has been converted to WGS-84. */
  datum: SourceDatum;
  /** The encoding the attribute text was read in ('utf-8', 'gbk', 'windows-1252', …), or null when there was none (no .dbf, nothing read). */
  encoding: string | null;
  problems: ImportProblem[];
}

/** True when nothing stops the layer from going on to validation: no problem is an error. */
export const isImportable = (problems: readonly ImportProblem[]): boolean => !problems.some((p) => p.severity === 'error');

/** Codes (grids, villages), names (key locations) or 'township' (boundary), as the import would change them. */
export interface ImportDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** A previewed feature as the admin page's map draws it: its place in the file (as `ImportProblem.feature` counts), code and name. */
export interface PreviewFeatureProps {
  index: number;
  code: string | null;
  name: string | null;
}

/** The file's features with a geometry, WGS-84, coordinates rounded (lib/import/preview-geometry.ts). */
export type PreviewFeatureCollection = FeatureCollection<Geometry, PreviewFeatureProps> & {
  /** Features with a geometry left off to keep the answer small (0 when all are there). */
  omitted: number;
};

/** A road layer in numbers: the report's summary line. */
export interface RoadSummary {
  lines: number;
  lengthKm: number;
  /** Length beyond the stored township boundary; null when no boundary is stored. */
  outsideKm: number | null;
}

/** What POST /api/admin/import/preview answers and `npm run import` prints. */
export interface ImportReport {
  layer: ImportLayer;
  format: SourceFormat | null;
  fileName: string;
  featureCount: number;
  /** The parser's, the field checks' and PostGIS's problems, in that order. */
  problems: ImportProblem[];
  diff: ImportDiff;
  /** No problem is an error: the preview may be applied (with makeValid when `needsMakeValid`). */
  importable: boolean;
  /** Some geometry is invalid but ST_MakeValid repairs it: apply only with makeValid. */
  needsMakeValid: boolean;
  /** Roads only: what the layer holds (lines = its features; lengths on the ellipsoid). */
  roads?: RoadSummary;
  /** Hands the preview to apply (apply refuses it with the reason when it is not importable). */
  token: string;
  /** When the token stops working (ISO time). */
  expiresAt: string;
  /** The features for the map preview (not kept with the stored preview). */
  preview: PreviewFeatureCollection;
}

/** What POST /api/admin/import/apply answers. */
export interface ImportResult {
  layer: ImportLayer;
  diff: ImportDiff;
  /** Rows whose grid cell the import changed (incidents, key locations, unit states, positions). */
  reassigned: { incidents: number; keyLocations: number; units: number; positions: number };
  /** When the transaction committed (ISO); the `township:changed` event carries the same time. */
  appliedAt: string;
}
