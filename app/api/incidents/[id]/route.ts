import { appendAudit } from '@/db/audit';
import { getIncident } from '@/db/incidents';
import { parseId, parseInput, readJson } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { projectIncident, seesIncidentDetail } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { changeIncident } from '@/lib/incidents';
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
    const { db } = getRegistry();
    const incident = await getIncident(db, { id });
    if (!incident) throw new AppError('not_found', `no incident ${id}`);
    if (seesIncidentDetail(me.role)) {
      await appendAudit(db, { ...auditActor(me, req.headers), action: 'incident.read_detail', target: `incident:${id}`, outcome: 'ok' });
    }
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}

/** PATCH /api/incidents/[id] — staff change an incident's status or severity; pushed as incident:update. */
export async function PATCH(req: Request, { params }: Context): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'incident');
    const change = parseInput(ChangeIncidentSchema, await readJson(req, bodyLimit('PATCH /api/incidents/[id]')));
    const registry = getRegistry();
    const incident = await changeIncident(registry, { id, change, by: me.username });
    if (!incident) throw new AppError('not_found', `no incident ${id}`);
    await appendAudit(registry.db, {
      ...auditActor(me, req.headers),
      action: 'incident.update',
      target: `incident:${id}`,
      outcome: 'ok',
      detail: { ...change },
    });
    return Response.json(projectIncident(incident, me.role));
  } catch (err) {
    return toResponse(err);
  }
}
