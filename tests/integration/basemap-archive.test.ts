// The basemap archive over HTTP, through the real gate and the app's own route
// handlers (issue 12, "Basemap"): only administrators upload and remove, a
// file that is not a drawable PMTiles v3 archive is a 400 that says why, the
// archive is served to every signed-in role in byte ranges (the `pmtiles`
// library reads it back through them), /api/basemap offers it to the map,
// and each change leaves its audit row.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchSource, PMTiles } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChunks } from '../../lib/api';
import { basemapArchiveFile, basemapDir, uploadBasemapArchive } from '../../lib/basemap/archive';
import type { AuditRecord, BasemapArchiveDetails, BasemapPayload } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { solidPng, solidRasterArchive, tilesCovering, writePmtiles } from '../helpers/pmtiles-writer';
import { rawRequest } from '../helpers/raw-http';

const BOUNDS: [number, number, number, number] = [100.05, 30.95, 100.35, 31.2];
const MAGENTA: [number, number, number] = [255, 0, 255];
const ARCHIVE = solidRasterArchive({ bounds: BOUNDS, color: MAGENTA, maxZoom: 12 });
const PATH = '/api/basemap/tiles.pmtiles';
type Who = { cookie: string } | null;
/** A copy fetch and Request take as a body (their types want an ArrayBuffer behind the view, not a Buffer's pool). */
const body = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

describe.each(engines())('basemap archive (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let dataDir: string;
  let people: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string; userId: number }>;

  const upload = async (who: Who, archive: Uint8Array, name = 'gequtang.pmtiles') => {
    const res = await fetch(`${server.baseUrl}/api/admin/basemap?name=${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { ...(who ? { cookie: who.cookie } : {}), 'content-type': 'application/vnd.pmtiles' },
      body: body(archive),
    });
    return { status: res.status, json: (await res.json()) as { archive?: BasemapArchiveDetails; error?: { message: string } } };
  };
  const ranged = (who: Who, range?: string, method = 'GET') =>
    fetch(`${server.baseUrl}${PATH}`, { method, headers: { ...(who ? { cookie: who.cookie } : {}), ...(range ? { range } : {}) } });
  const auditRows = async (action: string) =>
    ((await callApi(server.baseUrl, people.admin, 'GET', `/api/audit?action=${action}`)).json as AuditRecord[]).filter((r) => r.action === action);
  const keptFiles = () => readdirSync(basemapDir({ dataDir })).sort();

  beforeAll(async () => {
    t = await freshDb(engine);
    // A township, so /api/basemap has something to answer with.
    await t.db.query(
      `INSERT INTO township (name, name_en, geom)
       VALUES ('格曲塘乡', 'Gequtang', ST_Multi(ST_MakeEnvelope(100.1, 31.0, 100.3, 31.15, 4326)))`,
    );
    dataDir = mkdtempSync(join(tmpdir(), 'gridsight-basemap-'));
    server = await startTestApp(t.db, { env: { DATA_DIR: dataDir }, web: await apiRouter() });
    people = { admin: await signIn(t.db, 'admin'), coordinator: await signIn(t.db, 'coordinator'), viewer: await signIn(t.db, 'viewer'), wall: await signIn(t.db, 'wall') };
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has no archive at first: the map gets the built-in style and the archive path answers 404', async () => {
    const basemap = await callApi(server.baseUrl, people.viewer, 'GET', '/api/basemap');
    expect(basemap.status).toBe(200);
    expect((basemap.json as BasemapPayload).pmtiles).toBeNull();
    expect((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json).toEqual({ archive: null });
    const res = await ranged(people.viewer, 'bytes=0-16383');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no basemap archive is stored' } });
  });

  it('lets only administrators upload, see and remove the archive: anonymous 401, every other role 403', async () => {
    for (const [method, sent] of [['PUT', body(ARCHIVE)], ['GET', undefined], ['DELETE', undefined]] as const) {
      const codes: number[] = [];
      for (const who of [null, people.coordinator, people.viewer, people.wall]) {
        const res = await fetch(`${server.baseUrl}/api/admin/basemap`, { method, headers: who ? { cookie: who.cookie } : {}, body: sent });
        codes.push(res.status);
      }
      expect(codes, method).toEqual([401, 403, 403, 403]);
    }
    expect(await auditRows('basemap.upload')).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a file that is not a PMTiles v3 archive the map can draw (400 naming why), keeping nothing', async () => {
    const geojson = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: [] }));
    const answers = [
      await upload(people.admin, geojson, 'boundary.geojson'),
      await upload(people.admin, new Uint8Array(0), 'empty.pmtiles'),
      await upload(people.admin, (() => {
        const v2 = Buffer.from(ARCHIVE);
        v2.writeUInt8(2, 7);
        return v2;
      })()),
      await upload(people.admin, writePmtiles({ tileType: 'avif', tiles: [{ z: 0, x: 0, y: 0, data: Buffer.from('x') }], bounds: [-1, -1, 1, 1], minZoom: 0, maxZoom: 0 })),
      await upload(people.admin, ARCHIVE.subarray(0, ARCHIVE.length - 10), 'cut.pmtiles'),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers.map((a) => a.json.error?.message)).toEqual([
      'not a usable PMTiles archive: not a PMTiles archive (the file does not start with "PMTiles")',
      'not a usable PMTiles archive: the file is empty',
      'not a usable PMTiles archive: PMTiles spec version 2; only version 3 is read (convert it with pmtiles convert)',
      'not a usable PMTiles archive: tile type avif cannot be drawn; use vector tiles (mvt) or png, jpg or webp images',
      expect.stringMatching(/^not a usable PMTiles archive: the tile data \(bytes \d+–\d+\) lies outside the \d+-byte file/),
    ]);
    // No row, no audit, and the temporary files are gone.
    expect((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json).toEqual({ archive: null });
    expect(await auditRows('basemap.upload')).toEqual([]);
    expect(keptFiles()).toEqual([]);
  });

  it('refuses a declared body over 512 MiB at the gate (413) before reading it', async () => {
    const answer = await rawRequest(server.baseUrl, {
      method: 'PUT',
      path: '/api/admin/basemap',
      headers: { cookie: people.admin.cookie, 'content-length': String(512 * 1024 * 1024 + 1) },
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 'payload_too_large', message: `body is ${512 * 1024 * 1024 + 1} bytes; the limit for PUT /api/admin/basemap is ${512 * 1024 * 1024} bytes` },
    });
  });

  it('stores an uploaded archive with its audit row and offers it to the map', async () => {
    const { status, json } = await upload(people.admin, ARCHIVE);
    expect(status).toBe(200);
    const archive = json.archive!;
    expect(archive).toMatchObject({ tileType: 'png', minZoom: 0, maxZoom: 12, bounds: BOUNDS, vectorLayers: [], sizeBytes: ARCHIVE.length, originalName: 'gequtang.pmtiles' });
    expect(archive.uploadedBy).toMatch(/^t-admin-/);
    expect(archive.url).toBe(`${PATH}?v=${archive.sha256.slice(0, 16)}`);
    // The file is kept under DATA_DIR/basemap, named by its content, byte for byte.
    expect(keptFiles()).toEqual([`${archive.sha256}.pmtiles`]);
    expect(readFileSync(basemapArchiveFile({ dataDir }, archive.sha256)).equals(ARCHIVE)).toBe(true);

    const basemap = (await callApi(server.baseUrl, people.wall, 'GET', '/api/basemap')).json as BasemapPayload;
    expect(basemap.pmtiles).toEqual({ url: archive.url, tileType: 'png', bounds: BOUNDS, minZoom: 0, maxZoom: 12, vectorLayers: [] });
    const [row] = await auditRows('basemap.upload');
    expect(row).toMatchObject({ actorUserId: people.admin.userId, role: 'admin', outcome: 'ok', target: archive.sha256 });
    expect(row!.detail).toEqual({ sizeBytes: ARCHIVE.length, tileType: 'png', minZoom: 0, maxZoom: 12, bounds: BOUNDS, originalName: 'gequtang.pmtiles', replaced: null });
  });

  it('serves the archive to every signed-in role in byte ranges: 206 slices of the file, suffix ranges, 416, HEAD', async () => {
    const { sha256 } = ((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json as { archive: BasemapArchiveDetails }).archive;
    for (const who of [people.admin, people.coordinator, people.viewer, people.wall]) {
      const res = await ranged(who, 'bytes=0-126');
      expect(res.status).toBe(206);
      expect(Buffer.from(await res.arrayBuffer()).equals(ARCHIVE.subarray(0, 127))).toBe(true);
    }
    expect((await ranged(null, 'bytes=0-126')).status).toBe(401);

    const size = ARCHIVE.length;
    const middle = await ranged(people.viewer, 'bytes=200-299');
    expect(middle.status).toBe(206);
    expect(Object.fromEntries(['content-range', 'content-length', 'accept-ranges', 'content-type'].map((h) => [h, middle.headers.get(h)]))).toEqual({
      'content-range': `bytes 200-299/${size}`,
      'content-length': '100',
      'accept-ranges': 'bytes',
      'content-type': 'application/vnd.pmtiles',
    });
    expect(middle.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(ARCHIVE.subarray(200, 300))).toBe(true);

    // The reader's first request: 16 KiB of a smaller file is the whole file, as a 206.
    const first = await ranged(people.viewer, 'bytes=0-16383');
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-${size - 1}/${size}`);
    expect(Buffer.from(await first.arrayBuffer()).equals(ARCHIVE)).toBe(true);

    const suffix = await ranged(people.viewer, 'bytes=-50');
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe(`bytes ${size - 50}-${size - 1}/${size}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(ARCHIVE.subarray(size - 50))).toBe(true);

    for (const range of [`bytes=${size}-`, 'bytes=-0', 'bytes=30-20', 'bytes=x-y']) {
      const refused = await ranged(people.viewer, range);
      expect(refused.status, range).toBe(416);
      expect(refused.headers.get('content-range'), range).toBe(`bytes */${size}`);
      expect((await refused.arrayBuffer()).byteLength, range).toBe(0);
    }

    const whole = await ranged(people.viewer);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(size));
    expect(Buffer.from(await whole.arrayBuffer()).equals(ARCHIVE)).toBe(true);

    const head = await ranged(people.wall, 'bytes=10-19', 'HEAD');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-length')).toBe('10');
    expect(head.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const headWhole = await ranged(people.wall, undefined, 'HEAD');
    expect(headWhole.status).toBe(200);
    expect(headWhole.headers.get('content-length')).toBe(String(size));
  });

  it('is read back by the pmtiles library over HTTP as a browser reads it: header and every tile', async () => {
    const source = new FetchSource(`${server.baseUrl}${PATH}`, new Headers({ cookie: people.viewer.cookie }));
    const reader = new PMTiles(source);
    const header = await reader.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: 2, minZoom: 0, maxZoom: 12 });
    expect(header.etag).toMatch(/^"[0-9a-f]{64}"$/);
    const png = solidPng(MAGENTA);
    const tiles = tilesCovering(BOUNDS, 0, 12);
    for (const tile of [tiles[0]!, tiles[Math.floor(tiles.length / 2)]!, tiles.at(-1)!]) {
      const got = await reader.getZxy(tile.z, tile.x, tile.y);
      expect(Buffer.from(got!.data).equals(png), `${tile.z}/${tile.x}/${tile.y}`).toBe(true);
    }
  });

  it('replaces the archive with a new upload, deleting the old file, and lists a vector archive\'s layers', async () => {
    const before = ((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json as { archive: BasemapArchiveDetails }).archive;
    const vector = writePmtiles({
      tileType: 'mvt',
      tiles: tilesCovering(BOUNDS, 0, 6).map((tile, i) => ({ ...tile, data: Buffer.from(`mvt-${i}`) })),
      bounds: BOUNDS,
      minZoom: 0,
      maxZoom: 6,
      metadata: { vector_layers: [{ id: 'earth' }, { id: 'water' }, { id: 'roads' }], name: 'Gequtang' },
    });
    const { status, json } = await upload(people.admin, vector, '格曲塘乡-矢量.pmtiles');
    expect(status).toBe(200);
    expect(json.archive).toMatchObject({ tileType: 'mvt', maxZoom: 6, vectorLayers: ['earth', 'water', 'roads'], originalName: '格曲塘乡-矢量.pmtiles' });
    expect(keptFiles()).toEqual([`${json.archive!.sha256}.pmtiles`]);
    const rows = await auditRows('basemap.upload');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.detail).toMatchObject({ tileType: 'mvt', replaced: before.sha256 });
    expect(((await callApi(server.baseUrl, people.viewer, 'GET', '/api/basemap')).json as BasemapPayload).pmtiles?.vectorLayers).toEqual(['earth', 'water', 'roads']);
  });

  it('removes a partly written upload that passes the limit while streaming, keeping the stored archive', async () => {
    const stored = ((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json as { archive: BasemapArchiveDetails }).archive;
    const request = new Request('http://127.0.0.1/api/admin/basemap', { method: 'PUT', body: body(ARCHIVE) });
    const actor = { actorUserId: people.admin.userId, actor: 'admin', role: 'admin' as const, ip: null };
    const storing = uploadBasemapArchive({ db: t.db, config: { dataDir } }, { chunks: readChunks(request, 400), originalName: null, actor });
    await expect(storing).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(keptFiles()).toEqual([`${stored.sha256}.pmtiles`]);
    expect(((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json as { archive: BasemapArchiveDetails }).archive.sha256).toBe(stored.sha256);
  });

  it('removes the archive (back to the built-in style) with its audit row; a second removal is a 404', async () => {
    const stored = ((await callApi(server.baseUrl, people.admin, 'GET', '/api/admin/basemap')).json as { archive: BasemapArchiveDetails }).archive;
    const removed = await callApi(server.baseUrl, people.admin, 'DELETE', '/api/admin/basemap');
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual({ removed: { sha256: stored.sha256 } });
    expect(keptFiles()).toEqual([]);
    expect(((await callApi(server.baseUrl, people.viewer, 'GET', '/api/basemap')).json as BasemapPayload).pmtiles).toBeNull();
    expect((await ranged(people.viewer, 'bytes=0-126')).status).toBe(404);
    const [row] = await auditRows('basemap.remove');
    expect(row).toMatchObject({ actorUserId: people.admin.userId, outcome: 'ok', target: stored.sha256, detail: { sizeBytes: stored.sizeBytes } });

    const again = await callApi(server.baseUrl, people.admin, 'DELETE', '/api/admin/basemap');
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ error: { code: 'not_found', message: 'no basemap archive is stored: the map already uses the built-in style' } });
    expect(await auditRows('basemap.remove')).toHaveLength(1);
  });
});
