import type { Queryable } from './client';
import type { Role } from './users';

export interface SessionUser {
  sessionId: number;
  kind: 'browser' | 'wall';
  userId: number;
  username: string;
  displayName: string;
  role: Role;
}

export async function insertSession(
  db: Queryable,
  s: { tokenHash: string; userId: number; kind: 'browser' | 'wall'; ttlSeconds: number; ip: string | null; userAgent: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sessions (token_hash, user_id, kind, expires_at, ip, user_agent)
     VALUES ($1::text, $2::int, $3::text, now() + make_interval(secs => $4::float8), $5::text, $6::text)
     RETURNING id::text`,
    [s.tokenHash, s.userId, s.kind, s.ttlSeconds, s.ip, s.userAgent?.slice(0, 300) ?? null],
  );
  return Number(rows[0]!.id);
}

/**
 * The live session for a token hash. Expired (absolute), idle (browser
 * sessions unused for idleSeconds), revoked sessions and disabled users give
 * null. last_seen_at is written at most once a minute per session, not on
 * every request: the idle timeout loses nothing that matters, and a page's
 * bursts of API calls stop costing a write each.
 */
export async function touchSession(db: Queryable, { tokenHash, idleSeconds }: { tokenHash: string; idleSeconds: number }): Promise<SessionUser | null> {
  const { rows } = await db.query<{ id: string; kind: 'browser' | 'wall'; user_id: number; username: string; display_name: string; role: Role }>(
    `WITH live AS (
       SELECT s.id, s.kind, s.user_id, s.last_seen_at, u.username, u.display_name, u.role
       FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1::text
         AND s.revoked_at IS NULL AND u.disabled_at IS NULL AND s.expires_at > now()
         AND (s.kind = 'wall' OR s.last_seen_at > now() - make_interval(secs => $2::float8))
     ), touched AS (
       UPDATE sessions SET last_seen_at = now()
       WHERE id IN (SELECT id FROM live WHERE last_seen_at < now() - interval '60 seconds')
     )
     SELECT id::text, kind, user_id, username, display_name, role FROM live`,
    [tokenHash, idleSeconds],
  );
  const r = rows[0];
  return r ? { sessionId: Number(r.id), kind: r.kind, userId: r.user_id, username: r.username, displayName: r.display_name, role: r.role } : null;
}

export async function revokeSession(db: Queryable, { sessionId }: { sessionId: number }): Promise<void> {
  await db.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL`, [sessionId]);
}

/** Of the given sessions, those no longer live (revoked, expired, user disabled). */
export async function getDeadSessions(db: Queryable, { sessionIds }: { sessionIds: readonly number[] }): Promise<number[]> {
  if (sessionIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT s.id::text FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ANY($1::bigint[]) AND (s.revoked_at IS NOT NULL OR s.expires_at <= now() OR u.disabled_at IS NOT NULL)`,
    [sessionIds],
  );
  return rows.map((r) => Number(r.id));
}
