import type { Db } from '../../db/client';
import { ensureDayPartitions, insertPositions, type FixRow } from '../../db/positions';
import type { Bus } from '../bus';
import type { GpxParseResult, GpxSkipped } from './gpx';

export interface GpxImportResult {
  tracks: number;
  /** Track points that can be history (stored + duplicates). */
  points: number;
  stored: number;
  /** Already stored for this device at the same time: importing a file twice is harmless. */
  duplicates: number;
  skipped: GpxSkipped;
  /** ISO times of the earliest and latest point. */
  from: string;
  to: string;
}

/** The GPX upload's limits; lib/config.ts's GPX_* settings default to these. */
export const GPX_DEFAULT_LIMITS = {
  /** About 170,000 bare track points; real exports carry elevation and extensions too. */
  maxBytes: 16 * 1024 * 1024,
  /**
   * 14 hours at one fix a second, 3 days at one every 5 s. One upload is one
   * transaction: about 90 µs a row on the embedded engine and 30 µs on the
   * server (measured on an idle 2-core machine: 100,000 rows took 9 s and 3 s),
   * and while it runs the embedded engine's single connection serves nothing
   * else, so live fixes wait behind it.
   */
  maxPoints: 50_000,
  /** A device uploads its track once in a while, not in a loop. */
  uploadsPerMinute: 6,
};

export type GpxLimits = typeof GPX_DEFAULT_LIMITS;

/**
 * Rows per statement: 1,000 (the live writer's batch) keeps each statement in
 * the tens of milliseconds, so the embedded engine, which runs in this thread,
 * gives the event loop back between statements.
 */
const CHUNK = 1_000;

/**
 * Stores a parsed GPX track as one device's history, in ONE transaction of
 * many statements: either the whole file is stored or nothing is. Fixes
 * already stored (same device and time) count as duplicates. unit_state moves
 * only forward (insertPositions' rule) and the parser has already refused
 * future times, so a history upload never moves a team backwards or ahead of
 * now. After the commit, teams whose latest position moved are published on
 * the bus like the live writer's, so open maps hear of the upload.
 */
export async function importGpx(
  { db, bus }: { db: Db; bus: Bus },
  { deviceId, parsed }: { deviceId: number; parsed: GpxParseResult },
): Promise<GpxImportResult> {
  const { fixes } = parsed;
  const moved = new Set<number>();
  // The track's days get their partitions first, outside the upload's transaction: a history's days usually
  // have none, and making one inside would hold its locks (and keep live ingest of a new day waiting) until
  // the whole file commits. Inside, insertPositions then finds them made.
  await ensureDayPartitions(db, fixes);
  const stored = await db.transaction(async (tx) => {
    let n = 0;
    for (let i = 0; i < fixes.length; i += CHUNK) {
      const rows: FixRow[] = fixes.slice(i, i + CHUNK).map((f) => ({
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
      const r = await insertPositions(tx, rows);
      n += r.inserted.size;
      for (const m of r.moved) moved.add(m.teamId);
    }
    return n;
  });
  if (moved.size > 0) bus.publish('units:moved', [...moved]);
  return {
    tracks: parsed.tracks,
    points: fixes.length,
    stored,
    duplicates: fixes.length - stored,
    skipped: parsed.skipped,
    from: new Date(parsed.from).toISOString(),
    to: new Date(parsed.to).toISOString(),
  };
}
