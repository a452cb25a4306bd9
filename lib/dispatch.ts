// The dispatch service: committing a team to an incident, the team's
// acknowledgement, its arrival and its release. Each is one transaction that
// takes the incident's row lock first (lib/incidents.ts lockIncidentRow) and
// the team's unit_state row second — always in that order, so two changes
// never wait on each other crosswise — moves the incident only through
// transitionIncident, writes its audit row, and publishes after the commit.
//
// A team is never committed to two incidents: the second of two concurrent
// dispatches of one team waits on the team's row lock, then sees the first's
// assignment and is refused with 409 naming that incident. The partial unique
// index assignments_one_active_per_team is the backstop.
import { appendAudit } from '../db/audit';
import {
  getActiveAssignmentForTeam,
  getAssignment,
  getAssignmentsByIncident,
  getDeviceAssignment,
  insertAssignment,
  lockAssignment,
  releaseAssignments,
  setAssignmentAcknowledged,
  setAssignmentsArrived,
} from '../db/assignments';
import type { Db, Queryable } from '../db/client';
import { appendTimeline, getIncident, type NewTimelineEntry } from '../db/incidents';
import { lockTeamUnit, setUnitStatus } from '../db/units';
import { recordAudit, type Actor } from './audit';
import type { Bus } from './bus';
import { AppError } from './errors';
import { lockIncidentRow, publishEffects, releasedEntry, transitionIncident, type ChangeEffects, type LockedIncident } from './incidents';
import { OPEN_INCIDENT_STATUSES, isOpenStatus, type Assignment, type Incident, type IncidentStatus, type ReleaseReason } from './model';

type Deps = { db: Db; bus: Bus };

/** A 409 for a team that is busy; `incidentId` (also in the answer's body) lets the client link the incident it went to. */
const teamCommitted = (teamCode: string, incidentId: number, cause?: unknown): AppError =>
  new AppError('conflict', `team ${teamCode} is already committed to incident ${incidentId}`, { incidentId, cause });

/** Postgres unique violation on the one-active-assignment-per-team index. */
function isOneActiveViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return e.code === '23505' && (e.constraint === 'assignments_one_active_per_team' || String(e.message).includes('assignments_one_active_per_team'));
}

/** Writes the step and either moves the incident (when `to` is allowed and differs) or only appends it. */
async function recordStep(
  tx: Queryable,
  incident: LockedIncident,
  { to, entries }: { to: IncidentStatus | null; entries: NewTimelineEntry[] },
): Promise<Incident> {
  if (to !== null && to !== incident.status) return transitionIncident(tx, incident, { to, entries });
  await appendTimeline(tx, { id: incident.id, entries });
  const stored = await getIncident(tx, { id: incident.id });
  if (!stored) throw new Error(`incident ${incident.id} vanished under its own lock`);
  return stored;
}

/**
 * POST /api/incidents/[id]/dispatch: commits a team to an open incident
 * (reported → dispatched; an incident already further along keeps its
 * status). With `replaceAssignmentId` it is a reassignment: that assignment
 * of the same incident is released (`reassigned`) in the same transaction.
 * 404 unknown incident, team or assignment; 409 when the incident is not open,
 * the team is off duty or already committed (naming the incident it went to).
 */
export async function dispatchTeam(
  deps: Deps,
  { incidentId, teamId, replaceAssignmentId, actor }: { incidentId: number; teamId: number; replaceAssignmentId?: number; actor: Actor },
): Promise<Incident> {
  const by = actor.actor;
  let teamCode = `#${teamId}`;
  let effects: ChangeEffects;
  try {
    effects = await deps.db.transaction(async (tx): Promise<ChangeEffects> => {
      const incident = await lockIncidentRow(tx, incidentId);
      if (!isOpenStatus(incident.status)) {
        throw new AppError(
          'conflict',
          `incident ${incidentId} is ${incident.status}: a team can be sent only to an open incident (${OPEN_INCIDENT_STATUSES.join(', ')})`,
        );
      }
      const team = await lockTeamUnit(tx, { teamId });
      if (!team) throw new AppError('not_found', `no team ${teamId}`);
      teamCode = team.code;
      if (!team.onDuty || team.status === 'off_duty') throw new AppError('conflict', `team ${team.code} is off duty`);
      const busy = await getActiveAssignmentForTeam(tx, { teamId });
      if (busy) throw teamCommitted(team.code, busy.incidentId);

      const entries: NewTimelineEntry[] = [];
      const released: Assignment[] = [];
      const movedTeams: number[] = [];
      if (replaceAssignmentId !== undefined) {
        const old = await lockAssignment(tx, { id: replaceAssignmentId });
        if (!old || old.incidentId !== incidentId) {
          throw new AppError('not_found', `incident ${incidentId} has no assignment ${replaceAssignmentId} to replace`);
        }
        if (old.releasedAt) throw new AppError('conflict', `assignment ${old.id} (team ${old.teamCode}) was already released (${old.releaseReason}) at ${old.releasedAt}`);
        released.push(...(await releaseAssignments(tx, { ids: [old.id], reason: 'reassigned' })));
        movedTeams.push(...(await setUnitStatus(tx, { teamIds: [old.teamId], status: 'available' })));
        entries.push(...released.map((a) => releasedEntry(a, by)));
      }

      const assignment = await insertAssignment(tx, { incidentId, teamId, by });
      movedTeams.push(...(await setUnitStatus(tx, { teamIds: [teamId], status: 'dispatched' })));
      const to = incident.status === 'reported' ? 'dispatched' : null;
      entries.push({
        by,
        action: 'dispatched',
        teamId,
        teamCode: assignment.teamCode,
        assignmentId: assignment.id,
        ...(to ? { from: incident.status, status: to } : {}),
      });
      const stored = await recordStep(tx, incident, { to, entries });
      await recordAudit(tx, actor, {
        action: 'incident.dispatch',
        target: `incident:${incidentId}`,
        detail: { teamId, teamCode: assignment.teamCode, assignmentId: assignment.id, ...(released[0] ? { replaced: released[0].id } : {}) },
      });
      return { incident: stored, movedTeams, released, assigned: { assignment, incidentPosition: incident.position } };
    });
  } catch (err) {
    if (!isOneActiveViolation(err)) throw err;
    // The backstop fired (the transaction is rolled back): name the winner's incident.
    const winner = await getActiveAssignmentForTeam(deps.db, { teamId });
    if (!winner) throw new AppError('conflict', `team ${teamCode} was committed elsewhere at the same moment; try again`, { cause: err });
    throw teamCommitted(winner.teamCode, winner.incidentId, err);
  }
  publishEffects(deps.bus, effects);
  return effects.incident;
}

/** Who acknowledges: a person on the team's behalf (radio), or the team's device itself. */
export type Acknowledger = { actor: Actor } | { device: { deviceId: number; label: string } };

/** Locks the incident then the assignment; 404 when there is no such assignment. */
async function lockAssignmentWithIncident(tx: Queryable, assignmentId: number): Promise<{ incident: LockedIncident; assignment: Assignment }> {
  const first = await getAssignment(tx, { id: assignmentId });
  if (!first) throw new AppError('not_found', `no assignment ${assignmentId}`);
  const incident = await lockIncidentRow(tx, first.incidentId);
  const assignment = await lockAssignment(tx, { id: assignmentId });
  if (!assignment) throw new AppError('not_found', `no assignment ${assignmentId}`);
  return { incident, assignment };
}

const releasedRefusal = (a: Assignment): AppError =>
  new AppError('conflict', `assignment ${a.id} (team ${a.teamCode}) was released (${a.releaseReason}) at ${a.releasedAt}`);

/**
 * The team has acknowledged its assignment: recorded by a coordinator
 * (POST /api/assignments/[id]/acknowledge) or by the team's device
 * (POST /ingest/ack). The team is en route (unless it already arrived), the
 * incident dispatched → en route. 409 when acknowledged before or released.
 */
export async function acknowledgeAssignment(deps: Deps, { assignmentId, by }: { assignmentId: number; by: Acknowledger }): Promise<Incident> {
  const who = 'actor' in by ? by.actor.actor : `device:${by.device.label}`;
  const effects = await deps.db.transaction(async (tx): Promise<ChangeEffects> => {
    const { incident, assignment } = await lockAssignmentWithIncident(tx, assignmentId);
    if (assignment.releasedAt) throw releasedRefusal(assignment);
    if (assignment.acknowledgedAt) {
      throw new AppError('conflict', `assignment ${assignment.id} (team ${assignment.teamCode}) was already acknowledged at ${assignment.acknowledgedAt} by ${assignment.acknowledgedBy}`);
    }
    await setAssignmentAcknowledged(tx, { id: assignmentId, by: who });
    const movedTeams = assignment.arrivedAt ? [] : await setUnitStatus(tx, { teamIds: [assignment.teamId], status: 'en_route' });
    const to = incident.status === 'dispatched' ? 'en_route' : null;
    const stored = await recordStep(tx, incident, {
      to,
      entries: [
        {
          by: who,
          action: 'acknowledged',
          teamId: assignment.teamId,
          teamCode: assignment.teamCode,
          assignmentId,
          ...(to ? { from: incident.status, status: to } : {}),
        },
      ],
    });
    const note = { action: 'assignment.acknowledge' as const, target: `assignment:${assignmentId}`, detail: { incidentId: incident.id, teamId: assignment.teamId } };
    if ('actor' in by) await recordAudit(tx, by.actor, note);
    // A device is not a person: no user id; its row names it as `device:<label>` with the role `device`.
    else await appendAudit(tx, { actorUserId: null, actor: who, role: 'device', outcome: 'ok', ip: null, ...note });
    return { incident: stored, movedTeams, released: [] };
  });
  publishEffects(deps.bus, effects);
  return effects.incident;
}

/**
 * POST /ingest/ack: the device acknowledges its own team's active assignment.
 * 404 when the team has none. Returns the assignment and the incident.
 */
export async function acknowledgeAsDevice(deps: Deps, { deviceId }: { deviceId: number }): Promise<{ assignmentId: number; incident: Incident }> {
  const found = await getDeviceAssignment(deps.db, { deviceId });
  if (!found) throw new AppError('unknown_device', 'unknown device id: this device is not registered');
  if (found.assignmentId === null) throw new AppError('not_found', 'this device\'s team has no active assignment to acknowledge');
  const incident = await acknowledgeAssignment(deps, { assignmentId: found.assignmentId, by: { device: { deviceId, label: found.label } } });
  return { assignmentId: found.assignmentId, incident };
}

/**
 * POST /api/assignments/[id]/release: the team is stood down (cancelled) and
 * available again. When it was the incident's last team and the incident is
 * dispatched, en route or on scene, the incident goes back to reported.
 * 409 when it was released before.
 */
export async function releaseAssignment(
  deps: Deps,
  { assignmentId, reason, actor }: { assignmentId: number; reason: Extract<ReleaseReason, 'cancelled'>; actor: Actor },
): Promise<Incident> {
  const by = actor.actor;
  const effects = await deps.db.transaction(async (tx): Promise<ChangeEffects> => {
    const { incident, assignment } = await lockAssignmentWithIncident(tx, assignmentId);
    if (assignment.releasedAt) throw releasedRefusal(assignment);
    const released = await releaseAssignments(tx, { ids: [assignmentId], reason });
    const movedTeams = await setUnitStatus(tx, { teamIds: [assignment.teamId], status: 'available' });
    const left = (await getAssignmentsByIncident(tx, { incidentId: incident.id, activeOnly: true })).length;
    const backToReported = left === 0 && (incident.status === 'dispatched' || incident.status === 'en_route' || incident.status === 'on_scene');
    const entries: NewTimelineEntry[] = released.map((a) => releasedEntry(a, by));
    if (backToReported) entries.push({ by, action: 'status', from: incident.status, status: 'reported' });
    const stored = await recordStep(tx, incident, { to: backToReported ? 'reported' : null, entries });
    await recordAudit(tx, actor, {
      action: 'assignment.release',
      target: `assignment:${assignmentId}`,
      detail: { incidentId: incident.id, teamId: assignment.teamId, reason },
    });
    return { incident: stored, movedTeams, released };
  });
  publishEffects(deps.bus, effects);
  return effects.incident;
}

/**
 * The team reached its incident (lib/alerts' arrival detector, from its fixes):
 * the assignment is arrived at `at` (by `detected`), the team on scene, the
 * incident dispatched/en route → on scene. Idempotent: an assignment that is
 * already arrived, released or unknown changes nothing and returns null. Not
 * written to the audit log (no person acted); the timeline records it.
 */
export async function markArrived(deps: { db: Db; bus: Bus }, { assignmentId, at }: { assignmentId: number; at: Date }): Promise<Incident | null> {
  const seen = await getAssignment(deps.db, { id: assignmentId });
  if (!seen || seen.arrivedAt || seen.releasedAt) return null;
  const effects = await deps.db.transaction(async (tx): Promise<ChangeEffects | null> => {
    const { incident, assignment } = await lockAssignmentWithIncident(tx, assignmentId);
    if (assignment.arrivedAt || assignment.releasedAt) return null;
    await setAssignmentsArrived(tx, { ids: [assignmentId], by: 'detected', at });
    const movedTeams = await setUnitStatus(tx, { teamIds: [assignment.teamId], status: 'on_scene' });
    const to = incident.status === 'dispatched' || incident.status === 'en_route' ? 'on_scene' : null;
    const stored = await recordStep(tx, incident, {
      to,
      entries: [
        {
          at: at.toISOString(),
          by: 'detected',
          action: 'arrived',
          teamId: assignment.teamId,
          teamCode: assignment.teamCode,
          assignmentId,
          ...(to ? { from: incident.status, status: to } : {}),
        },
      ],
    });
    return { incident: stored, movedTeams, released: [] };
  });
  if (!effects) return null;
  publishEffects(deps.bus, effects);
  return effects.incident;
}
