// The real third-party Shapefiles and KML files (../shared/fixtures) through
// the whole preview on PostGIS, against a township boundary of our own: none
// of them lies in it, so each feature the layer can place is reported wholly
// outside (an error), every other feature is refused with a reason about its
// geometry, and nothing is stored — not by the preview, not by an apply.
import { zipSync } from 'fflate';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYER_GEOMETRY } from '../../lib/import/fields';
import { parseImportFile } from '../../lib/import/parse';
import { applyImport, previewImport } from '../../lib/import/service';
import type { ImportLayer } from '../../lib/import/types';
import { engines, freshDb, type TestDb } from '../helpers/db';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const SHP_DIR = join(FIXTURES, 'shapefile');
const KML_DIR = join(FIXTURES, 'kml');

/** A zipped Shapefile as an administrator uploads it: the .shp with whichever of .dbf, .prj, .cpg exist. */
function zippedShapefile(name: string): Uint8Array {
  const parts: Record<string, Uint8Array> = {};
  for (const ext of ['shp', 'dbf', 'prj', 'cpg']) {
    const path = join(SHP_DIR, `${name}.${ext}`);
    if (existsSync(path)) parts[`${name}.${ext}`] = readFileSync(path);
  }
  return zipSync(parts);
}

const FILES: { name: string; bytes: Uint8Array }[] = [
  ...readdirSync(SHP_DIR)
    .filter((f) => f.endsWith('.shp'))
    .sort()
    .map((f) => ({ name: `${f.slice(0, -4)}.zip`, bytes: zippedShapefile(f.slice(0, -4)) })),
  ...readdirSync(KML_DIR)
    .filter((f) => f.endsWith('.kml'))
    .sort()
    .map((f) => ({ name: f, bytes: readFileSync(join(KML_DIR, f)) })),
];

/** The layer a file's first geometry would go to: points are key locations, lines roads, polygons villages. */
function layerFor(types: (string | null)[]): ImportLayer {
  const first = types.find((t) => t !== null) ?? 'Point';
  if (first.includes('Polygon')) return 'villages';
  if (first.includes('LineString')) return 'roads';
  return 'key_locations';
}

describe.each(engines())('third-party files against a township they are not in (%s)', (engine) => {
  let t: TestDb;
  /** Features reported outside across the files, so the cases above cannot all pass by refusing. */
  let placedOutside = 0;
  const counts = async () =>
    (
      await t.db.query<{ villages: number; key_locations: number; roads: number; grids: number }>(
        `SELECT (SELECT count(*)::int FROM villages) AS villages, (SELECT count(*)::int FROM key_locations) AS key_locations,
                (SELECT count(*)::int FROM basemap_features WHERE kind = 'road') AS roads, (SELECT count(*)::int FROM grids) AS grids`,
      )
    ).rows[0]!;

  beforeAll(async () => {
    t = await freshDb(engine);
    // 测试乡: lon 100.000–100.030, lat 30.000–30.010 (western Sichuan), far from every fixture.
    const boundary = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '测试乡', name_en: 'Test Township' },
          geometry: { type: 'Polygon', coordinates: [[[100, 30], [100.03, 30], [100.03, 30.01], [100, 30.01], [100, 30]]] },
        },
      ],
    };
    const report = await previewImport({ db: t.db }, { layer: 'boundary', file: { name: 'boundary.geojson', bytes: Buffer.from(JSON.stringify(boundary)) }, actor: 'cli' });
    await applyImport({ db: t.db }, { token: report.token, actor: 'cli' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('reads every fixture file (the parsing suite checks each one against its own project)', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(FILES.map((f) => [f.name, f] as const))('%s: each placeable feature is reported wholly outside, the rest refused, nothing stored', async (_name, file) => {
    const before = await counts();
    const parsed = await parseImportFile({ fileName: file.name, bytes: file.bytes });
    const layer = layerFor(parsed.features.map((f) => f.geometry?.type ?? null));
    const report = await previewImport({ db: t.db }, { layer, file, actor: 'cli' });

    expect(report.importable).toBe(false);
    const about = (i: number) => report.problems.filter((p) => p.feature === i).map((p) => `${p.severity}:${p.code}`);
    const placeable = (i: number) => {
      const f = parsed.features[i]!;
      return (
        f.geometry !== null &&
        (LAYER_GEOMETRY[layer] as readonly string[]).includes(f.geometry.type) &&
        !parsed.problems.some((p) => p.feature === i && p.severity === 'error') &&
        !about(i).some((c) => c.startsWith('error:geometry_'))
      );
    };
    const verdict = (i: number) => (about(i).includes('error:outside_boundary') ? 'outside' : about(i).some((c) => c.startsWith('error:')) ? 'refused' : 'passed');
    const indices = parsed.features.map((_, i) => i);
    expect(indices.map(verdict)).toEqual(indices.map((i) => (placeable(i) ? 'outside' : 'refused')));
    placedOutside += indices.filter(placeable).length;

    await expect(applyImport({ db: t.db }, { token: report.token, actor: 'cli' })).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it('placed real features from most of the files (not all refused before the boundary check)', () => {
    expect(placedOutside).toBeGreaterThanOrEqual(30);
  });
});
