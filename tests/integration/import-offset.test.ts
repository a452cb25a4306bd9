// A layer that looks offset, and a new boundary that would leave stored
// features outside, on the demo township (issue 12): the previews' warnings
// against what is really stored, on real PostGIS.
//
// The offset layers are made here: the stored demo grid cells and boundary,
// read back as GeoJSON and converted to GCJ-02 or BD-09 with gcoord (what a
// copy traced on Amap or Baidu looks like). On the demo's ground (lon 99.7°,
// lat 28.4°) GCJ-02 lies about 410 m from WGS-84 and BD-09 about 790 m.
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewImport } from '../../lib/import/service';
import type { ImportProblem } from '../../lib/import/types';
import { seedDemoTownship } from '../../lib/sim/seed';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Datum = typeof gcoord.GCJ02 | typeof gcoord.BD09;

describe.each(engines())('import preview against the stored demo township (%s)', (engine) => {
  let t: TestDb;
  let grids: FeatureCollection;
  let boundary: FeatureCollection;

  const file = (name: string, fc: FeatureCollection) => ({ name, bytes: Buffer.from(JSON.stringify(fc)) });
  /** The layer as a web map shows it: every coordinate converted from WGS-84 to `datum`. */
  const offset = (fc: FeatureCollection, datum: Datum): FeatureCollection => gcoord.transform(structuredClone(fc) as never, gcoord.WGS84, datum) as FeatureCollection;
  const collection = async (sql: string): Promise<FeatureCollection> => (await t.db.query<{ fc: FeatureCollection }>(sql)).rows[0]!.fc;
  const offsetWarnings = (problems: ImportProblem[]) => problems.filter((p) => p.code === 'looks_offset');

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 0 });
    grids = await collection(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
         'type', 'Feature', 'properties', json_build_object('code', code, 'name', name),
         'geometry', ST_AsGeoJSON(geom, 9)::json) ORDER BY code)) AS fc FROM grids`,
    );
    boundary = await collection(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(json_build_object(
         'type', 'Feature', 'properties', json_build_object('name', name), 'geometry', ST_AsGeoJSON(geom, 9)::json))) AS fc FROM township`,
    );
    expect(grids.features).toHaveLength(65);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('warns that a GCJ-02 copy of the stored grid cells, imported as WGS-84, looks offset: matched by code, about 410 m', async () => {
    const report = await previewImport({ db: t.db }, { layer: 'grids', file: file('grids-amap.geojson', offset(grids, gcoord.GCJ02)), actor: 'cli' });
    const [warning, ...more] = offsetWarnings(report.problems);
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ code: 'looks_offset', severity: 'warning', datum: 'gcj02' });
    expect(warning!.shiftM).toBeGreaterThan(380);
    expect(warning!.shiftM).toBeLessThan(440);
    expect(warning!.message).toMatch(/^This layer looks offset by about \d+ m: read as GCJ-02 \(Amap, Tencent\) it fits what is stored much better \(the 65 stored feature\(s\) it matches lie a median \d+ m away as read, [0-2] m read so\)/);
    // A warning, not an error: the administrator decides.
    expect(report.importable).toBe(true);
    // Every cell moved, so every cell is "changed" in the diff.
    expect(report.diff.changed).toHaveLength(65);
  });

  it('says nothing of an offset when the same copy is previewed as GCJ-02, or the stored cells are imported again as they are', async () => {
    const converted = await previewImport({ db: t.db }, { layer: 'grids', datum: 'gcj02', file: file('grids-amap.geojson', offset(grids, gcoord.GCJ02)), actor: 'cli' });
    expect(offsetWarnings(converted.problems)).toEqual([]);
    const same = await previewImport({ db: t.db }, { layer: 'grids', file: file('grids.geojson', grids), actor: 'cli' });
    expect(offsetWarnings(same.problems)).toEqual([]);
    // (The demo's own few slivers between cells and boundary are reported as gaps, as ever.)
    expect(same.problems.map((p) => p.code).filter((c) => c !== 'grid_gap')).toEqual([]);
    expect(same.diff).toEqual({ added: [], changed: [], removed: [] });
  });

  it('without codes to match, tells the offset from how much of the layer lies inside the stored boundary', async () => {
    // New codes: nothing stored matches, so only the share inside the township boundary can tell.
    const renamed: FeatureCollection = { ...grids, features: grids.features.map((f: Feature) => ({ ...f, properties: { code: `N${f.properties!.code}`, name: `新${f.properties!.name}` } })) };
    const report = await previewImport({ db: t.db }, { layer: 'grids', file: file('new-grids-amap.geojson', offset(renamed, gcoord.GCJ02)), actor: 'cli' });
    const [warning] = offsetWarnings(report.problems);
    expect(warning?.datum).toBe('gcj02');
    expect(warning!.message).toMatch(/\d+ % of it lies inside the stored township as read, 100 % read so/);
    const plain = await previewImport({ db: t.db }, { layer: 'grids', file: file('new-grids.geojson', renamed), actor: 'cli' });
    expect(offsetWarnings(plain.problems)).toEqual([]);
  });

  it('warns that a BD-09 copy of the boundary looks offset (about 790 m), and that stored cells and points would fall outside it', async () => {
    const report = await previewImport({ db: t.db }, { layer: 'boundary', file: file('boundary-baidu.geojson', offset(boundary, gcoord.BD09)), actor: 'cli' });
    const [warning] = offsetWarnings(report.problems);
    expect(warning).toMatchObject({ datum: 'bd09' });
    expect(warning!.shiftM).toBeGreaterThan(760);
    expect(warning!.shiftM).toBeLessThan(820);
    expect(report.problems.filter((p) => p.code === 'stored_outside_boundary').map((p) => p.storedLayer)).toContain('grids');
  });

  it('names the stored grid cells, villages and key locations a smaller new boundary would leave outside; the stored boundary again leaves none', async () => {
    // The boundary drawn 1 km inside the stored one (on a metric projection: UTM zone 47N).
    const smaller = await collection(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(json_build_object(
         'type', 'Feature', 'properties', json_build_object('name', name),
         'geometry', ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_Transform(geom, 32647), -1000), 4326), 9)::json))) AS fc FROM township`,
    );
    const report = await previewImport({ db: t.db }, { layer: 'boundary', file: file('boundary-smaller.geojson', smaller), actor: 'cli' });
    const stored = report.problems.filter((p) => p.code === 'stored_outside_boundary');
    // What PostGIS says lies outside the smaller boundary, asked directly.
    const expected = async (sql: string) => (await t.db.query<{ key: string }>(sql)).rows.map((r) => r.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const small = `(SELECT ST_Transform(ST_Buffer(ST_Transform(geom, 32647), -1000), 4326) AS g FROM township)`;
    const outsideGrids = await expected(`SELECT code AS key FROM grids, ${small} b WHERE ST_Area(ST_Difference(geom, b.g)::geography) > 1`);
    const outsideVillages = await expected(`SELECT code AS key FROM villages, ${small} b WHERE NOT ST_Covers(b.g, centre)`);
    const outsideKeyLocations = await expected(`SELECT name AS key FROM key_locations, ${small} b WHERE NOT ST_Covers(b.g, geom)`);
    // The outer ring of cells reaches the boundary, so some are cut; key locations near the edge too.
    expect(outsideGrids.length).toBeGreaterThan(5);
    expect(outsideGrids.length).toBeLessThan(65);
    const byLayer = Object.fromEntries(stored.map((p) => [p.storedLayer, p.keys]));
    expect(byLayer).toEqual({
      grids: outsideGrids,
      ...(outsideVillages.length > 0 ? { villages: outsideVillages } : {}),
      ...(outsideKeyLocations.length > 0 ? { key_locations: outsideKeyLocations } : {}),
    });
    const grid = stored.find((p) => p.storedLayer === 'grids')!;
    expect(grid.severity).toBe('warning');
    expect(grid.message).toMatch(new RegExp(`^${outsideGrids.length} stored grid cell\\(s\\) would lie \\(partly\\) outside the new boundary: ${outsideGrids[0]}, `));
    // Nothing about an offset: 1 km inside is not a shift.
    expect(offsetWarnings(report.problems)).toEqual([]);

    const same = await previewImport({ db: t.db }, { layer: 'boundary', file: file('boundary.geojson', boundary), actor: 'cli' });
    expect(same.problems).toEqual([]);
    expect(same.diff).toEqual({ added: [], changed: [], removed: [] });
  });

  it('warns of an offset key-location layer matched by name', async () => {
    const { rows } = await t.db.query<{ name: string; category: string; lon: number; lat: number }>(`SELECT name, category, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM key_locations ORDER BY id`);
    const points: FeatureCollection<Geometry> = {
      type: 'FeatureCollection',
      features: rows.map((r) => ({ type: 'Feature', properties: { name: r.name, category: r.category }, geometry: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] } })),
    };
    const report = await previewImport({ db: t.db }, { layer: 'key_locations', file: file('key-locations-amap.geojson', offset(points, gcoord.GCJ02)), actor: 'cli' });
    expect(offsetWarnings(report.problems).map((p) => p.datum)).toEqual(['gcj02']);
    const plain = await previewImport({ db: t.db }, { layer: 'key_locations', file: file('key-locations.geojson', points), actor: 'cli' });
    expect(plain.problems).toEqual([]);
  });
});
