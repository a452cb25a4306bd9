import { appendAudit } from '@/db/audit';
import { parseId } from '@/lib/api';
import { auditActor, endSession, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/**
 * DELETE /api/auth/sessions/[id] — end one of the caller's own sessions (a
 * screen left signed in elsewhere). Someone else's session id is answered
 * exactly like one that does not exist: 404, and nothing changes.
 */
export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const sessionId = parseId((await params).id, 'session');
    const registry = getRegistry();
    const ended = await endSession(registry, { sessionId, ownerId: me.userId });
    await appendAudit(registry.db, {
      ...auditActor(me, req.headers),
      action: 'session.revoke',
      target: `session:${sessionId}`,
      outcome: ended ? 'ok' : 'denied',
      detail: ended ? { own: true, kind: ended.kind } : { reason: 'not a live session of yours' },
    });
    if (!ended) throw new AppError('not_found', `you have no live session ${sessionId}`);
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
