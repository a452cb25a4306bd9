// Two GridSight processes on one PostGIS database and one Redis (issue 15):
// process A is a peer in a child process (so it can die for real), process B is
// this test's own app. Dashboards are socket.io clients; those "on A" reach it
// through a small switchable proxy, as through a load balancer, so when A goes
// they come back through the same address and land on B.
// A fix posted to A reaches the dashboards of both processes exactly once; an
// incident created on B reaches A's dashboards with each role's projection;
// the leader's plan monitor (on A) counts a visit from fixes posted to B, and
// B's dashboards hear of it from A; each process counts its own `seq` without
// gaps; a process stopped cleanly hands its dashboards to the other with what
// they missed (recovered), a killed one leaves them to reconnect afresh
// (resync) and its leader duties move within 15 s. (The 11th failed sign-in across two processes:
// limits-shared.test.ts.) Needs DATABASE_URL and REDIS_URL (vitest.config.ts).
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, createServer, type Server, type Socket as NetSocket } from 'node:net';
import { createClient } from 'redis';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueDeviceSecret } from '../../db/devices';
import { createIncident } from '../../lib/incidents';
import { createPlan } from '../../lib/plans/service';
import { DEFAULT_TOWNSHIP_TZ, townshipClock, townshipDay } from '../../lib/model/township-time';
import { decodeMoves, type CheckpointsEvent, type Envelope, type HelloPayload, type MovesEvent, type PlansLive, type ViewRoom } from '../../lib/model';
import { seedDemoTownship } from '../../lib/sim/seed';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { freshDb, type TestDb } from '../helpers/db';
import { startPeerApp, type Peer } from '../helpers/peer-app';
import { pointInFirstGrid } from '../helpers/township';

const REDIS_URL = process.env.REDIS_URL ?? '';

/** A TCP forwarder whose target can be changed: new connections go to the current one, as through a load balancer. */
class SwitchProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<NetSocket>();
  target = 0;

  async start(target: number): Promise<string> {
    this.target = target;
    this.#server = createServer((client) => {
      const upstream = tcpConnect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const addr = this.#server.address();
    return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

/** A dashboard: joined to the map room, every event kept (with its name) in arrival order. */
interface Dashboard {
  s: TestSocket;
  events: { name: string; env: Envelope<unknown> }[];
  hellos: HelloPayload[];
}

function dashboard(baseUrl: string, cookie: string, reconnection = true): Dashboard {
  const s: TestSocket = connect(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
    extraHeaders: { cookie },
  });
  const d: Dashboard = { s, events: [], hellos: [] };
  s.on('hello', (p) => d.hellos.push(p));
  s.onAny((name: string, env: unknown) => {
    if (name !== 'hello') d.events.push({ name, env: env as Envelope<unknown> });
  });
  // Joined on every connection, as the page does; a recovered socket keeps its rooms anyway.
  s.on('connect', () => s.emit('join', 'map' as ViewRoom, () => undefined));
  return d;
}

const connected = (d: Dashboard) =>
  new Promise<void>((resolve, reject) => {
    if (d.s.connected) return resolve();
    d.s.once('connect', () => resolve());
    d.s.once('connect_error', reject);
  });

/** How many of a dashboard's moves events carry this team's fix at this time. */
function movesOf(d: Dashboard, teamId: number, fixTime: number): number {
  let n = 0;
  for (const { name, env } of d.events) {
    if (name !== 'moves') continue;
    const moves = decodeMoves((env as MovesEvent).data, env.serverTime) ?? [];
    n += moves.filter((m) => m.teamId === teamId && m.fixTime === fixTime).length;
  }
  return n;
}

/** Per origin, the seqs a dashboard received, in arrival order. */
function seqsByOrigin(d: Dashboard): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const { env } of d.events) by.set(env.origin, [...(by.get(env.origin) ?? []), env.seq]);
  return by;
}

describe('two processes on one database and one Redis', () => {
  const prefix = `gs-test-${randomBytes(6).toString('hex')}`;
  // A visit is a 2 s dwell here (a minute by default): the plan monitor's check below posts two fixes 3 s apart.
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LEADER_RETRY_MS: '1000', PLAN_VISIT_DWELL_S: '2' };
  const redis = createClient({ url: REDIS_URL });
  let t: TestDb;
  let a: Peer;
  let aAlive = true;
  let b: RunningApp;
  let proxy: SwitchProxy;
  let viaProxy: string;
  let point: { lon: number; lat: number };
  let teamId: number;
  let secret: string;
  let viewer: Awaited<ReturnType<typeof signIn>>;
  let coordinator: Awaited<ReturnType<typeof signIn>>;
  const dashboards: Dashboard[] = [];
  const open = (baseUrl: string, cookie: string, reconnection = true) => {
    const d = dashboard(baseUrl, cookie, reconnection);
    dashboards.push(d);
    return d;
  };
  const health = async (baseUrl: string) => (await (await fetch(`${baseUrl}/api/health`)).json()) as { leader?: boolean };

  beforeAll(async () => {
    if (!REDIS_URL || !process.env.DATABASE_URL) throw new Error('cluster.test.ts needs DATABASE_URL and REDIS_URL (vitest.config.ts runs it only when both are set)');
    t = await freshDb('pg');
    await seedDemoTownship(t.db, { historyDays: 1 });
    point = await pointInFirstGrid(t.db);
    const { rows } = await t.db.query<{ id: number; team_id: number }>(`SELECT id, team_id FROM devices WHERE team_id IS NOT NULL ORDER BY id LIMIT 1`);
    teamId = rows[0]!.team_id;
    secret = await issueDeviceSecret(t.db, { deviceId: rows[0]!.id });
    viewer = await signIn(t.db, 'viewer');
    coordinator = await signIn(t.db, 'coordinator');
    // A first, so it leads; then B.
    await redis.connect();
    a = await startPeerApp(t.url!, env);
    await vi.waitFor(async () => expect((await health(a.baseUrl)).leader).toBe(true), { timeout: 15_000, interval: 200 });
    b = await startTestApp(t.db, { env, web: await apiRouter() });
    proxy = new SwitchProxy();
    viaProxy = await proxy.start(Number(new URL(a.baseUrl).port));
  });

  afterAll(async () => {
    for (const d of dashboards) d.s.close();
    await proxy?.close();
    if (aAlive) await a?.close();
    await b?.close();
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
    await t?.drop();
  });

  it('a fix posted to A reaches the dashboards of both processes, exactly once each', async () => {
    const onA = open(viaProxy, viewer.cookie);
    const onB = open(b.baseUrl, viewer.cookie);
    await Promise.all([connected(onA), connected(onB)]);
    // Both joined (the join's answer comes before anything sent after it).
    await new Promise<void>((resolve) => onA.s.emit('join', 'map', () => resolve()));
    await new Promise<void>((resolve) => onB.s.emit('join', 'map', () => resolve()));
    const fixTime = Math.floor(Date.now() / 1000) * 1000;
    // The leader's plan monitor hears every process's fixes through the bus relay; B's own live feed does not re-send them.
    const relayed: number[] = [];
    const local: number[] = [];
    const stop = [
      b.app.bus.subscribeShared('units:fixes', (fixes) => relayed.push(...fixes.filter((f) => f.teamId === teamId).map((f) => f.fixTime))),
      b.app.bus.subscribe('units:fixed', (moves) => local.push(...moves.map((m) => m.teamId))),
    ];
    const res = await fetch(`${a.baseUrl}/ingest/osmand?id=${secret}&lat=${point.lat}&lon=${point.lon}&timestamp=${fixTime / 1000}`);
    expect(res.status).toBe(200);
    await expect.poll(() => [movesOf(onA, teamId, fixTime), movesOf(onB, teamId, fixTime)], { timeout: 5_000 }).toEqual([1, 1]);
    await expect.poll(() => relayed).toEqual([fixTime]);
    for (const s of stop) s();
    expect(local).toEqual([]);
    // Nothing more follows: no echo from the other process.
    await new Promise((r) => setTimeout(r, 1_000));
    expect([movesOf(onA, teamId, fixTime), movesOf(onB, teamId, fixTime)]).toEqual([1, 1]);
    expect(onA.hellos[0]!.origin).not.toBe(onB.hellos[0]!.origin);
  });

  it("an incident created on B reaches A's dashboards: the whole to a coordinator, no narrative or contact to a viewer", async () => {
    const coordOnA = open(viaProxy, coordinator.cookie);
    const viewerOnA = open(viaProxy, viewer.cookie);
    await Promise.all([connected(coordOnA), connected(viewerOnA)]);
    const title = `跨进程-${randomBytes(3).toString('hex')}`;
    const toCoordinator = waitForEvent(coordOnA.s, 'incident:new', (e) => e.data.title === title);
    const toViewer = waitForEvent(viewerOnA.s, 'incident:new', (e) => e.data.title === title);
    await createIncident(
      { db: t.db, bus: b.app.bus },
      { category: 'family_dispute', severity: 2, title, description: '邻里纠纷细节', reporterContact: '139-0000-4321', source: 'coordinator', position: [point.lon, point.lat] },
    );
    const [full, redacted] = await Promise.all([toCoordinator, toViewer]);
    expect(full.data).toMatchObject({ description: '邻里纠纷细节', reporterContact: '139-0000-4321' });
    expect(redacted.data).not.toHaveProperty('description');
    expect(redacted.data).not.toHaveProperty('reporterContact');
    expect(full.origin).toBe(b.app.realtime.origin);
  });

  it("the leader's plan monitor counts a visit from fixes posted to the other process, and that process's dashboards hear of it", async () => {
    // A on-duty team in no plan yet, with a device; a plan for it from this township minute for half an hour, one checkpoint where it will stand.
    const { rows } = await t.db.query<{ team_id: number; device_id: number }>(
      `SELECT d.team_id, d.id AS device_id FROM devices d JOIN teams tm ON tm.id = d.team_id
        WHERE tm.on_duty AND d.team_id <> $1::int AND NOT EXISTS (SELECT 1 FROM patrol_plan_teams pt WHERE pt.team_id = d.team_id)
        ORDER BY d.id LIMIT 1`,
      [teamId],
    );
    const planned = rows[0]!;
    const plannedSecret = await issueDeviceSecret(t.db, { deviceId: planned.device_id });
    const { rows: grids } = await t.db.query<{ id: number }>(`SELECT id FROM grids ORDER BY id LIMIT 1`);
    const tz = DEFAULT_TOWNSHIP_TZ; // both processes' TOWNSHIP_TZ
    const now = Date.now();
    const onB = open(b.baseUrl, coordinator.cookie);
    await connected(onB);
    await new Promise<void>((resolve) => onB.s.emit('join', 'map', () => resolve()));
    // Created on B: the leader (A) hears `plans:changed` through the relay and starts watching it.
    const actor = { actorUserId: coordinator.userId, actor: '协调员 王芳', role: 'coordinator' as const, ip: null };
    const plan = await createPlan(
      { db: t.db, bus: b.app.bus, config: { TOWNSHIP_TZ: tz, TOWNSHIP_MARKET_DAYS: 'sun' } },
      {
        actor,
        plan: {
          name: '跨进程巡逻 检查',
          kind: 'patrol',
          teamIds: [planned.team_id],
          recurrence: { repeat: 'once', date: townshipDay(now, tz) },
          window: { start: townshipClock(now, tz), end: townshipClock(now + 30 * 60_000, tz) },
          areaGridIds: [grids[0]!.id],
          areaPolygon: null,
          route: null,
          checkpoints: [{ keyLocationId: null, point: [point.lon, point.lat], name: '村委会门口', radiusM: 50, frequency: null }],
        },
      },
    );
    const live = async () =>
      (await (await fetch(`${b.baseUrl}/api/plans/live`, { headers: { cookie: coordinator.cookie } })).json()) as PlansLive;
    const state = async () => (await live()).occurrences.find((o) => o.planId === plan.id)?.checkpoints[0]?.state ?? null;
    await expect.poll(state, { timeout: 10_000 }).toBe('due');
    // The team stands at the checkpoint, its device reporting every 1.5 s to B, which does not lead: only A's
    // monitor can see the visit (it takes the new plan in at its next rules cycle, then a 2 s dwell).
    expect((await health(b.baseUrl)).leader).toBe(false);
    await expect
      .poll(
        async () => {
          const res = await fetch(`${b.baseUrl}/ingest/osmand?id=${plannedSecret}&lat=${point.lat}&lon=${point.lon}&timestamp=${Date.now() / 1000}`);
          expect(res.status).toBe(200);
          return state();
        },
        { timeout: 30_000, interval: 1_500 },
      )
      .toBe('visited');
    // B's dashboard was told, by A (its origin), through socket.io's adapter.
    const told = () =>
      onB.events
        .filter((e) => e.name === 'plans:checkpoints' && (e.env as CheckpointsEvent).data.p.includes(plan.id))
        .map(({ env }) => {
          const { data } = env as CheckpointsEvent;
          const k = data.p.indexOf(plan.id);
          return { fromB: env.origin === onB.hellos[0]!.origin, state: data.s[k] };
        });
    await expect.poll(told).toContainEqual({ fromB: false, state: 'visited' });
    expect(told().every((e) => !e.fromB)).toBe(true);
  });

  it('each process counts its own seq: on a dashboard, every origin\'s events come one after another without a gap', async () => {
    const d = dashboards[0]!;
    // Heartbeats from both processes meanwhile.
    await expect.poll(() => seqsByOrigin(d).size, { timeout: 12_000 }).toBe(2);
    for (const [origin, seqs] of seqsByOrigin(d)) {
      const expected = seqs.map((_, i) => seqs[0]! + i);
      expect({ origin, seqs }).toEqual({ origin, seqs: expected });
    }
  });

  it('a process stopped cleanly hands its dashboards to the other: they recover there, with what they missed', async () => {
    const c = await startPeerApp(t.url!, env);
    proxy.target = Number(new URL(c.baseUrl).port);
    const d = open(viaProxy, coordinator.cookie, false);
    await connected(d);
    await new Promise<void>((resolve) => d.s.emit('join', 'map', () => resolve()));
    // One broadcast received first, so the dashboard has an offset to come back from.
    const first = `先-${randomBytes(3).toString('hex')}`;
    const got = waitForEvent(d.s, 'incident:new', (e) => e.data.title === first);
    await createIncident({ db: t.db, bus: b.app.bus }, { category: 'citizen_request', severity: 1, title: first, source: 'coordinator', position: [point.lon, point.lat] });
    await got;
    const id = d.s.id;
    const gone = new Promise<void>((resolve) => d.s.once('disconnect', () => resolve()));
    proxy.target = Number(new URL(b.baseUrl).port);
    await c.close();
    await gone;
    const missed = `漏-${randomBytes(3).toString('hex')}`;
    await createIncident({ db: t.db, bus: b.app.bus }, { category: 'citizen_request', severity: 1, title: missed, description: '错过的细节', source: 'coordinator', position: [point.lon, point.lat] });
    const replayed = waitForEvent(d.s, 'incident:new', (e) => e.data.title === missed);
    d.s.connect();
    await connected(d);
    expect(d.s.recovered).toBe(true);
    expect(d.s.id).toBe(id);
    expect((await replayed).data).toMatchObject({ description: '错过的细节' });
    // The hello follows the connection (and the replay).
    await expect.poll(() => d.hellos.at(-1)!.origin).toBe(b.app.realtime.origin);
  });

  it("a killed process's dashboards reconnect to the other afresh (a resync), live from there on, and its leader duties move within 15 s", async () => {
    proxy.target = Number(new URL(a.baseUrl).port);
    const d = open(viaProxy, viewer.cookie);
    await connected(d);
    await expect.poll(() => d.hellos.length).toBe(1);
    const before = d.hellos.length;
    expect(d.hellos[0]!.origin).not.toBe(b.app.realtime.origin);
    expect(b.app.leader.isLeader()).toBe(false);
    proxy.target = Number(new URL(b.baseUrl).port);
    const killedAt = Date.now();
    await a.kill();
    aAlive = false;
    await expect.poll(() => d.hellos.length, { timeout: 10_000 }).toBe(before + 1);
    expect(d.hellos.at(-1)!.origin).toBe(b.app.realtime.origin);
    // Nothing was handed over by a dead process: a new connection, which the page answers with a resync.
    expect(d.s.recovered).toBe(false);
    await new Promise<void>((resolve) => d.s.emit('join', 'map', () => resolve()));
    const fixTime = Math.floor(Date.now() / 1000) * 1000 + 1000;
    const res = await fetch(`${b.baseUrl}/ingest/osmand?id=${secret}&lat=${point.lat}&lon=${point.lon}&timestamp=${fixTime / 1000}`);
    expect(res.status).toBe(200);
    await expect.poll(() => movesOf(d, teamId, fixTime), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => b.app.leader.isLeader(), { timeout: 15_000 }).toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect((await health(b.baseUrl)).leader).toBe(true);
  });
});
