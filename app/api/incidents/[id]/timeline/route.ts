import { parseId } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { readTimeline } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** GET /api/incidents/[id]/timeline — every step (who, when, what) and every assignment; outcome notes for staff only. */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'incident');
    return Response.json(await readTimeline(getRegistry(), { id, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
