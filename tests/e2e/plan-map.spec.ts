import type {} from '../../lib/hooks/test-hooks';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { along, distance, length, lineString } from '@turf/turf';
import type { BasemapPayload, IssuedDeviceSecret, KeyLocation, LineStringGeometry, LonLat, PlanBoard, PlansLive, UnitState } from '../../lib/model';
import { E2E_BASE_URL, E2E_USERS, E2E_VIEWPORT } from './constants';

// Patrol plans on the map, end to end (issue 14): a coordinator draws a
// joint plan for two teams on the plan editor's map — an area, a route along
// a road and three checkpoints placed by clicking — while the desk map is
// open beside it. The two teams' devices post fixes through the real ingest
// API: one dwells at the first checkpoint, the other at the second; the third
// is skipped. The desk shows the two turn visited live (the map's rings and
// the side panel), the route's covered share grow, and, when the plan's
// window ends, the third turn overdue with its alert; the board's plan vs
// actual for the day then counts two on time and one missed. Time: the e2e server's
// PLAN_VISIT_DWELL_S is 3 s and its rules run every second
// (tests/e2e/serve.ts); the plan's window is the township's current minute
// to the first minute boundary at least WALK_S away (windows are whole
// minutes), so the overdue comes 30–90 s after the plan is saved.
test.describe.configure({ mode: 'serial' });

const NAME = `联合巡逻地图测试 ${Date.now() % 100000}`;
/** Seconds the walk needs after the plan is saved, before the window may end. */
const WALK_S = 30;
const RADIUS_M = 40;

/** A new browser context signed in as `who` through the API, with a page at `path`. */
async function openAs(browser: Browser, who: keyof typeof E2E_USERS, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, storageState: { cookies: [], origins: [] }, viewport: E2E_VIEWPORT });
  const login = await context.request.post('/api/auth/login', { data: E2E_USERS[who] });
  expect(login.status(), `${who} signs in`).toBe(200);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

/** Three points 250 m apart along one road of the township, each more than 120 m from every key location (a click there picks the point, not a key location). */
function roadPoints(basemap: BasemapPayload, keyLocations: readonly KeyLocation[]): LonLat[] {
  for (const f of basemap.features.features) {
    if (f.properties.kind !== 'road' || f.geometry.type !== 'LineString') continue;
    const line = lineString((f.geometry as LineStringGeometry).coordinates);
    const km = length(line, { units: 'kilometers' });
    if (km < 1) continue;
    const pts = [-0.25, 0, 0.25].map((d) => along(line, km / 2 + d, { units: 'kilometers' }).geometry.coordinates as LonLat);
    const apart = distance(pts[0]!, pts[1]!, { units: 'meters' }) > 180 && distance(pts[1]!, pts[2]!, { units: 'meters' }) > 180;
    const clear = pts.every((p) => keyLocations.every((k) => distance(k.position, p, { units: 'meters' }) > 120));
    if (apart && clear) return pts;
  }
  throw new Error('no road of 1 km with three points clear of key locations in the demo township');
}

/** The township's wall clock HH:MM at `ms`. */
function clock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** Clicks the map of `page` at a place (window.__gridsight.project gives the pixel inside the map's container). */
async function clickMap(page: Page, container: string, p: LonLat): Promise<void> {
  const [x, y] = await page.evaluate((q) => window.__gridsight!.project(q), p);
  const box = (await page.getByTestId(container).boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

test.describe('patrol plans on the map', () => {
  let planner: Page;
  let desk: Page;
  let points: LonLat[];
  let teams: UnitState[];
  let secrets: string[];
  let planId: number;
  let checkpoints: { id: number; point: LonLat }[];
  let windowEnd: number;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    const admin = await openAs(browser, 'admin', '/plans');
    const units = (await (await admin.request.get('/api/units')).json()) as UnitState[];
    const board = (await (await admin.request.get('/api/plans')).json()) as PlanBoard;
    const planned = new Set(board.plans.flatMap((p) => p.teams.map((t) => t.id)));
    teams = units.filter((u) => u.status === 'available' && !planned.has(u.teamId)).slice(0, 2);
    expect(teams).toHaveLength(2);
    // Each team a device of its own, registered by the administrator; the secret is the OsmAnd id.
    secrets = [];
    for (const t of teams) {
      const res = await admin.request.post(`/api/admin/teams/${t.teamId}/devices`, { data: { label: `plan map e2e ${t.code}`, protocol: 'osmand' } });
      expect(res.status()).toBe(201);
      secrets.push(((await res.json()) as IssuedDeviceSecret).secret);
    }
    const basemap = (await (await admin.request.get('/api/basemap')).json()) as BasemapPayload;
    const keyLocations = (await (await admin.request.get('/api/key-locations')).json()) as KeyLocation[];
    points = roadPoints(basemap, keyLocations);
    await admin.context().close();

    // The desk first (a map in software WebGL takes a while), then the planner beside it.
    desk = await openAs(browser, 'coordinator', '/');
    await desk.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 60_000 });
    await desk.evaluate((c) => window.__gridsight!.map!.jumpTo({ center: c, zoom: 15 }), points[1]!);
    // Its own window (a context of its own): a background tab of the same window would have its animation frames held back.
    planner = await openAs(browser, 'coordinator', '/plans');
    await expect(planner.getByTestId('plan-board')).toBeVisible();
  });
  test.afterAll(async () => {
    await planner?.context().close();
    await desk?.context().close();
  });

  test('a coordinator draws a joint plan with an area, a route and three checkpoints on the map', async () => {
    await planner.getByTestId('plans-new').click();
    const form = planner.getByTestId('plan-create-form');
    await expect(form.getByTestId('plan-create-draw-map')).toBeVisible();
    await planner.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 60_000 });
    await planner.evaluate((c) => window.__gridsight!.map!.jumpTo({ center: c, zoom: 15 }), points[1]!);

    // The area: a square 300 m either side of the middle checkpoint (on the 360 px map at zoom 15), drawn vertex by vertex.
    const [lon, lat] = points[1]!;
    const dLat = 300 / 111_195;
    const dLon = dLat / Math.cos((lat * Math.PI) / 180);
    await expect(form.getByTestId('plan-create-draw-snap')).toBeChecked();
    await form.getByTestId('plan-create-draw-mode-area').check();
    for (const v of [
      [lon - dLon, lat - dLat],
      [lon + dLon, lat - dLat],
      [lon + dLon, lat + dLat],
      [lon - dLon, lat + dLat],
    ] as LonLat[]) {
      await clickMap(planner, 'plan-create-draw-map', v);
    }
    // The route along the road, through the three places; then the checkpoints on them.
    await form.getByTestId('plan-create-draw-mode-route').check();
    for (const p of points) await clickMap(planner, 'plan-create-draw-map', p);
    await expect(form.getByTestId('plan-create-draw-status')).toContainText(/4\D+3/);
    await form.getByTestId('plan-create-draw-mode-checkpoint').check();
    for (const p of points) await clickMap(planner, 'plan-create-draw-map', p);
    await expect(form.getByTestId('plan-create-checkpoint')).toHaveCount(3);
    for (const r of await form.getByTestId('plan-create-checkpoint-radius').all()) await r.fill(String(RADIUS_M));

    // Now, in the township's time: from this minute to the first minute boundary WALK_S or more away.
    const live = (await (await planner.request.get('/api/plans/live')).json()) as PlansLive;
    const now = Date.parse(live.serverTime);
    windowEnd = Math.ceil((now + WALK_S * 1000) / 60_000) * 60_000;
    await form.getByTestId('plan-create-name').fill(NAME);
    await form.getByTestId('plan-create-kind').selectOption('joint');
    await form.getByTestId('plan-create-teams').selectOption(teams.map((t) => String(t.teamId)));
    await form.getByTestId('plan-create-repeat').selectOption('once');
    await form.getByTestId('plan-create-date').fill(live.day);
    await form.getByTestId('plan-create-start').fill(clock(now, live.timeZone));
    await form.getByTestId('plan-create-end').fill(clock(windowEnd, live.timeZone));
    await form.getByTestId('plan-create-submit').click();
    await expect(planner.getByTestId('plan-create-form')).toBeHidden();

    const board = (await (await planner.request.get('/api/plans')).json()) as PlanBoard;
    const plan = board.plans.find((p) => p.name === NAME)!;
    planId = plan.id;
    expect(plan.teams.map((t) => t.id).sort()).toEqual(teams.map((t) => t.teamId).sort());
    // Stored as the database keeps areas: one polygon of a MultiPolygon, the four clicks closed into a ring of five.
    expect(plan.drawnArea?.type).toBe('MultiPolygon');
    expect((plan.drawnArea?.coordinates[0] as unknown[][])[0]).toHaveLength(5);
    expect(plan.route?.coordinates).toHaveLength(3);
    expect(plan.checkpoints.map((c) => [c.keyLocationId, c.radiusM])).toEqual([
      [null, RADIUS_M],
      [null, RADIUS_M],
      [null, RADIUS_M],
    ]);
    // Clicked within a few metres of where they were meant (a pixel at zoom 15 is about 4 m).
    plan.checkpoints.forEach((c, i) => expect(distance(c.point, points[i]!, { units: 'meters' })).toBeLessThan(15));
    checkpoints = plan.checkpoints.map((c) => ({ id: c.id, point: c.point }));
  });

  test('the teams walk to two checkpoints and dwell: they turn visited live on the desk, the third stays due', async () => {
    const occurrence = desk.getByTestId('plan-live-occurrence').and(desk.locator(`[data-plan-id="${planId}"]`));
    await expect(occurrence).toBeVisible();
    await expect(occurrence.getByTestId('plan-live-checkpoint')).toHaveCount(3);
    await expect(occurrence.getByTestId('plan-live-checkpoint').nth(0)).toHaveAttribute('data-state', 'due');

    // Team one dwells at the first checkpoint, team two at the second: four fixes 1.5 s apart each (the dwell is 3 s).
    for (let k = 0; k < 4; k++) {
      for (const [i, secret] of secrets.entries()) {
        const [lon, lat] = checkpoints[i]!.point;
        const res = await desk.request.post(`/ingest/osmand?id=${secret}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&speed=0`);
        expect(res.status()).toBe(200);
      }
      await desk.waitForTimeout(1500);
    }
    const states = occurrence.getByTestId('plan-live-checkpoint');
    await expect(states.nth(0)).toHaveAttribute('data-state', 'visited');
    await expect(states.nth(1)).toHaveAttribute('data-state', 'visited');
    await expect(states.nth(2)).toHaveAttribute('data-state', 'due');
    // The map draws the same: the ring under each checkpoint, picked from deck.gl.
    const ringState = (p: LonLat) =>
      desk.evaluate((q) => {
        const gs = window.__gridsight!;
        const [x, y] = gs.project(q);
        return (gs.pick(x, y, ['plan-checkpoints'])?.object as { state?: string } | undefined)?.state ?? null;
      }, p);
    await expect.poll(() => ringState(checkpoints[0]!.point)).toBe('visited');
    await expect.poll(() => ringState(checkpoints[1]!.point)).toBe('visited');
    await expect.poll(() => ringState(checkpoints[2]!.point)).toBe('due');
  });

  test('the route covered so far is measured from the fixes', async () => {
    // The fixes stood at the first and the middle of three points on a ~500 m route: within 40 m of them is about 40 + 80 m of it.
    // Coverage moves with fixes, not pushes: the desk reads it again every 30 s (PLANS_LIVE_REFRESH_MS).
    const coverage = desk.getByTestId('plan-live-occurrence').and(desk.locator(`[data-plan-id="${planId}"]`)).getByTestId('plan-live-coverage');
    await expect.poll(async () => Number(await coverage.getAttribute('data-share')), { timeout: 40_000 }).toBeGreaterThan(0.15);
    expect(Number(await coverage.getAttribute('data-share'))).toBeLessThan(0.45);
  });

  test('when the window ends the skipped checkpoint turns overdue, with its alert', async () => {
    test.setTimeout(Math.max(90_000, windowEnd - Date.now() + 45_000));
    const states = desk.getByTestId('plan-live-occurrence').and(desk.locator(`[data-plan-id="${planId}"]`)).getByTestId('plan-live-checkpoint');
    await expect(states.nth(2)).toHaveAttribute('data-state', 'overdue', { timeout: windowEnd - Date.now() + 30_000 });
    await expect(states.nth(0)).toHaveAttribute('data-state', 'visited');
    await expect(states.nth(1)).toHaveAttribute('data-state', 'visited');
    await desk.getByTestId('side-tab-alerts').click();
    await expect(desk.getByTestId('alert-row').and(desk.locator('[data-kind="checkpoint_overdue"]'))).toHaveCount(1);
  });

  test("the day's plan vs actual on the plan board shows it: two checkpoints on time, the skipped one missed", async () => {
    // The board as a coordinator opens it after the patrol.
    await planner.reload();
    const row = planner.getByTestId('plan-report-plan').and(planner.locator(`[data-plan-id="${planId}"]`));
    await expect(row).toBeVisible();
    await expect(row.locator('[data-col="slots"]')).toHaveText('3');
    await expect(row.locator('[data-col="onTime"]')).toHaveText('2');
    await expect(row.locator('[data-col="late"]')).toHaveText('0');
    await expect(row.locator('[data-col="missed"]')).toHaveText('1');
    await expect(row.locator('[data-col="pending"]')).toHaveText('0');
  });
});
