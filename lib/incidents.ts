// The incident service: a change and its audit row in one transaction, then
// the bus after the commit — so a failed audit write stores nothing and
// pushes nothing. Reads of the sensitive fields are audited too.
//
// The lifecycle lives here and only here: every status change, whoever makes
// it (a person's PATCH, a dispatch, a team's acknowledgement, an arrival
// detected from fixes), takes the incident's row lock with lockIncidentRow and
// moves it with transitionIncident, which checks the one transition table
// (lib/model/lifecycle.ts) under that lock.
import { getAssignmentsByIncident, releaseAssignments, setAssignmentsArrived } from '../db/assignments';
import type { Db, Queryable } from '../db/client';
import {
  getIncident,
  getIncidentTimeline,
  getIncidents,
  getLiveIncidents,
  insertIncident,
  lockIncident,
  updateIncident,
  type IncidentChange,
  type IncidentFilter,
  type NewIncident,
  type NewTimelineEntry,
} from '../db/incidents';
import { setUnitStatus } from '../db/units';
import { recordAudit, type Actor } from './audit';
import { projectIncident, projectTimeline, seesIncidentDetail } from './auth/privacy';
import type { Bus } from './bus';
import { AppError } from './errors';
import {
  canTransition,
  isOpenStatus,
  transitionRefusal,
  type Assignment,
  type Incident,
  type IncidentOutcome,
  type IncidentStatus,
  type IncidentTimeline,
  type IncidentView,
  type LonLat,
  type ReleaseReason,
  type Severity,
} from './model';

/** An incident whose row this transaction holds locked: only lockIncidentRow makes one. */
export interface LockedIncident {
  readonly id: number;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  readonly position: LonLat;
  readonly locked: true;
}

/** Locks the incident's row for the rest of the transaction (404 when there is no such incident). */
export async function lockIncidentRow(tx: Queryable, id: number): Promise<LockedIncident> {
  const row = await lockIncident(tx, { id });
  if (!row) throw new AppError('not_found', `no incident ${id}`);
  return { ...row, locked: true };
}

/**
 * Moves a locked incident to `to`: refused with 409 naming both states when
 * the transition table does not allow it. `change` and `entries` are stored
 * with it (the status step itself is in `entries`, written by the caller).
 */
export async function transitionIncident(
  tx: Queryable,
  incident: LockedIncident,
  { to, change = {}, entries }: { to: IncidentStatus; change?: Omit<IncidentChange, 'status'>; entries: readonly NewTimelineEntry[] },
): Promise<Incident> {
  if (!canTransition(incident.status, to)) throw new AppError('conflict', transitionRefusal(incident.status, to));
  const updated = await updateIncident(tx, { id: incident.id, change: { ...change, status: to }, entries });
  if (!updated) throw new Error(`incident ${incident.id} vanished under its own lock`);
  return updated;
}

/** What a committed change tells the bus. */
export interface ChangeEffects {
  incident: Incident;
  /** Teams whose unit status changed (pushed as units:moved). */
  movedTeams: number[];
  released: Assignment[];
  /** A new assignment and where it goes (dispatch only). */
  assigned?: { assignment: Assignment; incidentPosition: LonLat };
}

/** Publishes a committed change: only ever called after the commit. */
export function publishEffects(bus: Bus, effects: ChangeEffects): void {
  bus.publish('incident:update', effects.incident);
  if (effects.assigned) bus.publish('assignment:new', effects.assigned.assignment, effects.assigned.incidentPosition);
  for (const a of effects.released) bus.publish('assignment:released', a);
  if (effects.movedTeams.length > 0) bus.publish('units:moved', [...new Set(effects.movedTeams)].sort((a, b) => a - b));
}

/** The timeline step for a released assignment. */
export const releasedEntry = (a: Assignment, by: string): NewTimelineEntry => ({
  by,
  action: 'released',
  teamId: a.teamId,
  teamCode: a.teamCode,
  assignmentId: a.id,
  releaseReason: a.releaseReason ?? undefined,
});

/**
 * Ends every active assignment of the incident (inside its lock) and puts
 * those teams back to available. Returns what it released, the teams it
 * changed and the timeline steps to append.
 */
export async function releaseAllAssignments(
  tx: Queryable,
  incident: LockedIncident,
  { reason, by }: { reason: ReleaseReason; by: string },
): Promise<{ released: Assignment[]; movedTeams: number[]; entries: NewTimelineEntry[] }> {
  const active = await getAssignmentsByIncident(tx, { incidentId: incident.id, activeOnly: true });
  const released = await releaseAssignments(tx, { ids: active.map((a) => a.id), reason });
  const movedTeams = await setUnitStatus(tx, { teamIds: released.map((a) => a.teamId), status: 'available' });
  return { released, movedTeams, entries: released.map((a) => releasedEntry(a, by)) };
}

/**
 * Creates an incident and records who reported it, then publishes it. Without
 * an actor (the simulator's demo reports) nothing is recorded.
 */
export async function createIncident(deps: { db: Db; bus: Bus }, input: NewIncident, actor?: Actor): Promise<Incident> {
  const incident = await deps.db.transaction(async (tx) => {
    const stored = await insertIncident(tx, { ...input, reportedBy: actor?.actor ?? null });
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

/** PATCH /api/incidents/[id]: what a person may change by hand. */
export interface ManualChange {
  /** One of MANUAL_TARGETS (the schema allows no other). */
  status?: IncidentStatus;
  severity?: Severity;
  /** Required with status `resolved`; given only then. */
  outcome?: IncidentOutcome;
  /** Required (non-empty) with outcome `other`. */
  outcomeNote?: string;
}

function checkOutcome(change: ManualChange): void {
  if (change.status === 'resolved') {
    if (!change.outcome) throw new AppError('invalid_input', 'outcome: resolving an incident needs an outcome (mediated, referred, no_action_needed or other)');
    if (change.outcome === 'other' && !change.outcomeNote?.trim()) {
      throw new AppError('invalid_input', 'outcomeNote: the outcome "other" needs a note saying what happened');
    }
  } else if (change.outcome !== undefined || change.outcomeNote !== undefined) {
    throw new AppError('invalid_input', 'outcome: an outcome is given only when resolving (status "resolved")');
  }
}

/**
 * Changes an incident's status and/or severity by hand (404 when there is no
 * such incident, 409 when the transition table refuses, 422 for a resolve
 * without its outcome), records it, then publishes it.
 *
 * - resolved: every active team is released (reason `resolved`) and available again;
 * - reported from resolved/closed: a reopen (outcome, note and times cleared);
 * - reported from dispatched/en route/on scene: every active team is released (`cancelled`);
 * - on scene by hand: the active teams are marked arrived (by this person) and on scene.
 */
export async function changeIncident(
  deps: { db: Db; bus: Bus },
  { id, change, actor }: { id: number; change: ManualChange; actor: Actor },
): Promise<Incident> {
  checkOutcome(change);
  const by = actor.actor;
  const effects = await deps.db.transaction(async (tx): Promise<ChangeEffects> => {
    const locked = await lockIncidentRow(tx, id);
    const from = locked.status;
    const to = change.status;
    const severity = change.severity;
    const entries: NewTimelineEntry[] = [];
    let released: Assignment[] = [];
    let movedTeams: number[] = [];

    if (to !== undefined) {
      if (!canTransition(from, to)) throw new AppError('conflict', transitionRefusal(from, to));
      if (to === 'resolved') {
        entries.push({ by, action: 'resolved', from, status: to, outcome: change.outcome, note: change.outcomeNote?.trim() || undefined });
        const r = await releaseAllAssignments(tx, locked, { reason: 'resolved', by });
        ({ released, movedTeams } = r);
        entries.push(...r.entries);
      } else if (to === 'reported' && !isOpenStatus(from)) {
        entries.push({ by, action: 'reopened', from, status: to });
      } else if (to === 'reported') {
        const r = await releaseAllAssignments(tx, locked, { reason: 'cancelled', by });
        ({ released, movedTeams } = r);
        entries.push(...r.entries, { by, action: 'status', from, status: to });
      } else if (to === 'on_scene') {
        const active = await getAssignmentsByIncident(tx, { incidentId: id, activeOnly: true });
        const arrived = await setAssignmentsArrived(tx, { ids: active.map((a) => a.id), by });
        movedTeams = await setUnitStatus(tx, { teamIds: active.map((a) => a.teamId), status: 'on_scene' });
        entries.push(
          { by, action: 'status', from, status: to },
          ...arrived.map((a): NewTimelineEntry => ({ by, action: 'arrived', teamId: a.teamId, teamCode: a.teamCode, assignmentId: a.id })),
        );
      } else {
        entries.push({ by, action: 'status', from, status: to });
      }
    }
    // The replaced severity goes with the new one, so the time machine knows the severity before this step.
    if (severity !== undefined) entries.push({ by, action: 'severity', fromSeverity: locked.severity, severity });

    const stored =
      to !== undefined
        ? await transitionIncident(tx, locked, {
            to,
            change: { severity, outcome: change.outcome, outcomeNote: change.outcomeNote?.trim() || null },
            entries,
          })
        : await updateIncident(tx, { id, change: { severity }, entries });
    if (!stored) throw new AppError('not_found', `no incident ${id}`);
    await recordAudit(tx, actor, {
      action: 'incident.update',
      target: `incident:${id}`,
      detail: {
        ...(to !== undefined ? { from, status: to } : {}),
        ...(severity !== undefined ? { severity } : {}),
        ...(change.outcome ? { outcome: change.outcome } : {}),
        ...(released.length > 0 ? { released: released.map((a) => a.id) } : {}),
      },
    });
    return { incident: stored, movedTeams, released };
  });
  publishEffects(deps.bus, effects);
  return effects.incident;
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

/**
 * The incident's timeline (oldest first) and every assignment it has had.
 * Outcome notes are staff-only: stripped for other roles, and a staff read is
 * recorded like a read of the incident's detail.
 */
export async function readTimeline(deps: { db: Queryable }, { id, actor }: { id: number; actor: Actor }): Promise<IncidentTimeline> {
  const entries = await getIncidentTimeline(deps.db, { id });
  if (!entries) throw new AppError('not_found', `no incident ${id}`);
  const assignments = await getAssignmentsByIncident(deps.db, { incidentId: id });
  if (seesIncidentDetail(actor.role)) {
    await recordAudit(deps.db, actor, { action: 'incident.read_detail', target: `incident:${id}`, detail: { part: 'timeline' } });
  }
  return projectTimeline({ incidentId: id, entries, assignments }, actor.role);
}

/** True when a filter narrows anything. */
const hasFilter = (f: IncidentFilter): boolean => Object.values(f).some((v) => v !== undefined);

/**
 * The incidents as the actor's role may see them: those matching `filter`,
 * or with no filter the live ones (every open incident plus those reported in
 * the last `recentHours`). Narratives and contacts are sensitive, so every
 * staff read leaves a trace.
 */
export async function listIncidents(
  deps: { db: Queryable },
  { recentHours, filter = {}, actor }: { recentHours: number; filter?: IncidentFilter; actor: Actor },
): Promise<IncidentView[]> {
  const filtered = hasFilter(filter);
  const incidents = filtered ? await getIncidents(deps.db, { filter }) : await getLiveIncidents(deps.db, { recentHours });
  if (seesIncidentDetail(actor.role)) {
    await recordAudit(deps.db, actor, {
      action: 'incidents.read_detail',
      target: filtered ? 'incidents:filtered' : `incidents:last_${recentHours}h`,
      detail: filtered ? { count: incidents.length, filter: { ...filter } } : { count: incidents.length },
    });
  }
  return incidents.map((i) => projectIncident(i, actor.role));
}
