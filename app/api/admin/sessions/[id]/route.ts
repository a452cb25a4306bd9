import { parseId } from '@/lib/api';
import { auditActor, requireIdentity, revokeAnySession } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** DELETE /api/admin/sessions/[id] — an administrator ends anyone's session (a lost wall screen); its sockets drop at once. */
export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const sessionId = parseId((await params).id, 'session');
    await revokeAnySession(getRegistry(), { sessionId, actor: auditActor(me, req.headers) });
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
