import type {} from '../../lib/hooks/test-hooks';
import { expect, test, type Page } from '@playwright/test';
import type { HeatmapPayload, Incident, UnitState } from '../../lib/model';
import { ADMIN_STATE, E2E_BASE_URL, E2E_DEVICE_ID, E2E_TEAM_CODE, E2E_VIEWPORT } from './constants';
import { MapPage } from './map-page';
import { recordRequests } from './requests';

// One live page for the whole file, as on the wall: opened once (loading the
// map in software WebGL is most of a test's time here), then each test checks
// one thing on it. The language switch goes last.
test.describe.configure({ mode: 'serial' });

test.describe('the live township map', () => {
  let page: Page;
  let map: MapPage;

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ baseURL: E2E_BASE_URL, storageState: ADMIN_STATE, viewport: E2E_VIEWPORT });
    page = await context.newPage();
    map = new MapPage(page);
    await map.open();
  });
  test.afterAll(async () => page?.context().close());

  test('says it is live and how fresh the data is', async () => {
    await expect(page.getByTestId('conn-state')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('last-update')).toContainText(/\d/);
  });

  test('draws all 65 grid cells (deck.gl picking finds each cell at its label point)', async () => {
    await map.showOnly('grids');
    const grids = await map.grids();
    expect(grids.features).toHaveLength(65);
    // Let the overlay redraw with only the grid layer before picking.
    await page.waitForTimeout(500);
    const picked: number[] = [];
    for (const f of grids.features) {
      // Only the grid layer: an alert the rules loop raised for a cell (a coverage gap) is drawn at its
      // label point, above it — the cell is still drawn there.
      const hit = await map.pickAt(f.properties.labelPoint, ['grids']);
      expect(hit?.layerId, `grid ${f.properties.code}`).toBe('grids');
      picked.push((hit!.object as { properties: { id: number } }).properties.id);
    }
    expect(picked).toEqual(grids.features.map((f) => f.properties.id));
    // The map works under our Content-Security-Policy: nothing was blocked.
    expect(map.cspViolations).toEqual([]);
  });

  test('a position posted to /ingest/ moves that team\'s marker without a reload', async ({ request }) => {
    await map.showOnly('units');
    const units = (await (await request.get('/api/units')).json()) as UnitState[];
    const team = units.find((u) => u.code === E2E_TEAM_CODE)!;
    expect(team).toBeDefined();
    const grids = await map.grids();

    for (const feature of [grids.features[0]!, grids.features[40]!]) {
      const [lon, lat] = feature.properties.labelPoint;
      const res = await request.post(
        `/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&bearing=45&speed=3`,
      );
      expect(res.status()).toBe(200);
      await expect
        .poll(async () => (await map.units())[team.teamId]?.position, { timeout: 10_000 })
        .toEqual([lon, lat]);
      await expect
        .poll(async () => {
          const hit = await map.pickAt([lon, lat]);
          return hit ? `${hit.layerId}:${(hit.object as UnitState).teamId}` : null;
        })
        .toBe(`units:${team.teamId}`);
    }
  });

  test('an incident posted appears as a pin without a reload', async ({ request }) => {
    await map.showOnly('incidents');
    const grids = await map.grids();
    const [lon, lat] = grids.features[10]!.properties.labelPoint;
    const res = await request.post('/api/incidents', {
      data: { category: 'fire', severity: 4, title: 'e2e 火情', position: [lon, lat] },
    });
    expect(res.status()).toBe(201);
    const created = (await res.json()) as Incident;
    await expect.poll(async () => (await map.incidents()).some((i) => i.id === created.id)).toBe(true);
    await expect
      .poll(async () => {
        const hit = await map.pickAt([lon, lat]);
        return hit ? `${hit.layerId}:${(hit.object as Incident).id}` : null;
      })
      .toBe(`incidents:${created.id}`);
  });

  test('switching the heatmap window changes what is drawn', async () => {
    await map.showOnly('heatmap');
    const canvas = page.getByTestId('map');

    await page.getByTestId('heatmap-window-7d').click();
    await expect(page.getByTestId('heatmap-window-7d')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await map.heatmap()).window).toBe('7d');
    const week = await map.heatmap();
    const weekAt = Date.now();
    await page.waitForTimeout(800);
    const weekShot = await canvas.screenshot();

    // From here the page asks for the year (never shown before) once and, back at the week within
    // HEATMAP_REUSE_MS, for nothing more: the week's heat is shown again as it was (SWR's own 2 s dedupe over
    // first, so a request then would be a refetch). The year's request shows the record sees the page's requests.
    const asked = recordRequests(page, '/api/heatmap');
    await page.getByTestId('heatmap-window-1y').click();
    await expect.poll(async () => (await map.heatmap()).window).toBe('1y');
    await expect.poll(async () => (await map.heatmap()).drawnPoints).toBeGreaterThan(week.drawnPoints);
    const year = await map.heatmap();
    expect(year.count).toBeGreaterThan(week.count * 10);
    await page.waitForTimeout(800);
    const yearShot = await canvas.screenshot();
    expect(yearShot.equals(weekShot)).toBe(false);

    await page.waitForTimeout(Math.max(0, weekAt + 3_000 - Date.now()));
    await page.getByTestId('heatmap-window-7d').click();
    await expect.poll(async () => (await map.heatmap()).window).toBe('7d');
    expect(await map.heatmap()).toEqual(week);
    await page.waitForTimeout(500);
    expect(asked.stop().map((u) => new URL(u).searchParams.get('window'))).toEqual(['1y']);
    await page.getByTestId('heatmap-window-1y').click();
    await expect.poll(async () => (await map.heatmap()).window).toBe('1y');
  });

  test('at street zoom a year heatmap asks for the box on screen at 100 m bins', async ({ request }) => {
    // The window is 1y (the test above): zoom in on its busiest 1.6 km bin.
    const whole = (await (await request.get('/api/heatmap?window=1y&bin=1600')).json()) as HeatmapPayload;
    const busiest = whole.n.indexOf(Math.max(...whole.n));
    const answered = page.waitForResponse((r) => /\/api\/heatmap\?window=1y&bin=100&bbox=/.test(r.url()));
    await map.centerOn([whole.lon[busiest]!, whole.lat[busiest]!], 15);
    const response = await answered;
    expect(response.status()).toBe(200);
    const street = (await response.json()) as HeatmapPayload;
    expect(street.binM).toBe(100);
    expect(street.n.length).toBeGreaterThan(0);
    // Every bin sent is drawn.
    await expect.poll(async () => (await map.heatmap()).drawnPoints).toBe(street.n.length);
  });

  test('the language switch changes the UI text', async () => {
    const title = page.getByTestId('app-title');
    await expect(title).toContainText('网格态势');
    expect(await page.evaluate(() => window.__gridsight!.lang())).toBe('zh');
    const zhLegend = await page.getByTestId('legend').innerText();

    await page.getByTestId('lang-switch').click();
    await expect(title).toContainText('GridSight');
    await expect(title).not.toContainText('网格态势');
    expect(await page.evaluate(() => window.__gridsight!.lang())).toBe('en');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    const enLegend = await page.getByTestId('legend').innerText();
    expect(enLegend).not.toEqual(zhLegend);
    expect(enLegend).toMatch(/[A-Za-z]{4}/);
  });
});
