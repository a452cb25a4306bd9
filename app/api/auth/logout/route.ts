import { appendAudit } from '@/db/audit';
import { auditActor, clearedSessionCookie, endSession, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const registry = getRegistry();
    // Its live sockets are dropped at once.
    await endSession(registry, { sessionId: me.sessionId });
    await appendAudit(registry.db, { ...auditActor(me, req.headers), action: 'logout', outcome: 'ok' });
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(secure) } });
  } catch (err) {
    return toResponse(err);
  }
}
