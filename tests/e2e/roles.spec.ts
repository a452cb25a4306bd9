import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { ADMIN_STATE, E2E_USERS } from './constants';
import { MapPage } from './map-page';

// Signing in through the form as each role, in Chromium, and seeing only what
// that role may see: the narrative, contact and outcome note of an incident
// in its drawer, the status actions and recommendations, the admin link and
// page. Then the administrator's own tools: the audit log, accounts and
// sessions — a wall screen revoked from the admin page is back at the sign-in
// page within seconds.
test.use({ storageState: { cookies: [], origins: [] } });

type Person = keyof typeof E2E_USERS;

/**
 * Signs in through the login form in a new browser context and lands on `next`
 * (the live map by default). On the map it waits for the live connection, not
 * for WebGL to finish drawing: what these tests read is in the panels.
 */
async function signInThroughForm(browser: Browser, who: Person, { wall = false, next = '/' } = {}): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(next)}${wall ? '&wall=1' : ''}`);
  await page.getByTestId('login-username').fill(E2E_USERS[who].username);
  await page.getByTestId('login-password').fill(E2E_USERS[who].password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(new RegExp(`${next === '/' ? '' : next}/?$`));
  if (next === '/') await expect(page.getByTestId('conn-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  return page;
}

test.describe('each role in the browser', () => {
  const narrative = '草场边界争议，双方情绪激动';
  const contact = '135-2222-3333';
  const outcomeNote = '双方在村委会调解下同意按旧界桩放牧';

  let staffApi: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    staffApi = await playwright.request.newContext({ baseURL });
    expect((await staffApi.post('/api/auth/login', { data: E2E_USERS.coordinator })).status()).toBe(200);
  });
  test.afterAll(async () => staffApi.dispose());

  /** A new open incident with a narrative and a contact; returns its id and title. */
  async function report(role: Person): Promise<{ id: number; title: string }> {
    const title = `角色测试 ${role} ${Date.now() % 100000}`;
    const created = await staffApi.post('/api/incidents', {
      data: { category: 'land_grazing_dispute', severity: 3, title, description: narrative, reporterContact: contact, position: [99.7056, 28.4581] },
    });
    expect(created.status()).toBe(201);
    return { id: ((await created.json()) as { id: number }).id, title };
  }

  /**
   * Signs in as `role` through the form and checks what the map page shows and
   * hides, and which other pages open (the map page itself goes on to them once
   * its live checks are done). Returns the map page.
   */
  async function seeAs(browser: Browser, role: Person): Promise<Page> {
    const { id: incidentId, title } = await report(role);
    const page = await signInThroughForm(browser, role, { wall: role === 'wall' });
    const staff = role === 'admin' || role === 'coordinator';
    await expect(page.getByTestId('me-badge')).toHaveAttribute('data-role', role);
    await expect(page.getByTestId('nav-admin')).toHaveCount(role === 'admin' ? 1 : 0);
    // The plan board's link: staff and viewers (its page rule); the wall display has no use for it.
    await expect(page.getByTestId('nav-plans')).toHaveCount(role === 'wall' ? 0 : 1);

    await page.locator('.feed-item', { hasText: title }).first().click();
    const drawer = page.getByTestId('incident-drawer');
    await expect(drawer).toHaveAttribute('data-incident-id', String(incidentId));
    await expect(drawer.getByTestId('incident-drawer-title')).toHaveText(title);
    await expect(drawer.getByText(narrative)).toHaveCount(staff ? 1 : 0);
    await expect(drawer.getByText(contact)).toHaveCount(staff ? 1 : 0);
    await expect(drawer.getByTestId('incident-status-actions')).toHaveCount(staff ? 1 : 0);
    await expect(drawer.getByTestId('recommendations')).toHaveCount(staff ? 1 : 0);
    // Nothing the role may not read is anywhere in the page's live state either.
    const state = JSON.stringify(await page.evaluate(() => window.__gridsight!.incidents()));
    expect(state.includes(narrative)).toBe(staff);

    // A status change — resolved with an outcome and a note, made here by staff
    // and through the API for the others — reaches the open drawer live.
    const changed = staff
      ? new MapPage(page).resolve('other', outcomeNote).then(() => 200)
      : staffApi.patch(`/api/incidents/${incidentId}`, { data: { status: 'resolved', outcome: 'other', outcomeNote } }).then((r) => r.status());
    expect(await changed).toBe(200);
    await expect(drawer.getByTestId('incident-drawer-status')).toHaveAttribute('data-status', 'resolved', { timeout: 10_000 });
    await expect(drawer.locator('[data-testid="timeline-entry"][data-action="resolved"]')).toHaveCount(1);
    // The outcome note is staff-only like the narrative: in the drawer and its timeline for staff, nowhere for the others.
    expect((await drawer.innerText()).includes(outcomeNote)).toBe(staff);
    expect((await page.content()).includes(outcomeNote)).toBe(staff);

    // The live checks are done: the same page goes on to the other pages, as a
    // person follows a link (a second tab would keep the map drawing in
    // software WebGL beside them, slowing every step on two cores).
    const admin = await page.goto('/admin');
    expect(admin?.status()).toBe(role === 'admin' ? 200 : 403);
    await expect(page.getByTestId(role === 'admin' ? 'admin-page' : 'page-forbidden')).toBeVisible();
    await page.goto('/account');
    await expect(page.getByTestId('account-page')).toBeVisible();
    const current = page.locator('[data-testid="my-session-row"][data-current="true"]');
    await expect(current).toHaveCount(1);
    return page;
  }

  for (const role of ['admin', 'coordinator', 'viewer'] as const) {
    test(`${role}: sees only what the role may see`, async ({ browser }) => {
      const page = await seeAs(browser, role);
      await page.context().close();
    });
  }

  test('wall: lands on /wall, sees only what the role may see; revoked from the admin page, the screen is back at sign-in within seconds', async ({
    browser,
  }) => {
    const { title } = await report('wall');
    // No next: the wall display's home is the wall.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const wall = await context.newPage();
    await wall.goto('/login?wall=1');
    await wall.getByTestId('login-username').fill(E2E_USERS.wall.username);
    await wall.getByTestId('login-password').fill(E2E_USERS.wall.password);
    await wall.getByTestId('login-submit').click();
    await expect(wall).toHaveURL(/\/wall$/);
    await expect(wall.getByTestId('wall')).toBeVisible();
    await expect(wall.getByTestId('me-badge')).toHaveCount(0);
    // A wall screen that has finished drawing (on two software-rendering cores a
    // page still drawing its first frames answers events late).
    await wall.waitForFunction(() => window.__gridsight?.ready === true, null, { timeout: 60_000 });
    const state = JSON.stringify(await wall.evaluate(() => window.__gridsight!.incidents()));
    expect(state.includes(title)).toBe(true);
    expect(state.includes(narrative)).toBe(false);
    expect(state.includes(contact)).toBe(false);

    const tab = await context.newPage();
    expect((await tab.goto('/admin'))?.status()).toBe(403);
    await tab.goto('/account');
    const current = tab.locator('[data-testid="my-session-row"][data-current="true"]');
    await expect(current).toHaveCount(1);
    const sessionId = Number(await current.getAttribute('data-session-id'));
    await tab.close();

    // The administrator's session from the global setup: the sign-in under test here is the wall's.
    const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
    await admin.goto('/admin');
    await admin.getByTestId('admin-tab-sessions').click();
    await admin.getByTestId('sessions-filter-kind').selectOption('wall');
    const row = admin.locator(`[data-testid="session-row"][data-session-id="${sessionId}"]`);
    await expect(row).toHaveAttribute('data-kind', 'wall');
    const started = Date.now();
    await row.getByTestId('session-revoke').click();
    await expect(row).toHaveCount(0);
    await expect(wall).toHaveURL(/\/login/, { timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await context.close();
    await admin.context().close();
  });
});

test.describe('the administrator’s page', () => {
  // One admin page for both checks, as an administrator keeps it open. Signing
  // in through the form is the checks above: this one starts signed in (the
  // global setup's session).
  test.describe.configure({ mode: 'serial' });
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ storageState: ADMIN_STATE });
    page = await context.newPage();
    await page.goto('/admin');
    await expect(page.getByTestId('admin-page')).toBeVisible();
  });
  test.afterAll(async () => page?.context().close());

  test('browse the audit log and filter it by action, outcome and actor', async () => {
    await page.getByTestId('admin-tab-audit').click();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();

    await page.getByTestId('audit-filter-action').selectOption('login');
    await expect(page.getByTestId('audit-row').first()).toHaveAttribute('data-action', 'login');
    await expect(page.locator('[data-testid="audit-row"]:not([data-action="login"])')).toHaveCount(0);

    await page.getByTestId('audit-filter-outcome').selectOption('ok');
    await page.getByTestId('audit-filter-actor').fill(E2E_USERS.admin.username);
    await page.getByTestId('audit-filter-actor').press('Enter');
    await expect(page.getByTestId('audit-row').first()).toHaveAttribute('data-actor', E2E_USERS.admin.username);
    await expect(page.locator('[data-testid="audit-row"]:not([data-outcome="ok"])')).toHaveCount(0);
  });

  test('create an account, then disable it: the person cannot sign in any more', async ({ playwright, baseURL }) => {
    await page.getByTestId('admin-tab-users').click();
    const username = `e2e-new-${Date.now() % 100000}`;
    await page.getByTestId('user-create-username').fill(username);
    await page.getByTestId('user-create-display').fill('新网格员');
    await page.getByTestId('user-create-role').selectOption('viewer');
    await page.getByTestId('user-create-password').fill('short');
    await page.getByTestId('user-create-submit').click();
    await expect(page.getByTestId('user-create-error')).toContainText('password');

    await page.getByTestId('user-create-password').fill('a good long passphrase');
    await page.getByTestId('user-create-submit').click();
    const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
    await expect(row).toHaveAttribute('data-disabled', 'false');

    const person = await playwright.request.newContext({ baseURL });
    expect((await person.post('/api/auth/login', { data: { username, password: 'a good long passphrase' } })).status()).toBe(200);
    await row.getByTestId('user-disable').click();
    await expect(row).toHaveAttribute('data-disabled', 'true');
    expect((await person.get('/api/units')).status()).toBe(401);
    expect((await person.post('/api/auth/login', { data: { username, password: 'a good long passphrase' } })).status()).toBe(401);
    await person.dispose();
  });
});
