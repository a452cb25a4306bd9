import type {} from '../../lib/hooks/test-hooks';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { along, distance, length, lineString } from '@turf/turf';
import type { BasemapPayload, Incident, IncidentView, KeyLocation, LineStringGeometry, LonLat, UnitState } from '../../lib/model';
import { E2E_BASE_URL, E2E_DEVICE_ID, E2E_TEAM_CODE, E2E_USERS, E2E_VIEWPORT } from './constants';
import { MapPage } from './map-page';

// The dispatch loop as a coordinator works it, in Chromium over the real
// socket, with a viewer's page open beside it: report an incident by clicking
// the map near a team, send the nearest team, record its acknowledgement, let
// the team drive there (its device posts fixes; the e2e server checks arrival
// every second with a 3 s dwell), resolve it with an outcome. The viewer sees
// every status change without a reload and never the narrative, the contact or
// the outcome note. One page per person for the whole file, as at a desk.
test.describe.configure({ mode: 'serial' });

const NARRATIVE = '两户因灌溉水渠改道发生争执，一方扬言要堵渠';
const CONTACT = '139-0871-4466';
const OUTCOME_NOTE = '村委会调解，双方同意轮流用水，签字确认';
const TITLE = `灌溉水渠纠纷 ${Date.now() % 100000}`;

type Person = keyof typeof E2E_USERS;

/** Positions go through PostGIS as float8; allow for the last digit. */
function near(a: readonly number[] | null | undefined, b: readonly number[]): boolean {
  return !!a && a.length === 2 && Math.abs(a[0]! - b[0]!) < 1e-7 && Math.abs(a[1]! - b[1]!) < 1e-7;
}

/** A new browser context signed in as `who` (through the API, as the global setup does) with the live map open. */
async function openAs(browser: Browser, who: Person): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, storageState: { cookies: [], origins: [] }, viewport: E2E_VIEWPORT });
  const login = await context.request.post('/api/auth/login', { data: E2E_USERS[who] });
  expect(login.status(), `${who} signs in`).toBe(200);
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('me-badge')).toHaveAttribute('data-role', who);
  return page;
}

/** Sends one OsmAnd fix for the e2e device, timed now. */
async function postFix(page: Page, [lon, lat]: LonLat): Promise<void> {
  const res = await page.request.post(`/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&speed=4`);
  expect(res.status()).toBe(200);
}

/**
 * Two points on one road of the township, 200 m apart along it and 150–200 m
 * apart in a straight line, the second well away from any key location (a
 * click there would pick the key location instead of the point).
 */
function roadPoints(basemap: BasemapPayload, keyLocations: readonly KeyLocation[]): { start: LonLat; target: LonLat } {
  for (const f of basemap.features.features) {
    if (f.properties.kind !== 'road' || f.geometry.type !== 'LineString') continue;
    const line = lineString((f.geometry as LineStringGeometry).coordinates);
    const km = length(line, { units: 'kilometers' });
    if (km < 0.6) continue;
    const start = along(line, km / 2 - 0.1, { units: 'kilometers' }).geometry.coordinates as LonLat;
    const target = along(line, km / 2 + 0.1, { units: 'kilometers' }).geometry.coordinates as LonLat;
    const straight = distance(start, target, { units: 'meters' });
    const clear = keyLocations.every((k) => distance(k.position, target, { units: 'meters' }) > 150);
    if (straight >= 150 && clear) return { start, target };
  }
  throw new Error('no road of the township has 600 m of fairly straight line away from key locations');
}

test.describe('the dispatch loop, from a click on the map to a resolved incident', () => {
  let desk: Page;
  let viewer: Page;
  let map: MapPage;
  let watch: MapPage;
  let teamId: number;
  let start: LonLat;
  let target: LonLat;
  let incidentId: number;
  let incidentPosition: LonLat;

  /** Nothing staff-only about the incident is anywhere in the viewer's page: not in the DOM, not in its live state. */
  async function viewerSeesNoNarrative(): Promise<void> {
    const html = await viewer.content();
    const state = JSON.stringify(await viewer.evaluate(() => window.__gridsight!.incidents()));
    for (const secret of [NARRATIVE, CONTACT, OUTCOME_NOTE]) {
      expect(html.includes(secret), `the viewer's page shows "${secret}"`).toBe(false);
      expect(state.includes(secret), `the viewer's live state holds "${secret}"`).toBe(false);
    }
  }

  /** The status both pages show for the incident, live. */
  async function bothShow(status: string): Promise<void> {
    await expect(map.drawerStatus()).toHaveAttribute('data-status', status, { timeout: 20_000 });
    await expect(watch.drawerStatus()).toHaveAttribute('data-status', status, { timeout: 20_000 });
  }

  test.beforeAll(async ({ browser }) => {
    // Two map pages drawing in software WebGL: opened one after the other, each given the time a first load needs.
    test.setTimeout(150_000);
    desk = await openAs(browser, 'coordinator');
    map = new MapPage(desk);
    await desk.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 60_000 });
    viewer = await openAs(browser, 'viewer');
    watch = new MapPage(viewer);
    await expect(viewer.getByTestId('conn-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });

    const units = (await (await desk.request.get('/api/units')).json()) as UnitState[];
    teamId = units.find((u) => u.code === E2E_TEAM_CODE)!.teamId;
    const basemap = (await (await desk.request.get('/api/basemap')).json()) as BasemapPayload;
    const keyLocations = (await (await desk.request.get('/api/key-locations')).json()) as KeyLocation[];
    ({ start, target } = roadPoints(basemap, keyLocations));
  });
  test.afterAll(async () => {
    await desk?.context().close();
    await viewer?.context().close();
  });

  test('a report made by clicking the map near a team opens the drawer, reported, with that team recommended and its ETA', async () => {
    // The team's device reports it on the road.
    await postFix(desk, start);
    await expect.poll(async () => near((await map.units())[teamId]?.position, start)).toBe(true);

    await map.centerOn([(start[0] + target[0]) / 2, (start[1] + target[1]) / 2], 15);
    await map.startReport('key');
    await map.clickMapAt(target);
    incidentId = await map.submitIncident({ category: 'neighbour_dispute', severity: 3, title: TITLE, description: NARRATIVE, contact: CONTACT });
    await expect(map.drawerStatus()).toHaveAttribute('data-status', 'reported');
    await expect(map.drawer().getByTestId('incident-drawer-title')).toHaveText(TITLE);
    await expect(map.drawer()).toContainText(NARRATIVE);

    // Stored where it was clicked: about 200 m from the team.
    const res = await desk.request.get(`/api/incidents/${incidentId}`);
    expect(res.status()).toBe(200);
    const stored = (await res.json()) as Incident;
    expect(stored.status).toBe('reported');
    expect(stored.description).toBe(NARRATIVE);
    incidentPosition = stored.position;
    const metres = distance(start, incidentPosition, { units: 'meters' });
    expect(metres).toBeGreaterThan(100);
    expect(metres).toBeLessThan(300);

    const row = map.recommendationRow(teamId);
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-stale', 'false');
    await expect(row).toHaveAttribute('data-busy', 'false');
    await expect(row.getByTestId('recommendation-eta')).toHaveText(/\d/);
  });

  test('the viewer opens the new incident from the live feed: status only, no narrative', async () => {
    await viewer.locator('.feed-item', { hasText: TITLE }).first().click();
    await expect(watch.drawer()).toHaveAttribute('data-incident-id', String(incidentId));
    await expect(watch.drawerStatus()).toHaveAttribute('data-status', 'reported');
    await expect(watch.drawer().getByTestId('incident-status-actions')).toHaveCount(0);
    await expect(watch.drawer().getByTestId('recommendations')).toHaveCount(0);
    await viewerSeesNoNarrative();
  });

  test('one click dispatches the team: dispatched on both pages without a reload', async () => {
    await map.dispatch(teamId);
    await bothShow('dispatched');
    await expect(map.assignmentRow(teamId)).toHaveAttribute('data-acknowledged', 'false');
    await expect.poll(async () => (await map.units())[teamId]?.status).toBe('dispatched');
    await viewerSeesNoNarrative();
  });

  test('the acknowledgement, recorded on the team\'s behalf, puts it en route', async () => {
    await map.acknowledge(teamId);
    await bothShow('en_route');
    await expect(map.assignmentRow(teamId)).toHaveAttribute('data-acknowledged', 'true');
    await expect.poll(async () => (await map.units())[teamId]?.status).toBe('en_route');
  });

  test('the team drives there: the incident turns on scene by itself, on both pages', async () => {
    // Five fixes a second apart from where the team was to the incident, then
    // it stays there, reporting every second, past the 3 s dwell.
    const steps = 5;
    for (let i = 1; i <= steps; i++) {
      const f = i / steps;
      await postFix(desk, [start[0] + (incidentPosition[0] - start[0]) * f, start[1] + (incidentPosition[1] - start[1]) * f]);
      await desk.waitForTimeout(1_000);
    }
    for (let i = 0; i < 3; i++) {
      await postFix(desk, incidentPosition);
      await desk.waitForTimeout(1_000);
    }
    await postFix(desk, incidentPosition);
    // No click anywhere: the server notices the arrival and pushes it.
    await bothShow('on_scene');
    await expect(map.assignmentRow(teamId)).toHaveAttribute('data-arrived', 'true');
    await expect.poll(async () => (await map.units())[teamId]?.status).toBe('on_scene');
  });

  test('resolved with an outcome; the timeline shows every step in order and who took it', async () => {
    await map.resolve('other', OUTCOME_NOTE);
    await bothShow('resolved');
    await expect(map.drawer().getByTestId('incident-drawer-outcome')).toBeVisible();
    await expect(map.drawer()).toContainText(OUTCOME_NOTE);
    // The team is free again.
    await expect.poll(async () => (await map.units())[teamId]?.status).toBe('available');

    const steps = ['reported', 'dispatched', 'acknowledged', 'arrived', 'resolved'];
    const shown = async (page: MapPage) =>
      page.timelineEntries().evaluateAll((els, wanted) =>
        els
          .map((e) => ({ action: e.getAttribute('data-action') ?? '', by: e.querySelector('.timeline-by')?.textContent ?? '' }))
          .filter((e) => wanted.includes(e.action)),
        steps,
      );
    const coordinator = E2E_USERS.coordinator.username;
    const expected = [
      { action: 'reported', by: coordinator },
      { action: 'dispatched', by: coordinator },
      { action: 'acknowledged', by: coordinator },
      { action: 'arrived', by: '定位自动判定' },
      { action: 'resolved', by: coordinator },
    ];
    await expect.poll(() => shown(map)).toEqual(expected);
    // The viewer's drawer has the same timeline, live, without the outcome note.
    await expect.poll(() => shown(watch)).toEqual(expected);
    await viewerSeesNoNarrative();
  });

  test('the header\'s open-incident count equals the database\'s count of unresolved incidents, on both pages', async () => {
    const unresolved = async () => {
      const res = await desk.request.get('/api/incidents?status=open');
      expect(res.status()).toBe(200);
      return ((await res.json()) as IncidentView[]).length;
    };
    // The simulator is off: nothing else reports or moves incidents while this runs.
    const count = await unresolved();
    await expect.poll(() => map.openIncidentCount()).toBe(count);
    await expect.poll(() => watch.openIncidentCount()).toBe(count);
    expect(await unresolved()).toBe(count);
    // The resolved incident is not counted as open anywhere.
    const open = (await (await desk.request.get('/api/incidents?status=open')).json()) as IncidentView[];
    expect(open.some((i) => i.id === incidentId)).toBe(false);
  });
});
