import type { Queryable } from './client';

export const ROLES = ['admin', 'coordinator', 'viewer', 'wall', 'device'] as const;
export type Role = (typeof ROLES)[number];

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
