import { z } from 'zod';
import { appendAudit } from '@/db/audit';
import { getUserForLogin } from '@/db/users';
import { parseInput, readJson } from '@/lib/api';
import { verifyPassword } from '@/lib/auth/password';
import { CLIENT_ADDRESS_HEADER, sessionCookie, startSession } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const LoginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** A wall display asks for a long-lived (revocable) session. */
  wall: z.boolean().optional(),
});

export async function POST(req: Request): Promise<Response> {
  try {
    const { username, password, wall } = parseInput(LoginSchema, await readJson(req, 4096));
    const { db, limits } = getRegistry();
    const ip = req.headers.get(CLIENT_ADDRESS_HEADER);
    const address = ip ?? 'unknown';
    // Count the attempt before the slow hash, so parallel guesses cannot all
    // pass a check made before any of them was counted. The address first: a
    // refused address does not count against (and so cannot lock) accounts.
    const addressWait = limits.loginByAddress.hit(address);
    const accountWait = addressWait > 0 ? 0 : limits.loginByAccount.hit(username);
    if (addressWait > 0 || accountWait > 0) {
      const scope = addressWait > 0 ? 'address' : 'account';
      const [limiter, key] = addressWait > 0 ? [limits.loginByAddress, address] : [limits.loginByAccount, username];
      const wait = Math.max(addressWait, accountWait);
      // One row per account (or address) per window: a flood cannot fill the audit log.
      if (limiter.excess(key) === 1) {
        await appendAudit(db, { actorUserId: null, actor: username.slice(0, 64), role: null, action: 'login', outcome: 'denied', ip, detail: { reason: 'rate_limited', scope } });
      }
      return Response.json(
        { error: { code: 'rate_limited', message: `too many sign-in attempts; try again in ${wait} s` } },
        { status: 429, headers: { 'retry-after': String(wait) } },
      );
    }
    const user = await getUserForLogin(db, { username });
    // Verify even for an unknown user, so timing does not reveal which names exist.
    const ok = (await verifyPassword(password, user?.passwordHash ?? '$scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')) && !!user && !user.disabled && user.role !== 'device';
    await appendAudit(db, {
      actorUserId: ok ? user!.id : null,
      actor: username.slice(0, 64),
      role: ok ? user!.role : null,
      action: 'login',
      outcome: ok ? 'ok' : 'failed',
      ip,
    });
    if (!ok) throw new AppError('unauthorized', 'wrong username or password');
    // A correct password gives its attempt back: only failures use up the budget.
    limits.loginByAccount.refund(username);
    limits.loginByAddress.refund(address);
    const kind = wall && user!.role === 'wall' ? 'wall' : 'browser';
    const s = await startSession(db, { userId: user!.id, kind, ip, userAgent: req.headers.get('user-agent') });
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json(
      { user: { id: user!.id, username: user!.username, displayName: user!.displayName, role: user!.role } },
      { headers: { 'set-cookie': sessionCookie(s.token, { maxAgeSeconds: s.maxAgeSeconds, secure }) } },
    );
  } catch (err) {
    return toResponse(err);
  }
}
