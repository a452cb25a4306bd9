import { getLiveIncidents } from '@/db/incidents';
import { parseInput, readJson, searchParams } from '@/lib/api';
import { appendAudit } from '@/db/audit';
import { projectIncident, seesIncidentDetail } from '@/lib/auth/privacy';
import { CLIENT_ADDRESS_HEADER, identityFrom } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { createIncident } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';
import { CreateIncidentSchema, ListIncidentsSchema } from './schema';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const me = identityFrom(req.headers);
    if (!me) throw new AppError('unauthorized', 'sign in first');
    const { recentHours } = parseInput(ListIncidentsSchema, searchParams(req));
    const { db } = getRegistry();
    const incidents = await getLiveIncidents(db, { recentHours });
    if (seesIncidentDetail(me.role)) {
      // Narratives and contacts are sensitive: every read of them leaves a trace.
      await appendAudit(db, {
        actorUserId: me.userId,
        actor: me.username,
        role: me.role,
        action: 'incidents.read_detail',
        target: `incidents:last_${recentHours}h`,
        outcome: 'ok',
        ip: req.headers.get(CLIENT_ADDRESS_HEADER),
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
    const me = identityFrom(req.headers);
    if (!me) throw new AppError('unauthorized', 'sign in first');
    const input = parseInput(CreateIncidentSchema, await readJson(req));
    const registry = getRegistry();
    const incident = await createIncident(registry, input);
    await appendAudit(registry.db, {
      actorUserId: me.userId,
      actor: me.username,
      role: me.role,
      action: 'incident.create',
      target: `incident:${incident.id}`,
      outcome: 'ok',
      ip: req.headers.get(CLIENT_ADDRESS_HEADER),
      detail: { category: incident.category, severity: incident.severity },
    });
    return Response.json(projectIncident(incident, me.role), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
