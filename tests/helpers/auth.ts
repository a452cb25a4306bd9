import type { Queryable } from '../../db/client';
import type { Role } from '../../lib/model';
import { insertUser } from '../../db/users';
import { hashPassword } from '../../lib/auth/password';
import { SESSION_COOKIE, startSession } from '../../lib/auth/sessions';

let n = 0;

/** A new user of `role` with a browser session; returns the cookie a client sends. */
export async function signIn(db: Queryable, role: Exclude<Role, 'device'>): Promise<{ cookie: string; sessionId: number; userId: number; password: string }> {
  const password = `test-password-${role}-${n}`;
  const user = await insertUser(db, { username: `t-${role}-${n++}-${Date.now() % 100000}`, displayName: `测试 ${role} ·  Tashi`, role, passwordHash: await hashPassword(password) });
  const s = await startSession(db, { userId: user.id, kind: role === 'wall' ? 'wall' : 'browser', ip: null, userAgent: 'test' });
  return { cookie: `${SESSION_COOKIE}=${s.token}`, sessionId: s.sessionId, userId: user.id, password };
}
