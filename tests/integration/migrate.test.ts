// The migrations themselves, from an empty database: every other integration
// file starts from a copy of a migrated template (tests/helpers/db-template.ts),
// so this is where db/migrate.ts runs for real on each engine. It also checks
// that the template the others use is exactly what migrating from empty gives.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { engines, freshDb, type Engine, type TestDb } from '../helpers/db';

/** The migration files on disk, in the order they apply. */
const FILES = readdirSync(join(import.meta.dirname, '..', '..', 'db', 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort();

/** An empty database (no migration run yet) and how to drop it. */
async function emptyDb(engine: Engine): Promise<{ db: Db; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDb({});
    return { db, drop: () => db.close() };
  }
  const admin = process.env.DATABASE_URL!;
  const name = `gs_test_empty_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString() });
  return {
    db,
    async drop() {
      await db.close();
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Every column, index, constraint, trigger and function of the public schema, as text, sorted. */
async function schemaOf(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL
     SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL
     SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
     UNION ALL
     SELECT 'view ' || table_name || ' ' || view_definition FROM information_schema.views WHERE table_schema = 'public'
     UNION ALL
     SELECT 'function ' || pg_get_functiondef(p.oid)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
  );
  return rows.map((r) => r.line).sort();
}

describe.each(engines())('migrations from an empty database on %s', (engine) => {
  let empty: { db: Db; drop(): Promise<void> };
  let fromTemplate: TestDb;

  beforeAll(async () => {
    empty = await emptyDb(engine);
    fromTemplate = await freshDb(engine);
  });

  afterAll(async () => {
    await empty?.drop();
    await fromTemplate?.drop();
  });

  it('applies every migration file in order, once; a second run applies none', async () => {
    expect(FILES.length).toBeGreaterThan(0);
    expect(await migrate(empty.db)).toEqual(FILES);
    expect((await empty.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name)).toEqual(FILES);
    expect(await migrate(empty.db)).toEqual([]);
  });

  it('gives the schema and data that a test database copied from the template starts with', async () => {
    expect(await schemaOf(fromTemplate.db)).toEqual(await schemaOf(empty.db));
    expect((await fromTemplate.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name)).toEqual(FILES);
    expect(await migrate(fromTemplate.db)).toEqual([]);
    const seeded = `SELECT (SELECT count(*)::int FROM heatmap_categories) AS categories, (SELECT ref_lat FROM heatmap_settings) AS ref_lat,
                           (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM teams) AS teams`;
    expect((await fromTemplate.db.query(seeded)).rows).toEqual((await empty.db.query(seeded)).rows);
  });
});
