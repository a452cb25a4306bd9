// The township import's preview and apply (issue 12, step 2) on real PostGIS:
// the report of a grid layer made here with a known overlap and a known gap,
// a feature outside the boundary, an invalid bow-tie; re-importing a layer
// with one boundary moved and a cell removed (incidents, key locations and
// positions end in the right cell, the diff names exactly the cells that
// changed); and apply as all or nothing.
//
// The ground: a township rectangle lon 100.000–100.030, lat 30.000–30.010.
// Expected areas, worked by hand on a local projection at the rectangles'
// mid-latitude (WGS-84: a = 6378137 m, e² = 0.00669438; 1° of latitude =
// π/180·M, 1° of longitude = π/180·N·cos φ):
// - overlap of G01 (lon 100.000–100.012) and G02 (100.010–100.020), full
//   height, at φ = 30.005°: 1° lat = 110,852.5 m, 1° lon = 96,481.4 m, so
//   0.002° × 0.010° = 192.96 m × 1,108.53 m ≈ 213,900 m²;
// - gap above G03 (lon 100.020–100.030, lat 30.000–30.006): lon 100.020–100.030,
//   lat 30.006–30.010, at φ = 30.008°: 1° lat = 110,852.6 m, 1° lon = 96,478.6 m,
//   so 0.010° × 0.004° = 964.79 m × 443.41 m ≈ 427,800 m².
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport, previewImport } from '../../lib/import/service';
import type { ImportReport } from '../../lib/import/types';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Ring = [number, number][];
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const layerFile = (name: string, features: { props: Record<string, unknown>; ring: Ring }[]) => ({
  name,
  bytes: Buffer.from(
    JSON.stringify({
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', properties: f.props, geometry: { type: 'Polygon', coordinates: [f.ring] } })),
    }),
  ),
});
const cell = (code: string, ring: Ring) => ({ props: { code, name: `${code} 网格` }, ring });
const within1Percent = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected) / expected).toBeLessThan(0.01);
};

describe.each(engines())('township import: preview and apply (%s)', (engine) => {
  let t: TestDb;
  const deps = () => ({ db: t.db });

  const gridOf = async (lon: number, lat: number, table: 'incidents' | 'key_locations' | 'positions') => {
    const { rows } = await t.db.query<{ code: string | null }>(
      `SELECT g.code FROM ${table} x LEFT JOIN grids g ON g.id = x.grid_id
       WHERE ST_Equals(x.geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326))`,
      [lon, lat],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.code;
  };
  const gridsNow = async () =>
    (await t.db.query<{ code: string; wkt: string }>(`SELECT code, ST_AsText(geom) AS wkt FROM grids ORDER BY code`)).rows;
  const importLayer = async (layer: 'boundary' | 'villages' | 'grids', file: { name: string; bytes: Buffer }): Promise<ImportReport> => {
    const report = await previewImport(deps(), { layer, file, actor: 'cli' });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    await applyImport(deps(), { token: report.token, actor: 'cli' });
    return report;
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    await importLayer('boundary', layerFile('boundary.geojson', [{ props: { name: '测试乡', name_en: 'Test Township' }, ring: rect(100, 30, 100.03, 30.01) }]));
    await importLayer('villages', layerFile('villages.geojson', [{ props: { code: 'V1', name: '东村', population: 1200 }, ring: rect(100, 30, 100.03, 30.01) }]));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('stores the boundary and the village it was given', async () => {
    const { rows } = await t.db.query<{ name: string; name_en: string; km2: number }>(`SELECT name, name_en, ST_Area(geom::geography) / 1e6 AS km2 FROM township`);
    // 0.030° × 0.010° at 30.005°: 2,894.4 m × 1,108.5 m ≈ 3.2086 km².
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('测试乡');
    expect(rows[0]!.name_en).toBe('Test Township');
    within1Percent(Number(rows[0]!.km2), 3.2086);
    const v = await t.db.query<{ code: string; population: number; inside: boolean }>(
      `SELECT code, population, ST_Covers(area, centre) AS inside FROM villages`,
    );
    expect(v.rows).toEqual([{ code: 'V1', population: 1200, inside: true }]);
  });

  it('reports a known overlap between two cells and a known gap, with their areas, and stores nothing', async () => {
    const report = await previewImport(deps(), {
      layer: 'grids',
      file: layerFile('grids.geojson', [cell('G01', rect(100, 30, 100.012, 30.01)), cell('G02', rect(100.01, 30, 100.02, 30.01)), cell('G03', rect(100.02, 30, 100.03, 30.006))]),
      actor: 'cli',
    });
    expect(report.format).toBe('geojson');
    expect(report.featureCount).toBe(3);
    const overlaps = report.problems.filter((p) => p.code === 'grid_overlap');
    expect(overlaps.map((p) => p.codes)).toEqual([['G01', 'G02']]);
    within1Percent(overlaps[0]!.areaM2, 213_900);
    const gaps = report.problems.filter((p) => p.code === 'grid_gap');
    expect(gaps).toHaveLength(1);
    within1Percent(gaps[0]!.areaM2, 427_800);
    // The gap's inner point lies in the strip above G03.
    expect(gaps[0]!.at![0]).toBeGreaterThan(100.02);
    expect(gaps[0]!.at![1]).toBeGreaterThan(30.006);
    expect(report.problems.map((p) => p.code).sort()).toEqual(['grid_gap', 'grid_overlap']);
    expect(report.diff).toEqual({ added: ['G01', 'G02', 'G03'], changed: [], removed: [] });
    expect(report.importable).toBe(true);
    expect(await gridsNow()).toEqual([]);
  });

  it('reports a cell outside the boundary (an error) and an invalid bow-tie with its reason (repairable)', async () => {
    const bowTie: Ring = [
      [100.0, 30.0],
      [100.005, 30.005],
      [100.005, 30.0],
      [100.0, 30.005],
      [100.0, 30.0],
    ];
    const report = await previewImport(deps(), {
      layer: 'grids',
      file: layerFile('odd.geojson', [cell('G01', rect(100, 30, 100.03, 30.01)), cell('X9', rect(100.1, 30, 100.105, 30.005)), cell('BT', bowTie)]),
      actor: 'cli',
    });
    const outside = report.problems.filter((p) => p.code === 'outside_boundary');
    expect(outside.map((p) => [p.featureCode, p.featureName, p.severity])).toEqual([['X9', 'X9 网格', 'error']]);
    expect(outside[0]!.message).toMatch(/wholly outside the township boundary/);
    const invalid = report.problems.filter((p) => p.code === 'geometry_invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.featureCode).toBe('BT');
    expect(invalid[0]!.fixable).toBe(true);
    expect(invalid[0]!.severity).toBe('warning');
    // GEOS names the crossing point of the bow-tie's two edges.
    expect(invalid[0]!.message).toMatch(/Self-intersection\[100\.0025 30\.0025\]/);
    expect(report.needsMakeValid).toBe(true);
    expect(report.importable).toBe(false);
    await expect(applyImport(deps(), { token: report.token, actor: 'cli', makeValid: true })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/has errors/) });
    expect(await gridsNow()).toEqual([]);
  });

  it('a cell with no code is still placed: one report says both that it has no code and that it lies outside; no diff is offered', async () => {
    const report = await previewImport(deps(), {
      layer: 'grids',
      file: layerFile('grids.geojson', [{ props: { name: '无编号网格' }, ring: rect(101, 31, 101.01, 31.01) }]),
      actor: 'cli',
    });
    expect(report.problems.map((p) => `${p.severity}:${p.code}:${p.feature}`).sort()).toEqual(['error:missing_code:0', 'error:outside_boundary:0']);
    expect(report.diff).toEqual({ added: [], changed: [], removed: [] });
    expect(report.importable).toBe(false);
    expect(await gridsNow()).toEqual([]);
  });

  it('a repairable bow-tie is stored only with makeValid, as ST_MakeValid repairs it', async () => {
    // On the village layer: no grid cells exist yet that a repaired shape could disturb.
    const bowTie: Ring = [
      [100.0, 30.0],
      [100.03, 30.01],
      [100.03, 30.0],
      [100.0, 30.01],
      [100.0, 30.0],
    ];
    const report = await previewImport(deps(), { layer: 'villages', file: layerFile('v.geojson', [{ props: { code: 'V1', name: '东村', population: 1200 }, ring: bowTie }]), actor: 'cli' });
    expect(report.importable).toBe(true);
    expect(report.needsMakeValid).toBe(true);
    await expect(applyImport(deps(), { token: report.token, actor: 'cli' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/makeValid/) });
    // The refusal rolled back nothing but itself: the same token now applies with makeValid.
    await applyImport(deps(), { token: report.token, actor: 'cli', makeValid: true });
    const { rows } = await t.db.query<{ valid: boolean; parts: number }>(`SELECT ST_IsValid(area) AS valid, ST_NumGeometries(area) AS parts FROM villages WHERE code = 'V1'`);
    expect(rows).toEqual([{ valid: true, parts: 2 }]);
    // Back to the plain rectangle for the tests below.
    await importLayer('villages', layerFile('villages.geojson', [{ props: { code: 'V1', name: '东村', population: 1200 }, ring: rect(100, 30, 100.03, 30.01) }]));
  });

  it('re-import: one moved boundary changes exactly its two cells; incidents, key locations and positions on both sides end in the right cell; a removed cell’s incidents go to the cell now covering them', async () => {
    const first = await importLayer('grids', layerFile('grids-v1.geojson', [cell('G01', rect(100, 30, 100.015, 30.01)), cell('G02', rect(100.015, 30, 100.025, 30.01)), cell('G03', rect(100.025, 30, 100.03, 30.01))]));
    expect(first.diff).toEqual({ added: ['G01', 'G02', 'G03'], changed: [], removed: [] });
    expect(first.problems).toEqual([]);
    // Points on both sides of the boundary that moves (lon 100.015 → 100.010), and one in G03.
    const at = { west: [100.008, 30.005], between: [100.012, 30.005], east: [100.02, 30.005], inG03: [100.027, 30.005] } as const;
    const id = async (code: string) => (await t.db.query<{ id: number }>(`SELECT id FROM grids WHERE code = $1::text`, [code])).rows[0]!.id;
    const [g1, g2, g3] = [await id('G01'), await id('G02'), await id('G03')];
    const point = (p: readonly [number, number]) => `ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326)`;
    await t.db.query(
      `INSERT INTO incidents (category, severity, title, geom, grid_id) VALUES
         ('dispute', 2, 'west', ${point(at.west)}, ${g1}),
         ('dispute', 2, 'between', ${point(at.between)}, ${g1}),
         ('dispute', 2, 'east', ${point(at.east)}, ${g2}),
         ('dispute', 2, 'in G03', ${point(at.inG03)}, ${g3})`,
    );
    await t.db.query(`INSERT INTO key_locations (category, name, name_en, geom, grid_id) VALUES ('school', '小学', 'School', ${point(at.between)}, ${g1})`);
    await t.db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom, grid_id) VALUES
         (1, 1, now() - interval '2 hours', ${point(at.between)}, ${g1}),
         (1, 1, now() - interval '1 hour', ${point(at.inG03)}, ${g3})`,
    );

    // The boundary between G01 and G02 moves west to lon 100.010; G03 stays as it was.
    const moved = await importLayer('grids', layerFile('grids-v2.geojson', [cell('G01', rect(100, 30, 100.01, 30.01)), cell('G02', rect(100.01, 30, 100.025, 30.01)), cell('G03', rect(100.025, 30, 100.03, 30.01))]));
    expect(moved.diff).toEqual({ added: [], changed: ['G01', 'G02'], removed: [] });
    expect(await gridOf(...at.west, 'incidents')).toBe('G01');
    expect(await gridOf(...at.between, 'incidents')).toBe('G02');
    expect(await gridOf(...at.east, 'incidents')).toBe('G02');
    expect(await gridOf(...at.inG03, 'incidents')).toBe('G03');
    expect(await gridOf(...at.between, 'key_locations')).toBe('G02');
    expect(await gridOf(...at.between, 'positions')).toBe('G02');
    // Changed cells keep their ids, so history that names them still does.
    expect([await id('G01'), await id('G02'), await id('G03')]).toEqual([g1, g2, g3]);

    // What points at G03 without a point of its own: a grid worker's home cell (and patrol area), an alert, its coverage.
    const team = (
      await t.db.query<{ id: number }>(
        `INSERT INTO teams (code, name, name_en, force_type, size, home_grid_id, area)
         SELECT 'T1', '网格员', 'Grid worker', 'grid_worker', 1, id, geom FROM grids WHERE code = 'G03' RETURNING id`,
      )
    ).rows[0]!.id;
    await t.db.query(`INSERT INTO alerts (kind, severity, message, grid_id) VALUES ('coverage_gap', 1, 'G03 not patrolled', ${g3})`);
    await t.db.query(`INSERT INTO grid_coverage (grid_id, last_patrol_at) VALUES (${g3}, now())`);

    // G03 is dropped and G02 widened over it: G03's incident and position move to G02; nothing is deleted but the cell.
    const preview = await previewImport(deps(), { layer: 'grids', file: layerFile('grids-v3.geojson', [cell('G01', rect(100, 30, 100.01, 30.01)), cell('G02', rect(100.01, 30, 100.03, 30.01))]), actor: 'cli' });
    expect(preview.diff).toEqual({ added: [], changed: ['G02'], removed: ['G03'] });
    const result = await applyImport(deps(), { token: preview.token, actor: 'cli' });
    expect(result.reassigned).toEqual({ incidents: 1, keyLocations: 0, units: 0, positions: 1 });
    expect(await gridOf(...at.inG03, 'incidents')).toBe('G02');
    expect(await gridOf(...at.inG03, 'positions')).toBe('G02');
    expect((await gridsNow()).map((g) => g.code)).toEqual(['G01', 'G02']);
    const counts = await t.db.query<{ incidents: number; positions: number }>(`SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM positions) AS positions`);
    expect(counts.rows[0]).toEqual({ incidents: 4, positions: 2 });
    const teamNow = await t.db.query<{ home: string; area_is_cell: boolean }>(
      `SELECT g.code AS home, ST_Equals(t.area, g.geom) AS area_is_cell FROM teams t JOIN grids g ON g.id = t.home_grid_id WHERE t.id = $1::int`,
      [team],
    );
    expect(teamNow.rows).toEqual([{ home: 'G02', area_is_cell: true }]);
    const alertNow = await t.db.query<{ code: string }>(`SELECT g.code FROM alerts a JOIN grids g ON g.id = a.grid_id`);
    expect(alertNow.rows).toEqual([{ code: 'G02' }]);
    expect((await t.db.query(`SELECT grid_id FROM grid_coverage`)).rows).toEqual([]);
    const audit = await t.db.query<{ actor: string; target: string; detail: { removed: string[]; changed: string[] } }>(
      `SELECT actor, target, detail FROM audit_log WHERE action = 'import.apply' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]).toMatchObject({ actor: 'cli', target: 'layer:grids', detail: { removed: ['G03'], changed: ['G02'] } });
    // An applied preview is gone: its token cannot be applied twice.
    await expect(applyImport(deps(), { token: preview.token, actor: 'cli' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('apply is all or nothing: a failure after the cells are written leaves every table as it was', async () => {
    const before = await gridsNow();
    const incidentsBefore = (await t.db.query(`SELECT id, grid_id FROM incidents ORDER BY id`)).rows;
    const auditBefore = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0]!.n;
    // A real trigger makes the incident re-assignment (after the grid rows are written) fail.
    await t.db.exec(`
      CREATE FUNCTION refuse_incident_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'incidents are frozen for this test' USING ERRCODE = 'check_violation'; END $$;
      CREATE TRIGGER refuse_incident_move BEFORE UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION refuse_incident_move();`);
    try {
      const preview = await previewImport(deps(), { layer: 'grids', file: layerFile('grids-v4.geojson', [cell('G01', rect(100, 30, 100.02, 30.01)), cell('G02', rect(100.02, 30, 100.03, 30.01))]), actor: 'cli' });
      expect(preview.importable).toBe(true);
      expect(preview.diff).toEqual({ added: [], changed: ['G01', 'G02'], removed: [] });
      await expect(applyImport(deps(), { token: preview.token, actor: 'cli' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Nothing was stored/) });
      expect(await gridsNow()).toEqual(before);
      expect((await t.db.query(`SELECT id, grid_id FROM incidents ORDER BY id`)).rows).toEqual(incidentsBefore);
      expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0]!.n).toBe(auditBefore);
      // The preview survives the rollback: once the cause is gone, the same token applies.
      const left = await t.db.query(`SELECT 1 FROM import_previews WHERE token = $1::text`, [preview.token]);
      expect(left.rows).toHaveLength(1);
    } finally {
      await t.db.exec(`DROP TRIGGER refuse_incident_move ON incidents; DROP FUNCTION refuse_incident_move();`);
    }
  });

  it('key locations from a CSV: categories mapped from Chinese words, an unknown one refused, each point given the cell that covers it', async () => {
    const csv = (rows: string[]) => ({ name: 'key-locations.csv', bytes: Buffer.from(['名称,类别,经度,纬度', ...rows].join('\n')) });
    const bad = await previewImport(deps(), { layer: 'key_locations', file: csv(['派出所,派出所,100.005,30.005', '茶摊,路边摊,100.02,30.005']), actor: 'cli' });
    expect(bad.format).toBe('csv');
    expect(bad.problems.map((p) => [p.code, p.featureName, p.severity])).toEqual([['unknown_category', '茶摊', 'error']]);
    expect(bad.problems[0]!.message).toMatch(/“路边摊”, which GridSight does not know/);
    expect(bad.importable).toBe(false);

    // Cells now: G01 lon 100.000–100.010, G02 100.010–100.030 (the all-or-nothing test left them so).
    const good = await previewImport(deps(), { layer: 'key_locations', file: csv(['派出所,派出所,100.005,30.005', '学校,school,100.02,30.005']), actor: 'cli' });
    expect(good.problems).toEqual([]);
    expect(good.diff).toEqual({ added: ['学校', '派出所'], changed: [], removed: ['小学'] });
    await applyImport(deps(), { token: good.token, actor: 'cli' });
    const { rows } = await t.db.query<{ name: string; category: string; code: string | null }>(
      `SELECT k.name, k.category, g.code FROM key_locations k LEFT JOIN grids g ON g.id = k.grid_id ORDER BY k.id`,
    );
    expect(rows).toEqual([
      { name: '派出所', category: 'police', code: 'G01' },
      { name: '学校', category: 'school', code: 'G02' },
    ]);
  });

  it('refuses an expired preview (409) and a grid layer before any village exists', async () => {
    const report = await previewImport(deps(), { layer: 'grids', file: layerFile('g.geojson', [cell('G01', rect(100, 30, 100.03, 30.01))]), actor: 'cli' });
    await t.db.query(`UPDATE import_previews SET expires_at = now() - interval '1 minute' WHERE token = $1::text`, [report.token]);
    await expect(applyImport(deps(), { token: report.token, actor: 'cli' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/expired/) });

    const empty = await freshDb(engine);
    try {
      const r = await previewImport({ db: empty.db }, { layer: 'grids', file: layerFile('g.geojson', [cell('G01', rect(100, 30, 100.03, 30.01))]), actor: 'cli' });
      expect(r.problems.map((p) => [p.code, p.severity])).toEqual([
        ['villages_missing', 'error'],
        ['boundary_missing', 'warning'],
      ]);
      expect(r.importable).toBe(false);
    } finally {
      await empty.drop();
    }
  });
});
