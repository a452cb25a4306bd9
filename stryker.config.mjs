// Mutation testing of the pure core against the unit suite (docs/TESTING.md).
//   npm run test:mutation                      every file below (about 25 min)
//   MUTATE_SET=fast npm run test:mutation      the CI subset (under 4 min)
//   npm run test:mutation -- --mutate lib/rate-limit.ts   one file
// Not part of `npm test`: it runs the unit suite once per mutant.

/** Every parser and rule of the pure core. */
const ALL = [
  'lib/live/live-store.ts',
  'lib/live/fix-time.ts',
  'lib/ingest/osmand.ts',
  'lib/ingest/fix.ts',
  'lib/rate-limit.ts',
  'components/map/layers/unit-layer.ts',
  'lib/ingest/batch.ts',
  'lib/ingest/owntracks.ts',
  'lib/auth/permissions.ts',
  'lib/model/lifecycle.ts',
  'lib/model/township-time.ts',
  'lib/auth/privacy.ts',
  'lib/auth/origin.ts',
  'lib/ingest/traccar-json.ts',
  'lib/rules/alert-rules.ts',
  'lib/rules/arrival.ts',
  'lib/ingest/gpx.ts',
  'lib/ingest/body.ts',
  'lib/auth/next-path.ts',
  // Only buildRecommendations, the pure part: recommendTeams above it reads the database.
  'lib/recommend.ts:39-79',
  'components/map/layers/incident-layer.ts',
  'components/map/layers/alert-layer.ts',
  'components/map/layers/grid-layer.ts',
  'components/map/layers/heatmap-layer.ts',
  'components/map/layers/unit-age-layer.ts',
];

/** The subset CI runs (.ci/run): the rules whose unit tests are fast. */
// (Not lib/model/lifecycle.ts: its table is module-level, and a module-level mutant
// reruns every test file importing lib/model, nearly the whole unit suite.)
const FAST = ['lib/rate-limit.ts', 'lib/auth/permissions.ts', 'lib/auth/origin.ts', 'lib/model/township-time.ts'];

const fast = process.env.MUTATE_SET === 'fast';
// Mutants run in the township's zone, not the machine's: a plain `yyyy-MM-dd HH:mm:ss`
// read by Date.parse (in the process zone) instead of as UTC agrees with the right
// answer only on a UTC machine. The test runners are child processes and inherit it.
process.env.TZ = 'Asia/Shanghai';
/** reports/mutation/<name>.json and .html */
const report = process.env.MUTATION_REPORT ?? (fast ? 'fast' : 'mutation');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: fast ? FAST : ALL,
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 10_000,
  reporters: fast ? ['clear-text', 'progress', 'json'] : ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true },
  // Below `break` the run fails (and the CI step with it).
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['.next', 'data', 'test-results', 'playwright-report', '.bench', '.test-results', 'reports', 'tests/e2e', 'tests/integration', 'tests/shared-fixtures', 'docs', 'bench', 'public'],
  ignoreStatic: false,
};

export default config;
