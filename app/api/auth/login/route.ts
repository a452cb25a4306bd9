import { z } from 'zod';
import { appendAudit } from '@/db/audit';
import { getUserForLogin } from '@/db/users';
import { parseInput, readJson } from '@/lib/api';
import { verifyPassword } from '@/lib/auth/password';
import { sessionCookie, startSession } from '@/lib/auth/sessions';
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
    const { db } = getRegistry();
    const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? null;
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
