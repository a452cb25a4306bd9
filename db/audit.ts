import type { Queryable } from './client';
import { isoRequired } from './rows';

export interface AuditEntry {
  actorUserId: number | null;
  actor: string | null;
  role: string | null;
  action: string;
  target?: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
}

/** Appends one entry; the table refuses UPDATE and DELETE (migration 0005). */
export async function appendAudit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_user_id, actor, role, action, target, outcome, ip, detail)
     VALUES ($1::int, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb)`,
    [e.actorUserId, e.actor, e.role, e.action, e.target ?? null, e.outcome, e.ip ?? null, e.detail ? JSON.stringify(e.detail) : null],
  );
}

export async function listAudit(
  db: Queryable,
  { action, actor, limit = 200 }: { action?: string; actor?: string; limit?: number } = {},
): Promise<AuditRecord[]> {
  const { rows } = await db.query<{
    id: string;
    at: Date | string;
    actor_user_id: number | null;
    actor: string | null;
    role: string | null;
    action: string;
    target: string | null;
    outcome: 'ok' | 'denied' | 'failed';
    ip: string | null;
    detail: Record<string, unknown> | null;
  }>(
    `SELECT id::text, at, actor_user_id, actor, role, action, target, outcome, ip, detail FROM audit_log
     WHERE ($1::text IS NULL OR action = $1::text) AND ($2::text IS NULL OR actor = $2::text)
     ORDER BY at DESC, id DESC LIMIT $3::int`,
    [action ?? null, actor ?? null, limit],
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
