import { expect, request as apiRequest, test } from '@playwright/test';
import { E2E_VIEWPORT } from './constants';
import { MapPage } from './map-page';
import { OwnServer } from './own-server';

// Issue 12, teams and devices, on an empty install (SEED_DEMO=false) of a
// server this test owns: the first administrator comes from
// `npm run user:create`, a township boundary is loaded so the map has ground
// to draw on, and then, through the admin page's forms in Chromium: create a
// team, add its device, replace the device's secret (read off the printable
// card each time), post a fix with it as Traccar Client does, and see the unit
// on the live map — which was open before the team's first fix and is never
// reloaded.

const ADMIN = 'dawa.admin';
/** Inside the boundary below. */
const FIX: [lon: number, lat: number] = [99.725, 28.465];
const BOUNDARY = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: '测试乡', name_en: 'Test Township' },
      geometry: { type: 'Polygon', coordinates: [[[99.7, 28.44], [99.75, 28.44], [99.75, 28.49], [99.7, 28.49], [99.7, 28.44]]] },
    },
  ],
});

test.use({ storageState: { cookies: [], origins: [] } });

test.describe('onboarding a team on an empty install', () => {
  let own: OwnServer;

  test.afterAll(async () => {
    await own?.dispose();
  });

  test('create a team, add a device, issue its secret, post a fix with it, see the unit on the map', async ({ browser }) => {
    test.setTimeout(300_000);
    own = await OwnServer.create();
    let password = '';
    await test.step('an empty install with its first administrator from npm run user:create', async () => {
      const printed = await own.runScript('scripts/user-create.ts', ['--admin', ADMIN, '--name', '达瓦 管理员']);
      password = /Password \(shown once\):\n(\S+)/.exec(printed)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(12);
      await own.start({ SEED_DEMO: 'false' });
    });

    const context = await browser.newContext({ baseURL: own.baseURL, storageState: { cookies: [], origins: [] }, viewport: E2E_VIEWPORT });
    const page = await context.newPage();
    try {
      await test.step('sign in through the form and load a township boundary', async () => {
        await page.goto('/login?next=%2Fadmin%3Ftab%3Dteams');
        await page.getByTestId('login-username').fill(ADMIN);
        await page.getByTestId('login-password').fill(password);
        await page.getByTestId('login-submit').click();
        await expect(page.getByTestId('teams-panel')).toBeVisible();
        const preview = await context.request.post('/api/admin/import/preview?layer=boundary&datum=wgs84&name=boundary.geojson', {
          headers: { 'content-type': 'application/octet-stream', origin: own.baseURL },
          data: BOUNDARY,
        });
        expect(preview.status(), await preview.text()).toBe(200);
        const { token } = (await preview.json()) as { token: string };
        const applied = await context.request.post('/api/admin/import/apply', { data: { token }, headers: { origin: own.baseURL } });
        expect(applied.status(), await applied.text()).toBe(200);
      });

      await test.step('create the team through the form', async () => {
        await expect(page.getByTestId('team-table')).toHaveCount(0);
        await page.getByTestId('team-create-code').fill('ARM-21');
        await page.getByTestId('team-create-name').fill('红袖标巡逻二十一队');
        await page.getByTestId('team-create-name-en').fill('Red-armband patrol 21');
        await page.getByTestId('team-create-force').selectOption('armband');
        await page.getByTestId('team-create-size').fill('5');
        await page.getByTestId('team-create-submit').click();
        await expect(page.getByTestId('team-create-done')).toContainText('ARM-21');
        await expect(page.locator('[data-testid="team-row"][data-team-code="ARM-21"]')).toBeVisible();
        // A second team with the same code is refused with the server's own words.
        await page.getByTestId('team-create-code').fill('ARM-21');
        await page.getByTestId('team-create-name').fill('重复');
        await page.getByTestId('team-create-name-en').fill('Duplicate');
        await page.getByTestId('team-create-submit').click();
        await expect(page.getByTestId('team-create-error')).toHaveText('a team with code "ARM-21" already exists');
      });

      const row = page.locator('[data-testid="team-row"][data-team-code="ARM-21"]');
      const card = page.getByTestId('device-card');
      let first = '';
      await test.step('add its device: the card shows the secret once, with this server’s address and a QR code', async () => {
        await row.getByTestId('device-add').click();
        await row.getByTestId('device-add-submit').click();
        await expect(card).toBeVisible();
        first = (await card.getByTestId('device-card-secret').textContent()) ?? '';
        expect(first).toMatch(/^[0-9a-f]{32}$/);
        await expect(card.getByTestId('device-card-origin')).toHaveText(own.baseURL);
        await expect(card.getByTestId('device-card-traccar-url')).toHaveText(`${own.baseURL}/ingest/osmand`);
        await expect(card.getByTestId('device-card-owntracks-url')).toHaveText(`${own.baseURL}/ingest/owntracks`);
        expect(await card.getByTestId('device-card-qr').locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
        await card.getByTestId('device-card-done').click();
        await expect(card).toHaveCount(0);
        // Gone from the page, and the server never hands it out again.
        expect(await page.content()).not.toContain(first);
        expect(await (await context.request.get('/api/admin/teams')).text()).not.toContain(first);
        await expect(row.getByTestId('device-line')).toHaveCount(1);
      });

      let secret = '';
      await test.step('issue a new secret (confirmed): the card shows it; the first one stops working', async () => {
        await row.getByTestId('device-issue').click();
        await row.getByTestId('device-issue-confirm').click();
        await expect(card).toBeVisible();
        secret = (await card.getByTestId('device-card-secret').textContent()) ?? '';
        expect(secret).toMatch(/^[0-9a-f]{32}$/);
        expect(secret).not.toBe(first);
        await card.getByTestId('device-card-done').click();
        const phone = await apiRequest.newContext({ baseURL: own.baseURL });
        const old = await phone.post(`/ingest/osmand?id=${first}&lat=${FIX[1]}&lon=${FIX[0]}&timestamp=${Math.floor(Date.now() / 1000)}`);
        expect(old.status()).toBe(404);
        await phone.dispose();
      });

      await test.step('a fix posted as Traccar Client does puts the new team on the open map, without a reload', async () => {
        const mapPage = await context.newPage();
        const map = new MapPage(mapPage);
        await map.open();
        await map.showOnly('units');
        const marker = await mapPage.evaluate(() => ((window as unknown as { __noReload?: number }).__noReload = 1));
        expect(marker).toBe(1);
        expect(Object.values(await map.units()).find((u) => u.code === 'ARM-21')?.position ?? null).toBeNull();

        // Traccar Client: POST to the server URL with the fix in the query and the identifier as id.
        const phone = await apiRequest.newContext({ baseURL: own.baseURL });
        const res = await phone.post(`/ingest/osmand?id=${secret}&lat=${FIX[1]}&lon=${FIX[0]}&timestamp=${Math.floor(Date.now() / 1000)}&speed=0&batt=87`);
        expect(res.status()).toBe(200);
        await phone.dispose();

        await expect.poll(async () => Object.values(await map.units()).find((u) => u.code === 'ARM-21')?.position ?? null, { timeout: 15_000 }).toEqual(FIX);
        const teamId = Object.values(await map.units()).find((u) => u.code === 'ARM-21')!.teamId;
        await map.centerOn(FIX, 15);
        await expect
          .poll(async () => {
            const hit = await map.pickAt(FIX);
            return hit ? `${hit.layerId}:${(hit.object as { teamId: number }).teamId}` : null;
          })
          .toBe(`units:${teamId}`);
        expect(await mapPage.evaluate(() => (window as unknown as { __noReload?: number }).__noReload ?? null)).toBe(1);
        expect(map.cspViolations).toEqual([]);
      });

      await test.step('the admin table shows the device’s last fix; disabling it (confirmed) stops its secret', async () => {
        await page.reload();
        await expect(page.getByTestId('teams-panel')).toBeVisible();
        const line = page.locator('[data-testid="team-row"][data-team-code="ARM-21"] [data-testid="device-line"]');
        await expect(line.getByTestId('device-last-fix')).toContainText(/\d+ (s|min|h)|\d+ ?(秒|分钟|小时)/);
        await line.getByTestId('device-disable').click();
        await line.getByTestId('device-disable-confirm').click();
        await expect(line).toHaveAttribute('data-disabled', 'true');
        const phone = await apiRequest.newContext({ baseURL: own.baseURL });
        const res = await phone.post(`/ingest/osmand?id=${secret}&lat=${FIX[1]}&lon=${FIX[0]}&timestamp=${Math.floor(Date.now() / 1000)}`);
        expect(res.status()).toBe(404);
        await phone.dispose();
      });
    } finally {
      await context.close();
    }
  });
});
