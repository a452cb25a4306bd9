// The leadership briefing in Chromium, one page through every check: last
// month by default with its heatmap snapshot, one village, the comparison with
// the previous period as the API gives it, sorting, print CSS, and each export
// (PNG, CSV, PDF).
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { Briefing } from '../../lib/model/briefing';
import { ADMIN_STATE, E2E_BASE_URL, E2E_VIEWPORT } from './constants';

/** Last month on the township's calendar (Asia/Shanghai, the demo's zone): its first and last day. */
function lastMonth(): { from: string; last: string } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  return { from: first.toISOString().slice(0, 10), last: last.toISOString().slice(0, 10) };
}

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: await readFile(path) };
}

/** Pixels of the snapshot's canvas in its heat colours (orange to dark red; the cells' outlines are grey). */
function heatPixels(page: Page): Promise<number> {
  return page.getByTestId('chart-heatmap').locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 128 && data[i]! > 150 && data[i]! - data[i + 2]! > 60) n++;
    return n;
  });
}

test.describe.serial('the briefing', () => {
  let page: Page;
  let villageId = '';

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ storageState: ADMIN_STATE, viewport: E2E_VIEWPORT, baseURL: E2E_BASE_URL, acceptDownloads: true });
  });
  test.afterAll(async () => {
    await page.close();
  });

  test('opens on last month from the map`s navigation, with KPI cards against the previous period', async () => {
    // The map's header links here (checked on the header alone: the map itself need not finish loading).
    await page.goto('/');
    await expect(page.getByTestId('nav-briefing')).toHaveAttribute('href', '/briefing');
    await page.goto('/briefing');
    const { from, last } = lastMonth();
    await expect(page.getByTestId('briefing-range')).toContainText(`${from} — ${last}`);
    const api = (await (await page.request.get('/api/briefing?period=month')).json()) as Briefing;
    await expect(page.getByTestId('kpi-incidents-value')).toHaveText(String(api.current.figures.incidents));
    expect(api.current.figures.incidents).toBeGreaterThan(0);
    await expect(page.getByTestId('chart-categories').locator('canvas').first()).toBeVisible();

    // The heatmap snapshot of the same month: the API's bins, drawn (circles in the heat colours on the canvas).
    const snapshot = page.getByTestId('chart-heatmap');
    expect(api.heatmap.n.length).toBeGreaterThan(0);
    await expect(snapshot).toHaveAttribute('data-bins', String(api.heatmap.n.length));
    await expect(snapshot).toHaveAttribute('data-count', String(api.heatmap.count));
    await expect(page.getByTestId('briefing-heatmap-notes')).toContainText(`${api.heatmap.binM} 米方格 · 图上纠纷 ${api.heatmap.count} 起`);
    await expect.poll(() => heatPixels(page)).toBeGreaterThan(20);
  });

  test('switches to a village and shows its comparison with the previous period, arrow and sign', async () => {
    const option = page.getByTestId('briefing-village').locator('option').nth(1);
    villageId = (await option.getAttribute('value')) ?? '';
    const name = ((await option.textContent()) ?? '').trim().split(' ').slice(1).join(' ');
    await page.getByTestId('briefing-village').selectOption(villageId);
    await expect(page.getByTestId('briefing-range')).toContainText(name);
    const api = (await (await page.request.get(`/api/briefing?period=month&village=${villageId}`)).json()) as Briefing;
    const now = api.current.figures.incidents;
    const before = api.previous.figures.incidents;
    await expect(page.getByTestId('kpi-incidents-value')).toHaveText(String(now));
    const sign = now === before ? '= 0' : now > before ? `↑ +${now - before}` : `↓ −${before - now}`;
    await expect(page.getByTestId('kpi-incidents-previous')).toHaveText(`上期 ${before} · ${sign}`);
    await expect(page.getByTestId('table-villages').locator('tbody tr')).toHaveCount(1);
  });

  test('sorts a table by a column, both ways', async () => {
    const cells = page.getByTestId('table-grids').locator('tbody tr td:first-child');
    await page.getByTestId('sort-grids-0').click();
    const asc = await cells.allTextContents();
    expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true })));
    await page.getByTestId('sort-grids-0').click();
    expect(await cells.allTextContents()).toEqual([...asc].reverse());
  });

  test('prints on A4 landscape without the controls', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.briefing-controls')).toBeHidden();
    await expect(page.getByTestId('kpi-incidents')).toBeVisible();
    await expect(page.getByTestId('chart-heatmap').locator('canvas').first()).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
  });

  test('exports a chart as PNG, a table as CSV with a BOM, and the server`s PDF', async () => {
    const png = await download(page, 'png-categories');
    expect(png.name).toMatch(/^briefing-.*-categories\.png$/);
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

    const csv = await download(page, 'csv-grids');
    expect(csv.name).toMatch(/-grids\.csv$/);
    expect(csv.bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const lines = csv.bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('编号,名称,村（社区）,事件总数,已化解,巡逻时长（队·小时）');
    const rows = await page.getByTestId('table-grids').locator('tbody tr').count();
    expect(lines.length).toBe(rows + 1);
    expect(lines.slice(1).every((l) => /,\d+,\d+,\d+$/.test(l))).toBe(true);

    const pdf = await download(page, 'briefing-pdf');
    expect(pdf.name).toMatch(new RegExp(`^briefing-\\d{4}-\\d{2}-01-.+\\.pdf$`));
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
