// The heartbeat's `dataAsOf` while the PostGIS server is unreachable: the
// socket stays up (it needs no database) and keeps ticking, but the time the
// data is known current stops, and moves again within 10 s of the database
// answering. (Server engine only, behind tests/helpers/tcp-proxy.ts; the file
// is part of the suite only when DATABASE_URL is set — vitest.config.ts.)
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client';
import { deriveFreshness } from '../../lib/live/live-store';
import type { TickEvent } from '../../lib/model';
import { startTestApp, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { freshDb, type TestDb } from '../helpers/db';
import { proxyInFront, type TcpProxy } from '../helpers/tcp-proxy';

describe('data freshness over the socket while the database is unreachable', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let appDb: Db;
  let server: RunningApp;
  let socket: TestSocket;
  const ticks: TickEvent[] = [];

  beforeAll(async () => {
    t = await freshDb('pg');
    ({ proxy, appDb } = await proxyInFront(t.url!, openDb));
    server = await startTestApp(appDb);
    const viewer = await signIn(t.db, 'viewer');
    socket = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: viewer.cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await new Promise<boolean>((resolve) => socket.emit('join', 'map', resolve));
    socket.on('tick', (e) => ticks.push(e));
  });

  afterAll(async () => {
    socket?.close();
    await server?.close();
    await appDb?.close();
    await proxy?.down();
    await t?.drop();
  });

  const ticksAfter = (ms: number) => ticks.filter((e) => e.serverTime > ms);

  /** Cuts the database off with `cut`, watches three heartbeats, restores it with `restore` and waits for dataAsOf to move. */
  async function outage(cut: () => Promise<void> | void, restore: () => Promise<void> | void): Promise<void> {
    await expect.poll(() => ticks.some((e) => e.data.dataAsOf !== null && e.serverTime - e.data.dataAsOf < 2_000), { timeout: 12_000 }).toBe(true);
    const cutAt = Date.now();
    await cut();
    await expect.poll(() => ticksAfter(cutAt).length, { timeout: 25_000, interval: 500 }).toBeGreaterThanOrEqual(3);
    const during = ticksAfter(cutAt);
    // The link is alive (ticks keep coming) but the data time stands still at or before the cut.
    const asOf = new Set(during.map((e) => e.data.dataAsOf));
    expect(asOf.size).toBe(1);
    const [stuck] = [...asOf];
    expect(stuck).not.toBeNull();
    expect(stuck!).toBeLessThanOrEqual(cutAt);
    const last = during.at(-1)!;
    expect(deriveFreshness(stuck!, last.serverTime).freshness).not.toBe('fresh');

    await restore();
    const restoredAt = Date.now();
    await expect.poll(() => ticksAfter(restoredAt).some((e) => e.data.dataAsOf !== null && e.data.dataAsOf >= restoredAt), { timeout: 10_000, interval: 250 }).toBe(true);
  }

  it('connections refused: ticks keep coming, dataAsOf stops, and moves again once the database is back', async () => {
    await outage(
      () => proxy.down(),
      () => proxy.up(),
    );
  });

  it('connections hanging (no reset): the heartbeat does not wait for the hung check, and dataAsOf stops', async () => {
    await outage(
      () => proxy.hang(),
      () => proxy.heal(),
    );
  });
});
