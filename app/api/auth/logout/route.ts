import { auditActor, clearedSessionCookie, requireIdentity, signOut } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** POST /api/auth/logout — the caller's session ends, recorded; its live sockets are dropped at once. */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    await signOut(getRegistry(), { sessionId: me.sessionId, actor: auditActor(me, req.headers) });
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie(secure) } });
  } catch (err) {
    return toResponse(err);
  }
}
