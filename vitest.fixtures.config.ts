import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests that read ../shared/fixtures (real data nobody here wrote). They are
// their own suite because a user's clone has no ../shared.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/shared-fixtures/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
