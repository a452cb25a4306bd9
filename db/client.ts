import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** The small interface every db/ module takes: two engines behind it. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }>;
}

/** Inside a transaction: queries plus multi-statement scripts (migrations). */
export interface Tx extends Queryable {
  /** Runs a script of several statements; no parameters. Setup work: the setup time limit. */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Setup work (the demo seed): each statement may run for the setup limit
   * (DB_SETUP_TIMEOUT_MS) instead of the per-request one.
   */
  setup?: boolean;
}

export interface Db extends Tx {
  readonly engine: 'pglite' | 'pg';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Server engine only: one connection of its own, outside the pool, for
   * state that lives as long as a connection (the leader's advisory lock,
   * lib/leader.ts). The embedded engine is one connection in one process: it
   * has none. `name` is its application_name (pg_stat_activity shows it).
   */
  openSession?(name: string): Promise<DbSession>;
  /** Server engine: the database's name as the connection string gives it (installs sharing one Redis stay apart by it). */
  readonly database?: string;
  close(): Promise<void>;
}

/** A dedicated server connection (Db.openSession). */
export interface DbSession extends Queryable {
  /**
   * fn runs once when the connection fails or ends without close() (an
   * error, the server terminating it, a statement with no answer): whatever
   * the session held on the server is gone or going.
   */
  onLost(fn: (err: Error) => void): void;
  /** Ends the connection; one that does not say goodbye in time is destroyed. */
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  /** Embedded data folder; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  /** Embedded: start from this dump (PGlite dumpDataDir) instead of an empty cluster (tests' migrated template). */
  loadDataDir?: Blob;
  poolMax?: number;
  /** Server engine: the longest one statement may run (DB_QUERY_TIMEOUT_MS). */
  queryTimeoutMs?: number;
  /** Server engine: the same for setup work — migration scripts and the demo seed (DB_SETUP_TIMEOUT_MS). */
  setupTimeoutMs?: number;
}

/**
 * 5 s: far above any request's statement (a positions batch commits in tens
 * of ms), yet a hung connection is given up within 6 s, so the app recovers
 * well within 10 s of the database answering again.
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
/**
 * 10 min: setup work is slower. On the 2-core machine the base-schema
 * migration took 0.5 s idle and 1.3 s under load, and the seed's grid tiling
 * 0.8 s and 2.0 s (the whole seed 1.5 s / 3.8 s); a later migration may
 * rebuild an index on a large positions table.
 */
export const DEFAULT_SETUP_TIMEOUT_MS = 600_000;
/** PostgreSQL's SQLSTATE for a deadlock, and how often a transaction it aborted is run again. */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_ATTEMPTS = 3;
/**
 * The server cancels a slow statement itself (the connection stays usable);
 * only if it has not answered this much later is the connection deemed dead.
 */
const SILENCE_GRACE_MS = 1_000;

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.databaseUrl
    ? openPg(opts.databaseUrl, {
        max: opts.poolMax ?? 10,
        queryTimeoutMs: opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
        setupTimeoutMs: opts.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
      })
    : openPglite(opts.dataDir, opts.loadDataDir);
}

/** The database did not answer in time: a 503 for the caller (code ETIMEDOUT, see isDbUnavailable). */
export class DbTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbTimeoutError';
  }
}

/** The server answered (even with an error): the connection itself is fine. */
function serverAnswered(err: unknown): boolean {
  return err instanceof pg.DatabaseError && !/^(08|57P)/.test(err.code ?? '');
}

/** A statement the server cancelled at its time limit (rolled back whole), as against a connection that went silent. */
export function isStatementCancelled(err: unknown): boolean {
  return err instanceof DbTimeoutError && (err.cause as { code?: unknown } | undefined)?.code === '57014';
}

/** pg's own errors for "no answer" carry no code; give them one the rest of the app knows. */
function normalise(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (err.message === 'Query read timeout') {
    return new DbTimeoutError('the database did not answer in time; its connection was dropped', { cause: err });
  }
  if (err instanceof pg.DatabaseError && err.code === '57014' && /statement timeout/.test(err.message)) {
    return new DbTimeoutError('the database statement took too long and was cancelled', { cause: err });
  }
  if (/is not queryable/.test(err.message)) {
    return Object.assign(new Error('the database connection was lost', { cause: err }), { code: 'ECONNRESET' });
  }
  return err;
}

type Sql = pg.QueryConfig & { query_timeout?: number };

/**
 * The server engine: a pg Pool that never keeps a connection it cannot trust.
 * A connection that goes silent (packets dropped, no RST) would otherwise sit
 * in the pool for good and turn every request into a 503 long after the
 * network healed (issue 8). So: every statement has a server-side
 * statement_timeout and a client-side query_timeout a little longer; TCP
 * keepalive notices a peer that vanished; a connection whose query got no
 * answer, or that errored, is destroyed rather than returned; and once one
 * connection has gone silent, every idle connection not heard from since is
 * suspect and replaced when next taken (they crossed the same network).
 */
/** The database a postgres:// URL names: its path, else (as libpq does) the user's name. */
function databaseName(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  } catch {
    return 'postgres';
  }
}

function openPg(
  connectionString: string,
  { max, queryTimeoutMs, setupTimeoutMs }: { max: number; queryTimeoutMs: number; setupTimeoutMs: number },
): Db {
  const silentMs = queryTimeoutMs + SILENCE_GRACE_MS;
  const pool = new pg.Pool({
    connectionString,
    max,
    // Never 0 (wait forever): a dead server must turn into an error quickly.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: queryTimeoutMs,
    // A transaction whose client went silent would hold its row locks: the
    // server ends it (transaction() enforces the same on this side).
    idle_in_transaction_session_timeout: queryTimeoutMs,
    query_timeout: silentMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // PostGIS prices its geometry functions high, so nearly every geometry
    // statement crossed jit_above_cost and was compiled first: 370 ms for an
    // import of one two-point line, 1.3 ms with JIT off (PostgreSQL 15).
    options: '-c jit=off',
  });
  // An idle client losing its server emits here; without a listener it would crash the process.
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));

  // Bumped whenever a connection goes silent; a client is trusted if it has
  // answered (or connected) since the last bump.
  let epoch = 0;
  const heardFrom = new WeakMap<pg.PoolClient, number>();
  pool.on('connect', (client) => heardFrom.set(client, epoch));
  /** Clients that failed or went silent: destroyed on release, never reused. */
  const untrusted = new WeakSet<pg.PoolClient>();

  function release(client: pg.PoolClient): void {
    if (!untrusted.has(client)) return client.release();
    client.release(new Error('database connection dropped'));
    // Not a polite goodbye: on a silent network it would wait forever.
    client.connection.stream.destroy();
  }

  async function acquire(): Promise<pg.PoolClient> {
    // Bounded: each pass drops one suspect client, and new ones are trusted.
    for (let i = 0; ; i++) {
      const client = await pool.connect();
      if ((heardFrom.get(client) ?? -1) >= epoch || i > max) return client;
      untrusted.add(client);
      release(client);
    }
  }

  /** One statement; a failure the server did not answer leaves the client untrusted. */
  async function run(client: pg.PoolClient, sql: Sql): Promise<pg.QueryResult> {
    if (untrusted.has(client)) throw normalise(new Error('Client is not queryable'));
    try {
      const r = await client.query(sql);
      heardFrom.set(client, epoch);
      return r;
    } catch (err) {
      if (!serverAnswered(err)) untrusted.add(client);
      if (err instanceof Error && err.message === 'Query read timeout') epoch++;
      throw normalise(err);
    }
  }

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await acquire();
    // A checked-out client has no pool listener: a socket error would crash the process.
    const onError = () => untrusted.add(client);
    client.on('error', onError);
    try {
      return await fn(client);
    } finally {
      client.off('error', onError);
      release(client);
    }
  }

  return {
    engine: 'pg',
    database: databaseName(connectionString),
    async query(sql, params) {
      const r = await withClient((c) => run(c, { text: sql, values: params as unknown[] | undefined }));
      return { rows: r.rows };
    },
    async transaction(fn, opts) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await withClient((client) => inTransaction(client, fn, opts?.setup ? setupTimeoutMs : queryTimeoutMs));
        } catch (err) {
          // A deadlock (an ingest batch and a dispatch locking unit_state rows in
          // different orders) aborts one side, rolled back whole: running it
          // again is safe, and nothing was published (the bus is told after commit).
          if ((err as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= DEADLOCK_ATTEMPTS) throw err;
        }
      }
    },
    async exec(sql) {
      await withClient(async (c) => {
        // A script is a migration: the setup limit, then back to the usual one.
        await run(c, { text: `SET statement_timeout = ${setupTimeoutMs}` });
        try {
          await run(c, { text: sql, query_timeout: setupTimeoutMs + SILENCE_GRACE_MS });
        } finally {
          await run(c, { text: 'RESET statement_timeout' }).catch(() => untrusted.add(c));
        }
      });
    },
    openSession(name) {
      return openPgSession(connectionString, { name, queryTimeoutMs, silentMs });
    },
    async close() {
      await pool.end();
    },
  };

  /**
   * fn in one transaction on one client, which it cannot hold forever: every
   * statement has its timeout, and between statements the transaction may sit
   * idle no longer than the server allows it either. On a client that failed
   * or went silent there is no ROLLBACK (it would wait on the same silence):
   * the client is destroyed and the server rolls back.
   */
  async function inTransaction<T>(client: pg.PoolClient, fn: (tx: Tx) => Promise<T>, limitMs: number): Promise<T> {
    let inFlight = 0;
    let idle: NodeJS.Timeout | undefined;
    let giveUp: (err: Error) => void = () => {};
    const idleTooLong = new Promise<never>((_, reject) => (giveUp = reject));
    const q = async (sql: Sql) => {
      clearTimeout(idle);
      inFlight++;
      try {
        return await run(client, { query_timeout: limitMs + SILENCE_GRACE_MS, ...sql });
      } finally {
        if (--inFlight === 0) {
          idle = setTimeout(() => {
            untrusted.add(client);
            giveUp(new DbTimeoutError(`a transaction sat idle for more than ${limitMs} ms; its connection was dropped`));
          }, limitMs);
        }
      }
    };
    const tx: Tx = {
      async query(sql, params) {
        return { rows: (await q({ text: sql, values: params as unknown[] | undefined })).rows };
      },
      async exec(sql) {
        // SET LOCAL ends with the transaction, also when the script fails.
        await q({ text: `SET LOCAL statement_timeout = ${setupTimeoutMs}` });
        await q({ text: sql, query_timeout: setupTimeoutMs + SILENCE_GRACE_MS });
        await q({ text: `SET LOCAL statement_timeout = ${limitMs}` });
      },
    };
    try {
      await q({ text: 'BEGIN' });
      if (limitMs !== queryTimeoutMs) {
        await q({ text: `SET LOCAL statement_timeout = ${limitMs}; SET LOCAL idle_in_transaction_session_timeout = ${limitMs}` });
      }
      const out = await Promise.race([fn(tx), idleTooLong]);
      await q({ text: 'COMMIT' });
      return out;
    } catch (err) {
      if (!untrusted.has(client)) {
        await q({ text: 'ROLLBACK' }).catch((rollbackErr: Error) => {
          untrusted.add(client);
          console.error('[db] rollback failed:', rollbackErr.message);
        });
      }
      throw err;
    } finally {
      clearTimeout(idle);
    }
  }
}

/**
 * A session's server-side state dies with its connection, so the server must
 * notice a client that vanished (machine off, network cut) in seconds rather
 * than after the kernel's two hours: keepalive probes after 4 s of silence,
 * 1 s apart, 3 of them, and unacknowledged data given up after 7 s. The
 * session's holder then loses what it held about 7 s after it went silent.
 */
const SESSION_SERVER_SETTINGS = '-c tcp_keepalives_idle=4 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3 -c tcp_user_timeout=7000';

async function openPgSession(
  connectionString: string,
  { name, queryTimeoutMs, silentMs }: { name: string; queryTimeoutMs: number; silentMs: number },
): Promise<DbSession> {
  const client = new pg.Client({
    connectionString,
    application_name: name,
    connectionTimeoutMillis: 2_000,
    statement_timeout: queryTimeoutMs,
    query_timeout: silentMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    options: `-c jit=off ${SESSION_SERVER_SETTINGS}`,
  });
  let lost: Error | null = null;
  let closing = false;
  let listener: ((err: Error) => void) | null = null;
  const fail = (err: Error) => {
    if (lost || closing) return;
    lost = err;
    // Not a polite goodbye: on a silent network it would wait forever.
    client.connection.stream.destroy();
    listener?.(err);
  };
  // Without an 'error' listener a connection the server drops would crash the process.
  client.on('error', (err) => fail(err));
  client.on('end', () => fail(new Error('the database connection ended')));
  try {
    await client.connect();
  } catch (err) {
    closing = true;
    client.connection.stream.destroy();
    throw normalise(err);
  }
  return {
    async query(sql, params) {
      if (lost) throw normalise(new Error('Client is not queryable', { cause: lost }));
      try {
        const r = await client.query({ text: sql, values: params as unknown[] | undefined });
        return { rows: r.rows };
      } catch (err) {
        // An answer with an error leaves the connection fine; no answer leaves it untrustworthy.
        if (!serverAnswered(err)) fail(err instanceof Error ? err : new Error(String(err)));
        throw normalise(err);
      }
    },
    onLost(fn) {
      listener = fn;
      if (lost) fn(lost);
    },
    async close() {
      if (closing) return;
      closing = true;
      if (lost) return;
      const force = setTimeout(() => client.connection.stream.destroy(), SILENCE_GRACE_MS);
      await client.end().catch(() => undefined);
      clearTimeout(force);
    },
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Db> {
  // Loaded lazily so the pg-only path (and route bundles) never pull in the wasm build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  // PGlite does not create missing parent folders of its data directory.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, loadDataDir, extensions: { postgis } });
  // PGlite is one connection: its own queue serialises queries and transactions.
  return {
    engine: 'pglite',
    async query(sql, params) {
      const r = await db.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as never[] };
    },
    async transaction(fn) {
      return db.transaction(async (t) =>
        fn({
          async query(sql, params) {
            const r = await t.query(sql, params as unknown[] | undefined);
            return { rows: r.rows as never[] };
          },
          async exec(sql) {
            await t.exec(sql);
          },
        }),
      );
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
    },
  };
}
