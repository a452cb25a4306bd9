// GPX upload through the device door (POST /ingest/gpx): the gateway's
// identity, limits, time and coordinate rules, a parse that never holds the
// server, one transaction answered after its commit, and live maps told.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, newDeviceSecret } from '../../db/devices';
import { countPositions } from '../../db/positions';
import { apiRouter } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { chunkedUpload, type ChunkSource } from '../helpers/raw-http';

const MiB = 1024 * 1024;
const FIX_LIMIT = 3; // INGEST_DEVICE_FIXES_PER_10S for this file
const iso = (ms: number) => new Date(ms).toISOString();
const trkpt = (p: { lat: number; lon: number; time: string }) => `<trkpt lat="${p.lat}" lon="${p.lon}"><time>${p.time}</time></trkpt>`;
const gpx = (pts: { lat: number; lon: number; time: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="GridSight test" xmlns="http://www.topografix.com/GPX/1/1">` +
  `<trk><trkseg>${pts.map(trkpt).join('\n')}</trkseg></trk></gpx>`;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  json: { error?: { code: string; message: string }; [k: string]: unknown };
}

describe.each(engines())('GPX upload through the device gateway on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let socket: TestSocket;
  let n = 0;

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { INGEST_DEVICE_FIXES_PER_10S: String(FIX_LIMIT) } });
    socket = await connectSocket(server.baseUrl, (await signIn(t.db, 'viewer')).cookie);
  }, 120_000);
  afterAll(async () => {
    socket?.close();
    await server?.close();
    await t?.drop();
  });

  /** A team of its own with one device: every test starts from an empty history. */
  async function newDevice(): Promise<{ secret: string; deviceId: number; teamId: number }> {
    n++;
    const { rows } = await t.db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ($1, '测试', 'Test', 'armband', 5) RETURNING id`,
      [`GPX-${n}`],
    );
    const secret = newDeviceSecret();
    const deviceId = await insertDevice(t.db, { teamId: rows[0]!.id, secret, label: `gpx ${n}` });
    return { secret, deviceId, teamId: rows[0]!.id };
  }

  async function upload(secret: string | null, body: string, path = '/ingest/gpx'): Promise<Answer> {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/gpx+xml', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
      body,
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), json: (await res.json()) as Answer['json'] };
  }

  async function unitState(teamId: number): Promise<{ t: number; lon: number; lat: number } | null> {
    const { rows } = await t.db.query<{ t: string; lon: number; lat: number }>(
      `SELECT round(extract(epoch FROM fix_time) * 1000)::bigint::text AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM unit_state WHERE team_id = $1`,
      [teamId],
    );
    return rows[0] ? { t: Number(rows[0].t), lon: rows[0].lon, lat: rows[0].lat } : null;
  }

  /** Streams a body to /ingest/gpx (tests/helpers/raw-http.ts) and reads the JSON answer. */
  async function stream(headers: Record<string, string>, chunks: ChunkSource): Promise<Answer & { endedBeforeAnswer: boolean; sent: number }> {
    const a = await chunkedUpload(server.baseUrl, { path: '/ingest/gpx', headers, chunks });
    return { status: a.status, headers: a.headers, json: JSON.parse(a.body) as Answer['json'], endedBeforeAnswer: a.endedBeforeAnswer, sent: a.sentBytes };
  }

  /** GET /api/health: the event loop must answer another request while an upload runs (how fast is the benchmarks' business). */
  async function health(): Promise<number> {
    const res = await fetch(`${server.baseUrl}/api/health`);
    await res.text();
    return res.status;
  }

  it('stores a track in one transaction, answers after the commit, and the map hears of it', async () => {
    const d = await newDevice();
    const base = Date.now() - 10 * 60_000;
    const pts = [0, 1, 2].map((i) => ({ lat: 28.45 + i * 1e-4, lon: 99.7, time: iso(base + i * 10_000) }));
    const pushed = waitForEvent(socket, 'positions', (e) => e.data[d.teamId] !== undefined);
    const r = await upload(d.secret, gpx(pts));
    expect(r.status).toBe(201);
    expect(r.json).toEqual({
      tracks: 1,
      points: 3,
      stored: 3,
      duplicates: 0,
      skipped: { noTime: 0, badTime: 0, future: 0, badCoordinates: 0 },
      from: iso(base),
      to: iso(base + 20_000),
    });
    // Answered after the commit: every fix is there the moment the answer is.
    expect(await countPositions(t.db, d.deviceId)).toBe(3);
    expect(await unitState(d.teamId)).toEqual({ t: base + 20_000, lon: 99.7, lat: 28.4502 });
    const event = await pushed;
    expect(event.data[d.teamId]!.fixTime).toBe(iso(base + 20_000));
    expect(event.data[d.teamId]!.position![1]).toBeCloseTo(28.4502, 6);

    const again = await upload(d.secret, gpx(pts));
    expect(again.json).toMatchObject({ stored: 0, duplicates: 3 });
  });

  it('skips a point dated 9999 at (180, 90) and one 10 min ahead; they never pin the team, and a later live fix moves it', async () => {
    const d = await newDevice();
    const past = Date.now() - 60 * 60_000;
    const r = await upload(
      d.secret,
      gpx([
        { lat: 28.45, lon: 99.7, time: iso(past) },
        { lat: 90, lon: 180, time: '9999-06-01T00:00:00Z' },
        { lat: 90, lon: 180, time: iso(Date.now() + 10 * 60_000) },
      ]),
    );
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ points: 1, stored: 1, skipped: { future: 2 } });
    expect(await unitState(d.teamId)).toEqual({ t: past, lon: 99.7, lat: 28.45 });

    const onlyFuture = await upload(d.secret, gpx([{ lat: 90, lon: 180, time: '9999-01-01T00:00:00Z' }]));
    expect(onlyFuture.status).toBe(422);
    expect(onlyFuture.json.error!.message).toMatch(/1 in the future/);

    const now = Math.floor(Date.now() / 1000) * 1000;
    const live = await fetch(`${server.baseUrl}/ingest/osmand?id=${d.secret}&lat=28.46&lon=99.71&timestamp=${now / 1000}`, { method: 'POST' });
    expect(live.status).toBe(200);
    expect(await unitState(d.teamId)).toEqual({ t: now, lon: 99.71, lat: 28.46 });

    // Older history lands in the table without moving the team backwards.
    const older = await upload(d.secret, gpx([{ lat: 28.3, lon: 99.6, time: iso(past - 60_000) }]));
    expect(older.json).toMatchObject({ stored: 1 });
    expect(await unitState(d.teamId)).toEqual({ t: now, lon: 99.71, lat: 28.46 });
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM positions WHERE device_id = $1 AND fix_time > now() + interval '5 minutes'`,
      [d.deviceId],
    );
    expect(rows[0]!.n).toBe('0');
  });

  it('refuses a 170,000-point file with 413 naming the limit, stores nothing, and the server answers other requests while the body is still arriving', async () => {
    const d = await newDevice();
    const base = Date.now() - 200_000_000;
    const POINTS = 170_000;
    const PER_CHUNK = 2_000;
    const healthAnswers: number[] = [];
    const head = Buffer.from('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>');
    let i = 0;
    const answer = await stream({ authorization: `Bearer ${d.secret}`, 'content-type': 'application/gpx+xml' }, async (sent) => {
      if (sent === 0) return head;
      if (i >= POINTS) return null;
      // Another request every 40,000 points (about 3 MB) while the body is still arriving.
      if (i % 40_000 === 0) healthAnswers.push(await health());
      let s = '';
      for (const end = i + PER_CHUNK; i < end; i++) s += trkpt({ lat: 28.4, lon: 99.7, time: iso(base + i * 1000) });
      if (i >= POINTS) s += '</trkseg></trk></gpx>';
      return Buffer.from(s);
    });
    // And once more right after: nothing is left running that holds the event loop.
    healthAnswers.push(await health());
    expect(answer.status).toBe(413);
    expect(answer.json.error!.message).toMatch(/more than 50,000 track points \(the GPX_MAX_POINTS limit\)/);
    expect(answer.endedBeforeAnswer).toBe(false);
    expect(answer.sent).toBeLessThan(16 * MiB);
    // Asked between chunks, so each answer came while the upload was open (until the 413 ends it); and once after it.
    expect(healthAnswers.length).toBeGreaterThanOrEqual(3);
    expect(healthAnswers.every((status) => status === 200)).toBe(true);
    expect(await countPositions(t.db, d.deviceId)).toBe(0);
    expect(await unitState(d.teamId)).toBeNull();
  });

  it('stores a large file that is within the limits', async () => {
    const d = await newDevice();
    const base = Date.now() - 100_000_000;
    const pts = Array.from({ length: 20_000 }, (_, i) => ({ lat: 28.4 + (i % 100) * 1e-4, lon: 99.7, time: iso(base + i * 1000) }));
    const r = await upload(d.secret, gpx(pts));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ points: 20_000, stored: 20_000, from: iso(base), to: iso(base + 19_999_000) });
    expect(await countPositions(t.db, d.deviceId)).toBe(20_000);
  }, 120_000);

  it('refuses a body over GPX_MAX_BYTES with 413: at once when declared, while it arrives when chunked', async () => {
    const d = await newDevice();
    const auth = { authorization: `Bearer ${d.secret}`, 'content-type': 'application/gpx+xml' };
    const declared = await stream({ ...auth, 'content-length': String(17 * MiB) }, () => new Promise<Buffer | null>(() => {}));
    expect(declared.status).toBe(413);
    expect(declared.json.error!.message).toMatch(/limit is 16777216 \(GPX_MAX_BYTES\)/);
    expect(declared.sent).toBe(0);

    // Up to 256 MiB of comments (few points, many bytes): the answer must come
    // soon after 16 MiB, long before the body would end.
    const filler = Buffer.from(`<!--${'x'.repeat(64 * 1024 - 7)}-->`);
    const chunked = await stream({ ...auth, 'transfer-encoding': 'chunked' }, (sent) =>
      sent === 0 ? Buffer.from('<gpx><trk><trkseg>') : sent < 256 * MiB ? filler : null,
    );
    expect(chunked.status).toBe(413);
    expect(chunked.json.error!.message).toMatch(/exceeds the limit of 16777216 bytes \(GPX_MAX_BYTES\)/);
    expect(chunked.endedBeforeAnswer).toBe(false);
    expect(chunked.sent).toBeLessThan(128 * MiB);
    expect(await countPositions(t.db, d.deviceId)).toBe(0);
  });

  it('counts uploads against the device: the 7th in a minute, or any while it is over its fix limit, is 429 with Retry-After', async () => {
    const d = await newDevice();
    const base = Date.now() - 60 * 60_000;
    for (let i = 0; i < 6; i++) {
      expect((await upload(d.secret, gpx([{ lat: 28.45, lon: 99.7, time: iso(base + i * 1000) }]))).status).toBe(201);
    }
    const seventh = await upload(d.secret, gpx([{ lat: 28.45, lon: 99.7, time: iso(base + 7_000) }]));
    expect(seventh.status).toBe(429);
    expect(Number(seventh.headers['retry-after'])).toBeGreaterThan(0);
    expect(seventh.json.error!.message).toMatch(/more than 6 GPX uploads in a minute/);
    expect(await countPositions(t.db, d.deviceId)).toBe(6);

    // Another device floods live fixes past INGEST_DEVICE_FIXES_PER_10S: GPX is no way around it.
    const e = await newDevice();
    const codes: number[] = [];
    for (let i = 0; i <= FIX_LIMIT; i++) {
      const ts = Math.floor(Date.now() / 1000) - 100 + i;
      codes.push((await fetch(`${server.baseUrl}/ingest/osmand?id=${e.secret}&lat=28.4&lon=99.7&timestamp=${ts}`, { method: 'POST' })).status);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    const over = await upload(e.secret, gpx([{ lat: 28.45, lon: 99.7, time: iso(base) }]));
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countPositions(t.db, e.deviceId)).toBe(FIX_LIMIT);
  });

  it('takes one upload per device at a time, and a client that goes away mid-upload stores nothing and frees its place', async () => {
    const d = await newDevice();
    const hanging = httpRequest(new URL('/ingest/gpx', server.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${d.secret}`, 'transfer-encoding': 'chunked' },
    });
    hanging.on('error', () => {}); // destroyed below on purpose
    hanging.write(`<gpx><trk><trkseg>${trkpt({ lat: 28.4, lon: 99.7, time: iso(Date.now() - 60_000) })}`);
    const body = gpx([{ lat: 28.45, lon: 99.7, time: iso(Date.now() - 120_000) }]);
    // Every attempt counts against the 6 a minute: the hanging upload, one
    // while it hangs, then at most 4 while the gateway lets it go.
    await new Promise((r) => setTimeout(r, 300));
    const second = await upload(d.secret, body);
    expect(second.status).toBe(429);
    expect(second.json.error!.message).toMatch(/still being stored/);
    hanging.destroy();
    let third: Answer;
    for (let tries = 1; ; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      third = await upload(d.secret, body);
      if (third.status !== 429 || tries === 4) break;
    }
    expect(third.status).toBe(201);
    expect(await countPositions(t.db, d.deviceId)).toBe(1);
  });

  it('asks for the device like every other protocol: none 401, unknown 404; the old /api/gpx door is closed', async () => {
    const body = gpx([{ lat: 28.45, lon: 99.7, time: iso(Date.now() - 60_000) }]);
    const anonymous = await upload(null, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error!.code).toBe('unauthorized');
    const unknown = await upload('not-a-device-secret-0000000000', body);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error!.code).toBe('unknown_device');
    const d = await newDevice();
    const old = await upload(d.secret, body, '/api/gpx');
    expect(old.status).toBe(404);
    const basic = await fetch(`${server.baseUrl}/ingest/gpx`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`phone:${d.secret}`).toString('base64')}` },
      body,
    });
    expect(basic.status).toBe(201);
    expect((await fetch(`${server.baseUrl}/ingest/gpx`, { headers: { authorization: `Bearer ${d.secret}` } })).status).toBe(400);
    expect(await countPositions(t.db, d.deviceId)).toBe(1);
  });

  it('refuses malformed XML (400), a file that is not GPX (400) and an empty body (422), and stores nothing of a file broken at its end', async () => {
    const d = await newDevice();
    const cases: [string, number, RegExp][] = [
      ['<gpx><trk><trkseg><trkpt lat="1" lon="1"></trk>', 400, /not well-formed XML/],
      ['{"lat": 1, "lon": 2}', 400, /not well-formed XML/],
      ['<kml><Document/></kml>', 400, /root element must be <gpx>/],
      ['', 422, /empty/],
      ['  \n ', 422, /empty/],
      ['<gpx><trk><trkseg></trkseg></trk></gpx>', 422, /no track points/],
    ];
    for (const [body, status, message] of cases) {
      const r = await upload(d.secret, body);
      expect([r.status, r.json.error!.message], JSON.stringify(body)).toEqual([status, expect.stringMatching(message)]);
    }
    const good = Array.from({ length: 1_500 }, (_, i) => ({ lat: 28.4, lon: 99.7, time: iso(Date.now() - 10_000_000 + i * 1000) }));
    const broken = gpx(good).replace('</trkseg></trk></gpx>', '</trkseg><trk>');
    const e = await newDevice();
    const r = await upload(e.secret, broken);
    expect(r.status).toBe(400);
    expect(await countPositions(t.db, e.deviceId)).toBe(0);
  });
});
