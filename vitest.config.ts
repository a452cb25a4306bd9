import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // The fault tests cut the PostGIS server's connections, and the lock and leader tests need two
    // connections at once: they exist only where there is a server.
    exclude: [
      ...(process.env.DATABASE_URL ? [] : ['tests/integration/ingest-fault.test.ts', 'tests/integration/realtime-fault.test.ts', 'tests/integration/lock-backstops.test.ts', 'tests/integration/leader.test.ts']),
      // Two processes on one database and one Redis: only where both servers exist.
      ...(process.env.DATABASE_URL && process.env.REDIS_URL ? [] : ['tests/integration/limits-shared.test.ts', 'tests/integration/cluster.test.ts']),
    ],
    // Each integration file starts its own embedded PostGIS (about 10 s) and seeds it.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: more parallel PGlite instances only fight over them.
    maxWorkers: 2,
  },
});
