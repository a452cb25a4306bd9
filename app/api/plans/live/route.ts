import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { plansLive } from '@/lib/plans/service';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** GET /api/plans/live — the live plan occurrences with each checkpoint's state, last visit and next due (no input). */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    return Response.json(await plansLive(getRegistry(), { role: me.role }));
  } catch (err) {
    return toResponse(err);
  }
}
