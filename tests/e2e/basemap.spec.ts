// The uploaded basemap in Chromium (issue 12, "Basemap"), on a server the test
// owns (its archive must not change the suite's map): a PMTiles archive the
// test makes — solid magenta PNG tiles over the township — is uploaded through
// the admin page, read by the map in byte ranges from our own origin, and
// drawn: magenta appears on the map where the built-in style has none. An
// archive that cannot be read leaves the built-in style; removing it brings
// the built-in style back.
import { expect, test, type Page } from '@playwright/test';
import type { BasemapPayload } from '../../lib/model';
import { solidRasterArchive } from '../helpers/pmtiles-writer';
import { E2E_USERS, E2E_VIEWPORT } from './constants';
import { MapPage } from './map-page';
import { OwnServer } from './own-server';

const MAGENTA: [number, number, number] = [255, 0, 255];
const ARCHIVE_URL = '**/api/basemap/tiles.pmtiles*';

/** The share of the map's on-screen pixels that are (nearly) the archive's magenta, read from a screenshot. */
async function magentaShare(page: Page): Promise<number> {
  const shot = (await page.getByTestId('map').screenshot()).toString('base64');
  return page.evaluate(async (png) => {
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    let hits = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! > 200) hits++;
    return hits / (data.length / 4);
  }, shot);
}

/**
 * Opens the map with deck.gl's layers hidden, so the screenshot shows the
 * basemap alone. They are hidden as soon as the page is hydrated (its test
 * hooks are there), not after they have drawn their data: in software WebGL
 * on two cores that first draw cost tens of seconds a load, for layers this
 * test hides anyway.
 */
async function openMap(map: MapPage, basemap: 'archive' | 'built-in'): Promise<void> {
  await map.page.goto('/');
  await map.page.waitForFunction(() => window.__gridsight !== undefined, null, { timeout: 60_000 });
  await map.showOnly();
  await expect(map.page.getByTestId('map')).toHaveAttribute('data-basemap', basemap);
  // Every tile the view needs is in (MapLibre's own word for it).
  await map.page.waitForFunction(
    () => {
      const m = window.__gridsight?.map;
      return m !== undefined && m !== null && m.isStyleLoaded() && m.areTilesLoaded();
    },
    null,
    { timeout: 60_000 },
  );
}

async function openBasemapTab(page: Page): Promise<void> {
  await page.goto('/admin');
  await page.getByTestId('admin-tab-basemap').click();
  await expect(page.getByTestId('basemap-panel')).toBeVisible();
}

test.describe('the PMTiles basemap', () => {
  let own: OwnServer;

  test.afterAll(async () => {
    await own?.dispose();
  });

  test('an archive uploaded on the admin page is drawn under the map; one that cannot be read, or removed, leaves the built-in style', async ({ browser }) => {
    test.setTimeout(300_000);
    own = await OwnServer.create();
    await test.step('start a server of our own', () => own.start());
    const context = await browser.newContext({ baseURL: own.baseURL, storageState: { cookies: [], origins: [] }, viewport: E2E_VIEWPORT });
    const page = await context.newPage();
    const map = new MapPage(page);
    const archiveAnswers: { status: number; range: string | null }[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/basemap/tiles.pmtiles')) archiveAnswers.push({ status: res.status(), range: res.request().headers()['range'] ?? null });
    });
    try {
      const login = await context.request.post('/api/auth/login', { data: E2E_USERS.admin });
      expect(login.status()).toBe(200);
      const { bbox } = (await (await context.request.get('/api/basemap')).json()) as BasemapPayload;

      await test.step('the built-in style has no magenta', async () => {
        await openMap(map, 'built-in');
        expect(await magentaShare(page)).toBeLessThan(0.001);
      });

      await test.step('upload an archive of magenta tiles over the township on the admin page', async () => {
        await openBasemapTab(page);
        await expect(page.getByTestId('basemap-none')).toBeVisible();
        const archive = solidRasterArchive({ bounds: bbox, color: MAGENTA, maxZoom: 13 });
        await page.getByTestId('basemap-file').setInputFiles({ name: '格曲塘乡-影像.pmtiles', mimeType: 'application/vnd.pmtiles', buffer: archive });
        await page.getByTestId('basemap-upload').click();
        await expect(page.getByTestId('basemap-current')).toBeVisible();
        await expect(page.getByTestId('basemap-detail-type')).toContainText('PNG');
        await expect(page.getByTestId('basemap-detail-zooms')).toHaveText('0–13');
        await expect(page.getByTestId('basemap-file')).toHaveValue('');
        await expect(page.getByTestId('basemap-detail-uploaded')).toContainText(E2E_USERS.admin.username);
      });

      await test.step('an archive that cannot be read leaves the built-in style', async () => {
        await page.route(ARCHIVE_URL, (route) => route.fulfill({ status: 503, body: 'unavailable' }));
        const failed = page.waitForEvent('console', (m) => m.text().includes('the basemap archive cannot be read'));
        await openMap(map, 'built-in');
        await failed;
        await expect(page.getByTestId('map')).toHaveAttribute('data-basemap', 'built-in');
        expect(await magentaShare(page)).toBeLessThan(0.001);
        await page.unroute(ARCHIVE_URL);
      });

      await test.step('the map reads the archive in byte ranges and draws it: magenta where the township is', async () => {
        archiveAnswers.length = 0;
        await openMap(map, 'archive');
        await expect.poll(() => magentaShare(page), { timeout: 30_000 }).toBeGreaterThan(0.15);
        expect(archiveAnswers.length).toBeGreaterThan(1);
        expect(archiveAnswers.filter((a) => a.status !== 206 || !a.range?.startsWith('bytes='))).toEqual([]);
        const style = await page.evaluate(() => window.__gridsight!.map!.getStyle().layers.map((l) => l.id));
        expect(style.slice(0, 2)).toEqual(['background', 'archive-raster']);
        expect(style.at(-1)).toBe('villages');
      });

      await test.step('remove it on the admin page: the built-in style is back', async () => {
        await openBasemapTab(page);
        await page.getByTestId('basemap-remove').click();
        await page.getByTestId('basemap-remove-confirm').click();
        await expect(page.getByTestId('basemap-none')).toBeVisible();
        archiveAnswers.length = 0;
        await openMap(map, 'built-in');
        expect(await magentaShare(page)).toBeLessThan(0.001);
        expect(archiveAnswers).toEqual([]);
      });

      expect(map.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
