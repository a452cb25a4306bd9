import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { request, type FullConfig } from '@playwright/test';
import { ADMIN_STATE, E2E_USERS } from './constants';

/** Signs the administrator in once; every test starts with that session unless it asks for none. */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]!.use.baseURL!;
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post('/api/auth/login', { data: E2E_USERS.admin });
  if (!res.ok()) throw new Error(`e2e admin login failed: ${res.status()} ${await res.text()}`);
  mkdirSync(dirname(ADMIN_STATE), { recursive: true });
  await ctx.storageState({ path: ADMIN_STATE });
  await ctx.dispose();
}
