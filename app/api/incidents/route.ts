import { getLiveIncidents } from '@/db/incidents';
import { parseInput, readJson, searchParams } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { appendAudit } from '@/db/audit';
import { projectIncident, seesIncidentDetail } from '@/lib/auth/privacy';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { createIncident } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';
import { CreateIncidentSchema, ListIncidentsSchema } from './schema';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { recentHours } = parseInput(ListIncidentsSchema, searchParams(req));
    const { db } = getRegistry();
    const incidents = await getLiveIncidents(db, { recentHours });
    if (seesIncidentDetail(me.role)) {
      // Narratives and contacts are sensitive: every read of them leaves a trace.
      await appendAudit(db, {
        ...auditActor(me, req.headers),
        action: 'incidents.read_detail',
        target: `incidents:last_${recentHours}h`,
        outcome: 'ok',
        detail: { count: incidents.length },
      });
    }
    return Response.json(incidents.map((i) => projectIncident(i, me.role)));
  } catch (err) {
    return toResponse(err);
  }
}

export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const input = parseInput(CreateIncidentSchema, await readJson(req, bodyLimit('POST /api/incidents')));
    const registry = getRegistry();
    const incident = await createIncident(registry, input);
    await appendAudit(registry.db, {
      ...auditActor(me, req.headers),
      action: 'incident.create',
      target: `incident:${incident.id}`,
      outcome: 'ok',
      detail: { category: incident.category, severity: incident.severity },
    });
    return Response.json(projectIncident(incident, me.role), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
