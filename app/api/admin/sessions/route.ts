import { listLiveSessions } from '@/db/sessions';
import { parseInput, searchParams } from '@/lib/api';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { SessionsQuery } from '../schema';

export const dynamic = 'force-dynamic';

/** GET /api/admin/sessions?kind=wall|browser — everyone's live sessions (wall displays included). */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { kind } = parseInput(SessionsQuery, searchParams(req));
    return Response.json(await listLiveSessions(getRegistry().db, { kind, currentId: me.sessionId }));
  } catch (err) {
    return toResponse(err);
  }
}
