import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { chunkedUpload, rawRequest } from '../helpers/raw-http';
import { ADMIN_STATE, E2E_BASE_URL, E2E_DEVICE_ID } from './constants';

function gpx(points: { lat: number; lon: number; time: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="GridSight e2e" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>patrol</name><trkseg>
    ${points.map((p) => `<trkpt lat="${p.lat}" lon="${p.lon}"><ele>3290</ele><time>${p.time}</time></trkpt>`).join('\n    ')}
  </trkseg></trk>
</gpx>`;
}

test.describe('API through the production server', () => {
  test('pages carry security headers and a Content-Security-Policy of our own origin only', async ({ request }) => {
    const res = await request.get('/login');
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:\/\//);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['x-frame-options']).toBe('DENY');
  });

  // GPX comes in through the device gateway, the door every device protocol uses.
  test('GPX import stores a device track as history, idempotently, and refuses bad input', async ({ request }) => {
    const base = Date.now() - 86_400_000;
    const body = gpx([0, 1, 2].map((i) => ({ lat: 28.45 + i * 1e-4, lon: 99.7, time: new Date(base + i * 10_000).toISOString() })));
    const auth = { authorization: `Bearer ${E2E_DEVICE_ID}`, 'content-type': 'application/gpx+xml' };

    const first = await request.post('/ingest/gpx', { headers: auth, data: body });
    expect(first.status()).toBe(201);
    expect(await first.json()).toMatchObject({ tracks: 1, points: 3, stored: 3, duplicates: 0 });

    const again = await request.post('/ingest/gpx', { headers: auth, data: body });
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 3 });

    const malformed = await request.post('/ingest/gpx', { headers: auth, data: '<gpx><trk>' });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/XML/);

    const untimed = await request.post('/ingest/gpx', { headers: auth, data: body.replace(/<time>[^<]*<\/time>/g, '') });
    expect(untimed.status()).toBe(422);

    const anonymous = await request.post('/ingest/gpx', { data: body });
    expect(anonymous.status()).toBe(401);
  });

  test('incident input is validated with a message that names the field', async ({ request }) => {
    const res = await request.post('/api/incidents', { data: { category: 'alien', severity: 9, title: '', position: [999, 0] } });
    expect(res.status()).toBe(422);
    const { error } = await res.json();
    expect(error.message).toMatch(/category/);
    const notJson = await request.post('/api/incidents', { headers: { 'content-type': 'application/json' }, data: Buffer.from('{oops') });
    expect(notJson.status()).toBe(400);
    const badWindow = await request.get('/api/heatmap?window=2y');
    expect(badWindow.status()).toBe(422);
  });
});

// Odd request targets and oversized bodies against the real Next server (issue
// 8, items 1, 6 and 11): the gate decides on the path Next routes, and Next
// never reads a body past its route's limit. Raw node http, not the browser
// or fetch, so that each target goes on the wire exactly as written.
test.describe('request targets and bodies through the production server', () => {
  /** The signed-in administrator's cookie header (tests/e2e/global-setup.ts). */
  const adminCookie = async (): Promise<string> => {
    const state = JSON.parse(await readFile(ADMIN_STATE, 'utf8')) as { cookies: { name: string; value: string }[] };
    return state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  };
  const PROTECTED_SPELLINGS = [
    '/./api/admin/users',
    '/x/../api/units',
    '/./api/alerts',
    '//api/units',
    '/api/./units',
    '/%61pi/units',
    '/api%2Funits',
    '/api\\units',
    '/API/units',
    '/api/units/',
    '/api/units;',
    '/api/units%20',
    '/api/units#x',
    '/api/admin/users/..%2Fusers',
    '/./admin',
    '/x/../admin',
    '/Admin',
    '/admin/',
    '/admin;',
    '/admin%20',
    '/admin.rsc',
    '/admin#x',
    '/%61dmin',
    '/_next/../admin',
    '/index',
    '/account/.',
    'http://127.0.0.1/api/admin/users',
  ];

  test('anonymous odd spellings of protected routes and pages never get a 200 or a 5xx from Next', async () => {
    for (const path of PROTECTED_SPELLINGS) {
      const answer = await rawRequest(E2E_BASE_URL, { path });
      expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBeGreaterThanOrEqual(300);
      expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
      expect(answer.body, path).not.toMatch(/"username"|"battery"|"position"/);
    }
    // The canonical spelling still answers a signed-in caller.
    const cookie = await adminCookie();
    expect((await rawRequest(E2E_BASE_URL, { path: '/api/admin/users', headers: { cookie } })).status).toBe(200);
  });

  test('answers `*`, OPTIONS *, malformed escapes and paths beside socket.io, quickly and without a 500', async () => {
    expect((await rawRequest(E2E_BASE_URL, { path: '*' })).status).toBe(400);
    const options = await rawRequest(E2E_BASE_URL, { method: 'OPTIONS', path: '*' });
    expect(options.status).toBe(204);
    expect(options.headers.allow).toContain('GET');
    for (const path of ['/api/incidents/%E0%A4%A', '/api/incidents/%FF', '/%E0%A4%A']) {
      const answer = await rawRequest(E2E_BASE_URL, { path });
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toMatch(/percent-escape/);
    }
    for (const path of ['/socket.iox', '/socket.io.js']) {
      expect((await rawRequest(E2E_BASE_URL, { path, timeoutMs: 5_000 })).status, path).toBe(404);
    }
  });

  test('stops a 50 MB chunked body at the limit: 413 from sign-in (anonymous) and a staff route, 405 for a page, and the server goes on', async () => {
    const cookie = await adminCookie();
    const FIFTY_MB = 50 * 1024 * 1024;
    for (const [path, headers, status] of [
      ['/api/auth/login', {}, 413],
      ['/api/incidents', { cookie }, 413],
      ['/', {}, 405],
    ] as const) {
      const answer = await chunkedUpload(E2E_BASE_URL, { path, headers, totalBytes: FIFTY_MB });
      expect(answer.status, `${path}: ${answer.body}`).toBe(status);
      // Answered while the client was still sending: the server did not wait for (or keep) the whole body.
      // How much the client wrote before it saw the answer depends on scheduling, not on the server.
      expect(answer.sentBytes, path).toBeLessThan(FIFTY_MB);
      expect((await rawRequest(E2E_BASE_URL, { path: '/api/health' })).status).toBe(200);
    }
  });
});
