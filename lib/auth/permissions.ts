// The one permission table. Every API route and every socket event is listed
// here with the roles that may use it; the gate (lib/auth/gate.ts) and the
// socket middleware both ask `allowed()`. A route missing from the table is
// refused for everyone, and tests/integration/permissions.test.ts fails.
import { PERSON_ROLES, PLAN_BOARD_ROLES, STAFF_ROLES, type Role } from '../model';

export type Audience = readonly Role[] | 'public';

const ALL_PEOPLE: readonly Role[] = PERSON_ROLES;
const STAFF: readonly Role[] = STAFF_ROLES;

/** `METHOD /path` (path params as `[name]`) → who may call it. */
export const ROUTE_RULES: Record<string, Audience> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ALL_PEOPLE,
  'GET /api/auth/me': ALL_PEOPLE,
  'GET /api/basemap': ALL_PEOPLE,
  // The uploaded PMTiles archive, in byte ranges: everyone who sees the map draws it (the wall too).
  'GET /api/basemap/tiles.pmtiles': ALL_PEOPLE,
  'GET /api/grids': ALL_PEOPLE,
  'GET /api/key-locations': ALL_PEOPLE,
  // What is stored and what to do next: the map page of an empty install says so to everyone signed in.
  'GET /api/township/status': ALL_PEOPLE,
  'GET /api/units': ALL_PEOPLE,
  'GET /api/auth/sessions': ALL_PEOPLE,
  // Only the caller's own sessions: someone else's id is answered 404 in the handler.
  'DELETE /api/auth/sessions/[id]': ALL_PEOPLE,
  'GET /api/incidents': ALL_PEOPLE,
  'POST /api/incidents': STAFF,
  // Everyone may look an incident up; the handler projects it for the caller's role.
  'GET /api/incidents/[id]': ALL_PEOPLE,
  'PATCH /api/incidents/[id]': STAFF,
  // Status changes for everyone; the outcome note only for staff (the handler projects it).
  'GET /api/incidents/[id]/timeline': ALL_PEOPLE,
  'GET /api/incidents/[id]/recommendations': STAFF,
  'POST /api/incidents/[id]/dispatch': STAFF,
  // A coordinator records a team's acknowledgement on its behalf (teams often answer by radio);
  // a device acknowledges for itself at POST /ingest/ack with its own secret.
  'POST /api/assignments/[id]/acknowledge': STAFF,
  'POST /api/assignments/[id]/release': STAFF,
  'POST /api/alerts/[id]/acknowledge': STAFF,
  'POST /api/alerts/[id]/clear': STAFF,
  'GET /api/heatmap': ALL_PEOPLE,
  'GET /api/alerts': ALL_PEOPLE,
  'GET /api/wall/kpis': ALL_PEOPLE,
  // The time machine: everyone who watches the map may replay it; incidents are projected per role as on the live map.
  'GET /api/replay/state': ALL_PEOPLE,
  'GET /api/replay/history': ALL_PEOPLE,
  // The leadership briefing: aggregates only (no narrative, contact or single incident), so every person may read it.
  'GET /api/briefing': ALL_PEOPLE,
  'GET /api/briefing/pdf': ALL_PEOPLE,
  'GET /api/audit': ['admin'],
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
  'PATCH /api/admin/users/[id]': ['admin'],
  'GET /api/admin/sessions': ['admin'],
  'DELETE /api/admin/sessions/[id]': ['admin'],
  'POST /api/admin/import/preview': ['admin'],
  'POST /api/admin/import/apply': ['admin'],
  'GET /api/admin/basemap': ['admin'],
  'PUT /api/admin/basemap': ['admin'],
  'DELETE /api/admin/basemap': ['admin'],
  // Teams and their devices: the device inventory and its secrets are the administrator's. Coordinators
  // see every team through GET /api/units; nothing here is theirs to read.
  'GET /api/admin/teams': ['admin'],
  'POST /api/admin/teams': ['admin'],
  'PATCH /api/admin/teams/[id]': ['admin'],
  'POST /api/admin/teams/[id]/devices': ['admin'],
  'POST /api/admin/devices/[id]/secret': ['admin'],
  'POST /api/admin/devices/[id]/disable': ['admin'],
  // Patrol plans (issue 14): staff plan them; everyone who sees the map may read the board.
  'GET /api/plans': ALL_PEOPLE,
  // Live checkpoint states: who reads the board; the incidents behind a suspension only for staff (the handler projects).
  'GET /api/plans/live': ALL_PEOPLE,
  // Plan vs actual: who opens the plan board.
  'GET /api/plans/report': PLAN_BOARD_ROLES,
  'POST /api/plans': STAFF,
  'PUT /api/plans/[id]': STAFF,
  'DELETE /api/plans/[id]': STAFF,
};

/** Socket events a client may send, and socket rooms, by role. */
export const SOCKET_RULES: Record<string, Audience> = {
  connect: ALL_PEOPLE,
  'join:map': ALL_PEOPLE,
};

/** Pages and who may open them; anything else outside /api is public (assets, /login). */
export const PAGE_RULES: Record<string, readonly Role[]> = {
  '/': ALL_PEOPLE,
  '/account': ALL_PEOPLE,
  // The wall display lands here; everyone else may open it too.
  '/wall': ALL_PEOPLE,
  // The time machine: whoever may watch the map may replay it.
  '/replay': ALL_PEOPLE,
  '/briefing': ALL_PEOPLE,
  '/admin': ['admin'],
  // The plan board: staff write plans there; a viewer reads it (the wall has no use for it).
  '/plans': PLAN_BOARD_ROLES,
};

/** Rules with a `[param]` segment, as regular expressions over the path. */
const PATTERNS: { method: string; re: RegExp; key: string }[] = Object.keys(ROUTE_RULES)
  .filter((key) => key.includes('['))
  .map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, key, re: new RegExp(`^${path.replace(/\[[a-z]+\]/g, '[^/]+')}$`) };
  });

/** The rule key for a request (`PATCH /api/incidents/7` → `PATCH /api/incidents/[id]`), or null. */
export function routeKey(method: string, pathname: string): string | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  const direct = `${method} ${path}`;
  if (direct in ROUTE_RULES) return direct;
  return PATTERNS.find((p) => p.method === method && p.re.test(path))?.key ?? null;
}

/**
 * The page rule for a path (trailing slash and case ignored, so `/Admin` is as
 * protected as `/admin` whatever the router makes of it), or undefined for
 * public paths.
 */
export function pageRule(pathname: string): readonly Role[] | undefined {
  const path = pathname.toLowerCase().replace(/\/+$/, '') || '/';
  // Own keys only: `/constructor` is not a page rule.
  return Object.hasOwn(PAGE_RULES, path) ? PAGE_RULES[path] : undefined;
}

export function allowed(audience: Audience | undefined, role: Role | null): boolean {
  if (audience === undefined) return false;
  if (audience === 'public') return true;
  return role !== null && audience.includes(role);
}
