// Importing the roads layer (issue 12): the preview's numbers (lines, length,
// length outside the boundary), apply replacing only the roads of the basemap
// (tracks and the river stay), each part of a MultiLineString its own line,
// the diff by name on a re-import, and the dispatch road network built again
// from the new roads after the commit.
//
// The ground: a township rectangle lon 100.000–100.030, lat 30.000–30.010.
// Lengths worked by hand at lat 30.005° (WGS-84: 1° of longitude = 96,481.4 m,
// 1° of latitude = 110,852.5 m):
// - 东西大道 along lat 30.005 from lon 100.000 to 100.030: 0.030° = 2,894.4 m;
// - 南北街, two parts along lon 100.015 from lat 30.000 to 30.010: 0.010° = 1,108.5 m;
// - 出乡路 from the east edge out to lon 100.040: 0.010° = 964.8 m, all outside.
// In all 4,967.7 m, of which 964.8 m outside the boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LonLat } from '../../lib/model';
import { Bus } from '../../lib/bus';
import { loadRoadNetwork } from '../../lib/geo/road-network-cache';
import { applyImport, previewImport } from '../../lib/import/service';
import type { TownshipChange } from '../../lib/model';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Line = { props: Record<string, unknown>; geometry: { type: 'LineString'; coordinates: LonLat[] } | { type: 'MultiLineString'; coordinates: LonLat[][] } };
const roadsFile = (name: string, lines: Line[]) => ({
  name,
  bytes: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: lines.map((l) => ({ type: 'Feature', properties: l.props, geometry: l.geometry })) })),
});
const EAST_WEST: Line = {
  props: { 名称: '东西大道', highway: 'primary' },
  // A vertex where 南北街 crosses: lines join only at shared vertices.
  geometry: { type: 'LineString', coordinates: [[100, 30.005], [100.015, 30.005], [100.03, 30.005]] },
};
const NORTH_SOUTH: Line = {
  props: { name: '南北街', highway: 'residential' },
  geometry: {
    type: 'MultiLineString',
    coordinates: [
      [[100.015, 30.0], [100.015, 30.005]],
      [[100.015, 30.005], [100.015, 30.01]],
    ],
  },
};
const OUT_OF_TOWN: Line = { props: { 路名: '出乡路' }, geometry: { type: 'LineString', coordinates: [[100.03, 30.005], [100.04, 30.005]] } };
const within1Percent = (actual: number | null | undefined, expected: number) => {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs(actual! - expected) / expected).toBeLessThan(0.01);
};

describe.each(engines())('importing roads (%s)', (engine) => {
  let t: TestDb;
  const bus = new Bus();
  const heard: TownshipChange[] = [];
  bus.subscribe('township:changed', (change) => heard.push(change));
  const basemapNow = async () =>
    (
      await t.db.query<{ kind: string; name: string | null; level: number; wkt: string }>(
        `SELECT kind, name, level, ST_AsText(geom) AS wkt FROM basemap_features ORDER BY kind, id`,
      )
    ).rows;

  beforeAll(async () => {
    t = await freshDb(engine);
    const boundary = await previewImport({ db: t.db }, {
      layer: 'boundary',
      file: { name: 'b.geojson', bytes: Buffer.from(JSON.stringify({ type: 'Feature', properties: { name: '测试乡' }, geometry: { type: 'Polygon', coordinates: [[[100, 30], [100.03, 30], [100.03, 30.01], [100, 30.01], [100, 30]]] } })) },
      actor: 'cli',
    });
    await applyImport({ db: t.db }, { token: boundary.token, actor: 'cli' });
    // What the demo seed would have besides roads: a track and the river, which a roads import keeps.
    await t.db.query(
      `INSERT INTO basemap_features (kind, name, name_en, level, geom) VALUES
         ('track', '牧道', 'Herders'' track', 0, ST_GeomFromText('LINESTRING(100 30, 100.005 30)', 4326)),
         ('river', '小河', 'Brook', 0, ST_GeomFromText('LINESTRING(100 30.008, 100.03 30.008)', 4326))`,
    );
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('previews a road layer: its lines, their length and the length outside the boundary, the road leaving town as a warning', async () => {
    const report = await previewImport({ db: t.db }, { layer: 'roads', file: roadsFile('roads.geojson', [EAST_WEST, NORTH_SOUTH, OUT_OF_TOWN]), actor: 'cli' });
    expect(report.roads!.lines).toBe(3);
    within1Percent(report.roads!.lengthKm, 4.9677);
    within1Percent(report.roads!.outsideKm, 0.9648);
    const outside = report.problems.filter((p) => p.code === 'outside_boundary');
    expect(outside.map((p) => [p.featureName, p.severity])).toEqual([['出乡路', 'warning']]);
    expect(outside[0]!.message).toMatch(/reaches outside the township boundary \(96[45] m of it\)/);
    expect(report.problems.map((p) => p.code)).toEqual(['outside_boundary']);
    expect(report.diff).toEqual({ added: ['东西大道', '出乡路', '南北街'], changed: [], removed: [] });
    expect(report.importable).toBe(true);
    // Nothing stored by a preview.
    expect((await basemapNow()).map((f) => f.kind)).toEqual(['river', 'track']);
  });

  it('reports a road that is not a line PostGIS can read as an invalid geometry, and refuses to store the layer', async () => {
    const dot: Line = { props: { name: '断头路' }, geometry: { type: 'LineString', coordinates: [[100.01, 30.002], [100.01, 30.002]] } };
    const report = await previewImport({ db: t.db }, { layer: 'roads', file: roadsFile('dot.geojson', [EAST_WEST, dot]), actor: 'cli' });
    const invalid = report.problems.filter((p) => p.code === 'geometry_invalid');
    expect(invalid.map((p) => [p.featureName, p.severity, p.fixable])).toEqual([['断头路', 'error', false]]);
    expect(report.importable).toBe(false);
    await expect(applyImport({ db: t.db }, { token: report.token, actor: 'cli' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('stores the roads as basemap lines (one per part, level from the road class), keeps tracks and the river, and the road network is built again', async () => {
    const before = await loadRoadNetwork(t.db);
    // The track alone: one segment.
    expect(before.segmentCount).toBe(1);
    const report = await previewImport({ db: t.db }, { layer: 'roads', file: roadsFile('roads.geojson', [EAST_WEST, NORTH_SOUTH, OUT_OF_TOWN]), actor: 'cli' });
    const result = await applyImport({ db: t.db, bus }, { token: report.token, actor: 'cli' });
    expect(result.diff).toEqual({ added: ['东西大道', '出乡路', '南北街'], changed: [], removed: [] });
    expect(heard).toEqual([{ layer: 'roads', appliedAt: result.appliedAt }]);
    expect(await basemapNow()).toEqual([
      { kind: 'river', name: '小河', level: 0, wkt: 'LINESTRING(100 30.008,100.03 30.008)' },
      { kind: 'road', name: '东西大道', level: 1, wkt: 'LINESTRING(100 30.005,100.015 30.005,100.03 30.005)' },
      { kind: 'road', name: '南北街', level: 2, wkt: 'LINESTRING(100.015 30,100.015 30.005)' },
      { kind: 'road', name: '南北街', level: 2, wkt: 'LINESTRING(100.015 30.005,100.015 30.01)' },
      { kind: 'road', name: '出乡路', level: 1, wkt: 'LINESTRING(100.03 30.005,100.04 30.005)' },
      { kind: 'track', name: '牧道', level: 0, wkt: 'LINESTRING(100 30,100.005 30)' },
    ]);
    const after = await loadRoadNetwork(t.db);
    expect(after).not.toBe(before);
    // 东西大道 2 segments, 南北街 1 + 1, 出乡路 1, the track 1.
    expect(after.segmentCount).toBe(6);
    // The crossing joins the roads: from the west end of 东西大道 to the north end of 南北街 by road.
    const path = after.pathTo(after.searchFrom(after.snap([100.015, 30.0099])!), after.snap([100.0001, 30.005])!);
    expect(path).not.toBeNull();
    expect(path!.some(([lon, lat]) => lon === 100.015 && lat === 30.005)).toBe(true);
    const audit = await t.db.query<{ target: string; detail: { added: string[] } }>(`SELECT target, detail FROM audit_log WHERE action = 'import.apply' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows).toEqual([{ target: 'layer:roads', detail: expect.objectContaining({ added: ['东西大道', '出乡路', '南北街'] }) }]);
  });

  it('re-importing names what changed by road name and replaces the roads: moved, dropped and unnamed ones', async () => {
    const moved: Line = { props: { name: '南北街' }, geometry: { type: 'LineString', coordinates: [[100.02, 30.0], [100.02, 30.01]] } };
    const unnamed: Line = { props: {}, geometry: { type: 'LineString', coordinates: [[100.0, 30.001], [100.01, 30.001]] } };
    const report = await previewImport({ db: t.db }, { layer: 'roads', file: roadsFile('roads-2.geojson', [EAST_WEST, moved, unnamed]), actor: 'cli' });
    expect(report.diff).toEqual({ added: ['(no name)'], changed: ['南北街'], removed: ['出乡路'] });
    expect(report.roads).toMatchObject({ lines: 3, outsideKm: 0 });
    await applyImport({ db: t.db, bus }, { token: report.token, actor: 'cli' });
    const roads = (await basemapNow()).filter((f) => f.kind === 'road').map((f) => [f.name, f.level]);
    // Without a road class the level is 1, a through road, as the basemap draws most roads.
    expect(roads).toEqual([
      ['东西大道', 1],
      ['南北街', 1],
      [null, 1],
    ]);
    expect((await loadRoadNetwork(t.db)).segmentCount).toBe(2 + 1 + 1 + 1);
    expect(heard.map((h) => h.layer)).toEqual(['roads', 'roads']);
  });
});
