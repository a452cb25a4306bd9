// A fresh database for a benchmark: a new database on the PostGIS server
// (DATABASE_URL), dropped afterwards, or the embedded engine in memory when
// DATABASE_URL is unset. Shared by bench/ingest.ts and bench/fanout.ts.
import pg from 'pg';
import { openDb, type Db } from '../db/client';

export async function freshDatabase(prefix = 'gs_bench'): Promise<{ db: Db; label: string; url: string | undefined; drop: () => Promise<void> }> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const db = await openDb({});
    return { db, label: 'embedded PGlite + PostGIS (in memory)', url: undefined, drop: () => db.close() };
  }
  const name = `${prefix}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const { rows } = await c.query<{ server_version: string }>('SHOW server_version');
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: url.toString(), poolMax: 10 });
  return {
    db,
    label: `PostgreSQL ${rows[0]!.server_version} + PostGIS server`,
    url: url.toString(),
    async drop() {
      await db.close();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}
