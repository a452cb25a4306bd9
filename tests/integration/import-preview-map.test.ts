// The preview answers the features for the admin page's map (issue 12): each
// feature with a geometry, at its place in the file (what problems point at),
// named as the report names it — and the stored preview does not keep that
// copy (the token row holds the features once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../lib/import/types';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

const square = (x: number, y: number, size: number): number[][][] => [
  [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ],
];

const GRIDS = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { 网格编号: 'G-01', 网格名称: '东村一网格' }, geometry: { type: 'Polygon', coordinates: square(100.0000001234, 30, 0.01) } },
    { type: 'Feature', properties: { 网格编号: 'G-02', 网格名称: '东村二网格' }, geometry: null },
    { type: 'Feature', properties: { 网格编号: 'G-03', 网格名称: '西村网格' }, geometry: { type: 'Polygon', coordinates: square(100.02, 30, 0.01) } },
  ],
});

describe.each(engines())('import preview map features (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let admin: { cookie: string };

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter() });
    admin = await signIn(t.db, 'admin');
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('answers each feature with a geometry at its place in the file, rounded, and keeps no copy with the stored preview', async () => {
    const res = await fetch(`${server.baseUrl}/api/admin/import/preview?layer=grids&name=grids.geojson`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/octet-stream' },
      body: GRIDS,
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as ImportReport;
    expect(report.preview.omitted).toBe(0);
    expect(report.preview.features.map((f) => f.properties)).toEqual([
      { index: 0, code: 'G-01', name: '东村一网格' },
      { index: 2, code: 'G-03', name: '西村网格' },
    ]);
    expect(report.preview.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: square(100, 30, 0.01) });
    // The feature without a geometry is the one the report names as missing it.
    expect(report.problems.filter((p) => p.code === 'geometry_missing').map((p) => p.feature)).toEqual([1]);

    const { rows } = await t.db.query<{ report: Record<string, unknown> }>(`SELECT report FROM import_previews WHERE token = $1::text`, [report.token]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.report)).not.toContain('preview');
  });
});
