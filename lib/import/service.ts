// The township import as a service (issue 12, step 2): preview = parse, check
// the fields, let PostGIS check the geometry against itself and the stored
// township, diff against what is stored, and keep the features under a token
// (import_previews, so any process can apply it); apply = one transaction that
// writes the layer, moves everything that pointed at a changed or removed grid
// cell, and records 'import.apply' in the audit log — all or nothing. The
// admin API and `npm run import` both call these two functions.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../db/audit';
import type { Db, Queryable } from '../../db/client';
import {
  countVillages,
  deleteImportPreview,
  diffImportLayer,
  findGaps,
  findInvalidGeometries,
  findOutside,
  findOverlaps,
  hasTownshipBoundary,
  insertImportPreview,
  takeImportPreview,
  writeBoundary,
  writeGrids,
  writeKeyLocations,
  writeVillages,
  type ImportRow,
  type LayerDiff,
} from '../../db/import';
import type { Actor } from '../audit';
import { AppError, isDbUnavailable } from '../errors';
import { KEY_LOCATION_CATEGORIES } from '../model';
import { mapKeyLocationCategory } from './categories';
import { checkLayerFeatures, LAYER_GEOMETRY, readFeatureFields, type FeatureFields } from './fields';
import { parseImportFile } from './parse';
import type { ImportFeature, ImportLayer, ImportProblem, ImportReport, ImportResult, SourceDatum } from './types';
import { isImportable } from './types';

/** A signed-in administrator, or the command line (`npm run import`), which has no account. */
export type ImportActor = Actor | 'cli';

/** How long a preview can be applied: long enough to read the report, short enough that the data has not moved on. */
export const IMPORT_PREVIEW_TTL_SECONDS = 30 * 60;

const m2 = (n: number): string => (n >= 10_000 ? `${(n / 10_000).toFixed(2)} ha` : `${Math.round(n)} m²`);

function who(i: number, f: FeatureFields | undefined): string {
  const own = [f?.code, f?.name && `“${f.name}”`].filter(Boolean).join(' ');
  return `Feature ${i + 1}${own ? ` (${own})` : ''}`;
}

/** The first of `keys` the properties hold, as text (any case). */
function prop(feature: ImportFeature, keys: readonly string[]): string | null {
  const entries = Object.entries(feature.properties ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v] as const);
  for (const key of keys) {
    const v = entries.find(([k]) => k === key.toLowerCase())?.[1];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}

function villageKind(feature: ImportFeature, name: string | null): string | null {
  const kind = prop(feature, ['kind', '类型'])?.toLowerCase();
  if (kind === 'community' || kind === '社区') return 'community';
  if (kind === 'village' || kind === '村' || kind === '行政村') return 'village';
  return name?.endsWith('社区') ? 'community' : null;
}

function population(feature: ImportFeature): number | null {
  const n = Number(prop(feature, ['population', '人口', '户籍人口']));
  return Number.isInteger(n) && n >= 0 && n <= 10_000_000 ? n : null;
}

/** PostGIS refused a geometry the parser let through: the administrator's file, not our bug (422). */
function refusedByPostgis(err: unknown): never {
  if (err instanceof AppError || isDbUnavailable(err)) throw err;
  const why = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
  throw new AppError('invalid_input', `PostGIS cannot read the geometries of this file (${why}). Check the file in a GIS and export it again.`, { cause: err });
}

interface Checked {
  problems: ImportProblem[];
  needsMakeValid: boolean;
}

/** The PostGIS half of the report: validity, and against the township boundary and each other. */
async function checkInPostgis(db: Queryable, layer: ImportLayer, rows: ImportRow[], fields: FeatureFields[]): Promise<Checked> {
  const problems: ImportProblem[] = [];
  const named = (i: number): Pick<ImportProblem, 'feature' | 'featureCode' | 'featureName'> => ({ feature: i, featureCode: fields[i]?.code ?? null, featureName: fields[i]?.name ?? null });

  const invalid = await findInvalidGeometries(db, { features: rows });
  for (const g of invalid) {
    problems.push({
      code: 'geometry_invalid',
      severity: g.fixable ? 'warning' : 'error',
      ...named(g.index),
      fixable: g.fixable,
      message: g.fixable
        ? `${who(g.index, fields[g.index])} is not a valid geometry (${g.reason}). ST_MakeValid can repair it: apply with “repair geometries” (makeValid) to store the repaired shape.`
        : `${who(g.index, fields[g.index])} is not a valid geometry (${g.reason}) and cannot be repaired automatically: fix it in a GIS.`,
    });
  }
  // Checks of area and position run on the repaired shapes (db/import.ts), so they still mean something.
  const usable = rows.filter((r) => !invalid.some((g) => g.index === r.index && !g.fixable));

  if (layer === 'grids' && (await countVillages(db)) === 0) {
    problems.push({ code: 'villages_missing', severity: 'error', message: 'No villages are stored yet, and every grid cell belongs to one: import the villages first, then the grid cells.' });
  }
  if (layer !== 'boundary') {
    if (!(await hasTownshipBoundary(db))) {
      problems.push({
        code: 'boundary_missing',
        severity: 'warning',
        message: 'No township boundary is stored, so nothing could be checked against it (features outside it, gaps between grid cells). Import the boundary first.',
      });
    } else {
      for (const o of await findOutside(db, { features: usable })) {
        const amount = o.amount === null ? '' : LAYER_GEOMETRY[layer].includes('LineString') ? ` (${Math.round(o.amount)} m of it)` : ` (${m2(o.amount)} of it)`;
        problems.push({
          code: 'outside_boundary',
          severity: o.wholly ? 'error' : 'warning',
          ...named(o.index),
          ...(o.amount !== null && LAYER_GEOMETRY[layer].includes('Polygon') ? { areaM2: o.amount } : {}),
          message: o.wholly
            ? `${who(o.index, fields[o.index])} lies wholly outside the township boundary. Check the coordinate system (a GCJ-02 or BD-09 copy from a web map, or a projected file) or the layer.`
            : `${who(o.index, fields[o.index])} reaches outside the township boundary${amount}.`,
        });
      }
      if (layer === 'grids') {
        for (const gap of await findGaps(db, { features: usable })) {
          problems.push({
            code: 'grid_gap',
            severity: 'warning',
            areaM2: gap.areaM2,
            at: gap.at,
            message: `${m2(gap.areaM2)} of the township near ${gap.at[0].toFixed(5)}, ${gap.at[1].toFixed(5)} is in no grid cell: incidents there will have no cell.`,
          });
        }
      }
    }
  }
  if (layer === 'grids') {
    for (const o of await findOverlaps(db, { features: usable })) {
      const a = fields[o.a]?.code ?? `#${o.a + 1}`;
      const b = fields[o.b]?.code ?? `#${o.b + 1}`;
      problems.push({
        code: 'grid_overlap',
        severity: 'warning',
        feature: o.b,
        featureCode: fields[o.b]?.code ?? null,
        featureName: fields[o.b]?.name ?? null,
        codes: [a, b],
        areaM2: o.areaM2,
        message: `Grid cells ${a} and ${b} overlap by ${m2(o.areaM2)}: a point there counts for ${a}, the lower-numbered cell.`,
      });
    }
  }
  return { problems, needsMakeValid: invalid.some((g) => g.fixable) };
}

/**
 * Reads the file, checks it and keeps it for apply. Never stores anything in
 * the township's tables. A file that cannot be read is a report with errors
 * (not a failure), so the administrator sees why.
 */
export async function previewImport(
  deps: { db: Db },
  input: { layer: ImportLayer; file: { name: string; bytes: Uint8Array }; datum?: SourceDatum; actor: ImportActor },
): Promise<ImportReport> {
  const { layer } = input;
  const parsed = await parseImportFile({ fileName: input.file.name, bytes: input.file.bytes, datum: input.datum ?? 'wgs84' });
  const features = parsed.features;
  const fields = features.map((f) => readFeatureFields(layer, f));
  const problems: ImportProblem[] = [...parsed.problems, ...checkLayerFeatures(layer, features, parsed.problems)];

  const categories = features.map((_, i) => (layer === 'key_locations' ? mapKeyLocationCategory(fields[i]?.category) : null));
  if (layer === 'key_locations') {
    categories.forEach((c, i) => {
      if (c !== null) return;
      const said = fields[i]?.category;
      problems.push({
        code: 'unknown_category',
        severity: 'error',
        feature: i,
        message: `${who(i, fields[i])} ${said ? `has the category “${said}”, which GridSight does not know` : 'has no category'}: use one of ${KEY_LOCATION_CATEGORIES.join(', ')} (or its Chinese name, e.g. 派出所, 学校).`,
      });
    });
  }

  // PostGIS sees only features with a geometry of the layer's kind and no error of their own.
  const broken = new Set(problems.filter((p) => p.severity === 'error' && p.feature !== undefined).map((p) => p.feature));
  const rows: ImportRow[] = features.flatMap((f, i): ImportRow[] =>
    f.geometry && !broken.has(i) && LAYER_GEOMETRY[layer].includes(f.geometry.type)
      ? [
          {
            index: i,
            code: fields[i]?.code ?? null,
            name: fields[i]?.name ?? null,
            nameEn: prop(f, ['name_en', 'nameen', '英文名', '英文名称']),
            category: categories[i] ?? null,
            kind: layer === 'villages' ? villageKind(f, fields[i]?.name ?? null) : null,
            population: layer === 'villages' ? population(f) : null,
            geometry: f.geometry,
          },
        ]
      : [],
  );

  let needsMakeValid = false;
  let diff: LayerDiff = { added: [], changed: [], removed: [] };
  if (rows.length > 0) {
    try {
      const checked = await checkInPostgis(deps.db, layer, rows, fields);
      problems.push(...checked.problems);
      needsMakeValid = checked.needsMakeValid;
      diff = await diffImportLayer(deps.db, { layer, features: rows });
    } catch (err) {
      refusedByPostgis(err);
    }
  }
  // Every problem about a feature says which one, as the file names it.
  const named = problems.map((p) =>
    p.feature === undefined || p.featureCode !== undefined ? p : { ...p, featureCode: fields[p.feature]?.code ?? null, featureName: fields[p.feature]?.name ?? null },
  );
  const importable = isImportable(named) && rows.length === features.length && rows.length > 0;

  const token = randomBytes(24).toString('base64url');
  const report: Omit<ImportReport, 'token' | 'expiresAt'> = {
    layer,
    format: parsed.format,
    fileName: input.file.name,
    featureCount: features.length,
    problems: named,
    diff,
    importable,
    needsMakeValid,
  };
  const { expiresAt } = await insertImportPreview(deps.db, {
    token,
    layer,
    fileName: input.file.name,
    features: rows,
    report,
    importable,
    needsMakeValid,
    createdBy: input.actor === 'cli' ? 'cli' : input.actor.actor,
    ttlSeconds: IMPORT_PREVIEW_TTL_SECONDS,
  });
  return { ...report, token, expiresAt };
}

/** A write the database refuses (a constraint, a trigger): the whole import is rolled back and the administrator told why. */
function refusedByDatabase(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  if (!(err instanceof AppError) && typeof code === 'string' && code.startsWith('23')) {
    const constraint = (err as { constraint?: unknown }).constraint;
    throw new AppError(
      'invalid_input',
      `The database refused the import${typeof constraint === 'string' ? ` (rule ${constraint})` : ''}: ${(err as Error).message.split('\n')[0]!.slice(0, 200)}. Nothing was stored.`,
      { cause: err },
    );
  }
  throw err;
}

/**
 * Applies a preview: one transaction, all or nothing. 404 for a token that
 * is unknown or already applied, 409 once it has expired, 422 when the
 * preview had errors, needs makeValid and was not given it, or is a roads
 * layer (not stored by the importer yet), or when the database refuses a row.
 * No bus event follows: no socket event carries map-layer changes yet, and
 * pages reload the layers when they next fetch them.
 */
export async function applyImport(deps: { db: Db }, input: { token: string; actor: ImportActor; makeValid?: boolean }): Promise<ImportResult> {
  const makeValid = input.makeValid === true;
  try {
    return await deps.db.transaction(
      async (tx) => {
        const preview = await takeImportPreview(tx, { token: input.token });
        if (!preview) throw new AppError('not_found', 'No import preview has this token: it was applied already, or never made. Preview the file again.');
        if (preview.expired) throw new AppError('conflict', `This import preview expired at ${preview.expiresAt}: preview the file again (the data may have changed since).`);
        if (!preview.importable) throw new AppError('invalid_input', 'This preview has errors (see its report): fix the file and preview it again. Nothing was stored.');
        if (preview.needsMakeValid && !makeValid) {
          throw new AppError('invalid_input', 'Some geometries are invalid and were not repaired: apply again with makeValid to store ST_MakeValid’s repair, or fix the file.');
        }
        const layer = preview.layer;
        const rows = preview.features;
        let diff: LayerDiff;
        let reassigned: ImportResult['reassigned'] = { incidents: 0, keyLocations: 0, units: 0, positions: 0 };
        if (layer === 'grids') ({ diff, reassigned } = await writeGrids(tx, { features: rows }));
        else if (layer === 'villages') diff = await writeVillages(tx, { features: rows });
        else if (layer === 'key_locations') diff = await writeKeyLocations(tx, { features: rows });
        else if (layer === 'boundary') diff = await writeBoundary(tx, { features: rows });
        else throw new AppError('invalid_input', 'Roads are checked by the preview but not stored by the importer yet; nothing was stored.');
        await deleteImportPreview(tx, { token: preview.token });
        const actor = input.actor === 'cli' ? { actorUserId: null, actor: 'cli', role: null, ip: null } : input.actor;
        await appendAudit(tx, {
          ...actor,
          action: 'import.apply',
          target: `layer:${layer}`,
          outcome: 'ok',
          detail: { fileName: preview.fileName, features: rows.length, added: diff.added, changed: diff.changed, removed: diff.removed, makeValid, reassigned },
        });
        return { layer, diff, reassigned };
      },
      { setup: true },
    );
  } catch (err) {
    refusedByDatabase(err);
  }
}
