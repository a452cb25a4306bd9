// The incident service: a change and its audit row in one transaction, then
// the bus after the commit — so a failed audit write stores nothing and
// pushes nothing. Reads of the sensitive fields are audited too.
import { getIncident, getLiveIncidents, insertIncident, updateIncident, type IncidentChange, type NewIncident } from '../db/incidents';
import type { Db, Queryable } from '../db/client';
import { recordAudit, type Actor } from './audit';
import { projectIncident, seesIncidentDetail } from './auth/privacy';
import type { Bus } from './bus';
import { AppError } from './errors';
import type { Incident, IncidentView } from './model';

/**
 * Creates an incident and records who reported it, then publishes it. Without
 * an actor (the simulator's demo reports) nothing is recorded.
 */
export async function createIncident(deps: { db: Db; bus: Bus }, input: NewIncident, actor?: Actor): Promise<Incident> {
  const incident = await deps.db.transaction(async (tx) => {
    const stored = await insertIncident(tx, input);
    if (actor) {
      await recordAudit(tx, actor, {
        action: 'incident.create',
        target: `incident:${stored.id}`,
        detail: { category: stored.category, severity: stored.severity },
      });
    }
    return stored;
  });
  deps.bus.publish('incident:new', incident);
  return incident;
}

/** Changes an incident's status or severity (404 when there is no such incident), records it, then publishes it. */
export async function changeIncident(
  deps: { db: Db; bus: Bus },
  { id, change, actor }: { id: number; change: IncidentChange; actor: Actor },
): Promise<Incident> {
  const incident = await deps.db.transaction(async (tx) => {
    const updated = await updateIncident(tx, { id, change, by: actor.actor });
    if (!updated) throw new AppError('not_found', `no incident ${id}`);
    await recordAudit(tx, actor, { action: 'incident.update', target: `incident:${id}`, detail: { ...change } });
    return updated;
  });
  deps.bus.publish('incident:update', incident);
  return incident;
}

/** One incident as the actor's role may see it; a staff read of the whole is recorded before it is handed out. */
export async function readIncident(deps: { db: Queryable }, { id, actor }: { id: number; actor: Actor }): Promise<IncidentView> {
  const incident = await getIncident(deps.db, { id });
  if (!incident) throw new AppError('not_found', `no incident ${id}`);
  if (seesIncidentDetail(actor.role)) {
    await recordAudit(deps.db, actor, { action: 'incident.read_detail', target: `incident:${id}` });
  }
  return projectIncident(incident, actor.role);
}

/** The live incidents as the actor's role may see them; narratives and contacts are sensitive, so every staff read leaves a trace. */
export async function listIncidents(
  deps: { db: Queryable },
  { recentHours, actor }: { recentHours: number; actor: Actor },
): Promise<IncidentView[]> {
  const incidents = await getLiveIncidents(deps.db, { recentHours });
  if (seesIncidentDetail(actor.role)) {
    await recordAudit(deps.db, actor, {
      action: 'incidents.read_detail',
      target: `incidents:last_${recentHours}h`,
      detail: { count: incidents.length },
    });
  }
  return incidents.map((i) => projectIncident(i, actor.role));
}
