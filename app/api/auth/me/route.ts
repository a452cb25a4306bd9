import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    return Response.json({ user: { id: me.userId, username: me.username, displayName: me.displayName, role: me.role, session: me.kind } });
  } catch (err) {
    return toResponse(err);
  }
}
