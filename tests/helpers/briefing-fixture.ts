// The briefing tests' common ground (tests/integration/briefing*.test.ts): a
// small township written in SQL — villages V1 (cells G1, G2) and V2 (G3), side
// by side along latitude 31.0–31.01 (G1 lon 100.00–100.01, G2 100.01–100.02,
// G3 100.02–100.03), teams T1 (armband) and T2 (motorcycle) with a device
// each — the day the briefing is asked on, the roles that read it without
// being staff, and a fresh database with the app serving it for one file.
import { afterAll, beforeAll } from 'vitest';
import type { Db, Queryable } from '../../db/client';
import { insertDevice } from '../../db/devices';
import { allowed, pageRule, ROUTE_RULES } from '../../lib/auth/permissions';
import { PERSON_ROLES, STAFF_ROLES, type PersonRole } from '../../lib/model';
import { apiRouter } from './api-router';
import { startTestApp, type RunningApp } from './app';
import { freshDb, type Engine, type TestDb } from './db';

export interface BriefingTownship {
  villages: Record<'V1' | 'V2', number>;
  grids: Record<'G1' | 'G2' | 'G3', number>;
  teams: Record<'T1' | 'T2', number>;
  /** D1 of T1, D2 of T2. */
  devices: Record<'D1' | 'D2', number>;
}

/** The township above; village names 上村 and 下村, cell names 网格G1…, team names 队T1…. */
export async function writeBriefingTownship(db: Queryable): Promise<BriefingTownship> {
  const village = async (code: string, name: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO villages (code, name, name_en, kind, centre, population)
         VALUES ($1::text, $2::text, $1::text, 'village', ST_SetSRID(ST_MakePoint(100.01, 31.005), 4326), 300) RETURNING id`,
        [code, name],
      )
    ).rows[0]!.id;
  const villages = { V1: await village('V1', '上村'), V2: await village('V2', '下村') };
  const grid = async (code: string, v: number, west: number) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO grids (code, name, name_en, village_id, geom)
         VALUES ($1::text, $2::text, $1::text, $3::int, ST_Multi(ST_MakeEnvelope($4::float8, 31.0, $4::float8 + 0.01, 31.01, 4326))) RETURNING id`,
        [code, `网格${code}`, v, west],
      )
    ).rows[0]!.id;
  const grids = { G1: await grid('G1', villages.V1, 100.0), G2: await grid('G2', villages.V1, 100.01), G3: await grid('G3', villages.V2, 100.02) };
  const team = async (code: string, force: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ($1::text, $2::text, $1::text, $3::text, 4) RETURNING id`,
        [code, `队${code}`, force],
      )
    ).rows[0]!.id;
  const teams = { T1: await team('T1', 'armband'), T2: await team('T2', 'motorcycle') };
  const device = (teamId: number, n: number) => insertDevice(db, { teamId, secret: `briefing-test-device-000000${n}`, label: 'd' });
  const devices = { D1: await device(teams.T1, 1), D2: await device(teams.T2, 2) };
  return { villages, grids, teams, devices };
}

/** The day the briefing tests ask on: June 2025 is the last whole month. */
export const BRIEFING_NOW = Date.parse('2025-07-15T12:00:00+08:00');

/**
 * Every person the permission rules let open the briefing page and its API
 * (JSON and PDF) who is not staff — who sees no narrative or contact anywhere
 * else. From the rules themselves, so a role added later is tested too.
 */
export const BRIEFING_NON_STAFF: readonly PersonRole[] = PERSON_ROLES.filter(
  (r) =>
    !(STAFF_ROLES as readonly string[]).includes(r) &&
    (pageRule('/briefing') ?? []).includes(r) &&
    allowed(ROUTE_RULES['GET /api/briefing'], r) &&
    allowed(ROUTE_RULES['GET /api/briefing/pdf'], r),
);

export interface BriefingApp<F> {
  readonly t: TestDb;
  readonly db: Db;
  readonly fx: F;
  readonly server: RunningApp;
}

/**
 * For one test file: a fresh database on `engine`, `write` run on it, and the
 * app serving the API over it (township time Asia/Shanghai, the rules loop
 * idle); all closed after the file. Read the fields inside tests.
 */
export function briefingApp<F>(engine: Engine, write: (db: Queryable) => Promise<F>): BriefingApp<F> {
  let t: TestDb | undefined;
  let fx: F | undefined;
  let server: RunningApp | undefined;
  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await write(t.db);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { TOWNSHIP_TZ: 'Asia/Shanghai', RULES_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('briefingApp: used outside a test');
    return v;
  };
  return {
    get t() {
      return ready(t);
    },
    get db() {
      return ready(t).db;
    },
    get fx() {
      return ready(fx);
    },
    get server() {
      return ready(server);
    },
  };
}
