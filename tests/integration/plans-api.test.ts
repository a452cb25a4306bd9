// Patrol plans (issue 14, first step) over HTTP, through the real gate and the
// app's own route handlers: staff write plans and every change has its audit
// row; viewers and walls only read the board; each conflict is refused with
// its reason (an off-duty team, a team in an overlapping plan, a checkpoint
// outside the area) and leaves nothing behind; the board lists a township
// day's occurrences with the township's market days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatrolPlan, PlanBoard } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Who = { cookie: string } | null;

/** Two grid cells side by side near 99.70 E, 28.46 N, about 1 km across each. */
const CELL_A = 'MULTIPOLYGON(((99.70 28.46, 99.71 28.46, 99.71 28.47, 99.70 28.47, 99.70 28.46)))';
const CELL_B = 'MULTIPOLYGON(((99.71 28.46, 99.72 28.46, 99.72 28.47, 99.71 28.47, 99.71 28.46)))';

describe.each(engines())('patrol plans API (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let people: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string; userId: number }>;
  let cellA: number;
  let cellB: number;
  /** The market in cell A; a bridge 29 m west of cell A's edge; a pasture 10 km away. */
  let market: number;
  let bridge: number;
  let pasture: number;
  let teams: Record<'arm1' | 'mil1' | 'gw1' | 'off', number>;

  const as = (who: Who, method: string, path: string, body?: unknown) => callApi(server.baseUrl, who, method, path, body);
  const message = (json: unknown) => (json as { error: { message: string } }).error.message;
  const count = async (sql: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;
  const auditRows = async (action: string) =>
    (await t.db.query<{ role: string; target: string; detail: Record<string, unknown> }>(`SELECT role, target, detail FROM audit_log WHERE action = $1::text ORDER BY id`, [action]))
      .rows;

  /** A night patrol of the armband team around the market, every night from 1 March 2030. */
  const nightPatrol = (over: Record<string, unknown> = {}) => ({
    name: '集市夜间巡逻',
    kind: 'patrol',
    teamIds: [teams.arm1],
    recurrence: { repeat: 'daily', from: '2030-03-01', until: null },
    window: { start: '18:00', end: '02:00' },
    areaGridIds: [cellA],
    checkpoints: [{ keyLocationId: market, radiusM: 50, frequency: { everyMinutes: 120, start: '18:00', end: '02:00' } }],
    ...over,
  });
  const create = async (who: Who, body: unknown) => {
    const res = await as(who, 'POST', '/api/plans', body);
    expect(res.status, res.text).toBe(201);
    return res.json as PatrolPlan;
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    // Market days on the 5th, 15th and 25th of each month: the setting, not the Sunday default.
    server = await startTestApp(t.db, { web: await apiRouter(), env: { TOWNSHIP_TZ: 'Asia/Shanghai', TOWNSHIP_MARKET_DAYS: '5,15,25' } });
    people = { admin: await signIn(t.db, 'admin'), coordinator: await signIn(t.db, 'coordinator'), viewer: await signIn(t.db, 'viewer'), wall: await signIn(t.db, 'wall') };
    const v = await t.db.query<{ id: number }>(
      `INSERT INTO villages (code, name, name_en, kind, centre, population) VALUES ('V01', '拉雍村', 'Layong Village', 'village', ST_SetSRID(ST_MakePoint(99.71, 28.465), 4326), 420) RETURNING id`,
    );
    const g = await t.db.query<{ id: number }>(
      `INSERT INTO grids (code, name, name_en, village_id, geom)
       VALUES ('G01', '一号网格', 'Grid 1', $1::int, ST_GeomFromText($2::text, 4326)), ('G02', '二号网格', 'Grid 2', $1::int, ST_GeomFromText($3::text, 4326))
       RETURNING id`,
      [v.rows[0]!.id, CELL_A, CELL_B],
    );
    [cellA, cellB] = g.rows.map((r) => r.id) as [number, number];
    const k = await t.db.query<{ id: number }>(
      `INSERT INTO key_locations (category, name, name_en, geom) VALUES
         ('market', '拉雍农贸市场', 'Layong Market', ST_SetSRID(ST_MakePoint(99.705, 28.465), 4326)),
         ('market', '西桥', 'West Bridge', ST_SetSRID(ST_MakePoint(99.6997, 28.465), 4326)),
         ('market', '夏季牧场', 'Summer Pasture', ST_SetSRID(ST_MakePoint(99.80, 28.50), 4326))
       RETURNING id`,
    );
    [market, bridge, pasture] = k.rows.map((r) => r.id) as [number, number, number];
    const tm = await t.db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size, on_duty) VALUES
         ('ARM-1', '红袖标巡逻一队', 'Red-armband patrol 1', 'armband', 10, true),
         ('MIL-1', '女子民兵劝导排', 'Women''s militia platoon', 'militia', 14, true),
         ('GW-001', '网格员 次仁', 'Grid worker Tsering', 'grid_worker', 1, true),
         ('ARM-2', '红袖标巡逻二队', 'Red-armband patrol 2', 'armband', 10, false)
       RETURNING id`,
    );
    const [arm1, mil1, gw1, off] = tm.rows.map((r) => r.id) as [number, number, number, number];
    teams = { arm1, mil1, gw1, off };
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('lets staff write and everyone read: anonymous 401, viewer and wall 403 on writes, and nothing is written', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/api/plans', nightPatrol()],
      ['PUT', '/api/plans/1', nightPatrol()],
      ['DELETE', '/api/plans/1', undefined],
    ];
    for (const [method, path, body] of writes) {
      const codes: number[] = [];
      for (const who of [null, people.viewer, people.wall]) codes.push((await as(who, method, path, body)).status);
      expect(codes, `${method} ${path}`).toEqual([401, 403, 403]);
    }
    expect(await count('patrol_plans')).toBe(0);
    const reads: number[] = [];
    for (const who of [null, people.viewer, people.wall, people.coordinator, people.admin]) reads.push((await as(who, 'GET', '/api/plans?day=2030-03-02')).status);
    expect(reads).toEqual([401, 200, 200, 200, 200]);
  });

  it('creates a joint patrol: its teams with their force types, area, checkpoints and audit row', async () => {
    const plan = await create(people.coordinator, {
      name: '集市日联合巡逻',
      kind: 'joint',
      teamIds: [teams.mil1, teams.gw1],
      recurrence: { repeat: 'market_days', from: '2030-03-01', until: '2030-07-31' },
      window: { start: '09:00', end: '13:00' },
      areaGridIds: [cellA, cellB],
      checkpoints: [
        { keyLocationId: market, radiusM: 40 },
        { point: [99.715, 28.465], name: '二号网格路口', radiusM: 30, frequency: { everyMinutes: 60, start: '10:00', end: '12:00' } },
      ],
    });
    expect(plan).toMatchObject({
      name: '集市日联合巡逻',
      kind: 'joint',
      recurrence: { repeat: 'market_days', from: '2030-03-01', until: '2030-07-31' },
      window: { start: '09:00', end: '13:00' },
      areaGridIds: [cellA, cellB].sort((a, b) => a - b),
      route: null,
    });
    expect(plan.teams.map((x) => [x.code, x.forceType])).toEqual([
      ['GW-001', 'grid_worker'],
      ['MIL-1', 'militia'],
    ]);
    expect(plan.checkpoints).toEqual([
      { id: expect.any(Number), seq: 1, keyLocationId: market, name: '拉雍农贸市场', point: [99.705, 28.465], radiusM: 40, frequency: null },
      { id: expect.any(Number), seq: 2, keyLocationId: null, name: '二号网格路口', point: [99.715, 28.465], radiusM: 30, frequency: { everyMinutes: 60, start: '10:00', end: '12:00' } },
    ]);
    // The area is the union of both cells: one polygon about 2 km².
    expect(plan.area?.type).toBe('MultiPolygon');
    const km2 = await t.db.query<{ km2: number }>(`SELECT ST_Area(area::geography) / 1e6 AS km2 FROM patrol_plans WHERE id = $1::int`, [plan.id]);
    expect(km2.rows[0]!.km2).toBeGreaterThan(1.9);
    expect(await auditRows('plan.create')).toEqual([
      { role: 'coordinator', target: `plan:${plan.id}`, detail: expect.objectContaining({ name: '集市日联合巡逻', kind: 'joint', teamIds: [teams.mil1, teams.gw1], checkpoints: 2 }) },
    ]);
  });

  it('lists a township day on the board: market days from the setting, a night window crossing midnight', async () => {
    const night = await create(people.admin, nightPatrol());
    const board = async (day: string) => {
      const res = await as(people.viewer, 'GET', `/api/plans?day=${day}`);
      expect(res.status, res.text).toBe(200);
      return res.json as PlanBoard;
    };
    // 15 March 2030 is a market day (the 15th), not a Sunday.
    const market15 = await board('2030-03-15');
    expect(market15.timeZone).toBe('Asia/Shanghai');
    expect(market15.occurrences.map((o) => [market15.plans.find((p) => p.id === o.planId)!.name, o.start, o.end])).toEqual([
      // 09:00–13:00 in Shanghai is 01:00–05:00 UTC.
      ['集市日联合巡逻', '2030-03-15T01:00:00.000Z', '2030-03-15T05:00:00.000Z'],
      // 18:00 to 02:00 the next morning.
      ['集市夜间巡逻', '2030-03-15T10:00:00.000Z', '2030-03-15T18:00:00.000Z'],
    ]);
    // 17 March 2030 is a Sunday, but not a market day here.
    expect((await board('2030-03-17')).occurrences.map((o) => o.planId)).toEqual([night.id]);
    // Before the plans begin: nothing.
    expect((await board('2030-02-28')).occurrences).toEqual([]);
    const bad = await as(people.viewer, 'GET', '/api/plans?day=2030-02-30');
    expect(bad.status).toBe(422);
    expect(message(bad.json)).toMatch(/^day: must be a day written YYYY-MM-DD/);
  });

  it('refuses a team that is off duty (409), and writes nothing', async () => {
    const before = await count('audit_log');
    const res = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '二队夜巡', teamIds: [teams.off] }));
    expect(res.status).toBe(409);
    expect(message(res.json)).toBe('team ARM-2 is off duty: put it on duty before planning its patrols');
    expect(await count(`patrol_plans WHERE name = '二队夜巡'`)).toBe(0);
    expect(await count('audit_log')).toBe(before);
  });

  it('refuses a team in two plans whose occurrences overlap (409, naming the plan and the day), and allows them apart', async () => {
    // ARM-1 walks the market every night 18:00–02:00 from 1 March; a one-off at 01:00 on the 10th overlaps the night of the 9th.
    const clash = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '凌晨检查', recurrence: { repeat: 'once', date: '2030-03-10' }, window: { start: '01:00', end: '03:00' }, checkpoints: [] }));
    expect(clash.status).toBe(409);
    expect(message(clash.json)).toBe('team ARM-1 is already in plan "集市夜间巡逻" (18:00–02:00), which overlaps this plan on 2030-03-10');
    expect(await count(`patrol_plans WHERE name = '凌晨检查'`)).toBe(0);

    // The herb season, weekdays 10:00–16:00: the same team, never at the same time.
    const herb = await create(people.coordinator, nightPatrol({ name: '虫草季白班', recurrence: { repeat: 'weekdays', from: '2030-05-01', until: '2030-07-31' }, window: { start: '10:00', end: '16:00' }, checkpoints: [] }));
    // A joint patrol that adds ARM-1 to MIL-1's market mornings clashes with MIL-1's plan.
    const joint = await as(people.coordinator, 'POST', '/api/plans', {
      ...nightPatrol({ name: '联合早巡', kind: 'joint', teamIds: [teams.arm1, teams.mil1], window: { start: '08:00', end: '10:00' }, checkpoints: [] }),
    });
    expect(joint.status).toBe(409);
    expect(message(joint.json)).toMatch(/^team MIL-1 is already in plan "集市日联合巡逻" \(09:00–13:00\), which overlaps this plan on 2030-03-05$/);

    // Moving the herb-season shift into the night now clashes with the night patrol; the plan is unchanged.
    const moved = await as(people.admin, 'PUT', `/api/plans/${herb.id}`, nightPatrol({ name: '虫草季白班', recurrence: { repeat: 'weekdays', from: '2030-05-01', until: '2030-07-31' }, window: { start: '20:00', end: '23:00' }, checkpoints: [] }));
    expect(moved.status).toBe(409);
    expect(message(moved.json)).toMatch(/^team ARM-1 is already in plan "集市夜间巡逻" \(18:00–02:00\), which overlaps this plan on 2030-05-01$/);
    const stored = await t.db.query<{ start_minute: number }>(`SELECT start_minute FROM patrol_plans WHERE id = $1::int`, [herb.id]);
    expect(stored.rows[0]!.start_minute).toBe(600);
  });

  it('refuses a checkpoint outside the area (409), with the radius counting: a visit circle that reaches the area is in', async () => {
    const far = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '牧场巡逻', teamIds: [teams.gw1], window: { start: '14:00', end: '16:00' }, checkpoints: [{ keyLocationId: pasture, radiusM: 100 }] }));
    expect(far.status).toBe(409);
    expect(message(far.json)).toMatch(/^checkpoint 1 "夏季牧场" is outside the plan's area: \d+ m from it, more than its 100 m radius$/);
    // The bridge is 29 m outside cell A: in with a 50 m radius, out with 20 m.
    const tight = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '西桥巡逻', teamIds: [teams.gw1], window: { start: '14:00', end: '16:00' }, checkpoints: [{ keyLocationId: bridge, radiusM: 20 }] }));
    expect(tight.status).toBe(409);
    expect(message(tight.json)).toMatch(/^checkpoint 1 "西桥" is outside the plan's area: 29 m from it, more than its 20 m radius$/);
    expect(await count(`patrol_plans WHERE name = '西桥巡逻'`)).toBe(0);
    expect(await count(`patrol_checkpoints c WHERE NOT EXISTS (SELECT 1 FROM patrol_plans p WHERE p.id = c.plan_id)`)).toBe(0);
    const ok = await create(people.coordinator, nightPatrol({ name: '西桥巡逻', teamIds: [teams.gw1], window: { start: '14:00', end: '16:00' }, checkpoints: [{ keyLocationId: bridge, radiusM: 50 }] }));
    expect(ok.checkpoints.map((c) => c.name)).toEqual(['西桥']);
    // A route-only plan: its checkpoints must be within their radius of the route.
    const route = { type: 'LineString', coordinates: [[99.70, 28.465], [99.72, 28.465]] };
    const onRoute = await create(people.coordinator, nightPatrol({ name: '主街巡逻', teamIds: [teams.gw1], window: { start: '17:00', end: '18:00' }, areaGridIds: [], route, checkpoints: [{ point: [99.71, 28.4653], name: '街口', radiusM: 50 }] }));
    expect(onRoute.area).toBeNull();
    expect(onRoute.route?.coordinates).toEqual(route.coordinates);
    const offRoute = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '主街夜巡', teamIds: [teams.gw1], window: { start: '19:00', end: '20:00' }, areaGridIds: [], route, checkpoints: [{ point: [99.71, 28.468], name: '北巷', radiusM: 50 }] }));
    expect(offRoute.status).toBe(409);
    expect(message(offRoute.json)).toMatch(/^checkpoint 1 "北巷" is outside the plan's area: 33\d m from it, more than its 50 m radius$/);
  });

  it('answers bad input with 422 naming the field, before anything is written', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'joint' }, /^teamIds: a joint patrol names at least two teams$/],
      [{ teamIds: [teams.arm1, teams.mil1] }, /^teamIds: a patrol has one team/],
      [{ teamIds: [9999] }, /^teamIds: no team 9999$/],
      [{ teamIds: [teams.arm1, teams.arm1], kind: 'joint' }, /^teamIds: a team is named twice/],
      [{ areaGridIds: [9999] }, /^areaGridIds: no grid cell 9999$/],
      [{ areaGridIds: [] }, /^areaGridIds: give an area \(areaGridIds and\/or areaPolygon\) or a route/],
      [{ window: { start: '18:00', end: '18:00' } }, /^window: start and end must differ/],
      [{ window: { start: '25:00', end: '02:00' } }, /^window.start: must be a time of day HH:MM/],
      [{ recurrence: { repeat: 'once', date: '2030-02-29' } }, /^recurrence.date: must be a day written YYYY-MM-DD/],
      [{ recurrence: { repeat: 'daily', from: '2030-05-01', until: '2030-04-30' } }, /^recurrence.until: from must not be after until/],
      [{ recurrence: { repeat: 'fortnightly' } }, /^recurrence/],
      [{ kind: 'convoy' }, /^kind: must be one of patrol, joint/],
      [{ checkpoints: [{ keyLocationId: market, point: [99.7, 28.46], radiusM: 50 }] }, /^checkpoints.0: give either keyLocationId or point/],
      [{ checkpoints: [{ point: [99.705, 28.465], radiusM: 50 }] }, /^checkpoints.0.name: a map point needs a name/],
      [{ checkpoints: [{ keyLocationId: 9999, radiusM: 50 }] }, /^checkpoints: no key location 9999$/],
      [{ checkpoints: [{ keyLocationId: market, radiusM: 3 }] }, /^checkpoints.0.radiusM: /],
      [{ checkpoints: [{ keyLocationId: market, radiusM: 50, frequency: { everyMinutes: 60, start: '01:00', end: '03:00' } }] }, /^checkpoints.0.frequency: 01:00–03:00 is not within the plan's window 18:00–02:00$/],
      [{ areaPolygon: { type: 'Polygon', coordinates: [[[99.70, 28.46], [99.71, 28.47], [99.71, 28.46], [99.70, 28.47], [99.70, 28.46]]] } }, /^areaPolygon: not a valid polygon \(Self-intersection/],
      [{ colour: 'red' }, /^body: Unrecognized key/],
    ];
    const before = await count('patrol_plans');
    for (const [over, expected] of cases) {
      const res = await as(people.coordinator, 'POST', '/api/plans', nightPatrol({ name: '校验', teamIds: [teams.gw1], window: { start: '18:00', end: '02:00' }, ...over }));
      expect(res.status, JSON.stringify(over)).toBe(422);
      expect(message(res.json), JSON.stringify(over)).toMatch(expected);
    }
    expect(await count('patrol_plans')).toBe(before);
  });

  it('refuses a change that brings a conflict (409 with its reason) and leaves the plan as it was', async () => {
    const late = { start: '23:00', end: '23:30' };
    const plan = await create(people.coordinator, nightPatrol({ name: '深夜巡查', teamIds: [teams.gw1], window: late, checkpoints: [{ keyLocationId: market, radiusM: 50 }] }));
    const offDuty = await as(people.admin, 'PUT', `/api/plans/${plan.id}`, nightPatrol({ name: '深夜巡查', teamIds: [teams.off], window: late, checkpoints: [] }));
    expect(offDuty.status).toBe(409);
    expect(message(offDuty.json)).toBe('team ARM-2 is off duty: put it on duty before planning its patrols');
    // Refused after the plan's parts were rewritten in the transaction: all of it is rolled back.
    const outside = await as(people.admin, 'PUT', `/api/plans/${plan.id}`, nightPatrol({ name: '深夜巡查改', teamIds: [teams.gw1], window: late, checkpoints: [{ keyLocationId: pasture, radiusM: 100 }] }));
    expect(outside.status).toBe(409);
    expect(message(outside.json)).toMatch(/^checkpoint 1 "夏季牧场" is outside the plan's area: \d+ m from it, more than its 100 m radius$/);
    const board = await as(people.viewer, 'GET', '/api/plans?day=2030-03-02');
    expect((board.json as PlanBoard).plans.find((p) => p.id === plan.id)).toEqual(plan);
    expect(await auditRows('plan.update')).toEqual([]);
  });

  it('edits a plan as a whole (no clash with itself) and deletes it, each with its audit row; 404 for no plan', async () => {
    const plan = await create(people.coordinator, nightPatrol({ name: '南区晚巡', teamIds: [teams.gw1], window: { start: '20:00', end: '22:00' }, checkpoints: [{ keyLocationId: market, radiusM: 50 }] }));
    const drawn = { type: 'Polygon', coordinates: [[[99.72, 28.46], [99.73, 28.46], [99.73, 28.47], [99.72, 28.47], [99.72, 28.46]]] };
    const res = await as(people.admin, 'PUT', `/api/plans/${plan.id}`, nightPatrol({
      name: '南区晚巡',
      teamIds: [teams.gw1],
      window: { start: '20:30', end: '22:30' },
      areaGridIds: [cellB],
      areaPolygon: drawn,
      checkpoints: [{ point: [99.725, 28.465], name: '新区路口', radiusM: 40 }],
    }));
    expect(res.status, res.text).toBe(200);
    const changed = res.json as PatrolPlan;
    expect(changed).toMatchObject({ id: plan.id, window: { start: '20:30', end: '22:30' }, areaGridIds: [cellB] });
    expect(changed.checkpoints.map((c) => [c.seq, c.name])).toEqual([[1, '新区路口']]);
    // The drawn part is kept as it was given (the form sends it back unchanged on the next edit).
    expect(changed.drawnArea).toEqual({ type: 'MultiPolygon', coordinates: [drawn.coordinates] });
    // The area is cell B and the drawn square east of it, about 2 km².
    const km2 = await t.db.query<{ km2: number }>(`SELECT ST_Area(area::geography) / 1e6 AS km2 FROM patrol_plans WHERE id = $1::int`, [plan.id]);
    expect(km2.rows[0]!.km2).toBeGreaterThan(1.9);
    expect((await auditRows('plan.update')).map((r) => [r.role, r.target])).toEqual([['admin', `plan:${plan.id}`]]);

    expect((await as(people.coordinator, 'DELETE', `/api/plans/${plan.id}`)).status).toBe(204);
    expect(await count(`patrol_plans WHERE id = ${plan.id}`)).toBe(0);
    expect(await count(`patrol_checkpoints WHERE plan_id = ${plan.id}`)).toBe(0);
    expect(await count(`patrol_plan_teams WHERE plan_id = ${plan.id}`)).toBe(0);
    expect(await auditRows('plan.delete')).toEqual([{ role: 'coordinator', target: `plan:${plan.id}`, detail: { name: '南区晚巡' } }]);

    const gone = await as(people.coordinator, 'DELETE', `/api/plans/${plan.id}`);
    expect(gone.status).toBe(404);
    expect(message(gone.json)).toBe(`no plan ${plan.id}`);
    const none = await as(people.coordinator, 'PUT', `/api/plans/${plan.id}`, nightPatrol({ teamIds: [teams.gw1], window: { start: '20:00', end: '21:00' }, checkpoints: [] }));
    expect(none.status).toBe(404);
    expect((await as(people.coordinator, 'PUT', '/api/plans/abc', nightPatrol())).status).toBe(400);
  });
});
