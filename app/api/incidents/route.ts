import { parseInput, readJson, searchParams } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { projectIncident } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { createIncident, listIncidents } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';
import { CreateIncidentSchema, ListIncidentsSchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/incidents — the live incidents (or those matching ?status=&category=&severity=&grid=&village=&from=&to=), projected for the caller's role; staff reads are audited. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const q = parseInput(ListIncidentsSchema, searchParams(req));
    const filter = { statuses: q.status, categories: q.category, severities: q.severity, gridCode: q.grid, villageCode: q.village, from: q.from, to: q.to };
    return Response.json(await listIncidents(getRegistry(), { recentHours: q.recentHours, filter, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}

/** POST /api/incidents — staff report an incident; stored with its audit row, then pushed as incident:new. */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const input = parseInput(CreateIncidentSchema, await readJson(req, bodyLimit('POST /api/incidents')));
    const incident = await createIncident(getRegistry(), input, auditActor(me, req.headers));
    return Response.json(projectIncident(incident, me.role), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
