// Signing in: the limits, the password check, the audit row and the session
// start. POST /api/auth/login only parses the body and sets the cookie.
import { appendAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { getUserForLogin } from '../../db/users';
import { AppError } from '../errors';
import type { Role } from '../model';
import type { Limits } from '../registry';
import { verifyPassword } from './password';
import { startSession } from './sessions';

/** Verified when the name is unknown, so timing does not reveal which names exist. */
const DUMMY_HASH = '$scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface SignInAttempt {
  username: string;
  password: string;
  /** A wall display asks for a long-lived (revocable) session; only a wall account gets one. */
  wall?: boolean;
  /** The client's address as the gate saw it (null when unknown). */
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  user: { id: number; username: string; displayName: string; role: Role };
  session: { token: string; maxAgeSeconds: number };
}

/**
 * Checks a sign-in and starts a session. Refused attempts are 401 (wrong name
 * or password, disabled, a device account) or 429 with Retry-After (the limits
 * per address and per account). Every attempt is audited except repeated
 * refusals by a limit: one row per account (or address) per window.
 */
export async function signIn(deps: { db: Db; limits: Limits }, { username, password, wall, ip, userAgent }: SignInAttempt): Promise<SignedIn> {
  const { db, limits } = deps;
  const address = ip ?? 'unknown';
  // Count the attempt before the slow hash, so parallel guesses cannot all
  // pass a check made before any of them was counted. The account first: an
  // attempt its account's limit refuses costs no hash and tells nothing, so it
  // does not use up the address's budget — else one person hammering one
  // account would lock every desk behind the command centre's shared address.
  // An attempt the address refuses gives the account its count back.
  const account = await limits.loginByAccount.take(username);
  const byAddress = account.wait > 0 ? { wait: 0, excess: 0 } : await limits.loginByAddress.take(address);
  if (byAddress.wait > 0) await limits.loginByAccount.refund(username);
  if (byAddress.wait > 0 || account.wait > 0) {
    const scope = account.wait > 0 ? 'account' : 'address';
    const { wait, excess } = account.wait > 0 ? account : byAddress;
    // One row per account (or address) per window: a flood cannot fill the audit log.
    // The excess comes from the counting step itself, so with several processes
    // counting in Redis exactly one of them sees the first refusal.
    if (excess === 1) {
      await appendAudit(db, { actorUserId: null, actor: username.slice(0, 64), role: null, action: 'login', outcome: 'denied', ip, detail: { reason: 'rate_limited', scope } });
    }
    throw new AppError('rate_limited', `too many sign-in attempts; try again in ${wait} s`, { retryAfterSeconds: wait });
  }
  const found = await getUserForLogin(db, { username });
  const verified = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  const user = verified && found && !found.disabled && found.role !== 'device' ? found : null;
  if (!user) {
    await appendAudit(db, { actorUserId: null, actor: username.slice(0, 64), role: null, action: 'login', outcome: 'failed', ip });
    throw new AppError('unauthorized', 'wrong username or password');
  }
  // The session and its audit row commit together.
  const session = await db.transaction(async (tx) => {
    await appendAudit(tx, { actorUserId: user.id, actor: username.slice(0, 64), role: user.role, action: 'login', outcome: 'ok', ip });
    return startSession(tx, { userId: user.id, kind: wall && user.role === 'wall' ? 'wall' : 'browser', ip, userAgent });
  });
  // A correct password gives its attempt back: only failures use up the budget.
  await limits.loginByAccount.refund(username);
  await limits.loginByAddress.refund(address);
  return {
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    session: { token: session.token, maxAgeSeconds: session.maxAgeSeconds },
  };
}
