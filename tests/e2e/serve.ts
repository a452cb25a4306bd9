// The server the Playwright suite drives: a production build on a fresh
// database (a temporary embedded one, or a new database on the PostGIS server
// when DATABASE_URL is set), the simulator's devices quiet so tests control
// what moves, and one known device for posting fixes.
//
// tests/e2e/own-server.ts starts a second one to restart it: E2E_DB_NAME
// (server engine) or E2E_DATA_DIR (embedded) names a database that a restart
// finds again, with its data and sessions, and E2E_SKIP_BUILD=1 keeps that
// process from rebuilding the bundle the running suite is being served from.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { insertDevice } from '../../db/devices';
import type { Role } from '../../lib/model';
import { insertUser } from '../../db/users';
import { hashPassword } from '../../lib/auth/password';
import { createFromPgTemplate, pgliteTemplate } from '../helpers/db-template';
import { E2E_DEVICE_ID, E2E_GUESSED_USER, E2E_TEAM_CODE, E2E_USERS } from './constants';

async function serverDatabase(adminUrl: string, keptName: string | undefined, fromTemplate: boolean): Promise<string> {
  const name = keptName ?? `gs_e2e_${Date.now().toString(36)}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`E2E_DB_NAME: "${name}" is not a plain lower-case database name`);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1::text`, [name]);
  await c.end();
  if (rowCount === 0) {
    if (fromTemplate) await createFromPgTemplate(adminUrl, name);
    else await createEmptyDatabase(adminUrl, name);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createEmptyDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
}

process.env.PORT = process.env.E2E_PORT ?? '3210';
process.env.HOST = '127.0.0.1';
process.env.SIM_ENABLED = 'false';
// The dispatch test drives a team to its incident by posting fixes: arrival
// is noticed within a second or two instead of the desk's defaults.
process.env.RULES_INTERVAL_MS = '1000';
process.env.ARRIVAL_DWELL_S = '3';
// The plan map test walks teams to checkpoints: a visit after 3 s inside the radius instead of a minute.
process.env.PLAN_VISIT_DWELL_S ??= '3';
// The wall test watches its views rotate: seconds, not the default 20.
process.env.WALL_ROTATE_S ??= '3';
// The data folder: the embedded database's, and on either engine the uploaded basemap archive's.
process.env.DATA_DIR = process.env.E2E_DATA_DIR || join(mkdtempSync(join(tmpdir(), 'gridsight-e2e-')), 'db');
// A new database starts as a copy of the tests' migrated template (tests/helpers/db-template.ts) instead of
// running every migration again: CI time, five new servers per engine. E2E_FROM_EMPTY=1 migrates from nothing,
// as `npm start` on a new machine does (tests/e2e/onboarding.spec.ts); either way the server's own start then
// runs the migration runner, which finds the template's migrations applied, and seeds.
const fromTemplate = process.env.E2E_FROM_EMPTY !== '1';
if (process.env.DATABASE_URL) {
  process.env.DATABASE_URL = await serverDatabase(process.env.DATABASE_URL, process.env.E2E_DB_NAME || undefined, fromTemplate);
}
const loadDataDir = !process.env.DATABASE_URL && fromTemplate && !existsSync(process.env.DATA_DIR) ? await pgliteTemplate() : undefined;

const { buildIfNeeded } = await import('../../scripts/build-if-needed');
if (process.env.E2E_SKIP_BUILD !== '1') buildIfNeeded();
const { main } = await import('../../server');
await main({
  dev: false,
  loadDataDir,
  async onDbReady(db) {
    // A restart on a kept database: the fixtures are there already.
    const { rows: known } = await db.query(`SELECT 1 FROM users WHERE username = $1::text`, [E2E_USERS.admin.username]);
    if (known.length > 0) return;
    // The demo's plans (a market-day joint patrol, the herb-season shift) would raise plan alerts and refuse
    // overlapping test plans at some hours and not others: the tests make the plans they need.
    await db.query('DELETE FROM patrol_plans');
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM teams WHERE code = $1::text`, [E2E_TEAM_CODE]);
    // An empty install (SEED_DEMO=false, tests/e2e/onboarding.spec.ts) has no team to give a device, and
    // makes its first administrator with npm run user:create, as an operator does: no fixtures.
    if (rows.length === 0) return;
    await insertDevice(db, { teamId: rows[0]!.id, secret: E2E_DEVICE_ID, label: 'e2e test device' });
    for (const [role, u] of Object.entries(E2E_USERS)) {
      await insertUser(db, { username: u.username, displayName: `${u.username} 测试员`, role: role as Role, passwordHash: await hashPassword(u.password) });
    }
    const guessed = E2E_GUESSED_USER;
    await insertUser(db, { username: guessed.username, displayName: '多吉 Dorje 测试员', role: 'viewer', passwordHash: await hashPassword(guessed.password) });
  },
});
