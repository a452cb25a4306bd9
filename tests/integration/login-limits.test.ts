// Sign-in limits under concurrency, over HTTP through the real gate and the
// real login handler: an attempt is counted before the slow password hash, so
// a burst of parallel guesses cannot all be tried; a correct password gives its
// count back; a flood of refusals leaves one audit row, not one per request.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../db/users';
import { hashPassword } from '../../lib/auth/password';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('sign-in limits on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp | undefined;
  let web: Awaited<ReturnType<typeof apiRouter>>;
  let n = 0;

  beforeAll(async () => {
    t = await freshDb(engine);
    web = await apiRouter();
  });
  afterAll(async () => t?.drop());
  // Each test gets a fresh app, so fresh limiters: they all come from 127.0.0.1.
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const person = async (displayName: string) => {
    const username = `signin-${n++}`;
    const password = `${username} correct horse`;
    await insertUser(t.db, { username, displayName, role: 'coordinator', passwordHash: await hashPassword(password) });
    return { username, password };
  };
  const login = async (username: string, password: string) => {
    const res = await fetch(`${server!.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
  };
  const rateLimitedRows = async () => {
    const { rows } = await t.db.query<{ actor: string; scope: string | null }>(
      `SELECT actor, detail->>'scope' AS scope FROM audit_log WHERE action = 'login' AND outcome = 'denied' AND detail->>'reason' = 'rate_limited'`,
    );
    return rows;
  };

  it('60 parallel wrong passwords for one account: at most 10 are tried, the rest get 429 with Retry-After, and one audit row says so', async () => {
    server = await startTestApp(t.db, { web });
    const { username } = await person('扎西 Tashi');
    const before = (await rateLimitedRows()).length;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => login(username, `wrong guess ${i}`)));
    const tried = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(tried.length).toBeLessThanOrEqual(10);
    expect(tried.length + refused.length).toBe(60);
    for (const r of refused) {
      expect(r.code).toBe('rate_limited');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(60);
    }
    // The account stays locked for this window, and further refusals add no audit rows.
    for (let i = 0; i < 5; i++) expect((await login(username, 'still wrong')).status).toBe(429);
    const rows = (await rateLimitedRows()).slice(before);
    // One row for the account, none for the address: refusals by the account's limit do not count against it.
    expect(rows).toEqual([{ actor: username, scope: 'account' }]);
  });

  it('one locked account does not lock the desks that share its address: 60 refused attempts later, a colleague still signs in and still gets 10 tries', async () => {
    server = await startTestApp(t.db, { web });
    const hammered = await person('格桑 Kelsang');
    const colleague = await person('央金 Yangchen');
    const answers = [];
    for (let i = 0; i < 70; i++) answers.push((await login(hammered.username, `guess ${i}`)).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(answers.slice(10)).toEqual(Array(60).fill(429));
    expect((await login(colleague.username, colleague.password)).status).toBe(200);
    const wrong = [];
    for (let i = 0; i < 10; i++) wrong.push((await login(colleague.username, `typo ${i}`)).status);
    expect(wrong).toEqual(Array(10).fill(401));
  });

  it('60 parallel guesses from one address across 60 names: at most 30 are tried, one audit row for the flood', async () => {
    server = await startTestApp(t.db, { web });
    const names = await Promise.all(Array.from({ length: 5 }, (_, i) => person(`卓玛 ${i} Drolma`)));
    const before = (await rateLimitedRows()).length;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(i < 5 ? names[i]!.username : `nobody-${i}`, `wrong guess ${i}`)),
    );
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(30);
    expect(answers.filter((a) => a.status === 401 || a.status === 429)).toHaveLength(60);
    expect((await rateLimitedRows()).slice(before)).toEqual([expect.objectContaining({ scope: 'address' })]);
  });

  it('a correct password does not use up the budget: after 15 sign-ins, 10 wrong passwords are still tried and the 11th is refused', async () => {
    server = await startTestApp(t.db, { web });
    const { username, password } = await person('次仁 Tsering');
    for (let i = 0; i < 15; i++) expect((await login(username, password)).status).toBe(200);
    const wrong = [];
    for (let i = 0; i < 10; i++) wrong.push((await login(username, `wrong ${i}`)).status);
    expect(wrong).toEqual(Array(10).fill(401));
    expect((await login(username, 'wrong again')).status).toBe(429);
    expect((await login(username, password)).status).toBe(429);
  });
});
