// Re-importing the demo township's own 65 grid cells, as an administrator
// would after exporting them from a GIS: coordinates come back rounded (GeoJSON
// with 9 decimals), which must not count as a change, and dropping one cell
// must move everything that pointed at it. Two regressions: an exact
// ST_Equals made every cell "changed"; and embedded PostGIS once answered the
// statement that gathers the removed cells with no row, so nothing moved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport, previewImport } from '../../lib/import/service';
import { seedDemoTownship } from '../../lib/sim/seed';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('re-importing the demo grid (%s)', (engine) => {
  let t: TestDb;
  let file: { name: string; bytes: Buffer };

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 7 });
    const { rows } = await t.db.query<{ fc: { features: { properties: { code: string } }[] } }>(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
         'type', 'Feature', 'properties', json_build_object('code', code, 'name', name),
         'geometry', ST_AsGeoJSON(geom, 9)::json) ORDER BY code)) AS fc
       FROM grids`,
    );
    const fc = rows[0]!.fc;
    expect(fc.features).toHaveLength(65);
    // G01 is left out of the file.
    fc.features = fc.features.filter((f) => f.properties.code !== 'G01');
    file = { name: 'demo-grids.geojson', bytes: Buffer.from(JSON.stringify(fc)) };
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('names only the dropped cell in the diff; on apply, what pointed at it has no cell (none covers it now)', async () => {
    const count = async (sql: string) => Number((await t.db.query<{ n: number }>(sql)).rows[0]!.n);
    const inG01 = {
      incidents: await count(`SELECT count(*)::int AS n FROM incidents i JOIN grids g ON g.id = i.grid_id WHERE g.code = 'G01'`),
      teams: await count(`SELECT count(*)::int AS n FROM teams t JOIN grids g ON g.id = t.home_grid_id WHERE g.code = 'G01'`),
    };
    const incidentsWithout = await count(`SELECT count(*)::int AS n FROM incidents WHERE grid_id IS NULL`);
    // The demo puts its grid workers in every cell, and a week of incidents reaches G01.
    expect(inG01.teams).toBeGreaterThan(0);
    expect(inG01.incidents).toBeGreaterThan(0);

    const report = await previewImport({ db: t.db }, { layer: 'grids', file, actor: 'cli' });
    expect(report.diff).toEqual({ added: [], changed: [], removed: ['G01'] });
    expect(report.importable).toBe(true);

    const result = await applyImport({ db: t.db }, { token: report.token, actor: 'cli' });
    expect(result.reassigned.incidents).toBe(inG01.incidents);
    expect(await count(`SELECT count(*)::int AS n FROM grids`)).toBe(64);
    expect(await count(`SELECT count(*)::int AS n FROM grids WHERE code = 'G01'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM incidents WHERE grid_id IS NULL`)).toBe(incidentsWithout + inG01.incidents);
    // Every incident still points at the cell that covers it, or at none when none does.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM incidents i
         WHERE i.grid_id IS DISTINCT FROM (SELECT g.id FROM grids g WHERE ST_Covers(g.geom, i.geom) ORDER BY g.id LIMIT 1)`,
      ),
    ).toBe(0);
  });
});
