import type { UnitMove } from '../lib/model';
import type { Queryable } from './client';
import { num } from './rows';

/** One fix as the ingest writer hands it to the database. */
export interface FixRow {
  deviceId: number;
  /** epoch ms, UTC */
  fixTime: number;
  lon: number;
  lat: number;
  speed: number | null; // m/s
  heading: number | null;
  accuracy: number | null;
  altitude: number | null;
  battery: number | null; // percent
  attributes: Record<string, unknown> | null;
}

export interface InsertPositionsResult {
  /** `${deviceId}:${fixTimeMs}` of every row actually inserted (the rest were duplicates). */
  inserted: Set<string>;
  /** Teams whose latest position moved forward, with their new state as the statement wrote it to unit_state (one per team): the live feed sends these without reading them again. */
  moved: UnitMove[];
}

/**
 * A value for a `real` column. Devices send doubles; one below float4's range
 * (1e-300) or above it would make PostgreSQL refuse the whole batch, so tiny
 * magnitudes become 0 and huge or non-finite ones become "unknown".
 */
export function toReal(v: number | null): number | null {
  if (v === null || !Number.isFinite(v) || Math.abs(v) > 1e30) return null;
  return Math.abs(v) < 1e-30 ? 0 : v;
}

const tinyToZero = (v: number): number => (Math.abs(v) < 1e-30 ? 0 : v);

const DAY_MS = 86_400_000;

/** The UTC days (days since the epoch) each connection handle has seen a partition for (migration 0019). */
const knownDays = new WeakMap<Queryable, Set<number>>();

/**
 * Makes the positions partition of every UTC day among `fixes` that this
 * handle has not seen one for (positions_ensure_days, migration 0019): a
 * backlog days old or a clock ahead gets its own day instead of the default
 * partition. On the ingest path: per fix one division and a set lookup, no
 * allocation; a query only for a day not seen before. A day dropped by
 * retention since is harmless (its fixes land in the default partition,
 * which retention empties of old rows).
 */
export async function ensureDayPartitions(db: Queryable, fixes: readonly { fixTime: number }[]): Promise<void> {
  let known = knownDays.get(db);
  if (!known) knownDays.set(db, (known = new Set()));
  let missing: Set<number> | null = null;
  for (const { fixTime } of fixes) {
    // Past JavaScript's dates (±8.64e15 ms): the insert itself refuses it (a 422 for that fix alone).
    if (!(Math.abs(fixTime) <= 8.64e15)) continue;
    const day = Math.floor(fixTime / DAY_MS);
    if (!known.has(day)) (missing ??= new Set()).add(day);
  }
  if (missing === null) return;
  const days = [...missing];
  await db.query('SELECT positions_ensure_days($1::date[])', [days.map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10))]);
  for (const d of days) known.add(d);
}

/** Forgets the days seen (retention dropped some): the next insert of those days asks the database again. */
export function forgetDayPartitions(db: Queryable): void {
  knownDays.delete(db);
}

export const fixKey = (deviceId: number, fixTimeMs: number): string => `${deviceId}:${fixTimeMs}`;

/**
 * Stores a batch of fixes in ONE statement: unnest the column arrays, assign
 * each fix its grid with ST_Covers (GiST on grids.geom), skip (device, fix
 * time) duplicates, and move unit_state forward only when the fix is newer
 * than what it holds, so out-of-order fixes land in history without moving a
 * team backwards (migration 0016's insert trigger marks the device-days
 * written for the patrol rollup, db/patrol-rollup.ts). One statement per batch
 * instead of one per fix is what makes ingest fast: see docs/BENCHMARKS.md.
 */
export async function insertPositions(db: Queryable, fixes: readonly FixRow[]): Promise<InsertPositionsResult> {
  if (fixes.length === 0) return { inserted: new Set(), moved: [] };
  await ensureDayPartitions(db, fixes);
  const cols = {
    device: fixes.map((f) => f.deviceId),
    // epoch ms as float8: cheaper to send and parse than 1,000 ISO strings.
    time: fixes.map((f) => f.fixTime),
    lon: fixes.map((f) => tinyToZero(f.lon)),
    lat: fixes.map((f) => tinyToZero(f.lat)),
    speed: fixes.map((f) => toReal(f.speed)),
    heading: fixes.map((f) => toReal(f.heading)),
    accuracy: fixes.map((f) => toReal(f.accuracy)),
    altitude: fixes.map((f) => toReal(f.altitude)),
    battery: fixes.map((f) => toReal(f.battery)),
    attributes: fixes.map((f) => (f.attributes ? JSON.stringify(f.attributes) : null)),
  };
  const { rows } = await db.query<{
    kind: 'ins' | 'moved';
    device_id: number | null;
    t: string | null;
    team_id: number | null;
    lon: number | null;
    lat: number | null;
    speed: number | null;
    heading: number | null;
    battery: number | null;
    grid_id: number | null;
  }>(
    `WITH input AS (
       SELECT device_id, to_timestamp(t_ms / 1000.0) AS fix_time, lon, lat, speed, heading, accuracy,
              altitude, battery, attributes
       FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[],
                   $6::real[], $7::real[], $8::real[], $9::real[], $10::jsonb[])
         AS t(device_id, t_ms, lon, lat, speed, heading, accuracy, altitude, battery, attributes)
     ), located AS (
       SELECT i.*, d.team_id, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326) AS geom
       FROM input i JOIN devices d ON d.id = i.device_id
     ), ins AS (
       INSERT INTO positions (device_id, team_id, fix_time, geom, speed, heading, accuracy, altitude,
                              battery, grid_id, attributes)
       SELECT l.device_id, l.team_id, l.fix_time, l.geom, l.speed, l.heading, l.accuracy, l.altitude,
              l.battery,
              (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, l.geom) ORDER BY g.id LIMIT 1),
              l.attributes
       FROM located l
       ON CONFLICT (device_id, fix_time) DO NOTHING
       RETURNING device_id, team_id, fix_time, received_at, geom, speed, heading, battery, grid_id
     ), newest AS (
       SELECT DISTINCT ON (team_id) * FROM ins ORDER BY team_id, fix_time DESC
     ), moved AS (
       INSERT INTO unit_state AS u (team_id, device_id, fix_time, received_at, geom, speed, heading,
                                    battery, grid_id, updated_at)
       SELECT team_id, device_id, fix_time, received_at, geom, speed, heading, battery, grid_id, now()
       FROM newest
       -- Lock unit_state rows in team order, as setUnitStatus does: no deadlock cycle with a dispatch.
       ORDER BY team_id
       ON CONFLICT (team_id) DO UPDATE SET
         device_id = EXCLUDED.device_id, fix_time = EXCLUDED.fix_time,
         received_at = EXCLUDED.received_at, geom = EXCLUDED.geom, speed = EXCLUDED.speed,
         heading = EXCLUDED.heading, battery = EXCLUDED.battery, grid_id = EXCLUDED.grid_id,
         updated_at = now()
       WHERE u.fix_time IS NULL OR u.fix_time < EXCLUDED.fix_time
       RETURNING team_id, fix_time, geom, speed, heading, battery, grid_id
     )
     SELECT 'ins' AS kind, device_id, round(extract(epoch FROM fix_time) * 1000)::bigint::text AS t, NULL::int AS team_id,
            NULL::float8 AS lon, NULL::float8 AS lat, NULL::real AS speed, NULL::real AS heading, NULL::real AS battery, NULL::int AS grid_id
     FROM ins
     UNION ALL
     -- The moved units' new state straight out of the upsert: the live feed needs no second read.
     SELECT 'moved', NULL, round(extract(epoch FROM fix_time) * 1000)::bigint::text, team_id,
            ST_X(geom), ST_Y(geom), speed, heading, battery, grid_id
     FROM moved`,
    [
      cols.device,
      cols.time,
      cols.lon,
      cols.lat,
      cols.speed,
      cols.heading,
      cols.accuracy,
      cols.altitude,
      cols.battery,
      cols.attributes,
    ],
  );
  const inserted = new Set<string>();
  const moved: UnitMove[] = [];
  for (const r of rows) {
    if (r.kind === 'ins') inserted.add(fixKey(Number(r.device_id), Number(r.t)));
    else
      moved.push({
        teamId: Number(r.team_id),
        lon: Number(r.lon),
        lat: Number(r.lat),
        fixTime: Number(r.t),
        speed: num(r.speed),
        heading: num(r.heading),
        battery: num(r.battery),
        gridId: num(r.grid_id),
      });
  }
  return { inserted, moved };
}

export async function countPositions(db: Queryable, deviceId?: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM positions WHERE $1::int IS NULL OR device_id = $1::int`,
    [deviceId ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}
