// `npm run user:create -- --admin <username>` (or `--role coordinator|viewer|wall <username>`):
// creates an account with a random password printed once. No account or
// password is built in anywhere: the first administrator comes from here.
import { parseArgs } from 'node:util';
import { appendAudit } from '../db/audit';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { ROLES, type Role } from '../lib/model';
import { insertUser } from '../db/users';
import { hashPassword, randomPassword } from '../lib/auth/password';
import { dbOptions, loadConfig } from '../lib/config';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { admin: { type: 'boolean' }, role: { type: 'string' }, name: { type: 'string' } },
});
const username = positionals[0];
const role = (values.admin ? 'admin' : values.role) as Role | undefined;
if (!username || !role || !ROLES.includes(role) || role === 'device') {
  console.error('usage: npm run user:create -- --admin <username>\n       npm run user:create -- --role coordinator|viewer|wall <username> [--name "Display name"]');
  process.exit(2);
}

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  // The account and its audit row commit together, as the admin page's createAccount does (no signed-in actor here: 'cli').
  await db.transaction(async (tx) => {
    const user = await insertUser(tx, { username, displayName: values.name ?? username, role, passwordHash });
    await appendAudit(tx, { actorUserId: null, actor: 'cli', role: null, action: 'user.create', target: `user:${user.id}`, outcome: 'ok', detail: { username, role } });
  });
  console.log(`created ${role} "${username}". Password (shown once):\n${password}`);
} catch (err) {
  const code = (err as { code?: string }).code;
  console.error(code === '23505' ? `a user named "${username}" already exists` : code === '23514' ? `"${username}" is not a valid username (3–32 of a-z 0-9 . _ -)` : err);
  process.exitCode = 1;
} finally {
  await db.close();
}
