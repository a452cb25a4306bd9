// One GridSight server process for bench/fanout-cluster.ts: the gateway and
// realtime server (no Next.js, as bench/fanout.ts) in a process of its own, so
// its CPU is its own and several of them are several processes, as
// `npm run start:cluster` runs them. Run: node --import tsx
// bench/cluster-server.ts with CLUSTER_SERVER_ENV (JSON settings for
// loadConfig: DATABASE_URL, REDIS_URL, PORT, …); it prints {"port":…} once it
// listens on 127.0.0.1, and when its stdin ends it writes what it still holds
// and exits.
import { openDb } from '../db/client';
import { createApp } from '../lib/app';
import { loadConfig } from '../lib/config';

async function main(): Promise<void> {
  const config = loadConfig(JSON.parse(process.env.CLUSTER_SERVER_ENV ?? '{}') as Record<string, string>);
  const db = await openDb({ databaseUrl: config.DATABASE_URL, poolMax: config.DB_POOL_MAX });
  const app = createApp({ db, config });
  const port = await app.listen(config.PORT, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.on('end', () => {
    void app.gateway.writer
      .flushed()
      .then(() => app.close())
      .then(() => db.close())
      .then(() => process.exit(0));
  });
  process.stdin.resume();
}

main().catch((err: unknown) => {
  console.error('[cluster-server] failed:', err);
  process.exit(1);
});
