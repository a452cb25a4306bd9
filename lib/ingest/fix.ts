import { AppError } from '../errors';

/** A position as a protocol parser understood it, before the device is resolved. */
export interface ParsedFix {
  /** The device's identifier as sent (OsmAnd `id`/`deviceid`). */
  deviceKey: string;
  /** epoch ms UTC; null when the device sent none (server time is used). */
  fixTime: number | null;
  lat: number;
  lon: number;
  speed: number | null; // m/s
  heading: number | null; // degrees
  accuracy: number | null; // metres
  altitude: number | null; // metres
  battery: number | null; // percent 0..100
  charging: boolean | null;
  alarm: string | null;
  attributes: Record<string, string | number | boolean>;
}

/** Parses a finite number; empty, non-numeric and "-1 = unknown" (when asked) give null. */
export function toNumber(v: unknown, { minusOneUnknown = false } = {}): number | null {
  // Only numbers and strings: String() of a parsed JSON object can throw
  // (`{"toString": 0}`), and no client sends a number as anything else.
  if (typeof v !== 'number' && typeof v !== 'string') return null;
  if (v === '') return null;
  const n = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isFinite(n)) return null;
  if (minusOneUnknown && n === -1) return null;
  return n;
}

export const KNOTS_TO_MS = 1852 / 3600;

/**
 * Device time in any shape real clients send: epoch seconds, epoch
 * milliseconds, ISO 8601 with any offset, or `yyyy-MM-dd HH:mm:ss` (UTC).
 */
export function parseFixTime(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'number' && typeof v !== 'string') throw new AppError('bad_request', 'timestamp must be a number or a string');
  const s = String(v).trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Below 1e11 it can only be seconds (1e11 s is the year 5138; 1e11 ms is 1973).
    const ms = Math.abs(n) < 1e11 ? n * 1000 : n;
    if (!isRepresentable(ms)) throw new AppError('bad_request', `timestamp "${s.slice(0, 40)}" is out of range`);
    return Math.round(ms);
  }
  const plain = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?$/.exec(s);
  const t = plain
    ? Date.UTC(+plain[1]!, +plain[2]! - 1, +plain[3]!, +plain[4]!, +plain[5]!, +plain[6]!, Math.round(Number(plain[7] ?? 0) * 1000))
    : Date.parse(s);
  if (!isRepresentable(t)) throw new AppError('bad_request', `timestamp "${s.slice(0, 40)}" is not a time`);
  return t;
}

const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);
/**
 * Years 1900–9999: every such time fits a JavaScript Date and a timestamptz,
 * so one absurd fix can never make the database refuse a whole batch.
 */
export const isRepresentable = (ms: number): boolean => Number.isFinite(ms) && ms >= EARLIEST && ms <= LATEST;

/** Longitude first, as everywhere in GridSight (`LonLat`); the protocols' own order is the parser's business. */
export function checkCoordinates(lon: number | null, lat: number | null): { lon: number; lat: number } {
  if (lat === null || lon === null) throw new AppError('bad_request', 'missing coordinates: send lat and lon (or location=lat,lon)');
  if (lat < -90 || lat > 90) throw new AppError('bad_request', `latitude ${lat} is outside -90..90`);
  if (lon < -180 || lon > 180) throw new AppError('bad_request', `longitude ${lon} is outside -180..180`);
  return { lon, lat };
}
