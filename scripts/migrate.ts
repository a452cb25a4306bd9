// `npm run db:migrate`: apply pending migrations to the configured database.
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { dbOptions, loadConfig } from '../lib/config';

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  const applied = await migrate(db);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await db.close();
}
