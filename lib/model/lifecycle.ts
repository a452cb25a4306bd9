// The incident lifecycle: the one transition table. The incident service
// (lib/incidents.ts) checks every change against it inside the transaction
// that makes the change, with the incident's row locked; the page asks it
// which buttons to offer. Pure, so the browser and the mutation suite can use it.
import type { IncidentStatus } from './domain';

/**
 * From each status, the statuses it may move to.
 * reported → dispatched → en route → on scene → resolved → closed; an
 * incident may be resolved from any open status (a call settled by phone),
 * goes back to reported when its last team is released, and may be reopened
 * (back to reported) after it was resolved or closed.
 */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  reported: ['dispatched', 'resolved'],
  dispatched: ['en_route', 'on_scene', 'resolved', 'reported'],
  en_route: ['on_scene', 'resolved', 'reported'],
  on_scene: ['resolved', 'reported'],
  resolved: ['closed', 'reported'],
  closed: ['reported'],
};

/**
 * The statuses a person may ask for directly (PATCH /api/incidents/[id]).
 * `dispatched` needs a team (POST …/dispatch) and `en_route` is a team's
 * acknowledgement (POST /api/assignments/[id]/acknowledge or the device's own
 * POST /ingest/ack); on scene may also be set by hand when arrival was not
 * detected (no fixes from the scene).
 */
export const MANUAL_TARGETS: readonly IncidentStatus[] = ['on_scene', 'resolved', 'closed', 'reported'];

export const canTransition = (from: IncidentStatus, to: IncidentStatus): boolean => INCIDENT_TRANSITIONS[from].includes(to);

/** The refusal message: names the current and the requested state. */
export const transitionRefusal = (from: IncidentStatus, to: IncidentStatus): string =>
  `an incident that is ${from} cannot become ${to} (from ${from} it may become: ${INCIDENT_TRANSITIONS[from].join(', ') || 'nothing'})`;
