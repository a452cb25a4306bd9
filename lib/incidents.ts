import { insertIncident, updateIncident, type IncidentChange, type NewIncident } from '../db/incidents';
import type { Db } from '../db/client';
import type { Incident } from './api-types';
import type { Bus } from './bus';

/** Creates an incident: database first, then the bus after the commit. */
export async function createIncident(deps: { db: Db; bus: Bus }, input: NewIncident): Promise<Incident> {
  const incident = await deps.db.transaction((tx) => insertIncident(tx, input));
  deps.bus.publish('incident:new', incident);
  return incident;
}

/** Changes an incident's status or severity: database first, then the bus. Null when there is no such incident. */
export async function changeIncident(
  deps: { db: Db; bus: Bus },
  { id, change, by }: { id: number; change: IncidentChange; by: string },
): Promise<Incident | null> {
  const incident = await deps.db.transaction((tx) => updateIncident(tx, { id, change, by }));
  if (incident) deps.bus.publish('incident:update', incident);
  return incident;
}
