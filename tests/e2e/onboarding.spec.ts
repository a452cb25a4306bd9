import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { OwnServer } from './own-server';

// From an empty install to a live map of the township (issue 12), in Chromium,
// as an administrator does it: a server of our own started with
// SEED_DEMO=false, its first administrator made with `npm run user:create`
// before the first start, sign in through the form, the map saying what to do
// next, then the township's files — boundary, villages, 65 grid cells tiling
// the boundary, key locations from a spreadsheet — each uploaded, its report
// read (and a bad spreadsheet refused until fixed), confirmed, and finally
// drawn on the map. One page throughout, as a person would use it.
test.use({ storageState: { cookies: [], origins: [] } });

type LonLat = [lon: number, lat: number];

const WEST = 102.2;
const SOUTH = 31.9;
const CELL = 0.01;
const COLUMNS = 13;
const VILLAGES = [
  { code: 'V01', name: '东风村' },
  { code: 'V02', name: '红旗村' },
  { code: 'V03', name: '向阳村' },
  { code: 'V04', name: '团结村' },
  { code: 'V05', name: '新华社区' },
] as const;
const EAST = WEST + COLUMNS * CELL;
const NORTH = SOUTH + VILLAGES.length * CELL;

/** Degrees at 6 decimals, so neighbouring cells share their edges exactly. */
const deg = (n: number): number => Math.round(n * 1e6) / 1e6;
const rectangle = (w: number, s: number, e: number, n: number): LonLat[][] => [
  [
    [deg(w), deg(s)],
    [deg(e), deg(s)],
    [deg(e), deg(n)],
    [deg(w), deg(n)],
    [deg(w), deg(s)],
  ],
];
const featureCollection = (features: { properties: Record<string, unknown>; coordinates: LonLat[][] }[]): string =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({ type: 'Feature', properties: f.properties, geometry: { type: 'Polygon', coordinates: f.coordinates } })),
  });

/** Each village is one row of 13 cells: 5 × 13 = 65 grid cells tiling the township. */
const GRID_CELLS = VILLAGES.flatMap((v, row) =>
  Array.from({ length: COLUMNS }, (_, col) => {
    const w = WEST + col * CELL;
    const s = SOUTH + row * CELL;
    return { code: `G-${String(row * COLUMNS + col + 1).padStart(2, '0')}`, name: `${v.name}${col + 1}号网格`, centre: [deg(w + CELL / 2), deg(s + CELL / 2)] as LonLat, w, s };
  }),
);

const KEY_LOCATIONS = [
  { name: '镇人民政府', category: '政府', at: [102.2655, 31.9255] as LonLat },
  { name: '中心派出所', category: '派出所', at: [102.2405, 31.9155] as LonLat },
  { name: '中心小学', category: '学校', at: [102.3005, 31.9355] as LonLat },
  { name: '镇卫生院', category: '卫生院', at: [102.2155, 31.9455] as LonLat },
];
const csv = (rows: { name: string; category: string; at: LonLat }[]): string =>
  ['name,category,lon,lat', ...rows.map((r) => `${r.name},${r.category},${r.at[0]},${r.at[1]}`)].join('\r\n') + '\r\n';

/** The files an administrator brings, written where a file picker can find them. */
function writeTownshipFiles(dir: string): Record<'boundary' | 'villages' | 'grids' | 'keyLocationsBad' | 'keyLocations', string> {
  const files = {
    boundary: join(dir, '乡镇边界.geojson'),
    villages: join(dir, 'villages.geojson'),
    grids: join(dir, '网格划分.geojson'),
    keyLocationsBad: join(dir, '重点场所-初稿.csv'),
    keyLocations: join(dir, '重点场所.csv'),
  };
  writeFileSync(files.boundary, featureCollection([{ properties: { name: '松林镇', name_en: 'Songlin' }, coordinates: rectangle(WEST, SOUTH, EAST, NORTH) }]));
  writeFileSync(
    files.villages,
    featureCollection(VILLAGES.map((v, row) => ({ properties: { 村编号: v.code, 村名称: v.name }, coordinates: rectangle(WEST, SOUTH + row * CELL, EAST, SOUTH + (row + 1) * CELL) }))),
  );
  writeFileSync(
    files.grids,
    featureCollection(GRID_CELLS.map((g) => ({ properties: { 网格编号: g.code, 网格名称: g.name }, coordinates: rectangle(g.w, g.s, g.w + CELL, g.s + CELL) }))),
  );
  // A first draft with a category GridSight does not know: refused until fixed.
  writeFileSync(files.keyLocationsBad, csv([...KEY_LOCATIONS, { name: '镇粮站', category: '粮站', at: [102.2805, 31.9055] }]));
  writeFileSync(files.keyLocations, csv(KEY_LOCATIONS));
  return files;
}

/** `npm run user:create` prints the new account's password once, on the line after this. */
function passwordFrom(output: string): string {
  const match = /Password \(shown once\):\s*\n(\S+)/.exec(output);
  if (!match) throw new Error(`no password in the output of user:create:\n${output}`);
  return match[1]!;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
}

test.describe('an empty install, made a township by its administrator', () => {
  test.describe.configure({ mode: 'serial' });

  const admin = { username: 'wang.jianhua', displayName: '王建华', password: '' };
  const viewer = { username: 'li.xiuying', displayName: '李秀英', password: '' };
  let own: OwnServer;
  let dir: string;
  let files: ReturnType<typeof writeTownshipFiles>;
  let context: BrowserContext;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(240_000);
    dir = mkdtempSync(join(tmpdir(), 'gridsight-onboarding-'));
    files = writeTownshipFiles(dir);
    own = await OwnServer.create();
    // The operator's first steps on a new box: accounts from the command line, then the server, without the demo.
    admin.password = passwordFrom(await own.runScript('scripts/user-create.ts', ['--admin', admin.username, '--name', admin.displayName]));
    viewer.password = passwordFrom(await own.runScript('scripts/user-create.ts', ['--role', 'viewer', viewer.username, '--name', viewer.displayName]));
    await own.start({ SEED_DEMO: 'false' });
    context = await newContext(browser);
    page = await context.newPage();
  });

  test.afterAll(async () => {
    await context?.close();
    await own?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newContext = (browser: Browser) => browser.newContext({ baseURL: own.baseURL, storageState: { cookies: [], origins: [] } });

  /** Chooses the layer and file, uploads, and waits for the report of that file. */
  async function preview(layer: 'boundary' | 'villages' | 'grids' | 'key_locations', file: string): Promise<void> {
    const panel = page.getByTestId('import-panel');
    await panel.getByTestId('import-layer').selectOption(layer);
    await expect(panel.getByTestId('import-datum')).toHaveValue('wgs84');
    await panel.getByTestId('import-file').setInputFiles(file);
    await panel.getByTestId('import-preview-submit').click();
    const report = panel.getByTestId('import-report');
    await expect(report).toHaveAttribute('data-layer', layer);
    await expect(report.getByRole('heading', { level: 3 })).toContainText(file.split('/').pop()!);
  }

  /** The preview map has drawn `n` of the file's features on screen. */
  async function expectDrawn(n: number, flagged = 0): Promise<void> {
    const map = page.getByTestId('import-preview-map');
    await expect(map).toHaveAttribute('data-features', String(n));
    await expect(map).toHaveAttribute('data-flagged', String(flagged));
    await expect(map).toHaveAttribute('data-drawn', String(n), { timeout: 60_000 });
  }

  /** Confirms with the keyboard, as the button is focusable and labelled, and waits for the result. */
  async function confirm(layer: string, added: number): Promise<void> {
    const apply = page.getByTestId('import-apply');
    await expect(apply).toBeEnabled();
    await apply.focus();
    await page.keyboard.press('Enter');
    const result = page.getByTestId('import-result');
    await expect(result).toHaveAttribute('data-layer', layer);
    await expect(result.getByRole('status')).toContainText(`新增 ${added}`);
    await page.getByTestId('import-next').click();
    await expect(page.getByTestId('import-report')).toHaveCount(0);
  }

  test('a viewer is told that no township is loaded and to ask the administrator', async ({ browser }) => {
    const viewerContext = await newContext(browser);
    try {
      const viewerPage = await viewerContext.newPage();
      await signIn(viewerPage, viewer.username, viewer.password);
      const empty = viewerPage.getByTestId('empty-township');
      await expect(empty).toHaveAttribute('data-audience', 'other');
      await expect(empty.getByTestId('empty-township-ask')).toHaveText('尚未载入乡镇数据，请联系系统管理员导入。');
      await expect(empty.getByTestId('empty-township-import')).toHaveCount(0);
      // The empty township is not a load error (Next's route announcer is an alert of its own: look in the map).
      await expect(viewerPage.locator('.map-area [role="alert"]')).toHaveCount(0);
    } finally {
      await viewerContext.close();
    }
  });

  test('the administrator signs in, sees what to do next and follows it to the import', async () => {
    await signIn(page, admin.username, admin.password);
    const empty = page.getByTestId('empty-township');
    await expect(empty).toHaveAttribute('data-audience', 'admin');
    await expect(empty.getByRole('heading')).toHaveText('尚未载入乡镇数据');
    await expect(page.locator('.map-area [role="alert"]')).toHaveCount(0);
    await empty.getByTestId('empty-township-import').click();
    await expect(page).toHaveURL(/\/admin\?tab=import$/);
    await expect(page.getByTestId('admin-tab-import')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('import-panel')).toBeVisible();
  });

  test('the township boundary: one feature, nothing stored yet to differ from, no problems', async () => {
    await preview('boundary', files.boundary);
    const report = page.getByTestId('import-report');
    await expect(report.getByTestId('import-feature-count')).toHaveText('1');
    await expect(report.getByTestId('import-error-count')).toHaveText('0');
    await expect(report.getByTestId('import-no-problems')).toBeVisible();
    await expect(report.getByTestId('import-diff-added')).toContainText('township');
    await expectDrawn(1);
    await confirm('boundary', 1);
  });

  test('five villages, checked against the new boundary', async () => {
    await preview('villages', files.villages);
    const report = page.getByTestId('import-report');
    await expect(report.getByTestId('import-feature-count')).toHaveText('5');
    await expect(report.getByTestId('import-no-problems')).toBeVisible();
    await expect(report.getByTestId('import-diff-added')).toHaveAttribute('data-count', '5');
    await expect(report.getByTestId('import-diff-added')).toContainText('V01, V02, V03, V04, V05');
    await expectDrawn(5);
    await confirm('villages', 5);
  });

  test('65 grid cells tiling the boundary: no overlap, no gap, all added', async () => {
    await preview('grids', files.grids);
    const report = page.getByTestId('import-report');
    await expect(report.getByTestId('import-feature-count')).toHaveText('65');
    await expect(report.getByTestId('import-no-problems')).toBeVisible();
    await expect(report.getByTestId('import-diff-added')).toHaveAttribute('data-count', '65');
    await expect(report.getByTestId('import-diff-added')).toContainText('G-01');
    await expect(report.getByTestId('import-diff-added')).toContainText('G-65');
    await expect(report.getByTestId('import-diff-removed')).toHaveAttribute('data-count', '0');
    await expectDrawn(65);
    await confirm('grids', 65);
  });

  test('key locations: a spreadsheet with an unknown category is refused, the fixed one imported', async () => {
    await preview('key_locations', files.keyLocationsBad);
    const report = page.getByTestId('import-report');
    await expect(report).toHaveAttribute('data-importable', 'false');
    await expect(report.getByTestId('import-error-count')).toHaveText('1');
    const problem = report.locator('[data-testid="import-problem"][data-code="unknown_category"]');
    await expect(problem).toHaveAttribute('data-severity', 'error');
    await expect(problem).toContainText('未知的场所类别');
    await expect(problem).toContainText('镇粮站');
    await expect(problem).toContainText('粮站');
    await expect(page.getByTestId('import-apply')).toBeDisabled();
    await expect(page.getByTestId('import-apply-blocked')).toHaveAttribute('data-reason', 'errors');
    await expectDrawn(5, 1);
    await page.getByTestId('import-cancel').click();
    await expect(report).toHaveCount(0);

    await preview('key_locations', files.keyLocations);
    await expect(report).toHaveAttribute('data-importable', 'true');
    await expect(report.getByTestId('import-no-problems')).toBeVisible();
    await expect(report.getByTestId('import-diff-added')).toContainText('镇人民政府');
    await expectDrawn(4);
    await confirm('key_locations', 4);
  });

  test('the map shows the township: its grid cells and key locations where the files put them', async () => {
    // Back to the map the way the page offers it, on the same page (no reload).
    await page.getByTestId('back-to-map').click();
    await expect(page).toHaveURL(/\/$/);
    await page.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 90_000 });
    await expect(page.getByTestId('empty-township')).toHaveCount(0);

    const pickAt = (at: LonLat) =>
      page.evaluate((p) => {
        const gs = window.__gridsight!;
        const [x, y] = gs.project(p);
        return gs.pick(x, y);
      }, at);
    // Only the grid cells drawn, then only the key locations, so each pick sees one layer.
    await page.getByTestId('layer-toggle-key-locations').setChecked(false);
    for (const cell of [GRID_CELLS[0]!, GRID_CELLS[32]!, GRID_CELLS[64]!]) {
      await expect
        .poll(async () => {
          const hit = await pickAt(cell.centre);
          return hit && { layer: hit.layerId, code: (hit.object as { properties: { code: string } }).properties.code };
        })
        .toEqual({ layer: 'grids', code: cell.code });
    }
    await page.getByTestId('layer-toggle-key-locations').setChecked(true);
    await page.getByTestId('layer-toggle-grids').setChecked(false);
    await expect
      .poll(async () => {
        const hit = await pickAt(KEY_LOCATIONS[1]!.at);
        return hit && { layer: hit.layerId, name: (hit.object as { name: string }).name };
      })
      .toEqual({ layer: 'key-locations', name: '中心派出所' });
  });
});
