// A migrated database to copy, so each integration file starts from it instead
// of running every migration again (CI time: the migrations ran once per file).
//
// The key is a hash of the migration files (names and contents), the runner
// (db/migrate.ts, db/client.ts), the engine's versions and the process's time zone: a changed or added migration never
// reuses a stale template, it builds a new one.
// - embedded: a dump of a migrated PGlite (dumpDataDir) in os.tmpdir(), built
//   on first use; two vitest workers may build it at once, each writes its own
//   temporary file and renames it into place (atomic), so a reader sees a whole
//   dump or none. Each file's database is loaded from it (openDb loadDataDir,
//   PostGIS registered as usual).
// - server: a database gs_tpl_<key> created and migrated under an advisory
//   lock, copied with CREATE DATABASE … TEMPLATE under the same lock (a
//   template must have no open connection while it is copied).
// tests/integration/migrate.test.ts still runs every migration from empty on both engines.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb } from '../../db/client';
import { migrate } from '../../db/migrate';

const DB_DIR = join(import.meta.dirname, '..', '..', 'db');
const MIGRATIONS_DIR = join(DB_DIR, 'migrations');
const RUNNER_FILES = [join(DB_DIR, 'migrate.ts'), join(DB_DIR, 'client.ts')];
/** One advisory lock key for every template build and copy on the server (any tree, any key). */
const PG_TEMPLATE_LOCK = 0x67735f74706c; // "gs_tpl"

function packageVersion(name: string): string {
  const file = join(import.meta.dirname, '..', '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** 16 hex digits naming the template: the migrations as they are now, plus what else shapes the result. */
export function templateKey(engine: 'pglite' | 'pg'): string {
  const h = createHash('sha256');
  h.update(`${engine}\0${Intl.DateTimeFormat().resolvedOptions().timeZone}\0`);
  if (engine === 'pglite') h.update(`${packageVersion('@electric-sql/pglite')}\0${packageVersion('@electric-sql/pglite-postgis')}\0`);
  // The code that runs them too: the migration runner and the engine setup (a changed one must not reuse a stale template).
  const files = [...readdirSync(MIGRATIONS_DIR).sort().map((f) => join(MIGRATIONS_DIR, f)), ...RUNNER_FILES];
  for (const f of files) {
    h.update(`${f.slice(DB_DIR.length)}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** The embedded template's dump, built (once per key, machine-wide) when missing. */
export async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `gridsight-pglite-template-${templateKey('pglite')}.tar`);
  if (!existsSync(file)) await buildPgliteTemplate(file);
  return new Blob([readFileSync(file)]);
}

async function buildPgliteTemplate(file: string): Promise<void> {
  // Migrated through openDb on disk (the app's own engine setup), then dumped by PGlite itself.
  const dir = mkdtempSync(join(tmpdir(), 'gridsight-pglite-build-'));
  try {
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await db.close();
    const { PGlite } = await import('@electric-sql/pglite');
    const { postgis } = await import('@electric-sql/pglite-postgis');
    const raw = await PGlite.create({ dataDir: dir, extensions: { postgis } });
    const dump = await raw.dumpDataDir('none');
    await raw.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A new database `name` on the server, a copy of the migrated template
 * (built first when missing). `admin` is the server's connection string.
 */
export async function createFromPgTemplate(admin: string, name: string): Promise<void> {
  const template = `gs_tpl_${templateKey('pg')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [PG_TEMPLATE_LOCK]);
    const exists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    if (!exists) {
      // Built under another name and renamed when complete: a build cut short never passes for a template.
      const building = `${template}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      const url = new URL(admin);
      url.pathname = `/${building}`;
      const db = await openDb({ databaseUrl: url.toString() });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await untilUnused(client, building);
      await client.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [PG_TEMPLATE_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Waits until no session is connected to `database` (a closed pool's backends exit a moment after it ends). */
async function untilUnused(client: pg.Client, database: string): Promise<void> {
  for (let i = 0; ; i++) {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
    if (rows[0]!.n === 0) return;
    if (i >= 100) throw new Error(`${database} still has ${rows[0]!.n} connection(s) after 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
