import { parseId, parseInput, readJson } from '@/lib/api';
import { projectIncident } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { releaseAssignment } from '@/lib/dispatch';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { ReleaseSchema } from '../../schema';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** POST /api/assignments/[id]/release — stand a team down ({} or {reason: 'cancelled'}); the team is available again. */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const assignmentId = parseId((await params).id, 'assignment');
    const { reason } = parseInput(ReleaseSchema, await readJson(req, bodyLimit('POST /api/assignments/[id]/release')));
    const incident = await releaseAssignment(getRegistry(), { assignmentId, reason, actor: auditActor(me, req.headers) });
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}
