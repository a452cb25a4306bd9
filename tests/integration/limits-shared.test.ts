// Limits across processes (issue 15): two GridSight processes on one database
// and one Redis — this test's own app and a peer in a child process (route
// handlers find their limits through the process-wide registry, so a second
// app in this process would share the first one's limiters and prove nothing).
// The 11th failed sign-in in a minute is refused whichever process answers
// it, and so is a device's fix past its limit. With Redis unreachable, each
// process still signs people in and still limits on its own.
// Needs the PostGIS server and Redis: vitest.config.ts leaves it out unless
// DATABASE_URL and REDIS_URL are both set. Every key it writes starts with a
// prefix of its own, removed afterwards.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceSecret } from '../../db/devices';
import { insertUser } from '../../db/users';
import { hashPassword } from '../../lib/auth/password';
import { LimitStore } from '../../lib/limits';
import { seedDemoTownship } from '../../lib/sim/seed';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { startPeerApp, type Peer } from '../helpers/peer-app';
import { pointInFirstGrid } from '../helpers/township';

const REDIS_URL = process.env.REDIS_URL ?? '';
/** Nothing listens on port 1: connections are refused at once. */
const REDIS_DOWN = 'redis://127.0.0.1:1';

describe.each(engines())('limits shared across processes on %s', (engine) => {
  const prefix = `gs-test-${randomBytes(6).toString('hex')}`;
  const redis = createClient({ url: REDIS_URL });
  let t: TestDb;
  let web: Awaited<ReturnType<typeof apiRouter>>;
  let point: { lon: number; lat: number };
  let running: { close(): Promise<void> }[] = [];
  let n = 0;

  beforeAll(async () => {
    if (!REDIS_URL) throw new Error('limits-shared.test.ts needs REDIS_URL (vitest.config.ts runs it only when it is set)');
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    point = await pointInFirstGrid(t.db);
    web = await apiRouter();
    await redis.connect();
  });
  afterEach(async () => {
    for (const r of running) await r.close();
    running = [];
  });
  afterAll(async () => {
    // Only this run's keys: other runs may share the Redis.
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
    await t?.drop();
  });

  /** This process's app and a peer process, both with `env` (REDIS_URL, the key prefix, limits). */
  const twoProcesses = async (env: Record<string, string>): Promise<[RunningApp, Peer]> => {
    const here = await startTestApp(t.db, { env, web });
    running.push(here);
    const peer = await startPeerApp(t.url!, env);
    running.push(peer);
    return [here, peer];
  };
  const person = async (displayName: string) => {
    const username = `shared-${n++}`;
    const password = `${username} 雪山 correct horse battery`;
    await insertUser(t.db, { username, displayName, role: 'coordinator', passwordHash: await hashPassword(password) });
    return { username, password };
  };
  const login = async (baseUrl: string, username: string, password: string) => {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
  };
  const rateLimitedRows = async (username: string) =>
    (
      await t.db.query<{ scope: string }>(
        `SELECT detail->>'scope' AS scope FROM audit_log WHERE action = 'login' AND outcome = 'denied' AND detail->>'reason' = 'rate_limited' AND actor = $1`,
        [username],
      )
    ).rows;
  const fix = (baseUrl: string, secret: string) => fetch(`${baseUrl}/ingest/osmand?id=${secret}&lat=${point.lat}&lon=${point.lon}`);
  const deviceSecret = async (offset: number) => {
    const { rows } = await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id OFFSET $1 LIMIT 1`, [offset]);
    return issueDeviceSecret(t.db, { deviceId: rows[0]!.id });
  };

  it('10 failed sign-ins spread over two processes: the 11th gets 429 with Retry-After from either, a correct password too, and one audit row says so', async () => {
    const [here, peer] = await twoProcesses({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    const { username, password } = await person('次仁 Tsering');
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await login(i % 2 === 0 ? here.baseUrl : peer.baseUrl, username, `wrong guess ${i}`)).status);
    expect(answers).toEqual(Array(10).fill(401));
    for (const baseUrl of [peer.baseUrl, here.baseUrl]) {
      const refused = await login(baseUrl, username, 'one more guess');
      expect(refused.status).toBe(429);
      expect(refused.code).toBe('rate_limited');
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    }
    // The right password does not open a locked account on either process.
    expect((await login(here.baseUrl, username, password)).status).toBe(429);
    expect((await login(peer.baseUrl, username, password)).status).toBe(429);
    // The first refusal was the peer's: one row, written by whichever process saw it.
    expect(await rateLimitedRows(username)).toEqual([{ scope: 'account' }]);
    // A colleague at the same address is not locked out.
    const colleague = await person('卓玛 Drolma');
    expect((await login(peer.baseUrl, colleague.username, colleague.password)).status).toBe(200);
  });

  it('a correct password gives its count back on every process: 9 failures, a success, then 10 more tries in all', async () => {
    const [here, peer] = await twoProcesses({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    const { username, password } = await person('洛桑 Lobsang');
    for (let i = 0; i < 9; i++) expect((await login(i % 2 === 0 ? peer.baseUrl : here.baseUrl, username, `typo ${i}`)).status).toBe(401);
    expect((await login(here.baseUrl, username, password)).status).toBe(200);
    expect((await login(peer.baseUrl, username, 'typo 9')).status).toBe(401);
    expect((await login(here.baseUrl, username, 'typo 10')).status).toBe(429);
  });

  it("one device's fixes count on both processes: past its limit it gets 429 with Retry-After from either, other devices do not", async () => {
    const [here, peer] = await twoProcesses({ REDIS_URL, REDIS_KEY_PREFIX: prefix, INGEST_DEVICE_FIXES_PER_10S: '5' });
    const secret = await deviceSecret(3);
    const statuses = [];
    for (const baseUrl of [here.baseUrl, peer.baseUrl, here.baseUrl, peer.baseUrl, here.baseUrl]) statuses.push((await fix(baseUrl, secret)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const baseUrl of [peer.baseUrl, here.baseUrl]) {
      const refused = await fix(baseUrl, secret);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    }
    expect((await fix(peer.baseUrl, await deviceSecret(4))).status).toBe(200);
  });

  it('with Redis unreachable each process still signs people in and still limits on its own, and says so once', async () => {
    const env = { REDIS_URL: REDIS_DOWN, REDIS_KEY_PREFIX: prefix };
    const [here, peer] = await twoProcesses(env);
    const { username, password } = await person('拉姆 Lhamo');
    for (let i = 0; i < 10; i++) expect((await login(here.baseUrl, username, `wrong ${i}`)).status).toBe(401);
    const refused = await login(here.baseUrl, username, 'wrong again');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await login(here.baseUrl, username, password)).status).toBe(429);
    // The peer has counted nothing for this account: per-process limits, not none.
    for (let i = 0; i < 10; i++) expect((await login(peer.baseUrl, username, `peer wrong ${i}`)).status).toBe(401);
    expect((await login(peer.baseUrl, username, 'peer wrong again')).status).toBe(429);
    const colleague = await person('达瓦 Dawa');
    expect((await login(peer.baseUrl, colleague.username, colleague.password)).status).toBe(200);
    // Device fixes still go through.
    expect((await fix(here.baseUrl, await deviceSecret(5))).status).toBe(200);
    expect(peer.stderr().match(/\[limits\] Redis at 127\.0\.0\.1:1 is unreachable/g)).toHaveLength(1);
  });

  it('a refund in Redis never starts a window and never counts below zero, even when refunds race', async () => {
    const store = new LimitStore(REDIS_URL, prefix);
    running.push(store);
    const limiter = store.limiter({ name: 'refund-check', limit: 2, windowMs: 60_000 });
    await limiter.refund('nobody');
    expect(await redis.exists(`${prefix}:refund-check:nobody`)).toBe(0);
    expect(await limiter.hit('k')).toBe(0);
    await Promise.all(Array.from({ length: 5 }, () => limiter.refund('k')));
    expect(await redis.get(`${prefix}:refund-check:k`)).toBe('0');
    expect([await limiter.hit('k'), await limiter.hit('k')]).toEqual([0, 0]);
    const refused = await limiter.take('k');
    expect(refused.excess).toBe(1);
    expect(refused.wait).toBeGreaterThanOrEqual(1);
    expect(refused.wait).toBeLessThanOrEqual(60);
  });
});
