import { auditActor, clearedSessionCookie, requireIdentity, secureClient, signOut } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** POST /api/auth/logout — the caller's session ends, recorded; its live sockets are dropped at once. */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    await signOut(getRegistry(), { sessionId: me.sessionId, actor: auditActor(me, req.headers) });
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(secureClient(req.headers)) } });
  } catch (err) {
    return toResponse(err);
  }
}
