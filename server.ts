// GridSight's process: database, Next.js, socket.io and the device gateway on one port.
import next from 'next';
import { openDb, type Db } from './db/client';
import { migrate } from './db/migrate';
import { seedDemoTownship } from './lib/sim/seed';
import { createApp, readBuildId } from './lib/app';
import { ensureDemoAccounts } from './lib/auth/demo';
import { syncHeatmap } from './lib/heatmap';
import { ConfigError, dbOptions, loadConfig, type Config } from './lib/config';
import { Simulator } from './lib/sim/simulator';
import type { Bus } from './lib/bus';
import type { Duty } from './lib/leader';
import { parseHerbSeason } from './lib/model/briefing';

export interface MainOptions {
  dev: boolean;
  /** Runs after migrations and seeding, before the server listens (tests register fixtures here). */
  onDbReady?: (db: Db) => Promise<void>;
  /** Embedded engine, a new data folder: its first contents, a dump of a migrated database (tests copy a template). */
  loadDataDir?: Blob;
}

export async function main({ dev, onDbReady, loadDataDir }: MainOptions): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }

  const t0 = Date.now();
  const db = await openDb({ ...dbOptions(config), loadDataDir });
  console.log(
    `[db] ${db.engine === 'pg' ? 'PostgreSQL + PostGIS server' : `embedded PGlite + PostGIS at ${config.dataDir}`} (${Date.now() - t0} ms)`,
  );
  const applied = await migrate(db);
  if (applied.length > 0) console.log(`[db] applied migrations: ${applied.join(', ')}`);
  if (config.SEED_DEMO) {
    const t1 = Date.now();
    const s = await seedDemoTownship(db, {
      seed: config.DEMO_SEED,
      townshipTz: config.TOWNSHIP_TZ,
      herbSeasonMonths: parseHerbSeason(config.TOWNSHIP_HERB_SEASON),
    });
    if (s.seeded) {
      console.log(
        `[seed] demo township: ${s.grids} grids, ${s.keyLocations} key locations, ${s.teams} teams, ${s.incidents} incidents (${Date.now() - t1} ms)`,
      );
    }
  }

  // The heatmap rollup counts TOWNSHIP_TZ's days at the township's latitude: recounted once if either changed.
  if (await syncHeatmap(db, { timeZone: config.TOWNSHIP_TZ })) console.log(`[heatmap] rollup recounted for ${config.TOWNSHIP_TZ}`);
  const demoPasswords = config.SEED_DEMO ? await ensureDemoAccounts(db) : null;
  await onDbReady?.(db);

  const web = next({ dev, dir: import.meta.dirname });
  await web.prepare();
  const buildId = readBuildId(config, import.meta.dirname);
  const app = createApp({ db, config, web: web.getRequestHandler(), webUpgrade: web.getUpgradeHandler(), buildId });
  const listening = app.listen(config.PORT, config.HOST);
  // Added before the first election ends, so the leader's log line names it; it starts once the port is known.
  if (config.SIM_ENABLED) void app.leader.add(simulatorDuty({ db, bus: app.bus }, config, listening));
  const port = await listening;
  console.log(`[http] GridSight on http://localhost:${port} (${dev ? 'dev' : 'production'}, build ${buildId}, ready in ${Date.now() - t0} ms)`);
  if (demoPasswords) {
    console.log(
      [
        '',
        '──────── GridSight demo accounts (shown once; change them in production) ────────',
        `  sign in at          http://localhost:${port}/login`,
        `  administrator:      admin / ${demoPasswords.admin}`,
        `  wall display link:  http://localhost:${port}/login?wall=1   (wall / ${demoPasswords.wall})`,
        '──────────────────────────────────────────────────────────────────────────────────',
        '',
      ].join('\n'),
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[http] ${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      // Stops the leader's duties first (the simulator among them), then the doors.
      await app.close();
      await web.close();
      await db.close();
    } catch (err) {
      console.error('[http] shutdown error:', err);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The demo's devices exist once per deployment, so the leader runs them: a
 * new simulator each time this process leads, reporting to this process's
 * port, stopped when leadership is lost.
 */
function simulatorDuty(deps: { db: Db; bus: Bus }, config: Config, listening: Promise<number>): Duty {
  let sim: Simulator | null = null;
  return {
    name: 'simulator',
    async start() {
      const port = await listening;
      sim = new Simulator(deps, {
        baseUrl: `http://127.0.0.1:${port}`,
        reportSeconds: config.SIM_REPORT_SECONDS,
        incidentsPerHour: config.SIM_INCIDENTS_PER_HOUR,
        travel: config,
        plans: { tz: config.TOWNSHIP_TZ, marketDays: config.TOWNSHIP_MARKET_DAYS, dwellS: config.PLAN_VISIT_DWELL_S },
      });
      await sim.start();
    },
    stop() {
      sim?.stop();
      sim = null;
    },
  };
}

// Run when executed directly (tsx server.ts), not when imported by scripts/start.ts.
if (import.meta.url === `file://${process.argv[1]}`) {
  main({ dev: process.argv.includes('--dev') }).catch((err: unknown) => {
    console.error('[fatal]', err);
    process.exit(1);
  });
}
