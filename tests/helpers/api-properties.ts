// Property tests on every API body (fast-check, 10,000 runs each): arbitrary
// JSON, near-valid bodies and raw text sent to every route that reads a body,
// through the real gate and the app's own handlers on a real database. Every
// answer is a success or a 4xx whose JSON says what is wrong — never a 5xx,
// never a stack trace or SQL. (The e2e suite repeats a sample of this through
// Next itself.) The routes are split over two test files so that the two
// vitest workers share the 60,000 requests.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice } from '../../db/devices';
import { seedDemoTownship } from '../../lib/sim/seed';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../lib/model';
import { apiRouter } from './api-router';
import { startTestApp, type RunningApp } from './app';
import { signIn } from './auth';
import { engines, freshDb, type Engine, type TestDb } from './db';

const RUNS = 10_000;
const LEAK = /\bat .+\(.+:\d+:\d+\)|\bat async\b|SELECT |INSERT INTO|UPDATE \w+ SET|syntax error|violates|relation "/;

/** Any JSON value, strings that are not JSON, and JSON with the wrong top-level shape. */
const junk = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 120 }),
  fc.constantFrom('', '{', '[]', 'null', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '\u0000', '{"a":1}{"b":2}'),
);
/** A field that is sometimes right and mostly wrong in every way JSON allows. */
const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(good, fc.jsonValue(), fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
const severity = field(fc.integer({ min: 0, max: 5 }));
const json = (arb: fc.Arbitrary<Record<string, unknown>>) => arb.map((o) => JSON.stringify(o));
const nearly = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) => json(fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>);

export type BodyRoute =
  | 'POST /api/incidents'
  | 'PATCH /api/incidents/[id]'
  | 'POST /api/auth/login'
  | 'POST /api/admin/users'
  | 'PATCH /api/admin/users/[id]'
  | 'POST /ingest/gpx';

export function describeApiBodies(routes: readonly BodyRoute[]): void {
  describe.each(engines())(`API bodies (${routes.join(', ')}) on %s`, (engine) => bodies(engine, routes));
}

function bodies(engine: Engine, routes: readonly BodyRoute[]): void {
  let t: TestDb;
  let server: RunningApp;
  let cookies: { admin: string; coordinator: string };
  let ids: { incident: number; users: number[] };
  const deviceSecret = `api-prop-device-${'s'.repeat(20)}`;

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    // Every arbitrary GPX body must reach the parser, not the per-device upload limit.
    server = await startTestApp(t.db, { web: await apiRouter(), env: { GPX_UPLOADS_PER_MINUTE: '1000000' } });
    const admin = await signIn(t.db, 'admin');
    const coordinator = await signIn(t.db, 'coordinator');
    const viewer = await signIn(t.db, 'viewer');
    cookies = { admin: admin.cookie, coordinator: coordinator.cookie };
    const { rows } = await t.db.query<{ id: string; team: number }>(`SELECT (SELECT max(id)::text FROM incidents) AS id, (SELECT min(id) FROM teams) AS team`);
    ids = { incident: Number(rows[0]!.id), users: [admin.userId, coordinator.userId, viewer.userId] };
    await insertDevice(t.db, { teamId: rows[0]!.team, secret: deviceSecret, label: 'property device', protocol: 'gpx' });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  /** Sends one body; asserts the answer is a success or a 4xx with a JSON message and nothing leaked. */
  async function check(method: string, path: string, body: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    const what = `${method} ${path} ${JSON.stringify(body.slice(0, 120))} → ${res.status} ${text.slice(0, 200)}`;
    expect(res.status, what).toBeLessThan(500);
    expect(text, what).not.toMatch(LEAK);
    const parsed: unknown = res.status === 204 ? {} : JSON.parse(text);
    expect(res.status < 400 || typeof (parsed as { error?: { message?: unknown } }).error?.message === 'string', what).toBe(true);
  }

  const property = (name: string, method: string, path: () => string, body: fc.Arbitrary<string>, headers: () => Record<string, string>) =>
    routes.includes(`${method} ${name}` as BodyRoute) &&
    it(`${method} ${name}: ${RUNS.toLocaleString('en')} arbitrary bodies, no 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(body, (b) => check(method, path(), b, headers())),
        { numRuns: RUNS },
      );
    }, 600_000);

  const asStaff = () => ({ cookie: cookies.coordinator, 'content-type': 'application/json' });
  const asAdmin = () => ({ cookie: cookies.admin, 'content-type': 'application/json' });

  property(
    '/api/incidents',
    'POST',
    () => '/api/incidents',
    fc.oneof(
      junk,
      nearly({
        category: field(fc.constantFrom(...INCIDENT_CATEGORIES)),
        severity,
        title: field(fc.string({ maxLength: 130 })),
        description: field(fc.string({ maxLength: 60 })),
        reporterContact: field(fc.string({ maxLength: 20 })),
        position: field(fc.tuple(fc.double({ min: 99.4, max: 100 }), fc.double({ min: 28.2, max: 28.7 }))),
        source: field(fc.constantFrom('coordinator', 'patrol', 'citizen_request')),
      }),
    ),
    asStaff,
  );

  property(
    '/api/incidents/[id]',
    'PATCH',
    () => `/api/incidents/${ids.incident}`,
    fc.oneof(junk, nearly({ status: field(fc.constantFrom(...INCIDENT_STATUSES)), severity, title: fc.string() })),
    asStaff,
  );

  // Failed sign-ins feed the limiter: most of these answer 429, which is the point of it.
  property(
    '/api/auth/login',
    'POST',
    () => '/api/auth/login',
    fc.oneof(junk, nearly({ username: field(fc.constantFrom('admin', 'nobody', 'wall')), password: field(fc.string({ maxLength: 30 })), wall: field(fc.boolean()) })),
    () => ({ 'content-type': 'application/json' }),
  );

  // Valid new accounts cost a deliberately slow password hash each: the
  // generators make them rare (a few names, mostly short passwords); a name
  // seen before is a fast 409.
  const password = fc.oneof({ weight: 40, arbitrary: fc.string({ maxLength: 9 }) }, { weight: 1, arbitrary: fc.string({ minLength: 10, maxLength: 20 }) });
  property(
    '/api/admin/users',
    'POST',
    () => '/api/admin/users',
    fc.oneof(
      junk,
      nearly({
        username: field(fc.constantFrom('pema.l', 'tashi-2', 'Bad Name', 'ab', 'x'.repeat(40))),
        displayName: field(fc.string({ maxLength: 90 })),
        role: field(fc.constantFrom('admin', 'coordinator', 'viewer', 'wall', 'device', 'root')),
        password: field(password),
      }),
    ),
    asAdmin,
  );

  property(
    '/api/admin/users/[id]',
    'PATCH',
    () => `/api/admin/users/${ids.users[Math.floor(Math.random() * ids.users.length)]}`,
    fc.oneof(
      junk,
      nearly({
        displayName: field(fc.string({ maxLength: 90 })),
        role: field(fc.constantFrom('coordinator', 'viewer', 'wall', 'device')),
        disabled: field(fc.boolean()),
        password: field(password),
      }),
    ),
    asAdmin,
  );

  // GPX comes in through the device gateway, like every other device protocol.
  property(
    '/ingest/gpx',
    'POST',
    () => '/ingest/gpx',
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(
          fc.record({
            lat: fc.oneof(fc.double({ min: -100, max: 100 }).map(String), fc.string({ maxLength: 6 })),
            lon: fc.oneof(fc.double({ min: -200, max: 200 }).map(String), fc.string({ maxLength: 6 })),
            time: fc.oneof(fc.date({ min: new Date('1800-01-01'), max: new Date('2300-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 12 })),
          }),
          { maxLength: 4 },
        )
        .map(
          (pts) =>
            `<?xml version="1.0"?><gpx version="1.1" creator="prop" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>` +
            pts.map((p) => `<trkpt lat="${p.lat}" lon="${p.lon}"><time>${p.time.replace(/[<&]/g, '')}</time></trkpt>`).join('') +
            `</trkseg></trk></gpx>`,
        ),
    ),
    () => ({ authorization: `Bearer ${deviceSecret}`, 'content-type': 'application/gpx+xml' }),
  );
}
