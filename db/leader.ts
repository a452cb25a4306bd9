// The leader's lock (lib/leader.ts): a session-level advisory lock, held on
// one dedicated connection for as long as its process leads. The server
// releases it when that connection ends, so a process that dies (or whose
// connection is cut) gives up leadership without saying so.
import type { Queryable } from './client';

/**
 * The key pair (7204414, 4). The pairs (7204414, 1..3) are transaction locks
 * of the patrol rollup, the incident rollup and the positions partitions
 * (migrations 0014, 0018, 0019); advisory locks are per database.
 */
export const LEADER_LOCK_KEY: readonly [number, number] = [7204414, 4];

/** Takes the leader's lock for this session if no other session holds it; never waits. */
export async function tryLeaderLock(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS got', LEADER_LOCK_KEY);
  return rows[0]!.got;
}

/**
 * The pid of the session holding the lock in this database. The two-int form
 * of an advisory lock is classid, objid, objsubid = 2 in pg_locks.
 */
const LEADER_PID_SQL = `SELECT pid FROM pg_locks
  WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2 AND granted`;

/** Whether this session still holds the leader's lock (the leader's heartbeat: it also proves the connection answers). */
export async function holdsLeaderLock(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(`SELECT pg_backend_pid() IN (${LEADER_PID_SQL}) AS held`, LEADER_LOCK_KEY);
  return rows[0]!.held;
}

/** Gives the lock up (a session that ends gives it up too). */
export async function releaseLeaderLock(db: Queryable): Promise<void> {
  await db.query('SELECT pg_advisory_unlock($1::int, $2::int)', LEADER_LOCK_KEY);
}

/** The server process id of the session holding the leader's lock in this database, or null when no process leads. */
export async function getLeaderPid(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ pid: number }>(LEADER_PID_SQL, LEADER_LOCK_KEY);
  return rows[0]?.pid ?? null;
}
