// `npm run demo:remove -- --yes`: removes the generated demo township (its
// boundary, villages, grid cells, roads and basemap lines, key locations,
// teams, devices, positions, incidents and alerts) in one transaction, so the
// real township can be imported into an empty install. Accounts and the
// audit log stay. Refuses when the township is no longer the demo (an import
// was applied, an administrator set up a team or a device). Without --yes it
// only says what it would remove. Stop GridSight first: the embedded database
// is one process's, and a running server keeps the demo in its caches.
import { parseArgs } from 'node:util';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { countSeeded, getDemoState } from '../db/township';
import { dbOptions, loadConfig } from '../lib/config';
import { AppError } from '../lib/errors';
import { removeDemoTownship } from '../lib/sim/remove-demo';

const USAGE = 'usage: npm run demo:remove -- [--yes]';

let yes: boolean;
try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { yes: { type: 'boolean' } } });
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
  yes = values.yes === true;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  if (!yes) {
    const state = await getDemoState(db);
    const c = await countSeeded(db);
    if (!state.township) console.log('No township is stored: there is no demo to remove.');
    else if (state.endedBy) console.log(`The stored township is no longer the demo (${state.endedBy.action} at ${state.endedBy.at}): demo:remove will refuse.`);
    else {
      console.log(
        `Would remove the demo township seeded at ${state.seededAt}: ${c.villages} villages, ${c.grids} grid cells, ${c.keyLocations} key locations, ` +
          `${c.teams} teams with ${c.devices} devices, ${c.incidents} incidents, and their positions, alerts and roads. Accounts and the audit log stay.\n` +
          'Run again with --yes to remove it (stop GridSight first), and set SEED_DEMO=false.',
      );
    }
  } else {
    const { removed: r } = await removeDemoTownship({ db }, { actor: 'cli' });
    console.log(
      `Removed the demo township: ${r.villages} villages, ${r.grids} grid cells, ${r.keyLocations} key locations, ${r.basemapFeatures} basemap lines and areas, ` +
        `${r.teams} teams, ${r.devices} devices, ${r.positions} positions, ${r.incidents} incidents, ${r.alerts} alerts.\n` +
        'Next: set SEED_DEMO=false, start GridSight, and import the boundary, villages, grid cells and key locations (npm run import, or the admin page).',
    );
  }
} catch (err) {
  console.error(err instanceof AppError ? `not removed: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await db.close();
}
