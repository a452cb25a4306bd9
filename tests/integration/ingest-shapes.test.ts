// Every request shape the device apps send, each asserting what was stored
// (position, time in UTC, speed in m/s, battery, attributes) and the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceSecret } from '../../db/devices';
import { DeviceDirectory } from '../../lib/ingest/devices';
import { seedDemoTownship } from '../../lib/sim/seed';
import { KNOTS_TO_MS } from '../../lib/ingest/fix';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';

interface Stored {
  lon: number;
  lat: number;
  t: string;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  altitude: number | null;
  battery: number | null;
  attributes: Record<string, unknown> | null;
  grid_id: number | null;
}

interface Shape {
  name: string;
  request: (ctx: { base: string; id: string; lat: number; lon: number; t: number }) => [string, RequestInit];
  status: number;
  body?: string;
  stored: (ctx: { lat: number; lon: number; t: number }) => Partial<Stored> & { t: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

const SHAPES: Shape[] = [
  {
    name: 'OsmAnd GET, query string, epoch seconds, knots',
    request: ({ base, id, lat, lon, t }) => [`${base}/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${t / 1000}&speed=10&bearing=90&altitude=3300&accuracy=6&batt=55`, { method: 'GET' }],
    status: 200,
    body: '',
    stored: ({ t }) => ({ t: iso(t), speed: 10 * KNOTS_TO_MS, heading: 90, altitude: 3300, accuracy: 6, battery: 55 }),
  },
  {
    name: 'OsmAnd POST, form body, epoch milliseconds, deviceid and location=lat,lon',
    request: ({ base, id, lat, lon, t }) => [
      `${base}/ingest/osmand`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `deviceid=${id}&location=${lat},${lon}&timestamp=${t}&heading=45&hdop=2&batt=12&charge=true&driverUniqueId=abc` },
    ],
    status: 200,
    stored: ({ t }) => ({ t: iso(t), heading: 45, accuracy: 2, battery: 12, attributes: { charge: true, driverUniqueId: 'abc' } }),
  },
  {
    name: 'OsmAnd POST, query and form merged, ISO time with an offset',
    request: ({ base, id, lat, lon, t }) => [
      `${base}/ingest/osmand?id=${id}&lat=${lat}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `lon=${lon}&timestamp=${encodeURIComponent(new Date(t + 8 * 3600_000).toISOString().replace('Z', '+08:00'))}` },
    ],
    status: 200,
    stored: ({ t }) => ({ t: iso(t) }),
  },
  {
    name: 'OsmAnd GET, yyyy-MM-dd HH:mm:ss (UTC)',
    request: ({ base, id, lat, lon, t }) => [`${base}/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${encodeURIComponent(iso(t).slice(0, 19).replace('T', ' '))}`, { method: 'GET' }],
    status: 200,
    stored: ({ t }) => ({ t: iso(t) }),
  },
  {
    name: 'OsmAnd GET with alarm=sos keeps the alarm as an attribute',
    request: ({ base, id, lat, lon, t }) => [`${base}/ingest/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${t}&alarm=sos`, { method: 'GET' }],
    status: 200,
    stored: ({ t }) => ({ t: iso(t), attributes: { alarm: 'sos' } }),
  },
  {
    name: 'Traccar Client 9 JSON body: m/s, battery 0..1, -1 unknown',
    request: ({ base, id, lat, lon, t }) => [
      `${base}/ingest/osmand`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          device_id: id,
          location: {
            timestamp: iso(t),
            coords: { latitude: lat, longitude: lon, accuracy: 4.5, speed: 2.5, heading: -1, altitude: -1 },
            battery: { level: 0.66, is_charging: true },
            is_moving: true,
          },
        }),
      },
    ],
    status: 200,
    stored: ({ t }) => ({ t: iso(t), speed: 2.5, heading: null, altitude: null, accuracy: 4.5, battery: 66, attributes: { charge: true, is_moving: true } }),
  },
  {
    name: 'OwnTracks location with Basic auth: km/h to m/s, answered []',
    request: ({ base, id, lat, lon, t }) => [
      `${base}/ingest/owntracks`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`patrol7:${id}`).toString('base64')}` },
        body: JSON.stringify({ _type: 'location', lat, lon, tst: t / 1000, acc: 12, alt: 3301, vel: 36, cog: 270, batt: 81, tid: 'p7' }),
      },
    ],
    status: 200,
    body: '[]',
    stored: ({ t }) => ({ t: iso(t), speed: 10, heading: 270, accuracy: 12, altitude: 3301, battery: 81, attributes: { tid: 'p7' } }),
  },
  {
    name: 'OwnTracks location named by X-Limit-D',
    request: ({ base, id, lat, lon, t }) => [
      `${base}/ingest/owntracks`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-limit-u': 'patrol7', 'x-limit-d': id }, body: JSON.stringify({ _type: 'location', lat, lon, tst: t / 1000 }) },
    ],
    status: 200,
    body: '[]',
    stored: ({ t }) => ({ t: iso(t) }),
  },
];

describe.each(engines())('device request shapes on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let device: { identifier: string; id: number };
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    const id = (await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id LIMIT 1`)).rows[0]!.id;
    device = { id, identifier: await issueDeviceSecret(t.db, { deviceId: id }) };
    point = await pointInFirstGrid(t.db);
    server = await startTestApp(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  async function storedAt(ms: number): Promise<Stored[]> {
    const { rows } = await t.db.query<Stored>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, to_char(fix_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t,
              speed, heading, accuracy, altitude, battery, attributes, grid_id
       FROM positions WHERE device_id = $1 AND fix_time = to_timestamp($2::float8 / 1000)`,
      [device.id, ms],
    );
    return rows;
  }

  SHAPES.forEach((shape, i) => {
    it(shape.name, async () => {
      // Whole seconds, a minute apart per shape, so every shape has its own fix time.
      const ms = Math.floor(Date.now() / 1000) * 1000 - (i + 1) * 60_000;
      const ctx = { base: server.baseUrl, id: device.identifier, lat: point.lat, lon: point.lon, t: ms };
      const [url, init] = shape.request(ctx);
      const res = await fetch(url, init);
      expect(res.status).toBe(shape.status);
      if (shape.body !== undefined) expect(await res.text()).toBe(shape.body);
      const rows = await storedAt(ms);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.lon).toBeCloseTo(point.lon, 6);
      expect(row.lat).toBeCloseTo(point.lat, 6);
      expect(row.grid_id).not.toBeNull();
      const want = shape.stored(ctx);
      expect(row.t).toBe(want.t);
      for (const key of ['speed', 'heading', 'accuracy', 'altitude', 'battery'] as const) {
        if (key in want) {
          if (want[key] === null) expect(row[key], key).toBeNull();
          else expect(row[key], key).toBeCloseTo(want[key]!, 3);
        }
      }
      if (want.attributes) expect(row.attributes).toMatchObject(want.attributes);
    });
  });

  it('OwnTracks: other message types and an empty body are acknowledged and store nothing', async () => {
    const auth = { authorization: `Basic ${Buffer.from(`x:${device.identifier}`).toString('base64')}` };
    const before = (await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`)).rows[0]!.n;
    for (const body of [JSON.stringify({ _type: 'transition', event: 'enter', tst: 1 }), JSON.stringify({ _type: 'card', name: 'x' }), '']) {
      const res = await fetch(`${server.baseUrl}/ingest/owntracks`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('[]');
    }
    expect((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`)).rows[0]!.n).toBe(before);
  });

  it('batch: one result per fix, valid fixes stored even when others are rejected, resends are duplicates', async () => {
    const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const fixes = [
      { device: device.identifier, time: base, lat: point.lat, lon: point.lon, speed: 1.5, battery: 40 },
      { device: device.identifier, time: iso(base + 1000), lat: point.lat, lon: point.lon },
      { device: device.identifier, time: base + 2000, lat: 123, lon: point.lon },
      { device: 'forged-0000000000000000000000000000', time: base + 3000, lat: point.lat, lon: point.lon },
      { device: device.identifier, time: Date.now() + 3_600_000, lat: point.lat, lon: point.lon },
      { device: device.identifier, lat: point.lat, lon: point.lon },
    ];
    const post = () => fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
    const res = await post();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; results: { index: number; status: string; reason?: string }[] };
    expect(body.accepted).toBe(2);
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(body.results[2]!.reason).toMatch(/latitude/);
    expect(body.results[3]!.reason).toMatch(/unknown device/);
    expect(body.results[4]!.reason).toMatch(/future/);
    expect(body.results[5]!.reason).toMatch(/time/);
    expect(await storedAt(base)).toHaveLength(1);
    expect((await storedAt(base))[0]!.speed).toBeCloseTo(1.5, 5);
    expect(await storedAt(base + 1000)).toHaveLength(1);

    const again = (await (await post()).json()) as { results: { status: string }[] };
    expect(again.results.slice(0, 2).map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await storedAt(base)).toHaveLength(1);
  });

  it('batch: an envelope that is not {fixes: [...]} or too large is refused with a reason', async () => {
    const bad = await fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', body: '{"nope": 1}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/fixes/);
    const many = await fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', body: JSON.stringify({ fixes: Array.from({ length: 1001 }, () => ({})) }) });
    expect(many.status).toBe(413);
    const notJson = await fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', body: '{"fixes": [' });
    expect(notJson.status).toBe(400);
  });

  it('a body over the limit is a 413, and the gateway keeps serving', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const res = await fetch(`${server.baseUrl}/ingest/osmand?id=${device.identifier}`, { method: 'POST', body: huge });
    expect(res.status).toBe(413);
    const ok = await fetch(`${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${point.lat}&lon=${point.lon}`);
    expect(ok.status).toBe(200);
  });

  it('a re-issued secret stops working once the cache entry expires', async () => {
    const directory = new DeviceDirectory(t.db, 50, 50);
    const deviceId = (await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id DESC LIMIT 1`)).rows[0]!.id;
    const old = await issueDeviceSecret(t.db, { deviceId });
    expect((await directory.resolve(old))?.id).toBe(deviceId);
    const fresh = await issueDeviceSecret(t.db, { deviceId });
    await new Promise((r) => setTimeout(r, 80));
    expect(await directory.resolve(old)).toBeNull();
    expect((await directory.resolve(fresh))?.id).toBe(deviceId);
  });

  it('one device cannot flood the table: past 1,000 fixes in 10 s it gets 429 with Retry-After', async () => {
    const deviceId = (await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id OFFSET 5 LIMIT 1`)).rows[0]!.id;
    const secret = await issueDeviceSecret(t.db, { deviceId });
    const base = Date.now() - 6 * 3_600_000;
    const fixes = Array.from({ length: 1000 }, (_, i) => ({ device: secret, time: base + i * 1000, lat: point.lat, lon: point.lon }));
    const first = await fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', body: JSON.stringify({ fixes }) });
    expect(((await first.json()) as { accepted: number }).accepted).toBe(1000);
    const more = await fetch(`${server.baseUrl}/ingest/osmand?id=${secret}&lat=${point.lat}&lon=${point.lon}`);
    expect(more.status).toBe(429);
    expect(Number(more.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other devices are not affected.
    expect((await fetch(`${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${point.lat}&lon=${point.lon}`)).status).toBe(200);
  });

  it('device secrets are stored only as hashes', async () => {
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM devices d WHERE row_to_json(d)::text LIKE '%' || $1::text || '%'`,
      [device.identifier],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('forgery: a valid-looking but unissued id is refused and stores nothing', async () => {
    const before = (await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`)).rows[0]!.n;
    const forged = device.identifier.slice(0, -1) + (device.identifier.endsWith('0') ? '1' : '0');
    const attempts = [
      fetch(`${server.baseUrl}/ingest/osmand?id=${forged}&lat=${point.lat}&lon=${point.lon}`),
      fetch(`${server.baseUrl}/ingest/osmand?id=1&lat=${point.lat}&lon=${point.lon}`),
      fetch(`${server.baseUrl}/ingest/owntracks`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`u:${forged}`).toString('base64')}` },
        body: JSON.stringify({ _type: 'location', lat: point.lat, lon: point.lon, tst: Math.floor(Date.now() / 1000) }),
      }),
      fetch(`${server.baseUrl}/ingest/owntracks`, { method: 'POST', body: JSON.stringify({ _type: 'location', lat: point.lat, lon: point.lon, tst: 1 }) }),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual([404, 404, 404, 401]);
    expect((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`)).rows[0]!.n).toBe(before);
  });
});
