// The import's admin API over HTTP, through the real gate and the app's own
// route handlers: only administrators preview and apply; the file is the raw
// body, refused over its limit (declared or streamed); a bad query names the
// field; an unknown, applied or expired token is a 404 / 409 with a message;
// a file that cannot be read is a report with an error, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, ImportResult } from '../../lib/import/types';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { chunkedUpload, rawRequest } from '../helpers/raw-http';

const BOUNDARY = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: '测试乡' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [100, 30],
            [100.03, 30],
            [100.03, 30.01],
            [100, 30.01],
            [100, 30],
          ],
        ],
      },
    },
  ],
});

describe.each(engines())('import API (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let people: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string }>;

  const upload = async (who: { cookie: string } | null, query: string, body: string | Uint8Array<ArrayBuffer>) => {
    const res = await fetch(`${server.baseUrl}/api/admin/import/preview${query}`, {
      method: 'POST',
      headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/octet-stream' },
      body,
    });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as unknown };
  };
  const message = (json: unknown) => (json as { error: { message: string } }).error.message;

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter() });
    people = { admin: await signIn(t.db, 'admin'), coordinator: await signIn(t.db, 'coordinator'), viewer: await signIn(t.db, 'viewer'), wall: await signIn(t.db, 'wall') };
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('lets only administrators preview and apply: anonymous 401, every other role 403', async () => {
    for (const path of ['/api/admin/import/preview?layer=boundary&name=b.geojson', '/api/admin/import/apply']) {
      const codes: number[] = [];
      for (const who of [null, people.coordinator, people.viewer, people.wall]) {
        codes.push((await callApi(server.baseUrl, who, 'POST', path, { token: 'x'.repeat(32) })).status);
      }
      expect(codes, path).toEqual([401, 403, 403, 403]);
    }
    const { rows } = await t.db.query(`SELECT 1 FROM import_previews`);
    expect(rows).toEqual([]);
  });

  it('previews a boundary as an administrator and applies it with the token', async () => {
    const preview = await upload(people.admin, '?layer=boundary&datum=wgs84&name=boundary.geojson', BOUNDARY);
    expect(preview.status).toBe(200);
    const report = preview.json as ImportReport;
    expect(report).toMatchObject({ layer: 'boundary', format: 'geojson', fileName: 'boundary.geojson', featureCount: 1, problems: [], importable: true, needsMakeValid: false });
    expect(report.diff).toEqual({ added: ['township'], changed: [], removed: [] });
    expect(report.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Date.parse(report.expiresAt) - Date.now()).toBeGreaterThan(25 * 60_000);

    const applied = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: report.token });
    expect(applied.status).toBe(200);
    expect((applied.json as ImportResult).diff).toEqual({ added: ['township'], changed: [], removed: [] });
    const { rows } = await t.db.query<{ name: string }>(`SELECT name FROM township`);
    expect(rows).toEqual([{ name: '测试乡' }]);
    const audit = await t.db.query<{ role: string; target: string }>(`SELECT role, target FROM audit_log WHERE action = 'import.apply'`);
    expect(audit.rows).toEqual([{ role: 'admin', target: 'layer:boundary' }]);

    // Applied once: the same token again is unknown.
    const again = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: report.token });
    expect(again.status).toBe(404);
    expect(message(again.json)).toMatch(/applied already, or never made/);
  });

  it('answers a bad query with a 400 that names the field', async () => {
    const badLayer = await upload(people.admin, '?layer=rivers&name=x.geojson', BOUNDARY);
    expect(badLayer.status).toBe(400);
    expect(message(badLayer.json)).toMatch(/^layer: must be one of boundary, villages, grids, key_locations, roads/);
    const noLayer = await upload(people.admin, '?name=x.geojson', BOUNDARY);
    expect(noLayer.status).toBe(400);
    expect(message(noLayer.json)).toMatch(/^layer: /);
    const badDatum = await upload(people.admin, '?layer=grids&datum=bj54&name=x.geojson', BOUNDARY);
    expect(badDatum.status).toBe(400);
    expect(message(badDatum.json)).toMatch(/^datum: must be one of wgs84, gcj02, bd09/);
    const noName = await upload(people.admin, '?layer=grids', BOUNDARY);
    expect(noName.status).toBe(400);
    expect(message(noName.json)).toMatch(/^name: /);
    const extra = await upload(people.admin, '?layer=grids&name=x.geojson&srid=4547', BOUNDARY);
    expect(extra.status).toBe(400);
    expect(message(extra.json)).toMatch(/srid/);
  });

  it('answers a file it cannot read with a report that says why (200, not importable), never a 5xx', async () => {
    for (const [name, body, code] of [
      ['dot.geojson', '{"type": "Feature", "properties": {"code": "V1", "name": "东村"}, "geometry": {"type": "Polygon", "coordinates": [[[100, 30]]]}}', 'geometry_invalid'],
      ['open.geojson', '{"type": "Feature", "properties": {"code": "V1", "name": "东村"}, "geometry": {"type": "Polygon", "coordinates": [[[100, 30], [100.01, 30], [100.01, 30.01], [100, 30.005]]]}}', 'geometry_invalid'],
      ['notjson.geojson', '{"type": "Feature", ', 'unreadable'],
      ['empty.geojson', '', 'unreadable'],
      ['x.bin', new Uint8Array([0, 1, 2, 3, 255, 254]), 'unreadable'],
    ] as const) {
      const res = await upload(people.admin, `?layer=villages&name=${name}`, body);
      expect(res.status, name).toBe(200);
      const report = res.json as ImportReport;
      expect(report.importable, name).toBe(false);
      expect(report.problems.map((p) => p.code), name).toContain(code);
      const applied = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: report.token });
      expect(applied.status, name).toBe(422);
      expect(message(applied.json), name).toMatch(/has errors/);
    }
  });

  it('refuses a file over 16 MiB: a declared length at the gate, a streamed one at the limit (413)', async () => {
    const declared = await rawRequest(server.baseUrl, {
      method: 'POST',
      path: '/api/admin/import/preview?layer=grids&name=big.geojson',
      headers: { cookie: people.admin.cookie, 'content-length': String(17 * 1024 * 1024) },
      body: '{"type":',
      timeoutMs: 3_000,
    }).catch((err: Error) => ({ status: 0, body: err.message }));
    expect(declared.status, declared.body).toBe(413);
    expect(JSON.parse(declared.body).error.message).toMatch(/the limit for POST \/api\/admin\/import\/preview is 16777216 bytes/);

    const streamed = await chunkedUpload(server.baseUrl, { path: '/api/admin/import/preview?layer=grids&name=big.geojson', totalBytes: 20 * 1024 * 1024, headers: { cookie: people.admin.cookie } });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toMatch(/limit is 16777216 bytes/);
    const { rows } = await t.db.query(`SELECT 1 FROM import_previews WHERE file_name = 'big.geojson'`);
    expect(rows).toEqual([]);
  });

  it('answers an unknown token 404, an expired one 409, a malformed one 422 — each with a message', async () => {
    const unknown = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: 'A'.repeat(32) });
    expect(unknown.status).toBe(404);
    expect(message(unknown.json)).toMatch(/No import preview has this token/);

    const preview = (await upload(people.admin, '?layer=boundary&name=boundary.geojson', BOUNDARY)).json as ImportReport;
    await t.db.query(`UPDATE import_previews SET expires_at = now() - interval '1 second' WHERE token = $1::text`, [preview.token]);
    const expired = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: preview.token });
    expect(expired.status).toBe(409);
    expect(message(expired.json)).toMatch(/expired at .*preview the file again/);

    const malformed = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: 'short' });
    expect(malformed.status).toBe(422);
    expect(message(malformed.json)).toMatch(/^token: must be the token a preview answered/);
    const wrongType = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: preview.token, makeValid: 'yes' });
    expect(wrongType.status).toBe(422);
    expect(message(wrongType.json)).toMatch(/^makeValid: /);
    const notJson = await fetch(`${server.baseUrl}/api/admin/import/apply`, { method: 'POST', headers: { cookie: people.admin.cookie, 'content-type': 'application/json' }, body: '{token' });
    expect(notJson.status).toBe(400);
  });
});
