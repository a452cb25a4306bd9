import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../db/client';
import { createFromPgTemplate, pgliteTemplate } from './db-template';

export type Engine = 'pglite' | 'pg';

/**
 * The engine a test run is for: the PostGIS server when DATABASE_URL is set,
 * the embedded one otherwise. CI runs `npm test` once each way, so both are
 * covered without running every embedded test twice.
 */
export function engines(): Engine[] {
  return process.env.DATABASE_URL ? ['pg'] : ['pglite'];
}

export interface TestDb {
  db: Db;
  /** Connection string of the fresh server database (pg engine only). */
  url?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new
 * database on the PostGIS server named after a random suffix and dropped
 * afterwards. Both start as a copy of a migrated template (db-template.ts),
 * built once per set of migrations; tests/integration/migrate.test.ts runs
 * the migrations themselves from empty.
 */
export async function freshDb(engine: Engine): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openDb({ loadDataDir: await pgliteTemplate() });
    return { db, drop: () => db.close() };
  }
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('freshDb("pg") needs DATABASE_URL');
  const name = `gs_test_${randomBytes(6).toString('hex')}`;
  await createFromPgTemplate(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString() });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
