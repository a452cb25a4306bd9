// The demo simulator while its database refuses every incident it tries to
// report: each failure is logged and the next incident is still scheduled;
// nothing escapes as an unhandled rejection (which ends a Node process run
// with default flags), and reporting resumes once the database answers again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoTownship } from '../../lib/sim/seed';
import { Simulator } from '../../lib/sim/simulator';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';

/** A small deterministic stream in [0, 1): draws both branches of the incident position. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 9301 + 49297) % 233280) / 233280;
}

describe.each(engines())('the simulator while the database fails, on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 0 });
    server = await startTestApp(t.db);
  });

  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('logs each failed incident report, leaves no unhandled rejection, and reports again once the database is back', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const sim = new Simulator(
      { db: t.db, bus: server.app.bus },
      // About ten incident attempts a second; patrol reports rarely.
      { baseUrl: server.baseUrl, reportSeconds: 600, incidentsPerHour: 36_000, random: lcg(7) },
    );
    try {
      await sim.start();
      // Both places an incident report touches the database now fail: the
      // random point in the township, and the incident's own insert.
      await t.db.exec(`ALTER TABLE township RENAME TO township_away; ALTER TABLE incidents RENAME TO incidents_away`);
      const before = sim.stats.incidents;
      await new Promise((r) => setTimeout(r, 1_500));
      const failures = warn.mock.calls.filter((c) => c[0] === '[sim] incident report failed:');
      expect(failures.length).toBeGreaterThanOrEqual(3);
      expect(sim.stats.incidents).toBe(before);

      await t.db.exec(`ALTER TABLE township_away RENAME TO township; ALTER TABLE incidents_away RENAME TO incidents`);
      const deadline = Date.now() + 5_000;
      while (sim.stats.incidents === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(sim.stats.incidents).toBeGreaterThan(before);
      // Let the last callbacks of a failed report settle before looking.
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
    } finally {
      sim.stop();
      warn.mockRestore();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
