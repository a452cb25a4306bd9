// The permission table, pinned entry by entry with the roles written out: a
// route that changes hands (or a new one) must change this file too, on
// purpose. tests/integration/permissions.test.ts checks the same table through
// the running app; this is the fast half the mutation run measures.
import { describe, expect, it } from 'vitest';
import { PAGE_RULES, ROUTE_RULES, SOCKET_RULES, allowed, pageRule, routeKey } from '../../lib/auth/permissions';

const PEOPLE = ['admin', 'coordinator', 'viewer', 'wall'];
const STAFF = ['admin', 'coordinator'];
const ADMIN = ['admin'];

describe('ROUTE_RULES', () => {
  it('lists every API route with exactly these audiences', () => {
    expect(ROUTE_RULES).toEqual({
      'GET /api/health': 'public',
      'POST /api/auth/login': 'public',
      'POST /api/auth/logout': PEOPLE,
      'GET /api/auth/me': PEOPLE,
      'GET /api/basemap': PEOPLE,
      'GET /api/basemap/tiles.pmtiles': PEOPLE,
      'GET /api/grids': PEOPLE,
      'GET /api/key-locations': PEOPLE,
      'GET /api/township/status': PEOPLE,
      'GET /api/units': PEOPLE,
      'GET /api/auth/sessions': PEOPLE,
      'DELETE /api/auth/sessions/[id]': PEOPLE,
      'GET /api/incidents': PEOPLE,
      'POST /api/incidents': STAFF,
      'GET /api/incidents/[id]': PEOPLE,
      'PATCH /api/incidents/[id]': STAFF,
      'GET /api/incidents/[id]/timeline': PEOPLE,
      'GET /api/incidents/[id]/recommendations': STAFF,
      'POST /api/incidents/[id]/dispatch': STAFF,
      'POST /api/assignments/[id]/acknowledge': STAFF,
      'POST /api/assignments/[id]/release': STAFF,
      'POST /api/alerts/[id]/acknowledge': STAFF,
      'POST /api/alerts/[id]/clear': STAFF,
      'GET /api/heatmap': PEOPLE,
      'GET /api/alerts': PEOPLE,
      'GET /api/wall/kpis': PEOPLE,
      'GET /api/replay/state': PEOPLE,
      'GET /api/replay/history': PEOPLE,
      'GET /api/briefing': PEOPLE,
      'GET /api/briefing/pdf': PEOPLE,
      'GET /api/audit': ADMIN,
      'GET /api/admin/users': ADMIN,
      'POST /api/admin/users': ADMIN,
      'PATCH /api/admin/users/[id]': ADMIN,
      'GET /api/admin/sessions': ADMIN,
      'DELETE /api/admin/sessions/[id]': ADMIN,
      'POST /api/admin/import/preview': ADMIN,
      'POST /api/admin/import/apply': ADMIN,
      'GET /api/admin/basemap': ADMIN,
      'PUT /api/admin/basemap': ADMIN,
      'DELETE /api/admin/basemap': ADMIN,
      // Admin only, reads too: coordinators see teams through GET /api/units, never devices or secrets.
      'GET /api/admin/teams': ADMIN,
      'POST /api/admin/teams': ADMIN,
      'PATCH /api/admin/teams/[id]': ADMIN,
      'POST /api/admin/teams/[id]/devices': ADMIN,
      'POST /api/admin/devices/[id]/secret': ADMIN,
      'POST /api/admin/devices/[id]/disable': ADMIN,
      // Patrol plans (issue 14): staff write, every person reads the board.
      'GET /api/plans': PEOPLE,
      'GET /api/plans/live': PEOPLE,
      // The plan board's readers: no wall (it shows the board's live states, not reports).
      'GET /api/plans/report': ['admin', 'coordinator', 'viewer'],
      'POST /api/plans': STAFF,
      'PUT /api/plans/[id]': STAFF,
      'DELETE /api/plans/[id]': STAFF,
    });
  });

  it('lets a device call only the public API routes: devices use /ingest with their own secret', () => {
    const forDevices = Object.entries(ROUTE_RULES).filter(([, audience]) => allowed(audience, 'device')).map(([key]) => key);
    expect(forDevices).toEqual(['GET /api/health', 'POST /api/auth/login']);
  });
});

describe('SOCKET_RULES and PAGE_RULES', () => {
  it('lets every person, and no device, connect and join the map', () => {
    expect(SOCKET_RULES).toEqual({ connect: PEOPLE, 'join:map': PEOPLE });
  });

  it('opens the map, the account page and the wall to every person and the admin page to admins', () => {
    expect(PAGE_RULES).toEqual({ '/': PEOPLE, '/account': PEOPLE, '/wall': PEOPLE, '/briefing': PEOPLE, '/replay': PEOPLE, '/admin': ADMIN, '/plans': ['admin', 'coordinator', 'viewer'] });
  });
});

describe('routeKey', () => {
  it('finds the rule of a concrete path, parameters in brackets', () => {
    expect(routeKey('PATCH', '/api/incidents/7')).toBe('PATCH /api/incidents/[id]');
    expect(routeKey('GET', '/api/incidents/7')).toBe('GET /api/incidents/[id]');
    expect(routeKey('GET', '/api/incidents/7/timeline')).toBe('GET /api/incidents/[id]/timeline');
    expect(routeKey('GET', '/api/incidents/7/recommendations')).toBe('GET /api/incidents/[id]/recommendations');
    expect(routeKey('POST', '/api/incidents/7/dispatch')).toBe('POST /api/incidents/[id]/dispatch');
    expect(routeKey('POST', '/api/assignments/12/acknowledge')).toBe('POST /api/assignments/[id]/acknowledge');
    expect(routeKey('POST', '/api/assignments/12/release')).toBe('POST /api/assignments/[id]/release');
    expect(routeKey('POST', '/api/alerts/3/acknowledge')).toBe('POST /api/alerts/[id]/acknowledge');
    expect(routeKey('POST', '/api/alerts/3/clear')).toBe('POST /api/alerts/[id]/clear');
    expect(routeKey('DELETE', '/api/auth/sessions/9f2c')).toBe('DELETE /api/auth/sessions/[id]');
    expect(routeKey('PATCH', '/api/admin/users/5')).toBe('PATCH /api/admin/users/[id]');
    expect(routeKey('DELETE', '/api/admin/sessions/ab-12')).toBe('DELETE /api/admin/sessions/[id]');
    expect(routeKey('PATCH', '/api/admin/teams/4')).toBe('PATCH /api/admin/teams/[id]');
    expect(routeKey('POST', '/api/admin/teams/4/devices')).toBe('POST /api/admin/teams/[id]/devices');
    expect(routeKey('POST', '/api/admin/devices/8/secret')).toBe('POST /api/admin/devices/[id]/secret');
    expect(routeKey('POST', '/api/admin/devices/8/disable')).toBe('POST /api/admin/devices/[id]/disable');
    expect(routeKey('PUT', '/api/plans/3')).toBe('PUT /api/plans/[id]');
    expect(routeKey('DELETE', '/api/plans/3')).toBe('DELETE /api/plans/[id]');
    expect(routeKey('PATCH', '/api/plans/3')).toBeNull();
  });

  it('finds fixed paths as they are', () => {
    expect(routeKey('GET', '/api/health')).toBe('GET /api/health');
    expect(routeKey('POST', '/api/incidents')).toBe('POST /api/incidents');
    expect(routeKey('GET', '/api/admin/users')).toBe('GET /api/admin/users');
    expect(routeKey('GET', '/api/wall/kpis')).toBe('GET /api/wall/kpis');
  });

  it('ignores trailing slashes, one or several', () => {
    expect(routeKey('GET', '/api/health/')).toBe('GET /api/health');
    expect(routeKey('GET', '/api/grids///')).toBe('GET /api/grids');
    expect(routeKey('PATCH', '/api/incidents/7/')).toBe('PATCH /api/incidents/[id]');
    expect(routeKey('POST', '/api/alerts/3/clear//')).toBe('POST /api/alerts/[id]/clear');
  });

  it('answers null for anything not in the table', () => {
    // Unknown paths.
    expect(routeKey('GET', '/api/nothing')).toBeNull();
    expect(routeKey('GET', '/')).toBeNull();
    expect(routeKey('GET', '')).toBeNull();
    expect(routeKey('GET', '/api/incidents/7/unknown')).toBeNull();
    // Known paths with a method that is not allowed on them.
    expect(routeKey('DELETE', '/api/incidents/7')).toBeNull();
    expect(routeKey('GET', '/api/admin/users/5')).toBeNull();
    expect(routeKey('GET', '/api/incidents/7/dispatch')).toBeNull();
    expect(routeKey('PUT', '/api/health')).toBeNull();
    // A method is matched exactly, case and all.
    expect(routeKey('get', '/api/health')).toBeNull();
    expect(routeKey('patch', '/api/incidents/7')).toBeNull();
    // A parameter is one whole segment: not empty, no slash, nothing before or after the path.
    expect(routeKey('PATCH', '/api/incidents/')).toBeNull();
    expect(routeKey('PATCH', '/api/incidents//')).toBeNull();
    expect(routeKey('PATCH', '/api/incidents/7/8')).toBeNull();
    expect(routeKey('PATCH', '/x/api/incidents/7')).toBeNull();
    expect(routeKey('PATCH', 'api/incidents/7')).toBeNull();
    // `[id]` is a placeholder, not a character class matching "i" or "d".
    expect(routeKey('PATCH', '/api/incidents/[id]')).toBe('PATCH /api/incidents/[id]');
    expect(routeKey('POST', '/api/incidents/i/dispatch')).toBe('POST /api/incidents/[id]/dispatch');
    // A path that only starts like a fixed rule.
    expect(routeKey('GET', '/api/healthz')).toBeNull();
    expect(routeKey('GET', '/api/health/x')).toBeNull();
  });
});

describe('pageRule', () => {
  it('gives each page its roles', () => {
    expect(pageRule('/')).toEqual(PEOPLE);
    expect(pageRule('/account')).toEqual(PEOPLE);
    expect(pageRule('/wall')).toEqual(PEOPLE);
    expect(pageRule('/admin')).toEqual(ADMIN);
  });

  it('ignores case and trailing slashes, so /Admin/ is as protected as /admin', () => {
    expect(pageRule('/Admin')).toEqual(ADMIN);
    expect(pageRule('/ADMIN/')).toEqual(ADMIN);
    expect(pageRule('/admin///')).toEqual(ADMIN);
    expect(pageRule('/Account/')).toEqual(PEOPLE);
    expect(pageRule('/WALL/')).toEqual(PEOPLE);
    expect(pageRule('//')).toEqual(PEOPLE);
    expect(pageRule('')).toEqual(PEOPLE);
  });

  it('answers undefined for public paths and for names an object inherits', () => {
    expect(pageRule('/login')).toBeUndefined();
    expect(pageRule('/admin/users')).toBeUndefined();
    expect(pageRule('/administrator')).toBeUndefined();
    expect(pageRule('/wall/kpis')).toBeUndefined();
    expect(pageRule('/_next/static/x.js')).toBeUndefined();
    expect(pageRule('constructor')).toBeUndefined();
    expect(pageRule('__proto__')).toBeUndefined();
    expect(pageRule('toString')).toBeUndefined();
  });
});

describe('allowed', () => {
  it('refuses a route that is not in the table, to everyone', () => {
    expect(allowed(undefined, 'admin')).toBe(false);
    expect(allowed(undefined, null)).toBe(false);
  });

  it('lets anyone, signed in or not, use a public route', () => {
    expect(allowed('public', null)).toBe(true);
    expect(allowed('public', 'viewer')).toBe(true);
    expect(allowed('public', 'device')).toBe(true);
  });

  it('lets only the listed roles use the rest, and nobody who is not signed in', () => {
    expect(allowed(['admin'], 'admin')).toBe(true);
    expect(allowed(['admin'], 'coordinator')).toBe(false);
    expect(allowed(['admin', 'coordinator'], 'coordinator')).toBe(true);
    expect(allowed(['admin', 'coordinator'], 'wall')).toBe(false);
    expect(allowed(['admin', 'coordinator'], null)).toBe(false);
    expect(allowed([], 'admin')).toBe(false);
  });

  it('answers the table: who may dispatch, who may read the audit log', () => {
    const dispatch = ROUTE_RULES[routeKey('POST', '/api/incidents/7/dispatch')!];
    expect(['admin', 'coordinator', 'viewer', 'wall', 'device', null].map((r) => allowed(dispatch, r as never))).toEqual([true, true, false, false, false, false]);
    const audit = ROUTE_RULES[routeKey('GET', '/api/audit')!];
    expect(['admin', 'coordinator', 'viewer', 'wall', 'device', null].map((r) => allowed(audit, r as never))).toEqual([true, false, false, false, false, false]);
  });
});
