// `npm start`: build the production bundle if it is missing or stale, then
// start server.ts. Migrations and the demo seed run in main().
import { main } from '../server';
import { buildIfNeeded } from './build-if-needed';

buildIfNeeded();
main({ dev: false }).catch((err: unknown) => {
  console.error('[fatal]', err);
  process.exit(1);
});
