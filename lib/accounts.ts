// The accounts service: an administrator creates and changes accounts. Each
// change and its audit row commit together; sockets are dropped through the
// bus only after the commit, so a failed audit write changes nothing.
import type { Db } from '../db/client';
import { openSessionIds } from '../db/sessions';
import { getAdminUser, getUserForLogin, insertUser, updateUser } from '../db/users';
import { recordAudit, type Actor } from './audit';
import { hashPassword } from './auth/password';
import type { Bus } from './bus';
import { AppError } from './errors';
import type { AdminUser, PersonRole } from './model';

export interface NewAccount {
  username: string;
  displayName: string;
  role: PersonRole;
  password: string;
}

export interface AccountChange {
  displayName?: string;
  role?: PersonRole;
  disabled?: boolean;
  password?: string;
}

const taken = (username: string) => new AppError('conflict', `a user named "${username}" already exists`);

/** Creates an account; the name must be free (409). */
export async function createAccount(deps: { db: Db }, { account, actor }: { account: NewAccount; actor: Actor }): Promise<AdminUser> {
  const { username, displayName, role, password } = account;
  // Checked before the (deliberately slow) hash; the unique index still decides a race.
  if (await getUserForLogin(deps.db, { username })) throw taken(username);
  // Hashed outside the transaction: it would otherwise hold a connection open for its whole duration.
  const passwordHash = await hashPassword(password);
  return deps.db
    .transaction(async (tx) => {
      const created = await insertUser(tx, { username, displayName, role, passwordHash });
      await recordAudit(tx, actor, { action: 'user.create', target: `user:${created.id}`, detail: { username: created.username, role: created.role } });
      return (await getAdminUser(tx, { id: created.id }))!;
    })
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw taken(username);
      throw err;
    });
}

/**
 * Renames, changes the role, disables/enables or sets a new password.
 * Disabling or a role change also drops the person's live sockets once it has
 * committed, and ends recovery of dropped ones (lib/realtime/server.ts): a
 * disabled person stays out; anyone else reconnects into the rooms of the new
 * role. The sessions themselves stay valid. An administrator cannot disable or
 * demote themselves, so there is always one left.
 */
export async function changeAccount(
  deps: { db: Db; bus: Bus },
  { id, change, actor }: { id: number; change: AccountChange; actor: Actor },
): Promise<AdminUser> {
  const before = await getAdminUser(deps.db, { id });
  if (!before) throw new AppError('not_found', `no user ${id}`);
  if (before.role === 'device') throw new AppError('conflict', `user ${id} is a device account; manage it with npm run device:issue`);
  if (id === actor.actorUserId && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'))) {
    throw new AppError('conflict', 'you cannot disable or demote your own account; ask another administrator');
  }
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
  const dropSockets = change.disabled === true || (change.role !== undefined && change.role !== before.role);
  const { after, sessionIds } = await deps.db.transaction(async (tx) => {
    await updateUser(tx, { id, change: { displayName: change.displayName, role: change.role, disabled: change.disabled, passwordHash } });
    const changed = await getAdminUser(tx, { id });
    if (!changed) throw new AppError('not_found', `no user ${id}`);
    await recordAudit(tx, actor, {
      action: 'user.update',
      target: `user:${id}`,
      // Never the password itself: only that it changed.
      detail: { username: changed.username, ...change, password: change.password === undefined ? undefined : 'changed' },
    });
    return { after: changed, sessionIds: dropSockets ? await openSessionIds(tx, { userId: id }) : [] };
  });
  // At once after the commit: a socket must not keep the old role's rooms.
  for (const sessionId of sessionIds) deps.bus.publish('session:ended', sessionId);
  return after;
}
