import { expect, test, type Page } from '@playwright/test';
import type { GridCollection, KeyLocation, PlanBoard, UnitState } from '../../lib/model';

// The plan board in Chromium (issue 14, first step), signed in as the e2e
// administrator on the demo township: create a night patrol through the form
// (a team, a one-off day, a window across midnight, a grid cell and a
// checkpoint from the key locations), find it on that day's board, see a
// clashing plan for the same team refused with the server's reason, and
// delete the plan. One page for the whole file.
test.describe.configure({ mode: 'serial' });

/** Far ahead, so no other plan of the demo is on that night. */
const DAY = '2031-01-15';
const NAME = `夜间联防测试 ${Date.now() % 100000}`;

test.describe('the plan board', () => {
  let page: Page;
  let teamId: number;
  let keyLocation: KeyLocation;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    const units = (await (await page.request.get('/api/units')).json()) as UnitState[];
    teamId = units.find((u) => u.status === 'available')!.teamId;
    const locations = (await (await page.request.get('/api/key-locations')).json()) as KeyLocation[];
    const grids = (await (await page.request.get('/api/grids')).json()) as GridCollection;
    const gridIds = new Set(grids.features.map((g) => g.properties.id));
    keyLocation = locations.find((k) => k.gridId !== null && gridIds.has(k.gridId))!;
    await page.goto('/plans');
    await expect(page.getByTestId('plan-board')).toBeVisible();
  });
  test.afterAll(async () => {
    await page?.close();
  });

  test('creates a night patrol through the form and finds it on its day', async () => {
    await page.getByTestId('plans-new').click();
    const form = page.getByTestId('plan-create-form');
    await form.getByTestId('plan-create-name').fill(NAME);
    await form.getByTestId('plan-create-teams').selectOption([String(teamId)]);
    await form.getByTestId('plan-create-repeat').selectOption('once');
    await form.getByTestId('plan-create-date').fill(DAY);
    await form.getByTestId('plan-create-start').fill('18:00');
    await form.getByTestId('plan-create-end').fill('02:00');
    await form.getByTestId('plan-create-area').selectOption([String(keyLocation.gridId)]);
    await form.getByTestId('plan-create-checkpoint-add').click();
    await form.getByTestId('plan-create-checkpoint-location').selectOption(String(keyLocation.id));
    await form.getByTestId('plan-create-checkpoint-radius').fill('60');
    await form.getByTestId('plan-create-submit').click();
    await expect(page.getByTestId('plan-create-form')).toBeHidden();
    await expect(page.getByTestId('plan-row').filter({ hasText: NAME })).toHaveCount(1);

    await page.getByTestId('plans-day').fill(DAY);
    const row = page.getByTestId('plan-occurrence').filter({ hasText: NAME });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('18:00–02:00');
    await expect(row).toContainText(keyLocation.name);
    await expect(row).toContainText('60 m');
    const board = (await (await page.request.get(`/api/plans?day=${DAY}`)).json()) as PlanBoard;
    const plan = board.plans.find((p) => p.name === NAME)!;
    // 18:00 in the township (Asia/Shanghai) on the 15th is 10:00 UTC; it ends at 02:00 on the 16th.
    expect(board.occurrences.filter((o) => o.planId === plan.id)).toEqual([{ planId: plan.id, day: DAY, start: '2031-01-15T10:00:00.000Z', end: '2031-01-15T18:00:00.000Z' }]);
  });

  test('refuses a plan for the same team that overlaps the night, with the reason', async () => {
    await page.getByTestId('plans-new').click();
    const form = page.getByTestId('plan-create-form');
    await form.getByTestId('plan-create-name').fill(`${NAME} 凌晨`);
    await form.getByTestId('plan-create-teams').selectOption([String(teamId)]);
    await form.getByTestId('plan-create-repeat').selectOption('once');
    await form.getByTestId('plan-create-date').fill('2031-01-16');
    await form.getByTestId('plan-create-start').fill('01:00');
    await form.getByTestId('plan-create-end').fill('03:00');
    await form.getByTestId('plan-create-area').selectOption([String(keyLocation.gridId)]);
    await form.getByTestId('plan-create-submit').click();
    await expect(form.getByTestId('plan-create-error')).toContainText(`is already in plan "${NAME}" (18:00–02:00), which overlaps this plan on 2031-01-16`);
    await form.getByTestId('plan-create-cancel').click();
    await expect(page.getByTestId('plan-row').filter({ hasText: `${NAME} 凌晨` })).toHaveCount(0);
  });

  test('deletes the plan: it leaves the board', async () => {
    const row = page.getByTestId('plan-row').filter({ hasText: NAME });
    await row.getByTestId('plan-delete').click();
    await row.getByTestId('plan-delete-confirm').click();
    await expect(page.getByTestId('plan-row').filter({ hasText: NAME })).toHaveCount(0);
    await expect(page.getByTestId('plans-day-empty')).toBeVisible();
  });
});
