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
    const wait = Math.max(limits.loginByAccount.blocked(username), limits.loginByAddress.blocked(ip ?? 'unknown'));
    if (wait > 0) {
      await appendAudit(db, { actorUserId: null, actor: username.slice(0, 64), role: null, action: 'login', outcome: 'denied', ip, detail: { reason: 'rate_limited' } });
      return Response.json(
        { error: { code: 'rate_limited', message: `too many failed sign-ins; try again in ${wait} s` } },
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
    if (!ok) {
      limits.loginByAccount.hit(username);
      limits.loginByAddress.hit(ip ?? 'unknown');
      throw new AppError('unauthorized', 'wrong username or password');
    }
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
