// `npm test`: unit and integration tests (vitest; the embedded PostGIS always,
// the PostGIS server too when DATABASE_URL is set), then the Playwright suite
// in Chromium. Ends with one line that sums them: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.test-results');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

interface Counts {
  passed: number;
  failed: number;
}

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string; assertionResults: unknown[] }[];
  };
  // A file that fails to load counts as a failure even though no test in it ran;
  // a skipped or todo test proves nothing, so it counts as failed too.
  const brokenFiles = j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  return { passed: j.numPassedTests, failed: j.numFailedTests + brokenFiles + j.numPendingTests + j.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    errors?: unknown[];
  };
  return {
    passed: j.stats.expected + j.stats.flaky,
    failed: j.stats.unexpected + j.stats.skipped + (j.errors?.length ?? 0),
  };
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const only = process.argv[2]; // optional: unit | integration | e2e | fixtures
const total: Counts = { passed: 0, failed: 0 };
let mark = Date.now();
const add = (c: Counts, label: string) => {
  // With the phase's wall time: where CI's minutes go.
  console.log(`[test] ${label}: ${c.passed} passed, ${c.failed} failed (${Math.round((Date.now() - mark) / 1000)} s)`);
  mark = Date.now();
  total.passed += c.passed;
  total.failed += c.failed;
};

if (only === 'fixtures') {
  const file = join(OUT, 'vitest-fixtures.json');
  const code = run(bin('vitest'), ['run', '--config', 'vitest.fixtures.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  const c = vitestCounts(file);
  if (code !== 0 && c.failed === 0) c.failed = 1;
  add(c, 'fixtures (../shared/fixtures)');
}
if (!only || only === 'unit' || only === 'integration') {
  // TEST_SKIP_UNIT=1 leaves out the unit tests (no database in them): CI sets it on its first engine's pass, so
  // they run once per CI run, in the pass under TZ=UTC (where a time taken from the process's zone shows).
  const skipUnit = !only && process.env.TEST_SKIP_UNIT === '1';
  const dirs = only ? [`tests/${only}`] : skipUnit ? ['tests/integration'] : ['tests/unit', 'tests/integration'];
  const file = join(OUT, 'vitest.json');
  const code = run(bin('vitest'), ['run', ...dirs, '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  const c = vitestCounts(file);
  if (code !== 0 && c.failed === 0) c.failed = 1;
  add(c, only ?? (skipUnit ? 'integration' : 'unit + integration'));
}
if (!only || only === 'e2e') {
  // E2E_BROWSER_ONLY_ONCE=1 leaves out the checks tagged @browser-only (what the browser and the page do, whatever the
  // database): CI sets it on its second engine's pass, so each is run once per CI run, not once per engine.
  const args = process.env.E2E_BROWSER_ONLY_ONCE === '1' ? ['test', '--grep-invert', '@browser-only'] : ['test'];
  const code = run(bin('playwright'), args);
  const c = playwrightCounts(join(OUT, 'playwright.json'));
  if (code !== 0 && c.failed === 0) c.failed = 1;
  add(c, 'e2e (Chromium)');
}

console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
