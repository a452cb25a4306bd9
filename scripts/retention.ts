// `npm run retention`: one retention pass now (lib/retention.ts) — the day
// partitions of positions made ahead, those older than POSITIONS_RETENTION_DAYS
// dropped, reporter contacts older than INCIDENT_CONTACT_RETENTION_DAYS erased
// and audited — with the settings the server uses. Safe beside a running
// server on the PostgreSQL server; the embedded database is one process's, so
// stop GridSight first there.
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { dbOptions, loadConfig } from '../lib/config';
import { retentionSettings, runRetention } from '../lib/retention';

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  const r = await runRetention(db, retentionSettings(config));
  console.log(
    `Positions before ${r.positionsBefore}: ${r.dropped.length} day partition(s) dropped${r.dropped.length ? ` (${r.dropped.join(', ')})` : ''}, ` +
      `${r.busy.length} busy (retried next pass), ${r.defaultDeleted} old fix(es) deleted from the default partition; ${r.made} partition(s) made.`,
  );
  console.log(`Reporter contacts of incidents reported before ${r.contactsBefore}: ${r.erased.length} erased (audited).`);
} finally {
  await db.close();
}
