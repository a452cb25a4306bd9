import { parseId, parseInput, readJson } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { projectIncident } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { changeIncident, readIncident } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';
import { ChangeIncidentSchema } from '../schema';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** GET /api/incidents/[id] — one incident, projected for the caller's role; staff reads are audited. */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'incident');
    return Response.json(await readIncident(getRegistry(), { id, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}

/** PATCH /api/incidents/[id] — staff move an incident through its lifecycle (resolve with an outcome, close, reopen, on scene) or change its severity; stored with its timeline step and audit row, then pushed as incident:update. */
export async function PATCH(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'incident');
    const change = parseInput(ChangeIncidentSchema, await readJson(req, bodyLimit('PATCH /api/incidents/[id]')));
    const incident = await changeIncident(getRegistry(), { id, change, actor: auditActor(me, req.headers) });
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}
