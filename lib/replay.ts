// The time machine's service (issue 13): the township as it was at T, and
// history chunks for playback, projected for the caller's role exactly as the
// live map projects them (lib/auth/privacy.ts). Read-only; a staff read of
// incident narratives is recorded like the live list's.
import type { Queryable } from '../db/client';
import { getIncidents, getIncidentsByIds } from '../db/incidents';
import {
  getAlertsRaised,
  getAssignmentsAt,
  getIncidentStatesAt,
  getIncidentSteps,
  getSeveritiesAtReport,
  getTeamsAt,
  getTracks,
} from '../db/replay';
import { recordAudit, type Actor } from './audit';
import { projectIncident, seesIncidentDetail } from './auth/privacy';
import { REPLAY_RECENT_HOURS, isOpenStatus, type Alert, type Assignment, type Incident, type IncidentStatus, type IncidentView, type ReplayChunk, type ReplayState, type ReplayTrack, type Severity } from './model';

const after = (stamp: string | null, t: number): boolean => stamp !== null && Date.parse(stamp) > t;
const blankAfter = (stamp: string | null, t: number): string | null => (after(stamp, t) ? null : stamp);

/** An assignment as it stood at T: steps taken later are not there yet. */
export function assignmentAt(a: Assignment, t: number): Assignment {
  const acknowledged = !after(a.acknowledgedAt, t);
  const arrived = !after(a.arrivedAt, t);
  const released = !after(a.releasedAt, t);
  return {
    ...a,
    acknowledgedAt: acknowledged ? a.acknowledgedAt : null,
    acknowledgedBy: acknowledged ? a.acknowledgedBy : null,
    arrivedAt: arrived ? a.arrivedAt : null,
    arrivedBy: arrived ? a.arrivedBy : null,
    releasedAt: released ? a.releasedAt : null,
    releaseReason: released ? a.releaseReason : null,
  };
}

/**
 * The incident as it was at T: the status and severity it had then (read from
 * its timeline by db/replay.ts), its teams then, and no resolution, outcome or
 * close that came later. (The title is today's: changes to it are not kept.)
 */
export function incidentAt(
  incident: Incident,
  { status, severity, assignments, t }: { status: IncidentStatus; severity: Severity; assignments: readonly Assignment[]; t: number },
): Incident {
  const open = isOpenStatus(status);
  return {
    ...incident,
    status,
    severity,
    outcome: open ? null : incident.outcome,
    outcomeNote: open ? null : incident.outcomeNote,
    resolvedAt: open ? null : blankAfter(incident.resolvedAt, t),
    closedAt: status === 'closed' ? incident.closedAt : null,
    updatedAt: after(incident.updatedAt, t) ? new Date(t).toISOString() : incident.updatedAt,
    assignments: assignments.map((a) => assignmentAt(a, t)),
  };
}

/** An alert as it was at T: acknowledged or cleared only if that had happened by then. */
export function alertAt(a: Alert, t: number): Alert {
  const acknowledged = !after(a.acknowledgedAt, t);
  const cleared = !after(a.clearedAt, t);
  return {
    ...a,
    acknowledgedAt: acknowledged ? a.acknowledgedAt : null,
    acknowledgedBy: acknowledged ? a.acknowledgedBy : null,
    clearedAt: cleared ? a.clearedAt : null,
    clearedBy: cleared ? a.clearedBy : null,
  };
}

async function auditStaffRead(db: Queryable, actor: Actor, target: string, count: number): Promise<void> {
  if (count > 0 && seesIncidentDetail(actor.role)) {
    await recordAudit(db, actor, { action: 'incidents.read_detail', target, detail: { count } });
  }
}

/** GET /api/replay/state: every team's last fix at or before T, the incidents as they were at T, the alerts raised by T. */
export async function readReplayState(deps: { db: Queryable }, { at, actor }: { at: string; actor: Actor }): Promise<ReplayState> {
  const t = Date.parse(at);
  const iso = new Date(t).toISOString();
  const teams = await getTeamsAt(deps.db, { at: iso });
  const states = await getIncidentStatesAt(deps.db, { at: iso });
  const ids = states.map((s) => s.id);
  const [incidents, assignments] = await Promise.all([getIncidentsByIds(deps.db, { ids }), getAssignmentsAt(deps.db, { incidentIds: ids, at: iso })]);
  const stateById = new Map(states.map((s) => [s.id, s]));
  const alerts = await getAlertsRaised(deps.db, { from: new Date(t - REPLAY_RECENT_HOURS * 3_600_000).toISOString(), to: iso, toInclusive: true });
  await auditStaffRead(deps.db, actor, `replay:${iso}`, incidents.length);
  return {
    at: iso,
    units: teams,
    incidents: incidents.map((i) => {
      const at = stateById.get(i.id);
      const then = { status: at?.status ?? 'reported', severity: at?.severity ?? i.severity, assignments: assignments.get(i.id) ?? [], t };
      return projectIncident(incidentAt(i, then), actor.role);
    }),
    alerts: alerts.map((a) => alertAt(a, t)),
  };
}

/** Little-endian Int32 columns in base64: a fix costs 12 bytes (16 in base64) instead of ~60 as JSON. */
export function encodeInt32(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeInt32LE(v, i * 4));
  return buf.toString('base64');
}

/** GET /api/replay/history: the fixes, status and severity steps, new incidents and alerts of [from, to), in columns. */
export async function readReplayChunk(deps: { db: Queryable }, { from, to, actor }: { from: string; to: string; actor: Actor }): Promise<ReplayChunk> {
  const fromIso = new Date(Date.parse(from)).toISOString();
  const toIso = new Date(Date.parse(to)).toISOString();
  const tracks = await getTracks(deps.db, { from: fromIso, to: toIso });
  const events = await getIncidentSteps(deps.db, { from: fromIso, to: toIso });
  // The incident list's own query ([from, to) by report time, through incidents_reported_at_idx); a chunk spans at most an hour.
  const reported = await getIncidents(deps.db, { filter: { from: fromIso, to: toIso } });
  const severities = await getSeveritiesAtReport(deps.db, { ids: reported.map((i) => i.id) });
  const alerts = await getAlertsRaised(deps.db, { from: fromIso, to: toIso });
  await auditStaffRead(deps.db, actor, `replay:${fromIso}/${toIso}`, reported.length);
  const incidents: IncidentView[] = reported.map((i) => {
    const t = Date.parse(i.reportedAt);
    return projectIncident(incidentAt(i, { status: 'reported', severity: severities.get(i.id) ?? i.severity, assignments: [], t }), actor.role);
  });
  return {
    from: fromIso,
    to: toIso,
    tracks: tracks.map(
      (c): ReplayTrack => ({
        deviceId: c.deviceId,
        teamId: c.teamId,
        count: c.t.length,
        t: encodeInt32(c.t),
        xy: encodeInt32(c.x.flatMap((x, i) => [x, c.y[i]!])),
      }),
    ),
    events,
    incidents,
    alerts: alerts.map((a) => alertAt(a, Date.parse(a.raisedAt))),
  };
}
