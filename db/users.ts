import type { AdminUser, Role } from '../lib/model';
import type { Queryable } from './client';
import { iso, isoRequired } from './rows';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  disabled_at: Date | string | null;
  password_hash: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled_at !== null,
});

export async function insertUser(
  db: Queryable,
  u: { username: string; displayName: string; role: Role; passwordHash: string },
): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, display_name, role, password_hash) VALUES ($1::text, $2::text, $3::text, $4::text)
     RETURNING id, username, display_name, role, disabled_at, password_hash`,
    [u.username, u.displayName, u.role, u.passwordHash],
  );
  return toUser(rows[0]!);
}

/** The user and their stored hash, for a login check. */
export async function getUserForLogin(db: Queryable, { username }: { username: string }): Promise<(User & { passwordHash: string }) | null> {
  const { rows } = await db.query<UserRow>(
    `SELECT id, username, display_name, role, disabled_at, password_hash FROM users WHERE username = $1::text`,
    [username],
  );
  const r = rows[0];
  return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
}

export async function countAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
  return rows[0]!.n;
}

interface AdminUserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  disabled_at: Date | string | null;
  created_at: Date | string;
  live_sessions: number;
  last_sign_in_at: Date | string | null;
}

const ADMIN_USER_SELECT = `
  SELECT u.id, u.username, u.display_name, u.role, u.disabled_at, u.created_at,
         (SELECT count(*)::int FROM sessions s
           WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()) AS live_sessions,
         (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in_at
  FROM users u`;

const toAdminUser = (r: AdminUserRow): AdminUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled_at !== null,
  createdAt: isoRequired(r.created_at),
  liveSessions: r.disabled_at === null ? r.live_sessions : 0,
  lastSignInAt: iso(r.last_sign_in_at),
});

/** Every account, as administrators see it (devices' own accounts included). */
export async function listUsers(db: Queryable): Promise<AdminUser[]> {
  const { rows } = await db.query<AdminUserRow>(`${ADMIN_USER_SELECT} ORDER BY u.role, u.username`);
  return rows.map(toAdminUser);
}

export async function getAdminUser(db: Queryable, { id }: { id: number }): Promise<AdminUser | null> {
  const { rows } = await db.query<AdminUserRow>(`${ADMIN_USER_SELECT} WHERE u.id = $1::int`, [id]);
  return rows[0] ? toAdminUser(rows[0]) : null;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

/** Applies the given changes; returns false when there is no such user. */
export async function updateUser(db: Queryable, { id, change }: { id: number; change: UserChange }): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE users SET
       display_name  = COALESCE($2::text, display_name),
       role          = COALESCE($3::text, role),
       disabled_at   = CASE WHEN $4::boolean IS NULL THEN disabled_at
                            WHEN $4::boolean THEN COALESCE(disabled_at, now())
                            ELSE NULL END,
       password_hash = COALESCE($5::text, password_hash)
     WHERE id = $1::int
     RETURNING id`,
    [id, change.displayName ?? null, change.role ?? null, change.disabled ?? null, change.passwordHash ?? null],
  );
  return rows.length > 0;
}
