// A wall display's session (issue 11): signing in as the wall lands on /wall,
// a wall that opens `/` is sent there by the gate while every other role stays
// on the map; /api/auth/me carries the township zone and the socket's hello
// the server's build id (read once at start: lib/app.ts readBuildId).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../db/users';
import { readBuildId } from '../../lib/app';
import { hashPassword } from '../../lib/auth/password';
import { afterSignInPath } from '../../lib/auth/next-path';
import type { HelloPayload, Me, PersonRole } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp, type TestSocket } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';

const PASSWORD = 'wall-session-test-password';

describe.each(engines())('a wall display session on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  const cookies = {} as Record<PersonRole, string>;
  const landing = {} as Record<PersonRole, string>;

  beforeAll(async () => {
    t = await freshDb(engine);
    const api = await apiRouter();
    server = await startTestApp(t.db, {
      env: { TOWNSHIP_TZ: 'Asia/Kolkata', BUILD_ID: 'test-build-7' },
      // The API's own handlers; every page a stub that says it was reached.
      web: (req, res) => {
        if (req.url?.startsWith('/api/')) return api(req, res);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`page ${req.url}`);
      },
    });
    // Each role signs in as the login form does, and goes where the form would send it (no ?next=).
    for (const role of ['admin', 'coordinator', 'viewer', 'wall'] as const) {
      await insertUser(t.db, { username: `ws-${role}`, displayName: `墙 ${role}`, role, passwordHash: await hashPassword(PASSWORD) });
      const res = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `ws-${role}`, password: PASSWORD, wall: role === 'wall' }),
      });
      expect(res.status).toBe(200);
      const { user } = (await res.json()) as { user: { role: string } };
      cookies[role] = res.headers.get('set-cookie')!.split(';')[0]!;
      landing[role] = afterSignInPath(null, server.baseUrl, user.role);
    }
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const page = (role: PersonRole, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { cookie: cookies[role] }, redirect: 'manual' });

  it('lands the wall display on /wall after signing in, everyone else on the map', () => {
    expect(landing).toEqual({ admin: '/', coordinator: '/', viewer: '/', wall: '/wall' });
  });

  it('sends a wall that opens / on to /wall (query kept), and lets it open /wall', async () => {
    const root = await page('wall', '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/wall');
    const themed = await page('wall', '/?theme=contrast');
    expect(themed.headers.get('location')).toBe('/wall?theme=contrast');
    const wall = await page('wall', '/wall');
    expect(wall.status).toBe(200);
    expect(await wall.text()).toBe('page /wall');
    // Its other pages are as before.
    expect((await page('wall', '/account')).status).toBe(200);
  });

  it('keeps every other role on the map at /, and lets them open /wall too', async () => {
    for (const role of ['admin', 'coordinator', 'viewer'] as const) {
      const root = await page(role, '/');
      expect({ role, status: root.status, location: root.headers.get('location') }).toEqual({ role, status: 200, location: null });
      expect((await page(role, '/wall')).status).toBe(200);
    }
  });

  it('tells the page the township zone in /api/auth/me', async () => {
    const me = (await callApi(server.baseUrl, { cookie: cookies.wall }, 'GET', '/api/auth/me')).json as { user: Me };
    expect(me.user).toMatchObject({ username: 'ws-wall', role: 'wall', session: 'wall', townshipTz: 'Asia/Kolkata' });
  });

  it('says which build the server runs in every hello', async () => {
    // hello is the server's first word on a connection: listen before connecting.
    const socket: TestSocket = connect(server.baseUrl, { path: '/socket.io', transports: ['websocket'], forceNew: true, autoConnect: false, extraHeaders: { cookie: cookies.wall } });
    try {
      const hello = new Promise<HelloPayload>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      socket.connect();
      expect((await hello).buildId).toBe('test-build-7');
    } finally {
      socket.disconnect();
    }
  });
});

describe('readBuildId', () => {
  it("takes the BUILD_ID setting, else Next's .next/BUILD_ID, else 'development'", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridsight-build-id-'));
    try {
      expect(readBuildId({}, dir)).toBe('development');
      mkdirSync(join(dir, '.next'));
      writeFileSync(join(dir, '.next', 'BUILD_ID'), 'ntiTkGA16xjwl_p6eXyNw\n');
      expect(readBuildId({}, dir)).toBe('ntiTkGA16xjwl_p6eXyNw');
      expect(readBuildId({ BUILD_ID: 'release-2026-01' }, dir)).toBe('release-2026-01');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
