// SWR keys of the admin lists, and the filter that revalidates them all after a change
// (disabling an account ends its sessions; revoking a session changes an account's count).
import type { SessionInfo } from '@/lib/model';

export const USERS_KEY = '/api/admin/users';
export const ADMIN_SESSIONS_KEY = '/api/admin/sessions';

export type SessionKindFilter = SessionInfo['kind'] | '';

export function adminSessionsKey(kind: SessionKindFilter): string {
  return kind === '' ? ADMIN_SESSIONS_KEY : `${ADMIN_SESSIONS_KEY}?kind=${kind}`;
}

export function isAdminListKey(key: unknown): boolean {
  return typeof key === 'string' && (key === USERS_KEY || key === ADMIN_SESSIONS_KEY || key.startsWith(`${ADMIN_SESSIONS_KEY}?`));
}
