// The demo township: plan it (lib/sim/township/: pure, deterministic from the
// seed) and write it (db/township.ts) in one transaction, so a crash never
// leaves half a township behind.
import type { Db } from '../../db/client';
import { hashDeviceSecret, newDeviceSecret } from '../../db/devices';
import {
  countEmptyGrids,
  countSeeded,
  demoWasRemoved,
  insertBasemapFeatures,
  insertGridsFromSeeds,
  insertIncidents,
  insertKeyLocations,
  insertTeamsWithDevices,
  insertTownship,
  insertVillages,
  townshipExists,
  type SeededCounts,
} from '../../db/township';
import { DEFAULT_HERB_SEASON_SETTING, parseHerbSeason } from '../model/briefing';
import { DEFAULT_TOWNSHIP_TZ } from '../model/township-time';
import { seedDemoPlans } from './seed-plans';
import { GRID_COUNT } from './township/grid-seeds';
import { generateIncidents } from './township/incidents';
import { DEMO_SEED, generateLayout, toTownshipPlan } from './township/layout';
import { planForceTeams, planGridWorkers } from './township/teams';

export interface SeedOptions {
  seed?: number;
  now?: Date;
  /** Days of incident history before `now`; default 395 (a year and a month, for period-over-period). */
  historyDays?: number;
  /** The township's zone (config TOWNSHIP_TZ): the history's days, weekdays and hours are its local ones. Default Asia/Shanghai. */
  townshipTz?: string;
  /** The herb season's months, 1 = January (config TOWNSHIP_HERB_SEASON, parsed): the history's seasonal rhythm. Default May–July. */
  herbSeasonMonths?: readonly number[];
  /** Seed even though an administrator removed the demo (`npm run db:seed` asks for it by name; a start does not). */
  evenIfRemoved?: boolean;
}

/** seeded: false when a township was already there or the demo was removed; the counts are what the database holds now. */
export interface SeedSummary extends SeededCounts {
  seeded: boolean;
  /** Not seeded because `npm run demo:remove` took the demo away (the audit log says so). */
  demoRemoved: boolean;
}

export const DEFAULT_HISTORY_DAYS = 395;

/**
 * A demo device's secret: fresh, never derived from the seed, and thrown away
 * once hashed — the simulator issues its own at start (issueDeviceSecret).
 */
function newDeviceSecretHash(): string {
  return hashDeviceSecret(newDeviceSecret());
}

function checkOptions(opts: SeedOptions): { seed: number; now: Date; historyDays: number; townshipTz: string } {
  const seed = opts.seed ?? DEMO_SEED;
  const now = opts.now ?? new Date();
  const historyDays = opts.historyDays ?? DEFAULT_HISTORY_DAYS;
  if (!Number.isInteger(seed)) throw new Error(`seedDemoTownship: seed must be an integer, got ${seed}`);
  if (Number.isNaN(now.getTime())) throw new Error('seedDemoTownship: now is not a valid date');
  if (!(historyDays >= 0 && historyDays <= 3660)) {
    throw new Error(`seedDemoTownship: historyDays must be between 0 and 3660, got ${historyDays}`);
  }
  return { seed, now, historyDays, townshipTz: opts.townshipTz ?? DEFAULT_TOWNSHIP_TZ };
}

/**
 * Writes the demo township unless one is already there, or an administrator
 * removed it (then only with evenIfRemoved). Idempotent: a second call (or a
 * concurrent one on the server engine) changes nothing and reports seeded:
 * false with the current counts.
 */
export async function seedDemoTownship(db: Db, opts: SeedOptions = {}): Promise<SeedSummary> {
  const { seed, now, historyDays, townshipTz } = checkOptions(opts);
  // Cheap check first so a restart does not spend time generating for nothing;
  // insertTownship's ON CONFLICT is what actually guards against a race.
  if (await townshipExists(db)) return { seeded: false, demoRemoved: false, ...(await countSeeded(db)) };
  if (!opts.evenIfRemoved && (await demoWasRemoved(db))) return { seeded: false, demoRemoved: true, ...(await countSeeded(db)) };

  const layout = generateLayout(seed);
  const plan = toTownshipPlan(layout);
  const incidents = generateIncidents(layout, { seed, now, historyDays, tz: townshipTz, herbMonths: opts.herbSeasonMonths });
  const forceTeams = planForceTeams(plan);

  // Setup work, with the setup time limit: the grid tiling alone takes 0.8–2 s,
  // too near the limit for a request's statement (db/client.ts).
  const seeded = await db.transaction(async (tx) => {
    if (!(await insertTownship(tx, { plan }))) return false;
    await insertVillages(tx, { plan });
    const grids = await insertGridsFromSeeds(tx, { plan });
    const empty = await countEmptyGrids(tx);
    if (grids.length !== GRID_COUNT || empty > 0) {
      // Throwing rolls the whole township back: better no demo than a broken grid.
      throw new Error(`seedDemoTownship: grid tiling produced ${grids.length} cells, ${empty} empty (seed ${seed})`);
    }
    await insertBasemapFeatures(tx, { features: plan.features });
    await insertKeyLocations(tx, { plan });
    const teams = [...forceTeams, ...planGridWorkers(grids, seed)].map((t) => ({ ...t, secretHash: newDeviceSecretHash() }));
    await insertTeamsWithDevices(tx, { teams });
    await insertIncidents(tx, { incidents });
    // Planned patrols for the simulator to walk (a joint patrol on market days, the herb-season shift).
    await seedDemoPlans(tx, { now, tz: townshipTz, herbMonths: opts.herbSeasonMonths ?? parseHerbSeason(DEFAULT_HERB_SEASON_SETTING) });
    return true;
  }, { setup: true });
  return { seeded, demoRemoved: false, ...(await countSeeded(db)) };
}
