import { parseId, parseInput, readJson } from '@/lib/api';
import { projectIncident } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { dispatchTeam } from '@/lib/dispatch';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { DispatchSchema } from '../../schema';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/**
 * POST /api/incidents/[id]/dispatch — commit a team ({teamId}, or reassign with
 * {teamId, replaceAssignmentId}); 409 names the incident a busy team went to.
 */
export async function POST(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const incidentId = parseId((await params).id, 'incident');
    const input = parseInput(DispatchSchema, await readJson(req, bodyLimit('POST /api/incidents/[id]/dispatch')));
    const incident = await dispatchTeam(getRegistry(), { incidentId, ...input, actor: auditActor(me, req.headers) });
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}
