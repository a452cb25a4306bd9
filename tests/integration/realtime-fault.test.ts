// The heartbeat's `dataAsOf` while the PostGIS server is unreachable: the
// socket stays up (it needs no database) and keeps ticking, but the time the
// data is known current stops, and moves again within 10 s of the database
// answering. (Server engine only, behind tests/helpers/tcp-proxy.ts; the file
// is part of the suite only when DATABASE_URL is set — vitest.config.ts.)
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client';
import { DATA_STALE_MS, deriveFreshness } from '../../lib/live/live-store';
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

  /**
   * Cuts the database off with `cut`, watches the heartbeats until the stuck data time is older than
   * DATA_STALE_MS (a fixed count of heartbeats is not enough: the last good check may have been just
   * before the cut, so three ticks can come 10 s after it, still fresh), restores it with `restore`
   * and waits for dataAsOf to move. The database is restored even when a check fails, so one case
   * cannot leave the next with a dead link.
   */
  async function outage(cut: () => Promise<void> | void, restore: () => Promise<void> | void): Promise<void> {
    await expect.poll(() => ticks.some((e) => e.data.dataAsOf !== null && e.serverTime - e.data.dataAsOf < 2_000), { timeout: 12_000 }).toBe(true);
    const cutAt = Date.now();
    await cut();
    try {
      const freshnessNow = () => {
        const during = ticksAfter(cutAt);
        const first = during[0]?.data.dataAsOf ?? null;
        return during.length < 3 ? 'waiting' : deriveFreshness(first, during.at(-1)!.serverTime).freshness;
      };
      // At most DATA_STALE_MS + two heartbeats after the cut, plus the hung check's wait.
      await expect.poll(freshnessNow, { timeout: 30_000, interval: 500 }).toMatch(/^(stale|alarm)$/);
      const during = ticksAfter(cutAt);
      // The link is alive (ticks keep coming) but the data time stands still at or before the cut.
      const asOf = new Set(during.map((e) => e.data.dataAsOf));
      expect(asOf.size).toBe(1);
      const [stuck] = [...asOf];
      expect(stuck).not.toBeNull();
      expect(stuck!).toBeLessThanOrEqual(cutAt);
      expect(during.at(-1)!.serverTime - stuck!).toBeGreaterThan(DATA_STALE_MS);
    } finally {
      await restore();
    }
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
