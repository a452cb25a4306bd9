import type { Db } from '../../db/client';
import { countAdmins, insertUser } from '../../db/users';
import { hashPassword, randomPassword } from './password';

/**
 * Demo mode's first accounts: an administrator and a wall display, each with
 * a random password returned once to be printed in the console. Nothing is
 * created when an administrator already exists, so this runs on every start.
 */
export async function ensureDemoAccounts(db: Db): Promise<{ admin: string; wall: string } | null> {
  if ((await countAdmins(db)) > 0) return null;
  const admin = randomPassword();
  const wall = randomPassword();
  await db.transaction(async (tx) => {
    await insertUser(tx, { username: 'admin', displayName: '管理员 Administrator', role: 'admin', passwordHash: await hashPassword(admin) });
    await insertUser(tx, { username: 'wall', displayName: '指挥中心大屏 Wall display', role: 'wall', passwordHash: await hashPassword(wall) });
  });
  return { admin, wall };
}
