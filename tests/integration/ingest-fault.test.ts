// The PostGIS server goes away while fixes stream in, then comes back — once
// refusing (connections cut), once hanging (packets dropped, no reset: the
// open connections stay open and silent). Every fix answered 2xx must be in
// the table; the others got 503 + Retry-After within 2 s; ingest, the API and
// health recover by themselves, within 10 s of the database answering again.
// Below, the same faults one transaction at a time.
// (Server engine only: the embedded database lives in the process and cannot
// become unreachable. The file is part of the suite only when DATABASE_URL is
// set — vitest.config.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbTimeoutError, openDb, type Db } from '../../db/client';
import { issueDeviceSecret } from '../../db/devices';
import { seedDemoTownship } from '../../lib/sim/seed';
import { toErrorBody } from '../../lib/errors';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';
import { proxyInFront, TcpProxy } from '../helpers/tcp-proxy';

describe('ingest when the PostGIS server goes away and comes back', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let appDb: Db;
  let server: RunningApp;
  let device: { identifier: string; id: number };
  let point: [number, number];
  let cookie: string;

  beforeAll(async () => {
    t = await freshDb('pg');
    await seedDemoTownship(t.db, { historyDays: 1 });
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id LIMIT 1`);
    device = { id: rows[0]!.id, identifier: await issueDeviceSecret(t.db, { deviceId: rows[0]!.id }) };
    const c = await pointInFirstGrid(t.db);
    point = [c.lon, c.lat];
    ({ proxy, appDb } = await proxyInFront(t.url!, openDb));
    // One device streams hundreds of fixes a second here: lift the per-device limit.
    server = await startTestApp(appDb, { env: { INGEST_DEVICE_FIXES_PER_10S: '1000000' }, web: await apiRouter() });
    ({ cookie } = await signIn(t.db, 'viewer'));
  });

  afterAll(async () => {
    // The network first: closing must never wait on a connection a failed test left stuck.
    await proxy?.down();
    await server?.close();
    await appDb?.close();
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

  /** Fix times already answered 2xx that are not in the positions table. */
  async function lostFixes(acked: readonly number[]): Promise<number[]> {
    const { rows } = await t.db.query<{ t: string }>(
      `SELECT (extract(epoch FROM fix_time) * 1000)::bigint::text AS t FROM positions WHERE device_id = $1`,
      [device.id],
    );
    const stored = new Set(rows.map((r) => Number(r.t)));
    return acked.filter((ts) => !stored.has(ts));
  }

  type Kind = 'ingest' | 'health' | 'api';
  interface Answer {
    kind: Kind;
    started: number;
    ended: number;
    status: number | 'no answer';
    retryAfter: string | null;
    ts?: number;
  }

  /** One request of each kind, again and again, until stop(); every answer is kept. */
  function traffic(firstTs: number, { ingestStreams }: { ingestStreams: number }) {
    const answers: Answer[] = [];
    let stop = false;
    let ts = firstTs;
    const send = async (kind: Kind, url: string, init: RequestInit, fixTs?: number) => {
      const started = performance.now();
      try {
        // Far above every bound under test: an answer that takes this long counts as none.
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        answers.push({ kind, started, ended: performance.now(), status: res.status, retryAfter: res.headers.get('retry-after'), ts: fixTs });
      } catch {
        answers.push({ kind, started, ended: performance.now(), status: 'no answer', retryAfter: null, ts: fixTs });
      }
    };
    const loop = async (next: () => Promise<void>) => {
      while (!stop) {
        await next();
        // Pollers pace themselves; they still overlap with the ingest streams.
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const loops = [
      ...Array.from({ length: ingestStreams }, () =>
        loop(() => {
          const mine = ts++;
          return send('ingest', `${server.baseUrl}/ingest/osmand?id=${device.identifier}&lat=${point[1]}&lon=${point[0]}&timestamp=${mine}`, { method: 'POST' }, mine);
        }),
      ),
      loop(() => send('health', `${server.baseUrl}/api/health`, {})),
      loop(() => send('api', `${server.baseUrl}/api/units`, { headers: { cookie } })),
    ];
    return {
      answers,
      /** ms from `since` until a request of each kind, sent after it, was answered 200; null if none yet. */
      recovery(since: number): Record<Kind, number | null> {
        const first = (kind: Kind) => {
          const ok = answers.filter((a) => a.kind === kind && a.started >= since && a.status === 200);
          return ok.length > 0 ? Math.min(...ok.map((a) => a.ended)) - since : null;
        };
        return { ingest: first('ingest'), health: first('health'), api: first('api') };
      },
      async stop() {
        stop = true;
        await Promise.all(loops);
      },
    };
  }

  /** Polls until every kind has recovered or `ms` have passed since `since`. */
  async function waitForRecovery(run: ReturnType<typeof traffic>, since: number, ms: number): Promise<Record<Kind, number | null>> {
    for (;;) {
      const r = run.recovery(since);
      if ((r.ingest !== null && r.health !== null && r.api !== null) || performance.now() - since > ms) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  it('recovers from a hanging database within 10 s of the network healing, under load', async () => {
    const run = traffic(Date.now() - 30 * 60_000, { ingestStreams: 8 });
    await new Promise((r) => setTimeout(r, 1_000));
    proxy.hang();
    // Long enough for every request in flight to meet the silence, and for the pool to fill with stuck connections.
    await new Promise((r) => setTimeout(r, 4_000));
    const healed = performance.now();
    proxy.heal();
    const recovery = await waitForRecovery(run, healed, 10_000);
    // Stay a little longer: recovered means staying recovered.
    await new Promise((r) => setTimeout(r, 1_000));
    await run.stop();
    console.log('[fault test] recovery after heal (ms):', recovery);

    expect(recovery.ingest).not.toBeNull();
    expect(recovery.health).not.toBeNull();
    expect(recovery.api).not.toBeNull();
    expect(recovery.ingest!).toBeLessThan(10_000);
    expect(recovery.health!).toBeLessThan(10_000);
    expect(recovery.api!).toBeLessThan(10_000);

    const { answers } = run;
    const hung = answers.filter((a) => a.status !== 200);
    // The hang was seen (requests were refused), every request was answered,
    // and refusals were a 503 with Retry-After, never an error of our own.
    expect(hung.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 'no answer')).toEqual([]);
    expect(hung.filter((a) => a.status !== 503 || a.retryAfter === null)).toEqual([]);
    // A device hears back within 2 s, hang or not.
    const slowIngest = answers.filter((a) => a.kind === 'ingest' && a.status === 503 && a.ended - a.started >= 2_000);
    expect(slowIngest).toEqual([]);
    // Still recovered at the end: each kind's last answers are successes.
    for (const kind of ['ingest', 'health', 'api'] as const) {
      expect(answers.filter((a) => a.kind === kind).slice(-2).map((a) => a.status)).toEqual([200, 200]);
    }

    const acked = answers.filter((a) => a.kind === 'ingest' && a.status === 200).map((a) => a.ts!);
    expect(acked.length).toBeGreaterThan(20);
    expect(await lostFixes(acked)).toEqual([]);
  });

  it('recovers from a hang that happened while the pool sat idle, with one request at a time', async () => {
    // Fill the pool with idle connections: after the hang every one of them is stuck,
    // and a quiet app (one health check at a time) must not wait for each in turn.
    await Promise.all(Array.from({ length: 10 }, () => appDb.query('SELECT pg_sleep(0.1)')));
    proxy.hang();
    await new Promise((r) => setTimeout(r, 1_000));
    const healed = performance.now();
    proxy.heal();
    let recovered: number | null = null;
    const statuses: (number | 'no answer')[] = [];
    while (recovered === null && performance.now() - healed < 10_000) {
      const res = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(20_000) }).catch(() => null);
      statuses.push(res ? res.status : 'no answer');
      await res?.arrayBuffer();
      if (res?.status === 200) recovered = performance.now() - healed;
    }
    console.log('[fault test] quiet recovery after heal (ms):', recovered, statuses);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(recovered).not.toBeNull();
    expect(recovered!).toBeLessThan(10_000);
  });
});

describe('the server engine when a connection fails inside a transaction', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let viaProxy: string;
  const opened: Db[] = [];
  const open = async (url: string, opts: { poolMax?: number; queryTimeoutMs?: number } = {}) => {
    const db = await openDb({ databaseUrl: url, ...opts });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    t = await freshDb('pg');
    await t.db.exec(`CREATE TABLE fault_probe (note text NOT NULL)`);
    const target = new URL(t.url!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const u = new URL(t.url!);
    u.port = String(proxy.port);
    viaProxy = u.toString();
  });

  afterAll(async () => {
    await proxy?.down();
    for (const db of opened) await db.close();
    await t?.drop();
  });

  /** How p settled; a promise still pending after `ms` fails the test instead of stalling it. */
  async function settled<T>(p: Promise<T>, ms = 20_000): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })), hang]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('a statement that hangs mid-transaction fails as 503, commits nothing, and the pool recovers within 10 s', async () => {
    const db = await open(viaProxy, { poolMax: 2 });
    await db.query('SELECT 1');
    const r = await settled(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO fault_probe (note) VALUES ('half done')`);
        proxy.hang();
        await tx.query('SELECT 1');
      }),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && toErrorBody(r.error).status).toBe(503);

    const healed = performance.now();
    proxy.heal();
    let recovered: number | null = null;
    while (recovered === null && performance.now() - healed < 10_000) {
      const q = await settled(Promise.all([db.query('SELECT 1'), db.query('SELECT 1')]));
      if (q.ok) recovered = performance.now() - healed;
    }
    expect(recovered).not.toBeNull();
    expect(recovered!).toBeLessThan(10_000);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fault_probe WHERE note = 'half done'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('a connection cut mid-transaction is an error for the caller, never a crash', async () => {
    const db = await open(viaProxy, { poolMax: 1 });
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const r = await settled(
        db.transaction(async (tx) => {
          await tx.query('SELECT 1');
          await proxy.down();
          await tx.query('SELECT 1');
        }),
      );
      expect(r.ok).toBe(false);
      expect(!r.ok && toErrorBody(r.error).status).toBe(503);
      await new Promise((res) => setTimeout(res, 200));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await proxy.up();
    }
    // The one pool slot was given back, and a new connection works.
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a transaction left idle gives its connection back instead of holding it forever', async () => {
    const db = await open(t.url!, { poolMax: 1, queryTimeoutMs: 500 });
    const r = await settled(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO fault_probe (note) VALUES ('abandoned')`);
        await new Promise(() => {});
      }),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && toErrorBody(r.error).status).toBe(503);
    expect((await settled(db.query<{ one: number }>('SELECT 1 AS one'))).ok).toBe(true);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fault_probe WHERE note = 'abandoned'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('a slow statement is cancelled by the server as a 503 on a connection that stays; setup work gets the setup limit', async () => {
    const db = await open(t.url!, { poolMax: 1, queryTimeoutMs: 300 });
    const pid = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const before = await pid();

    const slow = await settled(db.query('SELECT pg_sleep(1)'));
    expect(!slow.ok && slow.error).toBeInstanceOf(DbTimeoutError);
    expect(!slow.ok && toErrorBody(slow.error).status).toBe(503);
    // The server answered (with the cancellation): the same connection serves on.
    expect(await pid()).toBe(before);

    // A script (a migration) may take longer; afterwards the usual limit is back.
    await db.exec('SELECT pg_sleep(0.6)');
    expect((await settled(db.query('SELECT pg_sleep(0.6)'))).ok).toBe(false);
    await db.transaction((tx) => tx.exec('SELECT pg_sleep(0.6)'));
    const inTx = await settled(
      db.transaction(async (tx) => {
        await tx.exec('SELECT pg_sleep(0.6)');
        await tx.query('SELECT pg_sleep(0.6)');
      }),
    );
    expect(!inTx.ok && inTx.error).toBeInstanceOf(DbTimeoutError);
    // The seed's transaction is setup work; the next ordinary one has the usual limit again.
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_sleep(0.6)');
      await tx.query('SELECT pg_sleep(0.6)');
    }, { setup: true });
    expect((await settled(db.transaction((tx) => tx.query('SELECT pg_sleep(0.6)')))).ok).toBe(false);
    expect(await pid()).toBe(before);
  });
});
