// A fresh database for a benchmark: a new database on the PostGIS server
// (DATABASE_URL), dropped afterwards, or the embedded engine in memory when
// DATABASE_URL is unset. Shared by the benches; the township and devices the
// device benches (bench/ingest.ts, bench/fanout.ts) load are set up here too.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../db/client';
import { hashDeviceSecret } from '../db/devices';
import { migrate } from '../db/migrate';
import { seedDemoTownship } from '../lib/sim/seed';

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

/** Migrates and seeds the demo township with a day of history; answers a point inside cell G01, where the bench devices report. */
export async function benchTownship(db: Db): Promise<{ lon: number; lat: number }> {
  await migrate(db);
  await seedDemoTownship(db, { historyDays: 1 });
  const { rows } = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_PointOnSurface(geom) AS c FROM grids WHERE code = 'G01') x`,
  );
  return rows[0]!;
}

/**
 * `count` devices with fresh identifiers, round robin over the teams in id
 * order: identifiers[k] belongs to the k-th team (modulo their number).
 */
export async function addBenchDevices(db: Db, count: number): Promise<string[]> {
  const identifiers = Array.from({ length: count }, () => randomBytes(16).toString('hex'));
  await db.query(
    `INSERT INTO devices (team_id, secret_hash, label)
     SELECT t.id, u.hash, 'bench'
     FROM unnest($1::text[]) WITH ORDINALITY AS u(hash, i)
     JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total FROM teams) t ON t.k = (u.i - 1) % t.total`,
    [identifiers.map(hashDeviceSecret)],
  );
  return identifiers;
}
