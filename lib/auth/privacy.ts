// Field-level privacy, enforced on the server: viewers and wall displays never
// receive an incident's narrative or the reporter's contact — not from the
// API, not over the socket.
import type { Role } from '../../db/users';
import type { Incident } from '../api-types';

const SEES_DETAIL: readonly Role[] = ['admin', 'coordinator'];

export const seesIncidentDetail = (role: Role): boolean => SEES_DETAIL.includes(role);

/** The incident as `role` may see it: without the sensitive fields unless allowed. */
export function projectIncident(incident: Incident, role: Role): Incident {
  if (seesIncidentDetail(role)) return incident;
  const { description: _description, reporterContact: _contact, ...rest } = incident;
  return rest;
}

/** Socket rooms by projection: every socket is in exactly one of them. */
export const DETAIL_ROOM = 'incidents:detail';
export const REDACTED_ROOM = 'incidents:redacted';
