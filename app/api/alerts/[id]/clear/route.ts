import { parseId } from '@/lib/api';
import { clearAlert } from '@/lib/alerts';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** POST /api/alerts/[id]/clear — staff clear an SOS; any other alert is cleared by its rule when the condition ends (409). */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'alert');
    return Response.json(await clearAlert(getRegistry(), { id, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
