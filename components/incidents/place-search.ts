// Where a new incident is: suggestions for the pick-mode search box, from
// the grid cells and key locations the page has already loaded. Pure.
import type { GridCollection, KeyLocation, LonLat } from '@/lib/model';
import { localName, type Lang } from '@/lib/i18n/messages';

/** A place a report can start from: a map point, a grid cell (its label point) or a key location. */
export interface Place {
  kind: 'point' | 'grid' | 'keyLocation';
  /** Grid or key location id; null for a bare point. */
  id: number | null;
  position: LonLat;
  /** How the form names it: a grid code and name, a location's name; null for a bare point. */
  label: string | null;
}

export const MAX_SUGGESTIONS = 8;

function norm(s: string): string {
  return s.trim().toLowerCase();
}

/**
 * Grid cells whose code starts with the query come first (a desk types
 * "V1-0"), then names containing it, in either language; key locations by
 * name in either language. Empty query: nothing.
 */
export function searchPlaces(
  query: string,
  grids: GridCollection | undefined,
  keyLocations: readonly KeyLocation[] | undefined,
  lang: Lang,
  limit = MAX_SUGGESTIONS,
): Place[] {
  const q = norm(query);
  if (q === '') return [];
  const scored: { score: number; place: Place }[] = [];
  for (const f of grids?.features ?? []) {
    const p = f.properties;
    const code = norm(p.code);
    const score = code === q ? 0 : code.startsWith(q) ? 1 : norm(p.name).includes(q) || norm(p.nameEn).includes(q) ? 3 : -1;
    if (score < 0) continue;
    scored.push({ score, place: { kind: 'grid', id: p.id, position: p.labelPoint, label: `${p.code} · ${localName(p, lang)}` } });
  }
  for (const k of keyLocations ?? []) {
    const name = norm(k.name);
    const nameEn = norm(k.nameEn);
    const score = name.startsWith(q) || nameEn.startsWith(q) ? 2 : name.includes(q) || nameEn.includes(q) ? 3 : -1;
    if (score < 0) continue;
    scored.push({ score, place: { kind: 'keyLocation', id: k.id, position: k.position, label: localName(k, lang) } });
  }
  return scored
    .sort((a, b) => a.score - b.score || (a.place.label ?? '').localeCompare(b.place.label ?? ''))
    .slice(0, limit)
    .map((s) => s.place);
}
