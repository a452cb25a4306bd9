import { expect, test, type Page } from '@playwright/test';
import type { GridCollection, Incident, IncidentTimeline, LonLat, UnitState } from '../../lib/model';
import { E2E_DEVICE_ID, E2E_TEAM_CODE } from './constants';

// The time machine in Chromium (issue 13): history is made through the API the
// way a desk makes it — the e2e team's device reports a known place, an
// incident is reported at severity 2, a team is sent, and seconds later it
// is marked on scene and raised to 4. Then /replay opens a few seconds before
// that moment, shows the team where it was and the incident as it was
// (dispatched, severity 2), plays at 1×, and the incident turns "on scene" at
// severity 4 exactly when the replayed clock passes the step's time. Scrubbing back over played history fetches no history chunk again
// (a chunk that reached past the present when fetched may be fetched again:
// its history was still being written).
// One page for the whole file.
test.describe.configure({ mode: 'serial' });

const TITLE = `回放测试 · 宅基地纠纷 ${Date.now() % 100000}`;

test.describe('the time machine', () => {
  let page: Page;
  let place: LonLat;
  let incidentId: number;
  let dispatchedAt: number;
  let onSceneAt: number;
  /** Every history chunk the page asked for: its range and when it asked. */
  const historyRequests: { from: number; to: number; at: number }[] = [];

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(90_000);
    page = await browser.newPage();
    page.on('request', (r) => {
      if (!r.url().includes('/api/replay/history')) return;
      const q = new URL(r.url()).searchParams;
      historyRequests.push({ from: Date.parse(q.get('from')!), to: Date.parse(q.get('to')!), at: Date.now() });
    });
    const units = (await (await page.request.get('/api/units')).json()) as UnitState[];
    const grids = (await (await page.request.get('/api/grids')).json()) as GridCollection;
    // The middle of a grid cell's outline (the vertex average: inside for the township's compact cells).
    const middle = (i: number): LonLat => {
      const ring = grids.features[i]!.geometry.coordinates[0]![0]!;
      const sum = ring.reduce((acc, p) => [acc[0] + p[0]!, acc[1] + p[1]!], [0, 0]);
      return [Math.round((sum[0] / ring.length) * 1e6) / 1e6, Math.round((sum[1] / ring.length) * 1e6) / 1e6];
    };
    place = middle(0);
    const far = middle(grids.features.length - 1);
    const fix = await page.request.post(`/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${place[1]}&lon=${place[0]}&timestamp=${Date.now() - 2000}&speed=0`);
    expect(fix.status()).toBe(200);

    // Far from every team (no arrival is detected from fixes): the step to on scene is the one made by hand.
    const created = await page.request.post('/api/incidents', {
      data: { category: 'neighbour_dispute', severity: 2, title: TITLE, position: far },
    });
    expect(created.status()).toBe(201);
    incidentId = ((await created.json()) as Incident).id;
    const sent = units.find((u) => u.code !== E2E_TEAM_CODE && u.status === 'available' && u.incidentId === null)!;
    const dispatch = await page.request.post(`/api/incidents/${incidentId}/dispatch`, { data: { teamId: sent.teamId } });
    expect(dispatch.status(), await dispatch.text()).toBe(200);
    // Enough seconds between the steps for the replay to start in between.
    await page.waitForTimeout(5_000);
    const onScene = await page.request.patch(`/api/incidents/${incidentId}`, { data: { status: 'on_scene', severity: 4 } });
    expect(onScene.status(), await onScene.text()).toBe(200);

    const timeline = (await (await page.request.get(`/api/incidents/${incidentId}/timeline`)).json()) as IncidentTimeline;
    dispatchedAt = Date.parse(timeline.entries.find((e) => e.status === 'dispatched')!.at);
    onSceneAt = Date.parse(timeline.entries.find((e) => e.status === 'on_scene')!.at);
    expect(onSceneAt - dispatchedAt).toBeGreaterThan(4_000);
  });
  test.afterAll(async () => {
    await page?.close();
  });

  const root = () => page.getByTestId('replay');
  const incident = () => page.locator(`[data-testid="replay-incident"][data-id="${incidentId}"]`);

  test('opens three seconds before the team arrived: the banner says replay, the team is where it reported, the incident dispatched', async () => {
    const at = new Date(onSceneAt - 3_000).toISOString();
    const from = new Date(dispatchedAt - 120_000).toISOString();
    const to = new Date(onSceneAt + 120_000).toISOString();
    await page.goto(`/replay?from=${from}&to=${to}&at=${at}`);
    await expect(root()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(page.getByTestId('replay-banner')).toContainText('回放 · 非实时');
    await expect(page.getByTestId('replay-clock')).toHaveAttribute('datetime', at);
    await expect(incident()).toHaveAttribute('data-status', 'dispatched');
    // The severity it had then (today's is 4), in words beside the title.
    await expect(incident()).toHaveAttribute('data-severity', '2');
    await expect(incident().getByTestId('replay-incident-severity')).toHaveText('较大');
    const unit = page.locator(`[data-testid="replay-unit"][data-code="${E2E_TEAM_CODE}"]`);
    await expect(unit).toHaveAttribute('data-lon', String(place[0]));
    await expect(unit).toHaveAttribute('data-lat', String(place[1]));
    // Linked from the navigation, as the other pages are.
    await expect(page.getByTestId('nav-replay')).toHaveAttribute('aria-current', 'page');
  });

  test('plays at 1× and the incident turns on scene, severity 4, when the replayed clock passes the moment it did', async () => {
    // Every render's (clock, status and severity) pair, recorded in the page as it happens.
    await page.evaluate((id) => {
      const seen: [string, string][] = [];
      (window as unknown as { __replaySeen: [string, string][] }).__replaySeen = seen;
      const record = () => {
        const at = document.querySelector('[data-testid="replay"]')?.getAttribute('data-at');
        const row = document.querySelector(`[data-testid="replay-incident"][data-id="${id}"]`);
        const status = row?.getAttribute('data-status');
        if (at && status) seen.push([at, `${status}/${row?.getAttribute('data-severity') ?? ''}`]);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-at', 'data-status', 'data-severity'] });
    }, incidentId);
    await page.getByTestId('replay-speed').selectOption('1');
    await page.getByTestId('replay-play').click();
    await expect(incident()).toHaveAttribute('data-status', 'on_scene', { timeout: 15_000 });
    await page.getByTestId('replay-play').click();
    await expect(root()).toHaveAttribute('data-playing', 'false');

    const seen = await page.evaluate(() => (window as unknown as { __replaySeen: [string, string][] }).__replaySeen);
    const before = seen.filter(([at]) => Date.parse(at) < onSceneAt);
    const after = seen.filter(([at]) => Date.parse(at) >= onSceneAt);
    expect(before.length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(0);
    expect(before.filter(([, s]) => s !== 'dispatched/2')).toEqual([]);
    expect(after.filter(([, s]) => s !== 'on_scene/4')).toEqual([]);
  });

  test('scrubbing back shows the incident dispatched, severity 2, again and fetches no history it already holds', async () => {
    const held = historyRequests.length;
    expect(held).toBeGreaterThan(0);
    const back = onSceneAt - 2_500;
    await page.getByTestId('replay-scrub').evaluate((el, v) => {
      const input = el as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(v));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, back);
    await expect(root()).toHaveAttribute('data-ready', 'true');
    await expect(incident()).toHaveAttribute('data-status', 'dispatched');
    await expect(incident()).toHaveAttribute('data-severity', '2');
    expect(Date.parse((await root().getAttribute('data-at'))!)).toBeLessThan(onSceneAt);
    // Chunks complete when fetched (ending before the request) are held: none is asked for again.
    const complete = historyRequests.slice(0, held).filter((r) => r.to <= r.at);
    expect(complete.length).toBeGreaterThan(0);
    const again = historyRequests.slice(held).filter((r) => complete.some((c) => c.from === r.from));
    expect(again).toEqual([]);
  });
});
