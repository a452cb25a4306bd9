import { expect, test } from '@playwright/test';
import { E2E_USERS } from './constants';

test.describe('signing in', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a signed-out visitor is sent to the login page, and the API refuses them', async ({ page, request }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await expect(page.getByTestId('login-form')).toBeVisible();
    expect((await request.get('/api/units')).status()).toBe(401);
  });

  test('a wrong password is refused with a message; the right one opens the live map', async ({ page }) => {
    await page.goto('/login');
    await page.getByTestId('login-username').fill(E2E_USERS.viewer.username);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toBeVisible();
    await expect(page).toHaveURL(/\/login/);

    await page.getByTestId('login-password').fill(E2E_USERS.viewer.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/$/);
    // Live is enough here: the map drawing itself is map.spec.ts's (and roles.spec.ts's) business.
    await expect(page.getByTestId('conn-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  });

  test('the wall-display link fills in the wall account and asks for a long-lived session', async ({ page }) => {
    await page.goto('/login?wall=1');
    await expect(page.getByTestId('login-username')).toHaveValue('wall');
    await expect(page.getByTestId('login-wall')).toBeChecked();
  });

  test('each role gets only what it may: a viewer and a wall display cannot report incidents, a coordinator can', async ({ playwright, baseURL }) => {
    for (const role of ['viewer', 'wall', 'coordinator'] as const) {
      const ctx = await playwright.request.newContext({ baseURL });
      expect((await ctx.post('/api/auth/login', { data: E2E_USERS[role] })).status()).toBe(200);
      expect((await ctx.get('/api/units')).status()).toBe(200);
      const report = await ctx.post('/api/incidents', { data: { category: 'traffic', severity: 1, title: `e2e ${role}`, position: [99.7, 28.45] } });
      expect(report.status(), role).toBe(role === 'coordinator' ? 201 : 403);
      expect((await ctx.post('/api/auth/logout')).status()).toBe(200);
      expect((await ctx.get('/api/units')).status()).toBe(401);
      await ctx.dispose();
    }
  });

  test('viewers and wall displays never receive incident narratives or reporter contacts from the API', async ({ playwright, baseURL }) => {
    const staff = await playwright.request.newContext({ baseURL });
    await staff.post('/api/auth/login', { data: E2E_USERS.admin });
    const created = await staff.post('/api/incidents', {
      data: { category: 'neighbour_dispute', severity: 2, title: 'e2e 邻里纠纷', description: '院墙归属争议', reporterContact: '139-1111-2222', position: [99.7, 28.45] },
    });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    const full = ((await (await staff.get('/api/incidents')).json()) as Record<string, unknown>[]).find((i) => i.id === id)!;
    expect(full.description).toBe('院墙归属争议');
    expect(full.reporterContact).toBe('139-1111-2222');
    // The administrator can browse the audit log: the creation and the read are in it.
    const audit = (await (await staff.get('/api/audit?actor=e2e-admin')).json()) as { action: string; target: string | null }[];
    expect(audit.some((a) => a.action === 'incident.create' && a.target === `incident:${id}`)).toBe(true);
    expect(audit.some((a) => a.action === 'incidents.read_detail')).toBe(true);
    await staff.dispose();

    for (const role of ['viewer', 'wall'] as const) {
      const ctx = await playwright.request.newContext({ baseURL });
      await ctx.post('/api/auth/login', { data: E2E_USERS[role] });
      const text = await (await ctx.get('/api/incidents')).text();
      expect(text, role).toContain('e2e 邻里纠纷');
      expect(text, role).not.toContain('院墙归属争议');
      expect(text, role).not.toContain('139-1111-2222');
      expect(text, role).not.toContain('"description"');
      expect(text, role).not.toContain('"reporterContact"');
      expect((await ctx.get('/api/audit')).status(), role).toBe(403);
      await ctx.dispose();
    }
  });

  test('brute force: the 11th failed sign-in for an account within a minute gets 429 with Retry-After', async ({ playwright, baseURL }) => {
    const ctx = await playwright.request.newContext({ baseURL });
    const attempt = () => ctx.post('/api/auth/login', { data: { username: E2E_USERS.coordinator.username, password: 'guess-guess-guess' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status(), `attempt ${i + 1}`).toBe(401);
    const eleventh = await attempt();
    expect(eleventh.status()).toBe(429);
    expect(Number(eleventh.headers()['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits: the account is locked for the rest of the minute.
    expect((await ctx.post('/api/auth/login', { data: E2E_USERS.coordinator })).status()).toBe(429);
    await ctx.dispose();
  });
});
