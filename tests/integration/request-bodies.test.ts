// Request bodies and text input on the app's routes (issue 8, items 6 and 9),
// through the real gate and the real handlers (bodies stream to the handler
// as Next streams them). A body is refused as soon as it passes the route's
// limit, declared or not, and a NUL character in any text field is a 400 that
// says so — never the database's 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTownship } from '../../lib/sim/seed';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { chunkedUpload, rawRequest } from '../helpers/raw-http';
import { pointInFirstGrid } from '../helpers/township';

const FIFTY_MB = 50 * 1024 * 1024;

describe.each(engines())('request bodies and text input (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let coordinator: Awaited<ReturnType<typeof signIn>>;
  let position: [number, number];

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    const p = await pointInFirstGrid(t.db);
    position = [p.lon, p.lat];
    admin = await signIn(t.db, 'admin');
    coordinator = await signIn(t.db, 'coordinator');
    server = await startTestApp(t.db, { web: await apiRouter() });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const health = async () => (await rawRequest(server.baseUrl, { path: '/api/health' })).status;

  it('stops reading a 50 MB chunked body (no length declared) at the limit: anonymous sign-in and a staff route answer 413 and the server goes on', async () => {
    for (const [path, cookie] of [
      ['/api/auth/login', undefined],
      ['/api/incidents', coordinator.cookie],
      ['/api/admin/users', admin.cookie],
    ] as const) {
      const answer = await chunkedUpload(server.baseUrl, { path, totalBytes: FIFTY_MB, headers: cookie ? { cookie } : {} });
      expect(answer.status, path).toBe(413);
      // Answered while the client was still sending: the server did not wait for (or keep) the whole body.
      // How much the client wrote before it saw the answer depends on scheduling, not on the server.
      expect(answer.sentBytes, path).toBeLessThan(FIFTY_MB);
      expect(JSON.parse(answer.body).error.message, path).toMatch(/limit is \d+ bytes/);
      expect(await health()).toBe(200);
    }
  });

  it('refuses a declared length over the route limit at the gate, before any handler (or the session check) runs', async () => {
    for (const [method, path, cookie] of [
      ['POST', '/api/auth/login', undefined],
      ['POST', '/api/admin/users', undefined],
      ['POST', '/api/incidents', coordinator.cookie],
      ['PATCH', '/api/incidents/1', undefined],
      ['POST', '/api/auth/logout', admin.cookie],
    ] as const) {
      // Only the headers and a few bytes are sent: the gate must answer without waiting for the rest.
      const answer = await rawRequest(server.baseUrl, {
        method,
        path,
        headers: { 'content-type': 'application/json', 'content-length': String(60 * 1024 * 1024), ...(cookie ? { cookie } : {}) },
        body: '{"a":',
        timeoutMs: 3_000,
      }).catch((err: Error) => ({ status: 0, headers: {}, body: err.message }));
      expect(answer.status, `${method} ${path}: ${answer.body}`).toBe(413);
      expect(JSON.parse(answer.body).error.message).toMatch(/the limit for .* is \d+ bytes/);
    }
    expect(await health()).toBe(200);
  });

  it('a body within the limit still works, declared or chunked', async () => {
    const body = JSON.stringify({ category: 'family_dispute', severity: 2, title: '家庭纠纷', position });
    const declared = await rawRequest(server.baseUrl, { method: 'POST', path: '/api/incidents', headers: { cookie: coordinator.cookie, 'content-type': 'application/json' }, body });
    expect(declared.status).toBe(201);
    const chunked = await rawRequest(server.baseUrl, {
      method: 'POST',
      path: '/api/incidents',
      headers: { cookie: coordinator.cookie, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body,
    });
    expect(chunked.status).toBe(201);
  });

  it('refuses a NUL character in every text field of every route that reads a body, with a 400 that says so', async () => {
    const incident = { category: 'family_dispute', severity: 2, title: '家庭纠纷', position };
    const cases: [string, string, string, unknown][] = [
      ['POST', '/api/auth/login', '', { username: 'adm\u0000in', password: 'whatever-password' }],
      ['POST', '/api/auth/login', '', { username: 'admin', password: 'pass\u0000word' }],
      ['POST', '/api/incidents', coordinator.cookie, { ...incident, title: '家庭\u0000纠纷' }],
      ['POST', '/api/incidents', coordinator.cookie, { ...incident, description: 'x\u0000' }],
      ['POST', '/api/incidents', coordinator.cookie, { ...incident, reporterContact: '\u0000' }],
      ['PATCH', '/api/incidents/1', coordinator.cookie, { status: 'closed\u0000' }],
      ['POST', '/api/admin/users', admin.cookie, { username: 'nul-user', displayName: '名\u0000字', role: 'viewer', password: 'long-enough-password' }],
      ['POST', '/api/admin/users', admin.cookie, { username: 'nul\u0000user', displayName: 'x', role: 'viewer', password: 'long-enough-password' }],
      ['PATCH', `/api/admin/users/${coordinator.userId}`, admin.cookie, { displayName: 'a\u0000b' }],
      // In a key, or deep inside an array.
      ['POST', '/api/incidents', coordinator.cookie, { ...incident, 'ti\u0000tle': 'x' }],
      ['PATCH', `/api/admin/users/${coordinator.userId}`, admin.cookie, { displayName: 'ok', extra: [['\u0000']] }],
    ];
    for (const [method, path, cookie, body] of cases) {
      const answer = await rawRequest(server.baseUrl, { method, path, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}: ${answer.body}`).toBe(400);
      expect(JSON.parse(answer.body).error.message).toMatch(/must not contain NUL characters/);
    }
    // The account was not renamed.
    const users = await rawRequest(server.baseUrl, { path: '/api/admin/users', headers: { cookie: admin.cookie } });
    expect(users.body).not.toContain('\\u0000');
  });

  it('refuses a NUL character in query parameters (the audit filter and every other one)', async () => {
    for (const path of ['/api/audit?actor=ad%00min', '/api/audit?action=%00', '/api/audit?since=2026-01-01T00:00:00Z%00', '/api/heatmap?window=%00', '/api/incidents?recentHours=1%00', '/api/audit?x%00=1', '/api/admin/sessions?kind=%00']) {
      const answer = await rawRequest(server.baseUrl, { path, headers: { cookie: admin.cookie } });
      expect(answer.status, `${path}: ${answer.body}`).toBe(400);
      expect(JSON.parse(answer.body).error.message).toMatch(/must not contain NUL characters/);
    }
    expect((await rawRequest(server.baseUrl, { path: '/api/audit?actor=admin', headers: { cookie: admin.cookie } })).status).toBe(200);
  });
});
