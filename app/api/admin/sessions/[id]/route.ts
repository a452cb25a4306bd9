import { appendAudit } from '@/db/audit';
import { revokeLiveSession } from '@/db/sessions';
import { parseId } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** DELETE /api/admin/sessions/[id] — an administrator ends anyone's session (a lost wall screen); its sockets drop at once. */
export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const sessionId = parseId((await params).id, 'session');
    const { db, bus } = getRegistry();
    const ended = await revokeLiveSession(db, { sessionId });
    if (!ended) throw new AppError('not_found', `no live session ${sessionId}`);
    await appendAudit(db, {
      ...auditActor(me, req.headers),
      action: 'session.revoke',
      target: `session:${sessionId}`,
      outcome: 'ok',
      detail: { username: ended.username, kind: ended.kind },
    });
    bus.publish('session:ended', sessionId);
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
