import { appendAudit } from '@/db/audit';
import { parseId } from '@/lib/api';
import { auditActor, endSession, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** DELETE /api/admin/sessions/[id] — an administrator ends anyone's session (a lost wall screen); its sockets drop at once. */
export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const sessionId = parseId((await params).id, 'session');
    const registry = getRegistry();
    const ended = await endSession(registry, { sessionId });
    if (!ended) throw new AppError('not_found', `no live session ${sessionId}`);
    await appendAudit(registry.db, {
      ...auditActor(me, req.headers),
      action: 'session.revoke',
      target: `session:${sessionId}`,
      outcome: 'ok',
      detail: { username: ended.username, kind: ended.kind },
    });
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
