// The audit log as services use it: who acted, recorded in the transaction of
// the change itself, so a change is never stored without its row (nor a row
// without its change). Route handlers never write here themselves.
import { appendAudit, listAudit, type AuditFilter } from '../db/audit';
import type { Queryable } from '../db/client';
import type { AuditAction, AuditOutcome, AuditRecord, Role } from './model';

/** Who is acting and from where: a signed-in person (auditActor in lib/auth/sessions.ts builds it from a request). */
export interface Actor {
  actorUserId: number;
  actor: string;
  role: Role;
  ip: string | null;
}

/** What the actor did, for one audit row. */
export interface AuditNote {
  action: AuditAction;
  target?: string;
  /** 'ok' unless given. */
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
}

/** Appends the actor's row; pass the transaction of the change it records. */
export async function recordAudit(tx: Queryable, actor: Actor, note: AuditNote): Promise<void> {
  await appendAudit(tx, { ...actor, outcome: 'ok', ...note });
}

/**
 * GET /api/audit: administrators browse the log, newest first. Reading it is
 * itself recorded, but not every page of one browse: only the first (no
 * `before`). The row is written after the read, so if it cannot be written
 * the rows are not handed out.
 */
export async function readAuditLog(deps: { db: Queryable }, { filter, actor }: { filter: AuditFilter; actor: Actor }): Promise<AuditRecord[]> {
  const rows = await listAudit(deps.db, filter);
  if (filter.before === undefined) {
    const given = Object.fromEntries(Object.entries(filter).filter(([k, v]) => k !== 'limit' && v !== undefined));
    await recordAudit(deps.db, actor, { action: 'audit.read', detail: { filter: given } });
  }
  return rows;
}
