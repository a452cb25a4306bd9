import { appendAudit } from '@/db/audit';
import { revokeSession } from '@/db/sessions';
import { auditActor, clearedSessionCookie, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { db, bus } = getRegistry();
    await revokeSession(db, { sessionId: me.sessionId });
    await appendAudit(db, { ...auditActor(me, req.headers), action: 'logout', outcome: 'ok' });
    // Live sockets of this session are dropped at once.
    bus.publish('session:ended', me.sessionId);
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(secure) } });
  } catch (err) {
    return toResponse(err);
  }
}
