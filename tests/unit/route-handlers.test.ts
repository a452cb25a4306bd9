// Defence in depth for app/api (issue 8, items 1 and 6): every handler that is
// not public checks for an identity itself, so a request that somehow got
// past the gate still reads nothing; and no handler reads a body except
// through readJson (or readBytes / readChunks, for an uploaded file), which stop at the
// route's limit while streaming.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROUTE_RULES } from '../../lib/auth/permissions';
import { bodyLimit, DEFAULT_JSON_BODY_BYTES, NO_BODY_BYTES } from '../../lib/http/body-limits';

const API_DIR = join(import.meta.dirname, '..', '..', 'app', 'api');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir = API_DIR): { file: string; route: string }[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return entry === 'route.ts' ? [{ file: path, route: `/api/${relative(API_DIR, dir).split('\\').join('/')}` }] : [];
  });
}

/** Each exported handler's source, by `METHOD /api/path` key. */
function handlerSources(): { key: string; file: string; source: string }[] {
  return routeFiles().flatMap(({ file, route }) => {
    const text = readFileSync(file, 'utf8');
    const starts = [...text.matchAll(/export async function (GET|POST|PUT|PATCH|DELETE)\b/g)];
    return starts.map((m, i) => ({ key: `${m[1]} ${route}`, file, source: text.slice(m.index, starts[i + 1]?.index ?? text.length) }));
  });
}

describe('app/api handlers', () => {
  it('answer 401 without an identity, each on its own, for every route that is not public', async () => {
    const checked: string[] = [];
    for (const { file, route } of routeFiles()) {
      const mod = (await import(pathToFileURL(file).href)) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) {
        const handler = mod[method];
        const key = `${method} ${route}`;
        if (!handler || ROUTE_RULES[key] === 'public') continue;
        const path = route.replace(/\[[a-z]+\]/g, '1');
        const req = new Request(`http://127.0.0.1${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' || method === 'HEAD' ? undefined : '{"title":"x","displayName":"x","status":"closed"}',
        });
        const res = await handler(req, { params: Promise.resolve({ id: '1' }) });
        expect(res.status, key).toBe(401);
        checked.push(key);
      }
    }
    // The handlers that read protected data without a caller before this check existed.
    expect(checked).toEqual(expect.arrayContaining(['GET /api/admin/users', 'GET /api/units', 'GET /api/alerts', 'GET /api/grids', 'GET /api/basemap', 'GET /api/key-locations', 'GET /api/heatmap']));
    // The dispatch loop's routes (issue 10), each on its own.
    expect(checked).toEqual(
      expect.arrayContaining([
        'GET /api/incidents/[id]/timeline',
        'GET /api/incidents/[id]/recommendations',
        'POST /api/incidents/[id]/dispatch',
        'POST /api/assignments/[id]/acknowledge',
        'POST /api/assignments/[id]/release',
        'POST /api/alerts/[id]/acknowledge',
        'POST /api/alerts/[id]/clear',
      ]),
    );
    // The wall display's figures (issue 11).
    expect(checked).toContain('GET /api/wall/kpis');
    // The time machine (issue 13).
    expect(checked).toEqual(expect.arrayContaining(['GET /api/replay/state', 'GET /api/replay/history']));
    // The leadership briefing (issue 13).
    expect(checked).toEqual(expect.arrayContaining(['GET /api/briefing', 'GET /api/briefing/pdf']));
    // Teams and devices administration (issue 12).
    expect(checked).toEqual(
      expect.arrayContaining([
        'GET /api/admin/teams',
        'POST /api/admin/teams',
        'PATCH /api/admin/teams/[id]',
        'POST /api/admin/teams/[id]/devices',
        'POST /api/admin/devices/[id]/secret',
        'POST /api/admin/devices/[id]/disable',
      ]),
    );
    // The basemap archive (issue 12): its reader on both methods, and the admin's upload and removal.
    expect(checked).toEqual(expect.arrayContaining(['GET /api/basemap/tiles.pmtiles', 'HEAD /api/basemap/tiles.pmtiles', 'PUT /api/admin/basemap', 'DELETE /api/admin/basemap']));
    // Patrol plans (issue 14).
    expect(checked).toEqual(expect.arrayContaining(['GET /api/plans', 'POST /api/plans', 'PUT /api/plans/[id]', 'DELETE /api/plans/[id]']));
    expect(checked.length).toBeGreaterThan(15);
  });

  it('read a request body only through readJson, readBytes or readChunks, with the limit the gate enforces for that route', () => {
    const readers: string[] = [];
    for (const { key, file, source } of handlerSources()) {
      // req.text(), req.json(), request.arrayBuffer(), req.body, a reader of its own…
      expect(source, `${key} in ${file}`).not.toMatch(/\breq(uest)?\.(text|json|arrayBuffer|formData|blob|bytes|body)\b|getReader\(|Readable\.from/);
      for (const call of source.matchAll(/read(?:Json|Bytes|Chunks)\(\s*req\s*(?:,\s*(bodyLimit\('[^']*'\)|[^)]+))?\)/g)) {
        readers.push(key);
        const arg = call[1]?.trim();
        const limit = arg === undefined ? DEFAULT_JSON_BODY_BYTES : /^\d[\d_]*$/.test(arg) ? Number(arg.replace(/_/g, '')) : arg;
        // A literal or the default must equal the gate's limit; a named limit must be the route's own.
        expect(limit, key).toBe(typeof limit === 'number' ? bodyLimit(key) : `bodyLimit('${key}')`);
      }
    }
    expect(readers).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/incidents',
        'PATCH /api/incidents/[id]',
        'POST /api/admin/users',
        'PATCH /api/admin/users/[id]',
        'POST /api/incidents/[id]/dispatch',
        'POST /api/assignments/[id]/release',
        'POST /api/admin/import/preview',
        'POST /api/admin/import/apply',
        'POST /api/admin/teams',
        'PATCH /api/admin/teams/[id]',
        'POST /api/admin/teams/[id]/devices',
        'PUT /api/admin/basemap',
        'POST /api/plans',
        'PUT /api/plans/[id]',
      ]),
    );
    // The import file is the one raw body, read with its own (larger) limit.
    expect(bodyLimit('POST /api/admin/import/preview')).toBe(16 * 1024 * 1024);
    // The basemap archive is written to disk chunk by chunk as it arrives (readChunks), so its limit can be far larger.
    expect(bodyLimit('PUT /api/admin/basemap')).toBe(512 * 1024 * 1024);
    // Routes that take no body read none: the gate's NO_BODY_BYTES limit is theirs.
    for (const key of [
      'POST /api/assignments/[id]/acknowledge',
      'GET /api/incidents/[id]/timeline',
      'GET /api/incidents/[id]/recommendations',
      'POST /api/admin/devices/[id]/secret',
      'POST /api/admin/devices/[id]/disable',
    ]) {
      expect(readers, key).not.toContain(key);
      expect(bodyLimit(key), key).toBe(NO_BODY_BYTES);
    }
  });
});
