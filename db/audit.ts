import type { AuditOutcome, AuditRecord } from '../lib/model';
import type { Queryable } from './client';
import { isoRequired } from './rows';

export interface AuditEntry {
  actorUserId: number | null;
  actor: string | null;
  role: string | null;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Appends one entry; the table refuses UPDATE and DELETE (migration 0005). */
export async function appendAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_user_id, actor, role, action, target, outcome, ip, detail)
     VALUES ($1::int, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb)`,
    [e.actorUserId, e.actor, e.role, e.action, e.target ?? null, e.outcome, e.ip ?? null, e.detail ? JSON.stringify(e.detail) : null],
  );
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
  /** ISO times; since inclusive, until exclusive. */
  since?: string;
  until?: string;
  /** Only rows older than this id (paging backwards). */
  before?: number;
  limit?: number;
}

/** Newest first, filtered; every filter optional. */
export async function listAudit(db: Queryable, f: AuditFilter = {}): Promise<AuditRecord[]> {
  type AuditRow = Omit<AuditRecord, 'id' | 'at' | 'actorUserId'> & { id: string; at: Date | string; actor_user_id: number | null };
  const { rows } = await db.query<AuditRow>(
    `SELECT id::text, at, actor_user_id, actor, role, action, target, outcome, ip, detail FROM audit_log
     WHERE ($1::text IS NULL OR action = $1::text) AND ($2::text IS NULL OR actor = $2::text)
       AND ($3::text IS NULL OR outcome = $3::text)
       AND ($4::timestamptz IS NULL OR at >= $4::timestamptz) AND ($5::timestamptz IS NULL OR at < $5::timestamptz)
       AND ($6::bigint IS NULL OR id < $6::bigint)
     ORDER BY id DESC LIMIT $7::int`,
    [f.action ?? null, f.actor ?? null, f.outcome ?? null, f.since ?? null, f.until ?? null, f.before ?? null, f.limit ?? 200],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: isoRequired(r.at),
    actorUserId: r.actor_user_id,
    actor: r.actor,
    role: r.role,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    detail: r.detail,
  }));
}
