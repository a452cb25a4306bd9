// `npm run import -- --layer grids [--datum wgs84|gcj02|bd09] [--make-valid] [--yes] <file>`:
// the admin page's import from the command line, through the same service
// (lib/import/service.ts). Prints the report; stores the layer only with
// --yes, and only when the report has no errors. Audited as actor 'cli'.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { dbOptions, loadConfig } from '../lib/config';
import { AppError } from '../lib/errors';
import { applyImport, previewImport } from '../lib/import/service';
import { IMPORT_LAYERS, SOURCE_DATUMS, type ImportLayer, type ImportReport, type SourceDatum } from '../lib/import/types';

const USAGE = `usage: npm run import -- --layer ${IMPORT_LAYERS.join('|')} [--datum ${SOURCE_DATUMS.join('|')}] [--make-valid] [--yes] <file>`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { layer: { type: 'string' }, datum: { type: 'string', default: 'wgs84' }, yes: { type: 'boolean' }, 'make-valid': { type: 'boolean' } },
  });
}
try {
  parsed = parse();
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const layer = values.layer as ImportLayer | undefined;
const datum = values.datum as SourceDatum;
const file = positionals[0];
if (!file || positionals.length > 1 || !layer || !IMPORT_LAYERS.includes(layer) || !SOURCE_DATUMS.includes(datum)) {
  console.error(USAGE);
  process.exit(2);
}

function printReport(r: ImportReport): void {
  console.log(`${r.fileName}: ${r.format ?? 'unknown format'}, ${r.featureCount} feature(s) as ${r.layer}`);
  for (const p of r.problems) console.log(`  ${p.severity === 'error' ? 'ERROR  ' : 'warning'} ${p.code}: ${p.message}`);
  if (r.problems.length === 0) console.log('  no problems found');
  if (r.roads) {
    const outside = r.roads.outsideKm === null ? 'no boundary stored to compare with' : `${r.roads.outsideKm.toFixed(2)} km outside the boundary`;
    console.log(`  roads: ${r.roads.lines} line(s), ${r.roads.lengthKm.toFixed(2)} km in all, ${outside}`);
  }
  const list = (xs: string[]) => (xs.length === 0 ? '—' : xs.join(', '));
  console.log(`  added (${r.diff.added.length}): ${list(r.diff.added)}`);
  console.log(`  changed (${r.diff.changed.length}): ${list(r.diff.changed)}`);
  console.log(`  removed (${r.diff.removed.length}): ${list(r.diff.removed)}`);
}

const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  const report = await previewImport({ db }, { layer, datum, file: { name: basename(file), bytes: readFileSync(file) }, actor: 'cli' });
  printReport(report);
  if (!report.importable) {
    console.error('not imported: the report has errors.');
    process.exitCode = 1;
  } else if (report.needsMakeValid && !values['make-valid']) {
    console.error('not imported: some geometries are invalid; run again with --make-valid to store their repair.');
    process.exitCode = 1;
  } else if (!values.yes) {
    console.log('nothing stored: run again with --yes to import.');
  } else {
    const result = await applyImport({ db }, { token: report.token, actor: 'cli', makeValid: values['make-valid'] === true });
    const r = result.reassigned;
    console.log(
      `imported ${result.layer}: ${result.diff.added.length} added, ${result.diff.changed.length} changed, ${result.diff.removed.length} removed; ` +
        `grid cell re-assigned for ${r.incidents} incident(s), ${r.keyLocations} key location(s), ${r.units} unit(s), ${r.positions} position(s).`,
    );
    // This process's bus has no listeners: a running server learns nothing of the change.
    if (db.engine === 'pg') console.log('A GridSight running on this database shows the layer on pages opened from now on; restart it for dispatch to route on new roads.');
  }
} catch (err) {
  console.error(err instanceof AppError ? `not imported: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await db.close();
}
