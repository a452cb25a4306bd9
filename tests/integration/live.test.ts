import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOpenAlerts } from '../../db/alerts';
import { issueDeviceSecret } from '../../db/devices';
import { migrate } from '../../db/migrate';
import { seedDemoTownship } from '../../lib/sim/seed';
import { AppError } from '../../lib/errors';
import { createIncident } from '../../lib/incidents';
import { KNOTS_TO_MS } from '../../lib/ingest/fix';
import { decodeMoves } from '../../lib/model';
import { Simulator } from '../../lib/sim/simulator';
import { connectSocket, startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';

describe.each(engines())('device → PostGIS → socket.io on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let socket: TestSocket;
  let device: { identifier: string; teamId: number; deviceId: number };

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 30 });
    const { rows } = await t.db.query<{ team_id: number; id: number }>(
      `SELECT d.team_id, d.id FROM devices d JOIN teams t ON t.id = d.team_id
       WHERE t.force_type = 'armband' ORDER BY d.id LIMIT 1`,
    );
    const identifier = await issueDeviceSecret(t.db, { deviceId: rows[0]!.id });
    device = { identifier, teamId: rows[0]!.team_id, deviceId: rows[0]!.id };
    server = await startTestApp(t.db);
    socket = await connectSocket(server.baseUrl, (await signIn(t.db, 'viewer')).cookie);
  });

  afterAll(async () => {
    socket?.close();
    await server?.close();
    await t?.drop();
  });

  /** A point inside the township: the centre of the first grid. */
  async function insidePoint(): Promise<[number, number]> {
    const { lon, lat } = await pointInFirstGrid(t.db);
    return [lon, lat];
  }

  it('re-running the migrations is a no-op', async () => {
    expect(await migrate(t.db)).toEqual([]);
  });

  it('stores an OsmAnd fix with its grid, moves the unit and pushes one compact moves event', async () => {
    const [lon, lat] = await insidePoint();
    const ts = Math.floor(Date.now() / 1000) - 5;
    const pushed = waitForEvent(socket, 'moves', (e) => e.data.i.includes(device.teamId));
    const res = await fetch(
      `${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${lat}&lon=${lon}&timestamp=${ts}&speed=10&bearing=90&batt=77`,
      { method: 'POST' },
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');

    const { rows } = await t.db.query<{ grid_id: number | null; speed: number; battery: number; t: string }>(
      `SELECT grid_id, speed, battery, fix_time::text AS t FROM positions WHERE device_id = $1`,
      [device.deviceId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.grid_id).not.toBeNull();
    expect(rows[0]!.speed).toBeCloseTo(10 * KNOTS_TO_MS, 3);
    expect(rows[0]!.battery).toBe(77);

    const event = await pushed;
    const unit = decodeMoves(event.data, event.serverTime)!.find((m) => m.teamId === device.teamId)!;
    expect(unit.lon).toBeCloseTo(lon, 6);
    expect(unit.lat).toBeCloseTo(lat, 6);
    expect(unit.fixTime).toBe(ts * 1000);
    expect(unit.gridId).toBe(rows[0]!.grid_id);
    expect(unit.battery).toBe(77);
    expect(event.seq).toBeGreaterThan(0);
    expect(Math.abs(event.serverTime - Date.now())).toBeLessThan(5_000);
  });

  it('stores a resent fix once and never moves a unit backwards in time', async () => {
    const [lon, lat] = await insidePoint();
    const newest = Math.floor(Date.now() / 1000);
    const older = newest - 600;
    const url = (ts: number, dLon: number) =>
      `${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${lat}&lon=${lon + dLon}&timestamp=${ts}`;
    expect((await fetch(url(newest, 0.001))).status).toBe(200);
    expect((await fetch(url(newest, 0.001))).status).toBe(200);
    expect((await fetch(url(older, 0.002))).status).toBe(200);

    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM positions WHERE device_id = $1 AND fix_time = to_timestamp($2)`,
      [device.deviceId, newest],
    );
    expect(Number(rows[0]!.n)).toBe(1);
    const state = await t.db.query<{ t: number; lon: number }>(
      `SELECT extract(epoch FROM fix_time)::float8 AS t, ST_X(geom) AS lon FROM unit_state WHERE team_id = $1`,
      [device.teamId],
    );
    expect(state.rows[0]!.t).toBe(newest);
    expect(state.rows[0]!.lon).toBeCloseTo(lon + 0.001, 6);
  });

  it('refuses bad and unknown input with a clear 4xx and stores nothing', async () => {
    const before = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`);
    const cases: [string, number, RegExp][] = [
      [`/ingest/osmand?lat=1&lon=2`, 400, /device id/],
      [`/ingest/osmand?id=${device.identifier}&lat=95&lon=2`, 400, /latitude/],
      [`/ingest/osmand?id=${device.identifier}&lon=2`, 400, /coordinates/],
      [`/ingest/osmand?id=${device.identifier}&lat=28&lon=99&timestamp=${Math.floor(Date.now() / 1000) + 3600}`, 400, /future/],
      [`/ingest/osmand?id=${device.identifier}&lat=28&lon=99&timestamp=yesterday`, 400, /timestamp/],
      [`/ingest/osmand?id=not-a-real-device-id-0000&lat=28&lon=99`, 404, /unknown device/],
      [`/ingest/nowhere`, 404, /no ingest endpoint/],
    ];
    for (const [path, status, message] of cases) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message, path).toMatch(message);
    }
    const after = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('a row the database refuses fails alone; the rest of its batch is stored', async () => {
    const [lon, lat] = await insidePoint();
    const base = Date.now() - 3 * 3_600_000;
    const row = (fixTime: number) => ({
      deviceId: device.deviceId, fixTime, lon, lat, speed: null, heading: null, accuracy: null, altitude: null, battery: null, attributes: null,
    });
    const writer = server.app.gateway.writer;
    // 1e20 ms is past the end of PostgreSQL's timestamp range: the parsers never let it
    // through, so the writer is handed it directly here.
    const outcomes = await Promise.allSettled([row(base), row(base + 1000), row(1e20), row(base + 2000)].map((r) => writer.submit(r)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const refused = (outcomes[2] as PromiseRejectedResult).reason as AppError;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.status).toBe(422);
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM positions WHERE device_id = $1 AND fix_time BETWEEN to_timestamp($2::float8 / 1000) AND to_timestamp($3::float8 / 1000)`,
      [device.deviceId, base, base + 2000],
    );
    expect(Number(rows[0]!.n)).toBe(3);
  });

  it('alarm=sos raises one SOS alert, pushed at once, even when the fix is resent', async () => {
    const [lon, lat] = await insidePoint();
    // Milliseconds, so this fix's time is not one an earlier test already stored.
    const ts = Date.now() - 1_234;
    const pushed = waitForEvent(socket, 'alert:new', (e) => e.data.kind === 'sos' && e.data.teamId === device.teamId);
    const url = `${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${lat}&lon=${lon}&timestamp=${ts}&alarm=sos`;
    expect((await fetch(url)).status).toBe(200);
    const event = await pushed;
    expect(event.data.severity).toBe(4);
    expect(event.data.position![0]).toBeCloseTo(lon, 6);
    expect((await fetch(url)).status).toBe(200);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE kind = 'sos' AND team_id = $1`, [device.teamId]);
    expect(rows[0]!.n).toBe(1);
    expect((await getOpenAlerts(t.db)).map((a) => a.id)).toContain(event.data.id);
  });

  it('pushes a new incident at once', async () => {
    const [lon, lat] = await insidePoint();
    const pushed = waitForEvent(socket, 'incident:new', (e) => e.data.title === 'integration test incident');
    const created = await createIncident({ db: t.db, bus: server.app.bus }, {
      category: 'traffic',
      severity: 3,
      title: 'integration test incident',
      source: 'coordinator',
      position: [lon, lat],
    });
    expect(created.gridId).not.toBeNull();
    const event = await pushed;
    expect(event.data.id).toBe(created.id);
    expect(event.data.status).toBe('reported');
  });

  it('the simulator patrols through /ingest/osmand and its fixes are stored', async () => {
    const before = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`);
    const sim = new Simulator(
      { db: t.db, bus: server.app.bus },
      // Reports at least 1 s apart carry distinct epoch-second timestamps, so none is a duplicate.
      { baseUrl: server.baseUrl, reportSeconds: 1, incidentsPerHour: 0 },
    );
    await sim.start();
    const moved = waitForEvent(socket, 'moves', (e) => e.data.i.length >= 5, 10_000);
    await new Promise((r) => setTimeout(r, 3_000));
    sim.stop();
    await moved;
    // Every report the simulator sent has been answered (a fix can be committed
    // before its 200 reaches the simulator and is counted).
    await sim.settled();
    await server.app.gateway.writer.flushed();
    expect(sim.stats.ok).toBeGreaterThan(20);
    expect(sim.stats.failed).toBe(0);
    const after = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM positions`);
    expect(Number(after.rows[0]!.n) - Number(before.rows[0]!.n)).toBe(sim.stats.ok);
  });
});
