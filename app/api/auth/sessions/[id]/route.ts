import { parseId } from '@/lib/api';
import { auditActor, requireIdentity, revokeOwnSession } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
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
    await revokeOwnSession(getRegistry(), { sessionId, actor: auditActor(me, req.headers) });
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
