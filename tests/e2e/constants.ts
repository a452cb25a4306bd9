/** A device the e2e server registers for the first grid worker team, so tests can post fixes. */
export const E2E_DEVICE_ID = 'e2e-device-00000000000000000001';
export const E2E_TEAM_CODE = 'GW-001';

/** Accounts the e2e server creates (tests only; no account is built into the product). */
export const E2E_USERS = {
  admin: { username: 'e2e-admin', password: 'e2e-admin-password-1' },
  coordinator: { username: 'e2e-coordinator', password: 'e2e-coordinator-password-1' },
  viewer: { username: 'e2e-viewer', password: 'e2e-viewer-password-1' },
  wall: { username: 'e2e-wall', password: 'e2e-wall-password-1' },
} as const;

/**
 * A viewer account only the brute-force test guesses at: it stays locked for
 * a minute afterwards, and no other test may need to sign in as it.
 */
export const E2E_GUESSED_USER = { username: 'e2e-guessed', password: 'e2e-guessed-password-1' } as const;

/** Where the global setup keeps the signed-in administrator's cookies. */
export const ADMIN_STATE = '.test-results/e2e-admin-state.json';

/** The e2e server (tests/e2e/serve.ts) and the browser window every test uses (playwright.config.ts reads these too). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_VIEWPORT = { width: 1600, height: 900 };
