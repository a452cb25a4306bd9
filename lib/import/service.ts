// The township import as a service (issue 12, step 2): preview = parse, check
// the fields, let PostGIS check the geometry against itself and the stored
// township, diff against what is stored, and keep the features under a token
// (import_previews, so any process can apply it); apply = one transaction that
// writes the layer, moves everything that pointed at a changed or removed grid
// cell, and records 'import.apply' in the audit log — all or nothing — then,
// after the commit, forgets the cached road network when roads changed and
// publishes 'township:changed' so open map pages refetch their layers. The
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
  findStoredOutside,
  hasTownshipBoundary,
  insertImportPreview,
  measureLayerFits,
  summarizeRoads,
  takeImportPreview,
  writeBoundary,
  writeGrids,
  writeKeyLocations,
  writeRoads,
  writeVillages,
  type ImportRow,
  type LayerDiff,
} from '../../db/import';
import type { Actor } from '../audit';
import type { Bus } from '../bus';
import { AppError, isDbUnavailable } from '../errors';
import { invalidateRoadNetwork } from '../geo/road-network-cache';
import { KEY_LOCATION_CATEGORIES } from '../model';
import { mapKeyLocationCategory } from './categories';
import { checkLayerFeatures, LAYER_GEOMETRY, readFeatureFields, type FeatureFields } from './fields';
import { bestReading, datumShiftM, otherDatums, reinterpretDatum } from './offset';
import { parseImportFile } from './parse';
import { previewFeatureCollection } from './preview-geometry';
import type { ImportFeature, ImportLayer, ImportProblem, ImportReport, ImportResult, RoadSummary, SourceDatum } from './types';
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

/** Roads: 1 a through road, 2 a street (the basemap draws them so), from a level or the class words GIS exports use; null when the file does not say. */
function roadLevel(feature: ImportFeature): number | null {
  const level = Number(prop(feature, ['level']));
  if (level === 1 || level === 2) return level;
  const kind = prop(feature, ['highway', 'fclass', 'class', '道路等级', '道路类型'])?.toLowerCase();
  if (!kind) return null;
  return /motorway|trunk|primary|secondary|tertiary|国道|省道|县道|高速|干线/.test(kind) ? 1 : 2;
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
  /** The rows PostGIS can work with: valid, or repairable (checks run on the repair). */
  usable: ImportRow[];
}

/** The PostGIS half of the report: validity, and against the township boundary and each other. */
async function checkInPostgis(
  db: Queryable,
  layer: ImportLayer,
  { rows, placed }: { rows: ImportRow[]; placed: ImportRow[] },
  fields: FeatureFields[],
): Promise<Checked> {
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
      // Where each feature lies: also those with an error in their fields (`placed`), not those PostGIS cannot repair.
      const unrepairable = new Set(invalid.filter((g) => !g.fixable).map((g) => g.index));
      const usableIndexes = new Set(rows.map((u) => u.index));
      const located = [...usable, ...placed.filter((r) => !unrepairable.has(r.index) && !usableIndexes.has(r.index))];
      for (const o of await findOutside(db, { features: located })) {
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
  return { problems, needsMakeValid: invalid.some((g) => g.fixable), usable };
}

const DATUM_NAME: Record<SourceDatum, string> = { wgs84: 'WGS-84 (no conversion)', gcj02: 'GCJ-02 (Amap, Tencent)', bd09: 'BD-09 (Baidu)' };
const percent = (share: number | null): string => `${Math.round((share ?? 0) * 100)} %`;

/**
 * looks_offset: reads the layer again as each other datum and keeps the
 * reading that fits what is stored much better, if one does
 * (lib/import/offset.ts says what "much better" is). Nothing stored to
 * compare with, nothing to say.
 */
async function checkOffset(db: Queryable, layer: ImportLayer, rows: ImportRow[], datum: SourceDatum): Promise<ImportProblem[]> {
  const others = otherDatums(datum);
  const readings = [rows, ...others.map((other) => rows.map((r) => ({ ...r, geometry: reinterpretDatum(r.geometry, datum, other) })))];
  const [asRead, ...fits] = await measureLayerFits(db, { layer, readings });
  if (!asRead || (asRead.share === null && asRead.matched === 0)) return [];
  const best = bestReading(asRead, others.map((other, i) => ({ datum: other, fit: fits[i]! })));
  if (!best) return [];
  const shiftM = Math.round(datumShiftM(rows.map((r) => r.geometry), datum, best.datum));
  const evidence =
    asRead.medianM !== null && best.fit.medianM !== null
      ? `the ${asRead.matched} stored feature(s) it matches lie a median ${Math.round(asRead.medianM)} m away as read, ${Math.round(best.fit.medianM)} m read so`
      : `${percent(asRead.share)} of it lies inside ${layer === 'boundary' ? 'the stored grid cells' : 'the stored township'} as read, ${percent(best.fit.share)} read so`;
  return [
    {
      code: 'looks_offset',
      severity: 'warning',
      datum: best.datum,
      shiftM,
      message:
        `This layer looks offset by about ${shiftM} m: read as ${DATUM_NAME[best.datum]} it fits what is stored much better (${evidence}). ` +
        `If it was copied from such a web map, choose ${DATUM_NAME[best.datum]} as the datum and preview again; if this file is right, the stored layers may be the offset ones.`,
    },
  ];
}

const STORED_NOUN = { grids: 'grid cell(s)', villages: 'village(s)', key_locations: 'key location(s)' } as const;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** stored_outside_boundary: what a new boundary would leave outside, one warning per stored layer, naming each. */
async function checkStoredOutside(db: Queryable, rows: ImportRow[]): Promise<ImportProblem[]> {
  const outside = await findStoredOutside(db, { features: rows });
  return (['grids', 'villages', 'key_locations'] as const).flatMap((storedLayer): ImportProblem[] => {
    const keys = outside.filter((o) => o.layer === storedLayer).map((o) => o.key).sort(byCodePoint);
    if (keys.length === 0) return [];
    const shown = keys.length > 12 ? `${keys.slice(0, 12).join(', ')} and ${keys.length - 12} more` : keys.join(', ');
    return [
      {
        code: 'stored_outside_boundary',
        severity: 'warning',
        storedLayer,
        keys,
        message: `${keys.length} stored ${STORED_NOUN[storedLayer]} would lie (partly) outside the new boundary: ${shown}. Check the boundary, or import that layer again after it.`,
      },
    ];
  });
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
  const datum = input.datum ?? 'wgs84';
  const parsed = await parseImportFile({ fileName: input.file.name, bytes: input.file.bytes, datum });
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

  // PostGIS sees only features with a geometry of the layer's kind and no error of their own — except that
  // where each feature lies is checked for every readable geometry of the layer's kind, whatever else is
  // wrong with it, so one report says both "no name" and "outside the township".
  const errorsOf = (keep: (p: ImportProblem) => boolean) =>
    new Set(problems.filter((p) => p.severity === 'error' && p.feature !== undefined && keep(p)).map((p) => p.feature));
  const broken = errorsOf(() => true);
  const unplaceable = errorsOf((p) => parsed.problems.includes(p) || p.code.startsWith('geometry_'));
  const asRows = (skip: Set<number | undefined>): ImportRow[] => features.flatMap((f, i): ImportRow[] =>
    f.geometry && !skip.has(i) && LAYER_GEOMETRY[layer].includes(f.geometry.type)
      ? [
          {
            index: i,
            code: fields[i]?.code ?? null,
            name: fields[i]?.name ?? null,
            nameEn: prop(f, ['name_en', 'nameen', '英文名', '英文名称']),
            category: categories[i] ?? null,
            kind: layer === 'villages' ? villageKind(f, fields[i]?.name ?? null) : null,
            population: layer === 'villages' ? population(f) : null,
            level: layer === 'roads' ? roadLevel(f) : null,
            geometry: f.geometry,
          },
        ]
      : [],
  );
  const rows = asRows(broken);
  const placed = asRows(unplaceable);

  let needsMakeValid = false;
  let diff: LayerDiff = { added: [], changed: [], removed: [] };
  let roads: RoadSummary | undefined;
  if (placed.length > 0) {
    try {
      const { db } = deps;
      const checked = await checkInPostgis(db, layer, { rows, placed }, fields);
      problems.push(...checked.problems);
      if (checked.usable.length > 0) {
        problems.push(...(await checkOffset(db, layer, checked.usable, datum)));
        if (layer === 'boundary') problems.push(...(await checkStoredOutside(db, checked.usable)));
      }
      needsMakeValid = checked.needsMakeValid;
      if (layer === 'roads' && rows.length > 0) roads = await summarizeRoads(db, { features: rows });
      // Nothing importable: no diff (every stored feature would look removed).
      if (rows.length > 0) diff = await diffImportLayer(db, { layer, features: rows });
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
  const report: Omit<ImportReport, 'token' | 'expiresAt' | 'preview'> = {
    layer,
    format: parsed.format,
    fileName: input.file.name,
    featureCount: features.length,
    problems: named,
    diff,
    importable,
    needsMakeValid,
    ...(roads ? { roads } : {}),
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
  return { ...report, token, expiresAt, preview: previewFeatureCollection(features, fields) };
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
 * preview had errors, needs makeValid and was not given it, or when the
 * database refuses a row. After the commit: a roads import makes the cached
 * road network of `deps.db` be built again on its next use (the dispatch
 * ranking and the simulator), and `township:changed` goes out on the bus —
 * when there is one: `npm run import` runs in a process of its own, where
 * nobody listens (a running server sees new roads after a restart).
 */
export async function applyImport(deps: { db: Db; bus?: Bus }, input: { token: string; actor: ImportActor; makeValid?: boolean }): Promise<ImportResult> {
  const makeValid = input.makeValid === true;
  let written: Omit<ImportResult, 'appliedAt'>;
  try {
    written = await deps.db.transaction(
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
        else diff = await writeRoads(tx, { features: rows });
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
  const result: ImportResult = { ...written, appliedAt: new Date().toISOString() };
  if (result.layer === 'roads') invalidateRoadNetwork(deps.db);
  deps.bus?.publish('township:changed', { layer: result.layer, appliedAt: result.appliedAt });
  return result;
}
