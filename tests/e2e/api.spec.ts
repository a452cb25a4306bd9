import { expect, test } from '@playwright/test';
import { E2E_DEVICE_ID } from './constants';

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

  test('GPX import stores a device track as history, idempotently, and refuses bad input', async ({ request }) => {
    const base = Date.now() - 86_400_000;
    const body = gpx([0, 1, 2].map((i) => ({ lat: 28.45 + i * 1e-4, lon: 99.7, time: new Date(base + i * 10_000).toISOString() })));
    const auth = { authorization: `Bearer ${E2E_DEVICE_ID}`, 'content-type': 'application/gpx+xml' };

    const first = await request.post('/api/gpx', { headers: auth, data: body });
    expect(first.status()).toBe(201);
    expect(await first.json()).toMatchObject({ tracks: 1, points: 3, stored: 3, duplicates: 0 });

    const again = await request.post('/api/gpx', { headers: auth, data: body });
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 3 });

    const malformed = await request.post('/api/gpx', { headers: auth, data: '<gpx><trk>' });
    expect(malformed.status()).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/XML/);

    const untimed = await request.post('/api/gpx', { headers: auth, data: body.replace(/<time>[^<]*<\/time>/g, '') });
    expect(untimed.status()).toBe(422);

    const anonymous = await request.post('/api/gpx', { data: body });
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
