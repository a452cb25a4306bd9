import { insertIncident, type NewIncident } from '../db/incidents';
import type { Db } from '../db/client';
import type { Incident } from './api-types';
import type { Bus } from './bus';

/** Creates an incident: database first, then the bus after the commit. */
export async function createIncident(deps: { db: Db; bus: Bus }, input: NewIncident): Promise<Incident> {
  const incident = await deps.db.transaction((tx) => insertIncident(tx, input));
  deps.bus.publish('incident:new', incident);
  return incident;
}
