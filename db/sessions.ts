import type { Role, SessionInfo, SessionKind } from '../lib/model';
import type { Queryable } from './client';
import { isoRequired } from './rows';

export interface SessionUser {
  sessionId: number;
  kind: SessionKind;
  userId: number;
  username: string;
  displayName: string;
  role: Role;
}

export async function insertSession(
  db: Queryable,
  s: { tokenHash: string; userId: number; kind: SessionKind; ttlSeconds: number; ip: string | null; userAgent: string | null },
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
  const { rows } = await db.query<{ id: string; kind: SessionKind; user_id: number; username: string; display_name: string; role: Role }>(
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

/** The current role of each session still open (not revoked, not expired, user not disabled); ended ones are absent. */
export async function liveSessionRoles(db: Queryable, { sessionIds }: { sessionIds: readonly number[] }): Promise<Map<number, Role>> {
  if (sessionIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; role: Role }>(
    `SELECT s.id::text, u.role FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ANY($1::bigint[]) AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [sessionIds],
  );
  return new Map(rows.map((r) => [Number(r.id), r.role]));
}

interface SessionInfoRow {
  id: string;
  kind: SessionKind;
  user_id: number;
  username: string;
  role: Role;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  ip: string | null;
  user_agent: string | null;
}

/**
 * Live sessions (not revoked, not expired, user not disabled), newest first:
 * one user's when userId is given, everyone's otherwise. `currentId` marks the
 * session the request came with.
 */
export async function listLiveSessions(
  db: Queryable,
  { userId, kind, currentId }: { userId?: number; kind?: SessionKind; currentId: number },
): Promise<SessionInfo[]> {
  const { rows } = await db.query<SessionInfoRow>(
    `SELECT s.id::text, s.kind, s.user_id, u.username, u.role, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL
       AND ($1::int IS NULL OR s.user_id = $1::int) AND ($2::text IS NULL OR s.kind = $2::text)
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT 1000`,
    [userId ?? null, kind ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    createdAt: isoRequired(r.created_at),
    lastSeenAt: isoRequired(r.last_seen_at),
    expiresAt: isoRequired(r.expires_at),
    ip: r.ip,
    userAgent: r.user_agent,
    current: Number(r.id) === currentId,
  }));
}

/**
 * Revokes a live session; with `ownerId`, only if it belongs to that user
 * (object-level check in SQL: someone else's id matches nothing). Returns
 * the owner's id, or null when nothing live matched.
 */
export async function revokeLiveSession(
  db: Queryable,
  { sessionId, ownerId }: { sessionId: number; ownerId?: number },
): Promise<{ userId: number; username: string; kind: SessionKind } | null> {
  const { rows } = await db.query<{ user_id: number; username: string; kind: SessionKind }>(
    `UPDATE sessions s SET revoked_at = now()
     FROM users u
     WHERE s.id = $1::bigint AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
       AND ($2::int IS NULL OR s.user_id = $2::int)
     RETURNING s.user_id, u.username, s.kind`,
    [sessionId, ownerId ?? null],
  );
  const r = rows[0];
  return r ? { userId: r.user_id, username: r.username, kind: r.kind } : null;
}

/** Ids of a user's sessions that have not ended (so their sockets can be dropped when the user is disabled). */
export async function openSessionIds(db: Queryable, { userId }: { userId: number }): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM sessions WHERE user_id = $1::int AND revoked_at IS NULL AND expires_at > now()`,
    [userId],
  );
  return rows.map((r) => Number(r.id));
}
