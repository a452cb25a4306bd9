// The township's static layers as the importer, the socket event that says
// they changed, and the status an empty install's map page reads to say what
// to do next (issue 12). Shared by the server and the browser.

/** What a file is imported as. */
export const IMPORT_LAYERS = ['boundary', 'villages', 'grids', 'key_locations', 'roads'] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];

/**
 * The `township:changed` event's data, sent after the commit of an import
 * (`layer` is the imported one) or of the demo's removal (`layer: 'all'`).
 * Pages refetch their static layers (basemap, grids, key locations, status).
 */
export interface TownshipChange {
  layer: ImportLayer | 'all';
  /** ISO time of the commit. */
  appliedAt: string;
}

/** What an administrator should do next on this install, in the order the importer needs it; null when nothing is missing. */
export type TownshipNextStep = 'import_boundary' | 'import_villages' | 'import_grids' | 'import_key_locations' | 'add_teams' | null;

/** GET /api/township/status — counts of what is stored, so the map page of an empty install can say what to do next. */
export interface TownshipStatus {
  hasBoundary: boolean;
  /** The township's name, or null without a boundary. */
  name: string | null;
  /** True while the township is the generated demo, untouched by any import (`npm run demo:remove` can take it away). */
  demo: boolean;
  villages: number;
  grids: number;
  keyLocations: number;
  /** Road lines of the basemap and the dispatch road network. */
  roads: number;
  teams: number;
  next: TownshipNextStep;
}

/** The first thing missing, in the order the importer needs it (villages before grid cells, which belong to one). */
export function nextTownshipStep(s: Omit<TownshipStatus, 'next' | 'name' | 'demo'>): TownshipNextStep {
  if (!s.hasBoundary) return 'import_boundary';
  if (s.villages === 0) return 'import_villages';
  if (s.grids === 0) return 'import_grids';
  if (s.keyLocations === 0) return 'import_key_locations';
  if (s.teams === 0) return 'add_teams';
  return null;
}
