// How large a request body each API route takes. The gate refuses a declared
// Content-Length over the limit before Next sees the request; readJson
// (lib/api.ts) stops reading a body without a declared length as soon as it
// passes the same limit. tests/unit/route-handlers.test.ts checks that each
// handler reads its body with the limit listed here.

/** readJson's default: an incident report with a long narrative fits many times over. */
export const DEFAULT_JSON_BODY_BYTES = 256 * 1024;
/** Sign-in, an account, an incident's status, a dispatch: a few short fields. */
export const SMALL_JSON_BODY_BYTES = 4 * 1024;
/** An import file (GeoJSON, KML/KMZ, zipped shapefile, CSV): a county's 65 grid cells are well under 1 MB; a detailed boundary or road layer a few MB. */
export const IMPORT_FILE_BYTES = 16 * 1024 * 1024;
/**
 * A basemap archive (PMTiles): a township's vector tiles to zoom 16 are tens
 * of MB, aerial imagery a few hundred. Streamed to a file as it arrives, never
 * held in memory.
 */
export const BASEMAP_ARCHIVE_BYTES = 512 * 1024 * 1024;
/** Routes that read no body: a stray one this small is ignored, anything larger refused. */
export const NO_BODY_BYTES = 1024;

/** `METHOD /api/path` (as in ROUTE_RULES) → the largest body it reads. */
export const BODY_LIMITS: Readonly<Record<string, number>> = {
  'POST /api/auth/login': SMALL_JSON_BODY_BYTES,
  'POST /api/incidents': DEFAULT_JSON_BODY_BYTES,
  'PATCH /api/incidents/[id]': SMALL_JSON_BODY_BYTES,
  // {teamId, replaceAssignmentId?} and {reason?}: two short fields each.
  'POST /api/incidents/[id]/dispatch': SMALL_JSON_BODY_BYTES,
  'POST /api/assignments/[id]/release': SMALL_JSON_BODY_BYTES,
  'POST /api/admin/users': SMALL_JSON_BODY_BYTES,
  'PATCH /api/admin/users/[id]': SMALL_JSON_BODY_BYTES,
  'POST /api/admin/import/preview': IMPORT_FILE_BYTES,
  // {token, makeValid?}.
  'POST /api/admin/import/apply': SMALL_JSON_BODY_BYTES,
  // A team's fields (up to 500 area cell ids, about 6 KB) and a device's label and protocol.
  'POST /api/admin/teams': 16 * 1024,
  'PATCH /api/admin/teams/[id]': 16 * 1024,
  'POST /api/admin/teams/[id]/devices': SMALL_JSON_BODY_BYTES,
  'PUT /api/admin/basemap': BASEMAP_ARCHIVE_BYTES,
  // A patrol plan: up to 100 checkpoints (about 15 KB) and a drawn area or route of a few thousand points.
  'POST /api/plans': 256 * 1024,
  'PUT /api/plans/[id]': 256 * 1024,
};

export function bodyLimit(routeKey: string): number {
  return BODY_LIMITS[routeKey] ?? NO_BODY_BYTES;
}
