// What an imported feature is called and numbered, read from the attribute
// names county GIS staff actually use (English, Chinese, either case), and the
// checks that need nothing but the features themselves. Checks against the
// township (overlaps, gaps, outside the boundary, validity) are PostGIS's and
// come later.
import type { Geometry } from 'geojson';
import { positionsOf } from './geometry';
import type { ImportFeature, ImportLayer, ImportProblem } from './types';

/** Property names tried in order, compared without case; the layer's own come before the generic ones. */
const CODE_KEYS: Record<ImportLayer, string[]> = {
  grids: ['网格编号', '网格编码', '网格代码', 'grid_code', 'gridcode'],
  villages: ['村编号', '村编码', '村代码', 'village_code'],
  boundary: [],
  key_locations: [],
  roads: [],
};
const GENERIC_CODE_KEYS = ['code', '编号', '编码', '代码', 'id'];

const NAME_KEYS: Record<ImportLayer, string[]> = {
  grids: ['网格名称', '网格名'],
  villages: ['村名称', '村名', '村庄名称'],
  boundary: [],
  key_locations: [],
  roads: ['道路名称', '路名'],
};
const GENERIC_NAME_KEYS = ['name', '名称', '名字'];

const CATEGORY_KEYS = ['category', '类别', '类型', '分类', 'type'];

export interface FeatureFields {
  code: string | null;
  name: string | null;
  /** Key locations only: the file's own category word, mapped to ours later. */
  category?: string | null;
}

/** The value of the first of `keys` the properties hold (any case), as trimmed text; null when none holds one. */
function pick(properties: Record<string, unknown>, keys: string[]): string | null {
  const byLower = new Map<string, unknown>();
  for (const [k, v] of Object.entries(properties)) {
    const lower = k.trim().toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, v);
  }
  for (const key of keys) {
    const v = byLower.get(key.toLowerCase());
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
    if (text) return text;
  }
  return null;
}

export function readFeatureFields(layer: ImportLayer, feature: ImportFeature): FeatureFields {
  const properties = (feature.properties ?? {}) as Record<string, unknown>;
  const fields: FeatureFields = {
    code: pick(properties, [...CODE_KEYS[layer], ...GENERIC_CODE_KEYS]),
    name: pick(properties, [...NAME_KEYS[layer], ...GENERIC_NAME_KEYS]),
  };
  if (layer === 'key_locations') fields.category = pick(properties, CATEGORY_KEYS);
  return fields;
}

/** The geometry types each layer takes. */
export const LAYER_GEOMETRY: Record<ImportLayer, readonly Geometry['type'][]> = {
  boundary: ['Polygon', 'MultiPolygon'],
  villages: ['Polygon', 'MultiPolygon'],
  grids: ['Polygon', 'MultiPolygon'],
  key_locations: ['Point'],
  roads: ['LineString', 'MultiLineString'],
};

const LAYER_NOUN: Record<ImportLayer, { one: string; geometry: string }> = {
  boundary: { one: 'the township boundary', geometry: 'polygons (Polygon or MultiPolygon)' },
  villages: { one: 'a village', geometry: 'polygons (Polygon or MultiPolygon)' },
  grids: { one: 'a grid cell', geometry: 'polygons (Polygon or MultiPolygon)' },
  key_locations: { one: 'a key location', geometry: 'points (Point)' },
  roads: { one: 'a road', geometry: 'lines (LineString or MultiLineString)' },
};

/** Layers whose features are told apart by code and name. */
const NAMED_LAYERS: readonly ImportLayer[] = ['grids', 'villages'];

/** "Feature 3 (G-01 东村一网格)": 1-based for people, with what the feature calls itself. */
function describe(i: number, f: FeatureFields): string {
  const own = [f.code, f.name && `“${f.name}”`].filter(Boolean).join(' ');
  return `Feature ${i + 1}${own ? ` (${own})` : ''}`;
}

/**
 * The checks that need only the features: each geometry present and of a
 * type the layer takes; for grid cells and villages a code and a name on each,
 * no code used twice (an error) and no name used twice (a warning: two
 * villages may each have a "第一网格"); for key locations a name and a
 * category. Features that already have an error in `earlier` (the parser's
 * problems) are not reported missing a geometry a second time.
 */
export function checkLayerFeatures(layer: ImportLayer, features: readonly ImportFeature[], earlier: readonly ImportProblem[] = []): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const alreadyBroken = new Set(earlier.filter((p) => p.severity === 'error' && p.feature !== undefined).map((p) => p.feature));
  const noun = LAYER_NOUN[layer];
  const fields = features.map((f) => readFeatureFields(layer, f));

  features.forEach((f, i) => {
    const who = describe(i, fields[i]!);
    if (!f.geometry || positionsOf(f.geometry).length === 0) {
      if (!alreadyBroken.has(i)) problems.push({ code: 'geometry_missing', severity: 'error', feature: i, message: `${who} has no geometry.` });
    } else if (!LAYER_GEOMETRY[layer].includes(f.geometry.type)) {
      problems.push({
        code: 'geometry_wrong_type',
        severity: 'error',
        feature: i,
        message: `${who} is a ${f.geometry.type}, but ${noun.one} must be one of ${noun.geometry}.`,
      });
    }
  });

  if (NAMED_LAYERS.includes(layer)) {
    fields.forEach((f, i) => {
      if (!f.code) problems.push({ code: 'missing_code', severity: 'error', feature: i, message: `${describe(i, f)} has no code (a 编号 / code attribute).` });
      if (!f.name) problems.push({ code: 'missing_name', severity: 'error', feature: i, message: `${describe(i, f)} has no name (a 名称 / name attribute).` });
    });
    problems.push(...duplicates(fields, 'code'), ...duplicates(fields, 'name'));
  }

  if (layer === 'key_locations') {
    fields.forEach((f, i) => {
      if (!f.name) problems.push({ code: 'missing_name', severity: 'error', feature: i, message: `${describe(i, f)} has no name (a 名称 / name attribute).` });
      if (!f.category) {
        problems.push({ code: 'missing_category', severity: 'warning', feature: i, message: `${describe(i, f)} has no category (a 类别 / category attribute).` });
      }
    });
  }
  return problems;
}

/** One problem for each feature that repeats a code (error) or name (warning) an earlier feature has. */
function duplicates(fields: FeatureFields[], key: 'code' | 'name'): ImportProblem[] {
  const first = new Map<string, number>();
  const out: ImportProblem[] = [];
  fields.forEach((f, i) => {
    const value = f[key];
    if (!value) return;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, i);
      return;
    }
    out.push(
      key === 'code'
        ? { code: 'duplicate_code', severity: 'error', feature: i, message: `Feature ${i + 1} has the code ${value}, which feature ${earlier + 1} already has: codes must be unique.` }
        : { code: 'duplicate_name', severity: 'warning', feature: i, message: `Feature ${i + 1} has the name “${value}”, which feature ${earlier + 1} already has.` },
    );
  });
  return out;
}
