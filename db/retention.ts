// Retention's statements (lib/retention.ts): the positions day partitions of
// migration 0019 and the incidents' reporter contact.
import type { Db, Queryable } from './client';
import { iso } from './rows';

export interface DayPartition {
  name: string;
  /** Its UTC day's start and end (exclusive), ISO. */
  lo: string;
  hi: string;
}

/** The day partitions of positions, oldest first. */
export async function listDayPartitions(db: Queryable): Promise<DayPartition[]> {
  const { rows } = await db.query<{ name: string; lo: Date | string; hi: Date | string }>(
    'SELECT name, lo, hi FROM positions_day_partitions()',
  );
  return rows.map((r) => ({ name: r.name, lo: iso(r.lo)!, hi: iso(r.hi)! }));
}

/** Makes the partitions of the given UTC days (`YYYY-MM-DD`) that have none; answers how many it made. */
export async function ensureDays(db: Queryable, days: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT positions_ensure_days($1::date[]) AS n', [days]);
  return Number(rows[0]?.n ?? 0);
}

/** The UTC days of the fixes the default partition holds at or after `from` (they get their partitions). */
export async function defaultDaysFrom(db: Queryable, from: Date): Promise<string[]> {
  const { rows } = await db.query<{ d: string }>(
    `SELECT DISTINCT to_char((fix_time AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS d FROM positions_default WHERE fix_time >= $1 ORDER BY 1`,
    [from],
  );
  return rows.map((r) => r.d);
}

/** PostgreSQL's SQLSTATE for a lock not granted within lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Drops one day partition. The patrol rollup's rows for the device-days the
 * day overlaps (on the rollup's clock) are marked dirty in the same
 * transaction, so the next refresh recomputes them from what is left (the
 * rollup stays equal to the direct query). DROP of a partition takes ACCESS
 * EXCLUSIVE on positions for the catalog change only (milliseconds; the files
 * go at commit): lock_timeout bounds how long ingest can queue behind it when
 * a long read holds positions, and a drop that times out answers false and is
 * tried on the next run. (DETACH … CONCURRENTLY would not need that lock, but
 * PostgreSQL refuses it while a default partition exists.)
 */
export async function dropDayPartition(db: Db, p: DayPartition, lockTimeoutMs: number): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
      await tx.query(
        `INSERT INTO patrol_dirty AS d (device_id, day, zone)
         SELECT DISTINCT c.device_id, c.day, s.time_zone
         FROM patrol_rollup_state s
         JOIN patrol_cells c ON c.day BETWEEN ($1::timestamptz AT TIME ZONE s.time_zone)::date
                                          AND (($2::timestamptz - interval '1 microsecond') AT TIME ZONE s.time_zone)::date
         ORDER BY 1, 2
         ON CONFLICT (device_id, day, zone) DO UPDATE SET gen = d.gen + 1`,
        [p.lo, p.hi],
      );
      await tx.query(`DROP TABLE IF EXISTS public."${p.name.replace(/"/g, '')}"`);
    });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === LOCK_NOT_AVAILABLE) return false;
    throw err;
  }
}

/**
 * Deletes the fixes older than `before` that the default partition holds (a
 * backlog older than every day partition), through positions so the patrol
 * triggers mark their device-days. Call only when no day partition older than
 * `before` is left (the statement then reads the default partition alone).
 */
export async function deleteDefaultBefore(db: Queryable, before: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM positions WHERE fix_time < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [before],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Erases the reporter contact of at most `limit` incidents reported before
 * `before` (the incident itself, its timeline and updated_at are untouched);
 * answers their ids. Pass the transaction that also writes the audit row.
 */
export async function eraseReporterContacts(tx: Queryable, before: Date, limit: number): Promise<number[]> {
  const { rows } = await tx.query<{ id: number }>(
    `WITH e AS (
       SELECT id FROM incidents WHERE reporter_contact IS NOT NULL AND reported_at < $1
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE incidents i SET reporter_contact = NULL FROM e WHERE i.id = e.id RETURNING i.id`,
    [before, limit],
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
