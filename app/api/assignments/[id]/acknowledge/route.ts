import { parseId } from '@/lib/api';
import { projectIncident } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { acknowledgeAssignment } from '@/lib/dispatch';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** POST /api/assignments/[id]/acknowledge — staff record a team's acknowledgement on its behalf (radio); no body. */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const assignmentId = parseId((await params).id, 'assignment');
    const incident = await acknowledgeAssignment(getRegistry(), { assignmentId, by: { actor: auditActor(me, req.headers) } });
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}
