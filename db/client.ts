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
  /** Runs a script of several statements; no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Tx {
  readonly engine: 'pglite' | 'pg';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  /** Embedded data folder; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  poolMax?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.databaseUrl ? openPg(opts.databaseUrl, opts.poolMax ?? 10) : openPglite(opts.dataDir);
}

function openPg(connectionString: string, max: number): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Never 0 (wait forever): a dead server must turn into an error quickly.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits here; without a listener it would crash the process.
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  return {
    engine: 'pg',
    async query(sql, params) {
      const r = await pool.query(sql, params as unknown[] | undefined);
      return { rows: r.rows };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Tx = {
          async query(sql, params) {
            const r = await client.query(sql, params as unknown[] | undefined);
            return { rows: r.rows };
          },
          async exec(sql) {
            await client.query(sql);
          },
        };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) =>
          console.error('[db] rollback failed:', rollbackErr.message),
        );
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  // Loaded lazily so the pg-only path (and route bundles) never pull in the wasm build.
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  // PGlite does not create missing parent folders of its data directory.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { postgis } });
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
