import { expect, test, type Page } from '@playwright/test';
import { E2E_GUESSED_USER, E2E_USERS } from './constants';

/** Console messages of scripts (or workers) the page's CSP refused, collected while the page lives. */
function cspRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Refused to (execute|load|create)|Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

test.describe('signing in', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a signed-out visitor is sent to the login page, and the API refuses them', async ({ page, request }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await expect(page.getByTestId('login-form')).toBeVisible();
    expect((await request.get('/api/units')).status()).toBe(401);
  });

  test('a wrong password is refused with a message; the right one opens the live map', async ({ page }) => {
    const refused = cspRefusals(page);
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
    // The login page and the live map (MapLibre's workers, deck.gl) ran under the nonce policy without a refusal.
    expect(refused).toEqual([]);
  });

  test('every script on the page carries a fresh nonce from the CSP; an injected inline script does not run', async ({ page }) => {
    const refused = cspRefusals(page);
    const res = await page.goto('/login?wall=1');
    // Hydrated: the form's own effect filled in the wall account, so the page's scripts ran.
    await expect(page.getByTestId('login-username')).toHaveValue('wall');
    const policies = (await res!.headersArray()).filter((h) => h.name.toLowerCase() === 'content-security-policy');
    expect(policies).toHaveLength(1);
    const scriptSrc = policies[0]!.value.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='$/);
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc!)![1]!;
    expect(policies[0]!.value).toContain("worker-src 'self' blob:");

    const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src || 'inline', nonce: s.nonce })));
    expect(scripts.filter((s) => s.src === 'inline').length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.nonce !== nonce)).toEqual([]);
    expect(refused).toEqual([]);

    // page.evaluate itself is not subject to the CSP; the <script> it appends is.
    const ran = await page.evaluate((good) => {
      const w = window as unknown as Record<string, unknown>;
      const inject = (name: string, withNonce?: string) => {
        const s = document.createElement('script');
        if (withNonce) s.nonce = withNonce;
        s.textContent = `window.${name} = true;`;
        document.body.appendChild(s); // an allowed inline script runs during appendChild
        return w[name];
      };
      return { injected: inject('__pwned'), wrongNonce: inject('__pwnedGuess', 'AAAAAAAAAAAAAAAAAAAAAA=='), ownNonce: inject('__ownNonce', good) };
    }, nonce);
    expect(ran).toEqual({ injected: undefined, wrongNonce: undefined, ownNonce: true });
    await expect.poll(() => refused.length).toBe(2);

    // A fresh nonce for every response.
    const again = (await page.request.get('/login')).headers()['content-security-policy'];
    expect(again).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/);
    expect(again).not.toContain(nonce);
  });

  test('signing in at a next= that spells another site stays on our own origin', async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const offsite: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== origin) offsite.push(r.url());
    });
    // The two reported spellings, and a path whose parsed form starts with //.
    for (const next of ['/%5Cevil.example/', '/%09/evil.example/', '/.//evil.example/']) {
      await page.goto(`/login?next=${next}`);
      await page.getByTestId('login-username').fill(E2E_USERS.viewer.username);
      await page.getByTestId('login-password').fill(E2E_USERS.viewer.password);
      await page.getByTestId('login-submit').click();
      await expect(page, next).toHaveURL(`${origin}/`);
    }
    expect(offsite).toEqual([]);
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
    // Its own account: a locked one stays locked for the rest of the minute, when later tests sign in as the others.
    const attempt = () => ctx.post('/api/auth/login', { data: { username: E2E_GUESSED_USER.username, password: 'guess-guess-guess' } });
    for (let i = 0; i < 10; i++) expect((await attempt()).status(), `attempt ${i + 1}`).toBe(401);
    const eleventh = await attempt();
    expect(eleventh.status()).toBe(429);
    expect(Number(eleventh.headers()['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits: the account is locked for the rest of the minute.
    expect((await ctx.post('/api/auth/login', { data: E2E_GUESSED_USER })).status()).toBe(429);
    await ctx.dispose();
  });
});

test.describe('content security policy', () => {
  test('every page is rendered per request, with the nonce of its own response on each script', async ({ page }) => {
    // Signed in as the administrator, so each page renders rather than redirecting.
    for (const path of ['/', '/admin', '/account', '/login', '/no-such-page']) {
      const nonces = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const res = await page.request.get(path);
        expect(res.status(), path).toBe(path === '/no-such-page' ? 404 : 200);
        const policies = (await res.headersArray()).filter((h) => h.name.toLowerCase() === 'content-security-policy');
        expect(policies, path).toHaveLength(1);
        const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)';/.exec(policies[0]!.value)?.[1];
        expect(nonce, path).toBeDefined();
        const tags = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
        expect(tags.length, path).toBeGreaterThan(0);
        expect(tags.filter((t) => !t.includes(` nonce="${nonce}"`)), path).toEqual([]);
        nonces.add(nonce!);
      }
      expect(nonces.size, `${path}: a fresh nonce per response`).toBe(2);
    }
  });
});
