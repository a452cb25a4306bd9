// Small converters shared by db/ modules: both engines return timestamptz as
// Date, json as parsed objects, and numeric/bigint as strings.
import type { LonLat } from '../lib/model';

export function iso(v: Date | string | null): string | null {
  if (v === null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function isoRequired(v: Date | string): string {
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function num(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

export function lonLat(lon: number | string | null, lat: number | string | null): LonLat | null {
  return lon === null || lat === null ? null : [Number(lon), Number(lat)];
}
