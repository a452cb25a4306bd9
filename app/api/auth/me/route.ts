import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    // The township zone travels with the person, so a page shows its clocks and dates in it from the start.
    const townshipTz = getRegistry().config.TOWNSHIP_TZ;
    return Response.json({ user: { id: me.userId, username: me.username, displayName: me.displayName, role: me.role, session: me.kind, townshipTz } });
  } catch (err) {
    return toResponse(err);
  }
}
