// `npm run db:seed`: migrate, then generate the demo township if there is none
// (also after `npm run demo:remove`: asking for the demo by name brings it back).
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { seedDemoTownship } from '../lib/sim/seed';
import { dbOptions, loadConfig } from '../lib/config';
import { parseHerbSeason } from '../lib/model/briefing';

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  const s = await seedDemoTownship(db, {
    seed: config.DEMO_SEED,
    townshipTz: config.TOWNSHIP_TZ,
    herbSeasonMonths: parseHerbSeason(config.TOWNSHIP_HERB_SEASON),
    evenIfRemoved: true,
  });
  console.log(s.seeded ? `seeded: ${JSON.stringify(s)}` : 'a township is already loaded; nothing to do');
} finally {
  await db.close();
}
