import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { ADMIN_STATE, E2E_BASE_URL, E2E_PORT, E2E_VIEWPORT } from './tests/e2e/constants';

// Debian's Chromium where it exists (CI, this machine); Playwright's own browser on a laptop.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  globalSetup: './tests/e2e/global-setup.ts',
  use: {
    baseURL: E2E_BASE_URL,
    // Signed in as the e2e administrator (tests/e2e/global-setup.ts).
    storageState: ADMIN_STATE,
    viewport: E2E_VIEWPORT,
    // Pages ask for less motion, as a screen set so would: a desk's new incident rings drawn still instead of
    // pulsing 25 times a second. In software WebGL each pulse frame redraws the whole deck.gl canvas, and a desk
    // left open with a new incident kept the GPU process at about 1.6 of the machine's two cores, slowing every
    // check after it. The wall display's shared screen asks for motion again (tests/e2e/wall.spec.ts): its pulses and fades are
    // theirs to test; the desk's pulse is tests/unit/map-motion.test.ts's.
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        // WebGL in software, headless: MapLibre and deck.gl need it.
        '--use-gl=angle',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--ignore-gpu-blocklist',
      ],
    },
  },
  webServer: {
    command: 'npx tsx tests/e2e/serve.ts',
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    // The first run builds the production bundle.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { E2E_PORT: String(E2E_PORT) },
  },
});
