// The one permission table. Every API route and every socket event is listed
// here with the roles that may use it; the gate (lib/auth/gate.ts) and the
// socket middleware both ask `allowed()`. A route missing from the table is
// refused for everyone, and tests/integration/permissions.test.ts fails.
import type { Role } from '../../db/users';

export type Audience = readonly Role[] | 'public';

const ALL_PEOPLE: readonly Role[] = ['admin', 'coordinator', 'viewer', 'wall'];
const STAFF: readonly Role[] = ['admin', 'coordinator'];

/** `METHOD /path` (path params as `[name]`) → who may call it. */
export const ROUTE_RULES: Record<string, Audience> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ALL_PEOPLE,
  'GET /api/auth/me': ALL_PEOPLE,
  'GET /api/basemap': ALL_PEOPLE,
  'GET /api/grids': ALL_PEOPLE,
  'GET /api/key-locations': ALL_PEOPLE,
  'GET /api/units': ALL_PEOPLE,
  'GET /api/incidents': ALL_PEOPLE,
  'POST /api/incidents': STAFF,
  'GET /api/heatmap': ALL_PEOPLE,
  'GET /api/alerts': ALL_PEOPLE,
  'GET /api/audit': ['admin'],
  // Devices authenticate with their own secret inside the handler.
  'POST /api/gpx': 'public',
};

/** Socket events a client may send, and socket rooms, by role. */
export const SOCKET_RULES: Record<string, Audience> = {
  connect: ALL_PEOPLE,
  'join:map': ALL_PEOPLE,
  'join:wall': ALL_PEOPLE,
  'join:briefing': STAFF,
};

/** Pages that need a signed-in person; anything else outside /api is public (assets, /login). */
export const PROTECTED_PAGES = ['/'];

export function routeKey(method: string, pathname: string): string | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  const direct = `${method} ${path}`;
  if (direct in ROUTE_RULES) return direct;
  return null;
}

export function allowed(audience: Audience | undefined, role: Role | null): boolean {
  if (audience === undefined) return false;
  if (audience === 'public') return true;
  return role !== null && audience.includes(role);
}
