// One GridSight process alone on its database leads (issue 15): the rules loop
// runs, and GET /api/health says so. Embedded, it leads at once (one process,
// no lock); on the server it leads as soon as it holds the leader's lock.
// Several processes on one server: tests/integration/leader.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRouter } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';

describe.each(engines())('a process alone on its database (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  /** Right after createApp, before anything had a chance to run. */
  let leadingAtOnce: boolean;

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { RULES_INTERVAL_MS: '200', LEADER_RETRY_MS: '200' } });
    // startTestApp awaits only listen(): on the server engine the first try for the lock is still on its way.
    leadingAtOnce = server.app.leader.isLeader();
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('leads at once when embedded (one process, no lock) and after taking the lock on the server', async () => {
    expect(leadingAtOnce).toBe(engine === 'pglite');
    await vi.waitFor(() => expect(server.app.leader.isLeader()).toBe(true), { timeout: 15_000, interval: 50 });
  });

  it('runs the rules loop as the leader', async () => {
    const before = server.app.rules.stats.cycles;
    await vi.waitFor(() => expect(server.app.rules.stats.cycles).toBeGreaterThan(before + 1), { timeout: 15_000, interval: 50 });
  });

  it('reports leader: true on GET /api/health', async () => {
    const res = await fetch(`${server.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, engine, leader: true });
  });
});
