import { appendAudit } from '@/db/audit';
import { revokeSession } from '@/db/sessions';
import { clearedSessionCookie, identityFrom } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  try {
    const me = identityFrom(req.headers);
    if (!me) throw new AppError('unauthorized', 'not signed in');
    const { db, bus } = getRegistry();
    await revokeSession(db, { sessionId: me.sessionId });
    await appendAudit(db, { actorUserId: me.userId, actor: me.username, role: me.role, action: 'logout', outcome: 'ok' });
    // Live sockets of this session are dropped at once.
    bus.publish('session:ended', me.sessionId);
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(secure) } });
  } catch (err) {
    return toResponse(err);
  }
}
