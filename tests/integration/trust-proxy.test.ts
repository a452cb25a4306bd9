// Behind our own nginx (several processes, `npm run start:cluster`) every
// request's TCP peer is the proxy. With TRUST_PROXY the client is the address
// the proxy forwards — for the audit log, the sign-in limit per address and
// the sockets per address; without it a client's X-Forwarded-For is ignored,
// so nobody can pick the address they are counted under.
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../db/users';
import { hashPassword } from '../../lib/auth/password';
import { CLIENT_SECURE_HEADER } from '../../lib/auth/sessions';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('the client address behind a proxy on %s', (engine) => {
  let t: TestDb;
  let web: Awaited<ReturnType<typeof apiRouter>>;
  let running: RunningApp[] = [];
  const sockets: TestSocket[] = [];
  let n = 0;

  beforeAll(async () => {
    t = await freshDb(engine);
    web = await apiRouter();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    for (const r of running) await r.close();
    running = [];
  });
  afterAll(async () => {
    await t?.drop();
  });

  const app = async (env: Record<string, string>) => {
    const r = await startTestApp(t.db, { env, web });
    running.push(r);
    return r;
  };
  const failedSignIn = async (baseUrl: string, forwardedFor: string) => {
    const username = `proxy-${n++}`;
    await insertUser(t.db, { username, displayName: '扎西 Tashi', role: 'viewer', passwordHash: await hashPassword(`${username} 草原 long enough password`) });
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password: 'not the password at all' }),
    });
    expect(res.status).toBe(401);
    const { rows } = await t.db.query<{ ip: string }>(`SELECT ip FROM audit_log WHERE action = 'login' AND actor = $1`, [username]);
    return rows.map((r) => r.ip);
  };
  const socketOutcome = (baseUrl: string, cookie: string, forwardedFor: string) => {
    const s: TestSocket = connect(baseUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie, 'x-forwarded-for': forwardedFor },
    });
    sockets.push(s);
    return new Promise<string>((resolve) => {
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (err) => resolve(err.message));
    });
  };

  it('with TRUST_PROXY=loopback the audit log records the forwarded client, the last X-Forwarded-For entry', async () => {
    const { baseUrl } = await app({ TRUST_PROXY: 'loopback' });
    expect(await failedSignIn(baseUrl, '203.0.113.7')).toEqual(['203.0.113.7']);
    // Entries before the last are whatever the client claimed; the proxy appended the one it saw.
    expect(await failedSignIn(baseUrl, '10.9.9.9, 198.51.100.20')).toEqual(['198.51.100.20']);
    // A malformed header from the proxy leaves the peer.
    expect(await failedSignIn(baseUrl, 'not-an-address')).toEqual(['127.0.0.1']);
  });

  it('without it (the default) X-Forwarded-For is ignored: the client is the TCP peer', async () => {
    const { baseUrl } = await app({});
    expect(await failedSignIn(baseUrl, '203.0.113.7')).toEqual(['127.0.0.1']);
  });

  it('denied requests are audited under the forwarded client too, anonymous and signed in', async () => {
    const { baseUrl } = await app({ TRUST_PROXY: 'loopback' });
    const viewer = await signIn(t.db, 'viewer');
    const anonymous = await fetch(`${baseUrl}/api/units`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    const signedIn = await fetch(`${baseUrl}/api/admin/users`, { headers: { cookie: viewer.cookie, 'x-forwarded-for': '203.0.113.51' } });
    expect([anonymous.status, signedIn.status]).toEqual([401, 403]);
    const ips = async () =>
      (await t.db.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE action = 'http.denied' AND ip LIKE '203.0.113.%' ORDER BY ip`)).rows.map((r) => r.ip);
    await expect.poll(ips).toEqual(['203.0.113.50', '203.0.113.51']);
  });

  it('a proxy not on the list is not believed', async () => {
    const { baseUrl } = await app({ TRUST_PROXY: '192.0.2.1' });
    expect(await failedSignIn(baseUrl, '203.0.113.7')).toEqual(['127.0.0.1']);
  });

  it('sockets per address count the forwarded client behind a trusted proxy, and the peer otherwise', async () => {
    const trusted = await app({ TRUST_PROXY: 'loopback', SOCKETS_PER_ADDRESS: '1', SOCKETS_PER_SESSION: '10' });
    const person = await signIn(t.db, 'viewer');
    expect(await socketOutcome(trusted.baseUrl, person.cookie, '203.0.113.7')).toBe('connected');
    expect(await socketOutcome(trusted.baseUrl, person.cookie, '203.0.113.8')).toBe('connected');
    expect(await socketOutcome(trusted.baseUrl, person.cookie, '203.0.113.7')).toMatch(/too many connections from this address/);
    const plain = await app({ SOCKETS_PER_ADDRESS: '1', SOCKETS_PER_SESSION: '10' });
    expect(await socketOutcome(plain.baseUrl, person.cookie, '203.0.113.9')).toBe('connected');
    expect(await socketOutcome(plain.baseUrl, person.cookie, '203.0.113.10')).toMatch(/too many connections from this address/);
  });

  it('marks the session cookie Secure when a trusted proxy forwards HTTPS, and only then: a client’s own claim is ignored', async () => {
    const viewer = await signIn(t.db, 'viewer');
    const [username] = (await t.db.query<{ username: string }>(`SELECT username FROM users WHERE id = $1`, [viewer.userId])).rows.map((r) => r.username);
    // Signing in and out, as a browser does; the headers a client may send, including the gate's own.
    const cookies = async (baseUrl: string, headers: Record<string, string>) => {
      const login = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ username, password: viewer.password }),
      });
      expect(login.status).toBe(200);
      const session = login.headers.get('set-cookie')!;
      const logout = await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: session.split(';')[0]!, ...headers } });
      expect(logout.status).toBe(200);
      return [session, logout.headers.get('set-cookie')!].map((c) => /;\s*Secure(;|$)/i.test(c));
    };
    const trusted = await app({ TRUST_PROXY: 'loopback' });
    expect(await cookies(trusted.baseUrl, { 'x-forwarded-proto': 'https' })).toEqual([true, true]);
    expect(await cookies(trusted.baseUrl, { 'x-forwarded-proto': 'http' })).toEqual([false, false]);
    expect(await cookies(trusted.baseUrl, {})).toEqual([false, false]);
    const plain = await app({});
    expect(await cookies(plain.baseUrl, { 'x-forwarded-proto': 'https' })).toEqual([false, false]);
    expect(await cookies(plain.baseUrl, { [CLIENT_SECURE_HEADER]: '1' })).toEqual([false, false]);
  });

  it('refuses a TRUST_PROXY that is neither an address nor loopback, saying so', async () => {
    await expect(app({ TRUST_PROXY: 'nginx.local' })).rejects.toThrow(/TRUST_PROXY.*must be off, loopback, or a comma-separated list/s);
  });
});
