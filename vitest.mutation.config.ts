import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// The unit suite as the mutation run (stryker.config.mjs) sees it: no
// database, no integration tests, property tests with a fixed seed (so two
// runs kill the same mutants) and fewer runs.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      // Unit tests of modules the run does not mutate, each slow for its own reason;
      // a mutant at module level ("static") reruns every test file that imports its
      // module, so they would be run hundreds of times for nothing.
      'tests/unit/architecture.test.ts', // reads source text, imports nothing under test
      'tests/unit/route-handlers.test.ts', // imports every app/api handler; its table is pinned in permissions-table
      'tests/unit/seed-*.test.ts', // demo data generators
      'tests/unit/password.test.ts', // scrypt
      'tests/unit/request-target.test.ts',
      'tests/unit/csp.test.ts',
      'tests/unit/i18n-catalogue.test.ts',
      'tests/unit/config.test.ts',
      // Stryker refuses to start while any test fails; MUTATION_EXCLUDE=a.test.ts,b.test.ts
      // leaves out files that fail for reasons of their own (say so when you publish a score).
      ...(process.env.MUTATION_EXCLUDE ?? '').split(',').filter(Boolean),
    ],
    setupFiles: ['tests/mutation/setup.ts'],
    // tests/unit/ingest-properties.test.ts: 300 runs per property instead of 10,000 (it runs once per mutant).
    env: { PROPERTY_RUNS: '300' },
    testTimeout: 60_000,
  },
});
