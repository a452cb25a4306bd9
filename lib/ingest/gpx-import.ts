import type { Db } from '../../db/client';
import { insertPositions, type FixRow } from '../../db/positions';
import { parseGpx } from './gpx';

export interface GpxImportResult {
  tracks: number;
  points: number;
  stored: number;
  duplicates: number;
  skipped: { noTime: number; badCoordinates: number };
  from: string;
  to: string;
}

/** Rows per statement: large enough to amortise round trips, small enough for PGlite's memory. */
const CHUNK = 2_000;

/**
 * Stores a GPX track as one device's history, in one transaction: either the
 * whole file is stored or nothing is. Fixes already stored (same device and
 * time) count as duplicates, so importing a file twice is harmless.
 */
export async function importGpx(db: Db, { deviceId, xml }: { deviceId: number; xml: string }): Promise<GpxImportResult> {
  const parsed = parseGpx(xml);
  const rows: FixRow[] = parsed.fixes.map((f) => ({
    deviceId,
    fixTime: f.fixTime,
    lon: f.lon,
    lat: f.lat,
    speed: null,
    heading: null,
    accuracy: null,
    altitude: f.altitude,
    battery: null,
    attributes: { source: 'gpx' },
  }));
  const stored = await db.transaction(async (tx) => {
    let n = 0;
    for (let i = 0; i < rows.length; i += CHUNK) n += (await insertPositions(tx, rows.slice(i, i + CHUNK))).inserted.size;
    return n;
  });
  const times = parsed.fixes.map((f) => f.fixTime);
  return {
    tracks: parsed.tracks,
    points: rows.length,
    stored,
    duplicates: rows.length - stored,
    skipped: parsed.skipped,
    from: new Date(Math.min(...times)).toISOString(),
    to: new Date(Math.max(...times)).toISOString(),
  };
}
