import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Queryable } from '../../db/client';
import type { Db } from '../../db/client';
import { insertSession, revokeLiveSession, touchSession, type SessionUser } from '../../db/sessions';
import { recordAudit, type Actor, type AuditNote } from '../audit';
import type { Bus } from '../bus';
import type { SessionKind } from '../model';
import { AppError } from '../errors';

export const SESSION_COOKIE = 'gs_session';
/** A browser session ends after 12 h, or after 30 min without a request. */
export const BROWSER_TTL_SECONDS = 12 * 3600;
export const IDLE_SECONDS = 30 * 60;
/** A wall display's session does not expire daily; it is revoked instead. */
export const WALL_TTL_SECONDS = 10 * 365 * 86_400;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function startSession(
  db: Queryable,
  { userId, kind, ip, userAgent }: { userId: number; kind: SessionKind; ip: string | null; userAgent: string | null },
): Promise<{ token: string; sessionId: number; maxAgeSeconds: number }> {
  const token = randomBytes(32).toString('base64url');
  const ttl = kind === 'wall' ? WALL_TTL_SECONDS : BROWSER_TTL_SECONDS;
  const sessionId = await insertSession(db, { tokenHash: hashToken(token), userId, kind, ttlSeconds: ttl, ip, userAgent });
  return { token, sessionId, maxAgeSeconds: ttl };
}

export function readCookie(cookieHeader: string | undefined | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length > 0 && v.length < 200 ? v : null;
    }
  }
  return null;
}

/** The signed-in person behind a request's cookie, or null. */
export async function sessionFromHeaders(db: Queryable, headers: IncomingHttpHeaders): Promise<SessionUser | null> {
  const token = readCookie(headers.cookie, SESSION_COOKIE);
  if (!token) return null;
  return touchSession(db, { tokenHash: hashToken(token), idleSeconds: IDLE_SECONDS });
}

export function sessionCookie(token: string, { maxAgeSeconds, secure }: { maxAgeSeconds: number; secure: boolean }): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The client's socket address, set by the gate (a client-sent value is overwritten). */
export const CLIENT_ADDRESS_HEADER = 'x-gridsight-client-address';

/** `1` when the client's connection is HTTPS (clientSecure), else `0`; set by the gate (a client-sent value is overwritten). */
export const CLIENT_SECURE_HEADER = 'x-gridsight-client-secure';

/** Whether the session cookie is to be marked Secure: the gate found the client on HTTPS. */
export function secureClient(headers: Headers): boolean {
  return headers.get(CLIENT_SECURE_HEADER) === '1';
}

/** The identity the gate hands to Next route handlers (never taken from the client). */
export const IDENTITY_HEADER = 'x-gridsight-identity';

/**
 * The identity as a header value. Header values are bytes (Latin-1): a display
 * name like 管理员 must be escaped, or the handler's `Headers` refuses it.
 */
export function encodeIdentity(user: SessionUser): string {
  return encodeURIComponent(JSON.stringify(user));
}

export function identityFrom(headers: Headers): SessionUser | null {
  const raw = headers.get(IDENTITY_HEADER);
  if (!raw) return null;
  return JSON.parse(decodeURIComponent(raw)) as SessionUser;
}

/** The caller, or a 401 (the gate has already refused anonymous callers; this is the handler's own check). */
export function requireIdentity(headers: Headers): SessionUser {
  const me = identityFrom(headers);
  if (!me) throw new AppError('unauthorized', 'sign in first');
  return me;
}

/** Who and from where, for an audit entry written on behalf of the caller. */
export function auditActor(me: SessionUser, headers: Headers): Actor {
  return { actorUserId: me.userId, actor: me.username, role: me.role, ip: headers.get(CLIENT_ADDRESS_HEADER) };
}

type EndedSession = { userId: number; username: string; kind: SessionKind };

/**
 * Ends a live session and records it in one transaction; its sockets are
 * dropped through the bus only after the commit, so a failed audit write ends
 * nothing. With `ownerId`, only that user's session (someone else's id matches
 * nothing). `note` says what to record for the ended session, or for null when
 * nothing live matched; it returns null to record nothing.
 */
async function endSession(
  deps: { db: Db; bus: Bus },
  { sessionId, ownerId, actor }: { sessionId: number; ownerId?: number; actor: Actor },
  note: (ended: EndedSession | null) => AuditNote | null,
): Promise<EndedSession | null> {
  const ended = await deps.db.transaction(async (tx) => {
    const revoked = await revokeLiveSession(tx, { sessionId, ownerId });
    const entry = note(revoked);
    if (entry) await recordAudit(tx, actor, entry);
    return revoked;
  });
  if (ended) deps.bus.publish('session:ended', sessionId);
  return ended;
}

/** POST /api/auth/logout: the caller's own session ends (recorded even when it had already ended). */
export async function signOut(deps: { db: Db; bus: Bus }, { sessionId, actor }: { sessionId: number; actor: Actor }): Promise<void> {
  await endSession(deps, { sessionId, actor }, () => ({ action: 'logout' }));
}

/**
 * A person ends one of their own sessions. Someone else's session id is
 * answered exactly like one that does not exist (404), and the attempt is
 * recorded as denied.
 */
export async function revokeOwnSession(deps: { db: Db; bus: Bus }, { sessionId, actor }: { sessionId: number; actor: Actor }): Promise<void> {
  const ended = await endSession(deps, { sessionId, ownerId: actor.actorUserId, actor }, (e) => ({
    action: 'session.revoke',
    target: `session:${sessionId}`,
    outcome: e ? 'ok' : 'denied',
    detail: e ? { own: true, kind: e.kind } : { reason: 'not a live session of yours' },
  }));
  if (!ended) throw new AppError('not_found', `you have no live session ${sessionId}`);
}

/** An administrator ends anyone's session (a lost wall screen); 404 when nothing live has that id. */
export async function revokeAnySession(deps: { db: Db; bus: Bus }, { sessionId, actor }: { sessionId: number; actor: Actor }): Promise<void> {
  const ended = await endSession(deps, { sessionId, actor }, (e) =>
    e ? { action: 'session.revoke', target: `session:${sessionId}`, detail: { username: e.username, kind: e.kind } } : null,
  );
  if (!ended) throw new AppError('not_found', `no live session ${sessionId}`);
}
