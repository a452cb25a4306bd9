// Removing the demo township (`npm run demo:remove`, issue 12): everything of
// the demo goes in one transaction with an audit row, accounts and the audit
// log stay, a start with SEED_DEMO=true does not bring it back, and a
// township that is no longer the demo (an import applied since) is refused
// with nothing removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTownshipStatus } from '../../db/township';
import { Bus } from '../../lib/bus';
import { applyImport, previewImport } from '../../lib/import/service';
import type { TownshipChange } from '../../lib/model';
import { removeDemoTownship } from '../../lib/sim/remove-demo';
import { seedDemoTownship } from '../../lib/sim/seed';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

const TABLES = ['township', 'villages', 'grids', 'key_locations', 'basemap_features', 'teams', 'devices', 'unit_state', 'positions', 'incidents', 'assignments', 'alerts', 'grid_coverage', 'import_previews'];

describe.each(engines())('removing the demo township (%s)', (engine) => {
  let t: TestDb;
  const counts = async (db = t.db) => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    return out;
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 2 });
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('removes every row of the demo, keeps accounts, sessions and the audit log, and tells open pages', async () => {
    const admin = await signIn(t.db, 'admin');
    // The demo in use: a fix and a dispatched incident, an alert, a preview waiting.
    await t.db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom) SELECT d.id, d.team_id, now(), ST_PointOnSurface(g.geom) FROM devices d, grids g WHERE g.code = 'G01' LIMIT 1`,
    );
    await t.db.query(`INSERT INTO unit_state (team_id, device_id, status) SELECT team_id, id, 'dispatched' FROM devices ORDER BY id LIMIT 1 ON CONFLICT (team_id) DO UPDATE SET status = 'dispatched'`);
    await t.db.query(`INSERT INTO assignments (incident_id, team_id, dispatched_by) SELECT (SELECT min(id) FROM incidents), team_id, 'tester' FROM devices ORDER BY id LIMIT 1`);
    await t.db.query(`INSERT INTO alerts (kind, severity, message, grid_id) SELECT 'coverage_gap', 1, 'G01 not patrolled', id FROM grids WHERE code = 'G01'`);
    await t.db.query(`INSERT INTO grid_coverage (grid_id, last_patrol_at) SELECT id, now() FROM grids WHERE code = 'G01'`);
    const preview = await previewImport({ db: t.db }, { layer: 'key_locations', file: { name: 'k.csv', bytes: Buffer.from('名称,类别,经度,纬度\n派出所,派出所,99.7,28.4') }, actor: 'cli' });
    expect(preview.token).toBeTruthy();

    const before = await counts();
    for (const table of ['township', 'villages', 'grids', 'key_locations', 'basemap_features', 'teams', 'devices', 'positions', 'incidents', 'assignments', 'alerts']) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    expect(await getTownshipStatus(t.db)).toMatchObject({ hasBoundary: true, demo: true, grids: 65, next: null });
    const users = (await t.db.query(`SELECT id, username FROM users ORDER BY id`)).rows;
    const sessions = (await t.db.query(`SELECT id FROM sessions ORDER BY id`)).rows;
    const auditBefore = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0]!.n;

    const bus = new Bus();
    const heard: TownshipChange[] = [];
    bus.subscribe('township:changed', (c) => heard.push(c));
    const result = await removeDemoTownship({ db: t.db, bus }, { actor: { actorUserId: admin.userId, actor: 't-admin', role: 'admin', ip: '127.0.0.1' } });

    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
    expect(result.removed).toMatchObject({
      township: 1,
      villages: before.villages,
      grids: 65,
      keyLocations: before.key_locations,
      basemapFeatures: before.basemap_features,
      teams: before.teams,
      devices: before.devices,
      positions: before.positions,
      incidents: before.incidents,
      assignments: 1,
      alerts: 1,
    });
    expect(heard).toEqual([{ layer: 'all', appliedAt: result.removedAt }]);
    expect((await t.db.query(`SELECT id, username FROM users ORDER BY id`)).rows).toEqual(users);
    expect((await t.db.query(`SELECT id FROM sessions ORDER BY id`)).rows).toEqual(sessions);
    const audit = await t.db.query<{ actor: string; action: string; target: string; detail: { removed: { grids: number } } }>(
      `SELECT actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows).toEqual([{ actor: 't-admin', action: 'demo.remove', target: 'township', detail: expect.objectContaining({ removed: expect.objectContaining({ grids: 65 }) }) }]);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0]!.n).toBe(auditBefore + 1);
    expect(await getTownshipStatus(t.db)).toEqual({ hasBoundary: false, name: null, demo: false, villages: 0, grids: 0, keyLocations: 0, roads: 0, teams: 0, next: 'import_boundary' });
  });

  it('is not seeded again at the next start; `npm run db:seed` (evenIfRemoved) still can; a second removal finds nothing', async () => {
    const again = await seedDemoTownship(t.db, { historyDays: 0 });
    expect(again).toMatchObject({ seeded: false, demoRemoved: true, grids: 0 });
    await expect(removeDemoTownship({ db: t.db }, { actor: 'cli' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no demo to remove/) });
    const asked = await seedDemoTownship(t.db, { historyDays: 0, evenIfRemoved: true });
    expect(asked).toMatchObject({ seeded: true, grids: 65 });
    expect(await getTownshipStatus(t.db)).toMatchObject({ demo: true });
  });

  it('refuses once an import has been applied since the seed, naming it, and removes nothing', async () => {
    // The demo seeded again above, then a real key-location layer imported over it.
    const report = await previewImport({ db: t.db }, { layer: 'key_locations', file: { name: 'k.csv', bytes: Buffer.from('名称,类别,经度,纬度\n派出所,派出所,99.7,28.4') }, actor: 'cli' });
    await applyImport({ db: t.db }, { token: report.token, actor: 'cli' });
    expect(await getTownshipStatus(t.db)).toMatchObject({ demo: false, keyLocations: 1 });
    const before = await counts();
    await expect(removeDemoTownship({ db: t.db }, { actor: 'cli' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^The stored township is no longer the demo: import\.apply \(layer:key_locations\) by cli at .* Nothing was removed/),
    });
    expect(await counts()).toEqual(before);
  });
});
