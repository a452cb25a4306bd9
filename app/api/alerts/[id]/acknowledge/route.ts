import { parseId } from '@/lib/api';
import { acknowledgeAlert } from '@/lib/alerts';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** POST /api/alerts/[id]/acknowledge — staff record that they have seen an alert (who and when); 409 if someone already did. */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'alert');
    return Response.json(await acknowledgeAlert(getRegistry(), { id, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
