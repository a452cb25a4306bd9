// Field-level privacy, enforced on the server: viewers and wall displays never
// receive an incident's narrative or the reporter's contact — not from the
// API, not over the socket. The types say so too: a RedactedIncident cannot
// carry those fields, so handing a full Incident to a redacted audience does
// not compile.
import { STAFF_ROLES, type Incident, type IncidentTimeline, type IncidentView, type RedactedIncident, type Role, type StaffRole } from '../model';

export const seesIncidentDetail = (role: Role): role is StaffRole => (STAFF_ROLES as readonly Role[]).includes(role);

/** The incident without its staff-only fields (STAFF_ONLY_INCIDENT_FIELDS). */
export function redactIncident(incident: Incident): RedactedIncident {
  const { description: _description, reporterContact: _contact, outcomeNote: _note, ...rest } = incident;
  return rest;
}

/** The incident as `role` may see it: whole for staff, redacted for everyone else. */
export function projectIncident(incident: Incident, role: StaffRole): Incident;
export function projectIncident(incident: Incident, role: Role): IncidentView;
export function projectIncident(incident: Incident, role: Role): IncidentView {
  return seesIncidentDetail(role) ? incident : redactIncident(incident);
}

/** The timeline as `role` may see it: outcome notes (staff-only, like outcomeNote) stripped for everyone but staff. */
export function projectTimeline(timeline: IncidentTimeline, role: Role): IncidentTimeline {
  if (seesIncidentDetail(role)) return timeline;
  return { ...timeline, entries: timeline.entries.map(({ note: _note, ...entry }) => entry) };
}
