// The compact live feed (issue 15) end to end: a fix posted through
// /ingest/batch reaches signed-in socket.io dashboards of every role as a
// `moves` event with only what the fix changed, taken from the insert (what
// the database committed), in the one sequence every live event shares; a
// status change still arrives whole as `positions`; and incidents keep their
// projection per role alongside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceSecret } from '../../db/devices';
import { setUnitStatus } from '../../db/units';
import { createIncident } from '../../lib/incidents';
import { decodeMoves, type MovesEvent } from '../../lib/model';
import { seedDemoTownship } from '../../lib/sim/seed';
import { connectSocket, startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';

describe.each(engines())('the compact live feed on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let sockets: { viewer: TestSocket; coordinator: TestSocket; wall: TestSocket };
  let device: { identifier: string; teamId: number; name: string };
  /** Every seq the viewer's socket saw, in arrival order. */
  const seqs: number[] = [];

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    const { rows } = await t.db.query<{ team_id: number; id: number; name: string }>(
      `SELECT d.team_id, d.id, t.name FROM devices d JOIN teams t ON t.id = d.team_id WHERE t.force_type = 'motorcycle' ORDER BY d.id LIMIT 1`,
    );
    device = { identifier: await issueDeviceSecret(t.db, { deviceId: rows[0]!.id }), teamId: rows[0]!.team_id, name: rows[0]!.name };
    server = await startTestApp(t.db);
    sockets = {
      viewer: await connectSocket(server.baseUrl, (await signIn(t.db, 'viewer')).cookie),
      coordinator: await connectSocket(server.baseUrl, (await signIn(t.db, 'coordinator')).cookie),
      wall: await connectSocket(server.baseUrl, (await signIn(t.db, 'wall')).cookie),
    };
    sockets.viewer.onAny((_event: string, payload: { seq?: unknown }) => {
      if (typeof payload?.seq === 'number') seqs.push(payload.seq);
    });
  });

  afterAll(async () => {
    for (const s of Object.values(sockets ?? {})) s.close();
    await server?.close();
    await t?.drop();
  });

  const postFix = async (fix: Record<string, unknown>) => {
    const res = await fetch(`${server.baseUrl}/ingest/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: [{ device: device.identifier, ...fix }] }),
    });
    expect(res.status).toBe(200);
  };
  const movesOf = (teamId: number) => (socket: TestSocket) => waitForEvent(socket, 'moves', (e) => e.data.i.includes(teamId));

  it('a fix reaches every role’s dashboard as a compact move: position, heading, speed, battery, grid and fix time as committed, no names', async () => {
    const { lon, lat } = await pointInFirstGrid(t.db);
    const fixTime = Date.now() - 3_000;
    const arriving = Object.values(sockets).map(movesOf(device.teamId));
    await postFix({ time: fixTime, lon: lon + 1e-4, lat, speed: 4.2, heading: 135, battery: 58 });
    const events = await Promise.all(arriving);

    const { rows } = await t.db.query<{ ms: string; lon: number; lat: number; grid_id: number }>(
      `SELECT round(extract(epoch FROM fix_time) * 1000)::bigint::text AS ms, ST_X(geom) AS lon, ST_Y(geom) AS lat, grid_id
       FROM unit_state WHERE team_id = $1::int`,
      [device.teamId],
    );
    const stored = rows[0]!;
    expect(Number(stored.ms)).toBe(fixTime);
    for (const e of events) {
      const m = decodeMoves(e.data, e.serverTime)!.find((x) => x.teamId === device.teamId)!;
      expect(m).toEqual({ teamId: device.teamId, lon: expect.closeTo(stored.lon, 7) as number, lat: expect.closeTo(stored.lat, 7) as number, fixTime, speed: 4.2, heading: 135, battery: 58, gridId: stored.grid_id });
      expect(stored.grid_id).not.toBeNull();
      // The static facts went out once, in the snapshot: the feed names nobody.
      expect(JSON.stringify(e)).not.toContain(device.name);
    }
    // One event to all of them: same sequence number, same bytes, whatever the role.
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(1);
  });

  it('an older fix sent late is stored but moves nobody on the map', async () => {
    const { lon, lat } = await pointInFirstGrid(t.db);
    const newest = Date.now() - 1_000;
    const pushed = movesOf(device.teamId)(sockets.viewer);
    await postFix({ time: newest, lon, lat });
    await pushed;
    const late: MovesEvent[] = [];
    const listener = (e: MovesEvent) => late.push(e);
    sockets.viewer.on('moves', listener);
    await postFix({ time: newest - 60_000, lon: lon + 0.01, lat });
    await server.app.gateway.writer.flushed();
    // A later fix proves the feed is flowing: by then any move of the late one would have come first.
    const after = movesOf(device.teamId)(sockets.viewer);
    await postFix({ time: newest + 500, lon, lat });
    await after;
    sockets.viewer.off('moves', listener);
    const times = late.flatMap((e) => decodeMoves(e.data, e.serverTime)!.filter((m) => m.teamId === device.teamId).map((m) => m.fixTime));
    expect(times).toEqual([newest + 500]);
  });

  it('a status change arrives whole as positions; incidents keep their projection per role; every event is in one gapless sequence', async () => {
    const whole = waitForEvent(sockets.wall, 'positions', (e) => e.data[device.teamId]?.status === 'off_duty');
    await setUnitStatus(t.db, { teamIds: [device.teamId], status: 'off_duty' });
    server.app.bus.publish('units:moved', [device.teamId]);
    expect((await whole).data[device.teamId]).toMatchObject({ teamId: device.teamId, name: device.name, status: 'off_duty' });

    const { lon, lat } = await pointInFirstGrid(t.db);
    const staff = waitForEvent(sockets.coordinator, 'incident:new', (e) => e.data.title === '集市摊位纠纷');
    const redacted = waitForEvent(sockets.viewer, 'incident:new', (e) => e.data.title === '集市摊位纠纷');
    await createIncident(
      { db: t.db, bus: server.app.bus },
      { category: 'neighbour_dispute', severity: 2, title: '集市摊位纠纷', description: '两家摊主因摊位边界争执', reporterContact: '138 0000 1234', source: 'coordinator', position: [lon, lat] },
    );
    expect((await staff).data).toMatchObject({ description: '两家摊主因摊位边界争执', reporterContact: '138 0000 1234' });
    const seen = (await redacted).data as unknown as Record<string, unknown>;
    expect(seen).not.toHaveProperty('description');
    expect(seen).not.toHaveProperty('reporterContact');

    expect(seqs.length).toBeGreaterThan(3);
    expect(seqs).toEqual(seqs.map((_, k) => seqs[0]! + k));
  });

  it('the feed before issue 15 (kept for bench/fanout.ts) sends the moved unit whole, re-read', async () => {
    server.app.realtime.feed = 'full';
    try {
      const { lon, lat } = await pointInFirstGrid(t.db);
      const fixTime = Date.now() - 200;
      const whole = waitForEvent(sockets.viewer, 'positions', (e) => e.data[device.teamId]?.fixTime === new Date(fixTime).toISOString());
      await postFix({ time: fixTime, lon, lat, battery: 41 });
      expect((await whole).data[device.teamId]).toMatchObject({ name: device.name, status: 'off_duty', battery: 41 });
    } finally {
      server.app.realtime.feed = 'compact';
    }
  });
});
