import type {} from '../../lib/hooks/test-hooks';
import { expect, test, type Page } from '@playwright/test';
import type { Alert, Incident, UnitState } from '../../lib/model';
import { E2E_DEVICE_ID, E2E_TEAM_CODE } from './constants';
import { MapPage } from './map-page';

// A desk's live map, left open as a desk leaves it: an SOS from a device
// arrives on it, and later the desk loses the network and gets it back. One
// page for both (a fresh map page costs tens of seconds of software WebGL on
// two cores); each check starts from where the last one left the page.
test.describe.configure({ mode: 'serial' });

/** Positions go through PostGIS as float8; allow for the last digit. */
function near(a: readonly number[] | null | undefined, b: readonly number[]): boolean {
  return !!a && a.length === 2 && Math.abs(a[0]! - b[0]!) < 1e-7 && Math.abs(a[1]! - b[1]!) < 1e-7;
}

test.describe('a desk’s live map', () => {
  let page: Page;
  let map: MapPage;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    map = new MapPage(page);
    await map.open();
  });
  test.afterAll(async () => {
    await page?.close();
  });

  test('SOS from a device raises a banner, an alert and a map marker without a reload; Locate opens the team', async ({ request }) => {
    const units = (await (await request.get('/api/units')).json()) as UnitState[];
    const team = units.find((u) => u.code === E2E_TEAM_CODE)!;
    expect(team).toBeDefined();
    const grids = await map.grids();
    const [lon, lat] = grids.features[25]!.properties.labelPoint;

    // Other tests in the run may have raised SOS alerts already: look only for the new one. (The page's
    // alerts snapshot may still be loading, so ask the server as well.)
    const open = (await (await request.get('/api/alerts')).json()) as Alert[];
    const before = new Set([...open, ...(await page.evaluate(() => window.__gridsight!.alerts()))].map((a) => a.id));

    const res = await request.post(`/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&alarm=sos`);
    expect(res.status()).toBe(200);

    // The alert reaches the live store (alert:new), as an open SOS for the team at the posted point.
    let sos: Alert | undefined;
    await expect
      .poll(
        async () => {
          const alerts = await page.evaluate(() => window.__gridsight!.alerts());
          sos = alerts.find((a) => !before.has(a.id) && a.kind === 'sos');
          return sos ? { teamId: sos.teamId, open: sos.acknowledgedAt === null, at: near(sos.position, [lon, lat]) } : null;
        },
        { timeout: 10_000 },
      )
      .toEqual({ teamId: team.teamId, open: true, at: true });
    const alertId = sos!.id;

    // The banner: visible, the team's name in the page language (zh by default), below the header, never over it.
    const banner = page.getByTestId('sos-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('role', 'alert');
    const strip = page.getByTestId(`sos-alert-${alertId}`);
    await expect(strip).toBeVisible();
    await expect(strip).toContainText(team.name);
    const headerBox = await page.locator('header.app-header').boundingBox();
    const bannerBox = await banner.boundingBox();
    expect(headerBox && bannerBox && bannerBox.y >= headerBox.y + headerBox.height - 1).toBe(true);
    // How long ago, as a number that ticks.
    await expect(strip.locator('time')).toContainText(/\d/);

    // The marker: deck.gl picks the alert at that point, on top of the unit that moved there with the same fix.
    await expect
      .poll(async () => {
        const hit = await map.pickAt([lon, lat]);
        return hit ? `${hit.layerId}:${(hit.object as Alert).id}` : null;
      })
      .toBe(`alerts:${alertId}`);

    // In English the banner names the team in English.
    await page.getByTestId('lang-switch').click();
    await expect(strip).toContainText(team.nameEn);
    await expect(page.getByTestId(`sos-locate-${alertId}`)).toContainText('Locate');

    // Locate: the team's details open and the map centres on the SOS.
    await page.getByTestId(`sos-locate-${alertId}`).click();
    const details = page.getByTestId('details-panel');
    await expect(details).toHaveAttribute('data-kind', 'unit');
    await expect(details).toHaveAttribute('data-id', String(team.teamId));
    await expect
      .poll(
        async () =>
          page.evaluate(() => {
            const c = window.__gridsight!.map!.getCenter();
            return [c.lng, c.lat];
          }),
        { timeout: 5_000 },
      )
      .toEqual([expect.closeTo(lon, 5), expect.closeTo(lat, 5)]);
    // The details panel sits below the banner, not under it.
    const detailsBox = await details.boundingBox();
    const bannerNow = await banner.boundingBox();
    expect(detailsBox && bannerNow && detailsBox.y >= bannerNow.y + bannerNow.height - 1).toBe(true);
  });

  test('losing the network and getting it back: shows offline while cut off, then ends with the same state as the server', async ({ request }) => {
    const context = page.context();
    const conn = page.getByTestId('conn-state');
    await expect(conn).toHaveAttribute('data-state', 'live');

    const units = (await (await request.get('/api/units')).json()) as UnitState[];
    const team = units.find((u) => u.code === E2E_TEAM_CODE)!;
    const grids = await map.grids();
    const [lon, lat] = grids.features[50]!.properties.labelPoint;

    await context.setOffline(true);
    await expect(conn).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });

    // While the page is cut off, the world moves on: a fix and a new incident.
    expect((await request.post(`/ingest/osmand?id=${E2E_DEVICE_ID}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}`)).status()).toBe(200);
    const created = (await (
      await request.post('/api/incidents', { data: { category: 'public_order', severity: 2, title: 'e2e 断线期间', position: [lon, lat] } })
    ).json()) as Incident;

    await context.setOffline(false);
    await expect(conn).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await expect.poll(async () => (await map.units())[team.teamId]?.position, { timeout: 15_000 }).toEqual([lon, lat]);
    await expect.poll(async () => (await map.incidents()).some((i) => i.id === created.id), { timeout: 15_000 }).toBe(true);

    // The page's units agree with the server's snapshot for every team that has a fix.
    const server = (await (await request.get('/api/units')).json()) as UnitState[];
    const local = await map.units();
    for (const u of server.filter((s) => s.position !== null)) {
      expect(local[u.teamId]?.fixTime, u.code).toBe(u.fixTime);
    }
  });
});
