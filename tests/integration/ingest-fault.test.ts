// The PostGIS server goes away while fixes stream in, then comes back. Every
// fix answered 2xx must be in the table; the others got 503 + Retry-After
// within 2 s; ingest resumes without a restart. (Server engine only: the
// embedded database lives in the process and cannot become unreachable. The
// file is part of the suite only when DATABASE_URL is set — vitest.config.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client';
import { issueDeviceSecret } from '../../db/devices';
import { seedDemoTownship } from '../../db/seed';
import { startTestApp, type RunningApp } from '../helpers/app';
import { freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';
import { TcpProxy } from '../helpers/tcp-proxy';

describe('ingest when the PostGIS server goes away and comes back', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let appDb: Db;
  let server: RunningApp;
  let device: { identifier: string; id: number };
  let point: [number, number];

  beforeAll(async () => {
    t = await freshDb('pg');
    await seedDemoTownship(t.db, { historyDays: 1 });
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id LIMIT 1`);
    device = { id: rows[0]!.id, identifier: await issueDeviceSecret(t.db, { deviceId: rows[0]!.id }) };
    const c = await pointInFirstGrid(t.db);
    point = [c.lon, c.lat];
    const target = new URL(t.url!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(t.url!);
    viaProxy.port = String(proxy.port);
    appDb = await openDb({ databaseUrl: viaProxy.toString() });
    // One device streams hundreds of fixes a second here: lift the per-device limit.
    server = await startTestApp(appDb, { env: { INGEST_DEVICE_FIXES_PER_10S: '1000000' } });
  });

  afterAll(async () => {
    await server?.close();
    await appDb?.close();
    await proxy?.down();
    await t?.drop();
  });

  it('acknowledges only committed fixes, answers 503 quickly while down, and recovers by itself', async () => {
    const answered: { ts: number; status: number; ms: number; retryAfter: string | null }[] = [];
    let ts = Date.now() - 60 * 60_000;
    let stop = false;
    const stream = async () => {
      while (!stop) {
        const mine = ts++;
        const started = performance.now();
        const res = await fetch(
          `${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${point[1]}&lon=${point[0]}&timestamp=${mine}`,
          { method: 'POST', signal: AbortSignal.timeout(10_000) },
        );
        await res.arrayBuffer();
        answered.push({ ts: mine, status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') });
      }
    };
    const streams = Array.from({ length: 8 }, stream);

    await new Promise((r) => setTimeout(r, 1_000));
    await proxy.down();
    await new Promise((r) => setTimeout(r, 3_000));
    await proxy.up();
    // Give the pool time to reconnect and the streams time to succeed again.
    await new Promise((r) => setTimeout(r, 3_000));
    stop = true;
    await Promise.all(streams);

    const ok = answered.filter((a) => a.status === 200);
    const unavailable = answered.filter((a) => a.status === 503);
    expect(ok.length).toBeGreaterThan(20);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(answered.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect(unavailable.every((a) => a.retryAfter !== null)).toBe(true);
    expect(Math.max(...unavailable.map((a) => a.ms))).toBeLessThan(2_000);

    // Ingest resumed: the last answers were successes.
    expect(answered.slice(-8).every((a) => a.status === 200)).toBe(true);

    // Every acknowledged fix is in the table.
    const { rows } = await t.db.query<{ t: string }>(
      `SELECT (extract(epoch FROM fix_time) * 1000)::bigint::text AS t FROM positions WHERE device_id = $1`,
      [device.id],
    );
    const stored = new Set(rows.map((r) => Number(r.t)));
    const lost = ok.filter((a) => !stored.has(a.ts));
    expect(lost).toEqual([]);
  });
});
