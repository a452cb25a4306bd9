import { listLiveSessions } from '@/db/sessions';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** GET /api/auth/sessions — the caller's own live sessions (where else am I signed in?). */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    return Response.json(await listLiveSessions(getRegistry().db, { userId: me.userId, currentId: me.sessionId }));
  } catch (err) {
    return toResponse(err);
  }
}
