// The audit log's vocabulary, shared by the writer, the API and the admin page.

/** Every action the audit log records (the admin page offers these as a filter). */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'http.denied',
  'incident.create',
  'incident.update',
  'incident.read_detail',
  'incident.dispatch',
  'assignment.acknowledge',
  'assignment.release',
  'alert.acknowledge',
  'alert.clear',
  'incidents.read_detail',
  'user.create',
  'user.update',
  'session.revoke',
  'audit.read',
  'import.apply',
  'demo.remove',
  'basemap.upload',
  'basemap.remove',
  'team.create',
  'team.update',
  'device.create',
  'device.secret',
  'device.disable',
  'plan.create',
  'plan.update',
  'plan.delete',
  'positions.retention',
  'incident.contact_erase',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit-log row (GET /api/audit). */
export interface AuditRecord {
  id: number;
  at: string;
  actorUserId: number | null;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  detail: Record<string, unknown> | null;
}
