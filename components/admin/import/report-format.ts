// The import report in an administrator's words (issue 12): what each problem
// is about, its figures (areas in m², the two cells of an overlap, where a gap
// is), the counts, and whether — and how — the preview may be applied. Pure:
// the panel and its unit test share it.
import type { ImportLayer, ImportProblem, ImportReport, SourceDatum } from '@/lib/import/types';
import { formatNumber } from '@/lib/i18n/format';
import { translate, translateCode, type Lang } from '@/lib/i18n/messages';

/** The admin page opened on its import tab: where the empty install's map sends an administrator. */
export const IMPORT_TAB_HREF = '/admin?tab=import';

/** The file types the importer reads, for the file picker (it tells them apart by their bytes anyway). */
export const IMPORT_FILE_ACCEPT = '.geojson,.json,.kml,.kmz,.zip,.csv,.txt';

/** The order the layers are offered in: the order an empty install needs them (grids need villages, checks need the boundary). */
export const IMPORT_LAYER_ORDER: readonly ImportLayer[] = ['boundary', 'villages', 'grids', 'key_locations', 'roads'];

export function previewUrl(input: { layer: ImportLayer; datum: SourceDatum; fileName: string }): string {
  const q = new URLSearchParams({ layer: input.layer, datum: input.datum, name: input.fileName });
  return `/api/admin/import/preview?${q.toString()}`;
}

/** "12,345 m²" / "12,345 平方米": always square metres, so two areas compare at a glance. */
export function formatArea(m2: number, lang: Lang): string {
  return translate(lang, 'import.area', { n: formatNumber(Math.round(m2), lang) });
}

/** The feature a problem is about, as the file names it: its code, its name, or its place in the file. */
export function problemSubject(p: ImportProblem, lang: Lang): string | null {
  if (p.codes) return p.codes.join(' × ');
  const own = [p.featureCode, p.featureName].filter((x): x is string => typeof x === 'string' && x !== '');
  if (own.length > 0) return own.join(' · ');
  return p.feature === undefined ? null : translate(lang, 'import.featureNo', { n: p.feature + 1 });
}

/** The problem's figures, in the language: area, where a gap is, whether ST_MakeValid repairs it, which datum fits better, what stored data a new boundary leaves out. */
export function problemFigures(p: ImportProblem, lang: Lang): string[] {
  const out: string[] = [];
  if (p.areaM2 !== undefined) out.push(formatArea(p.areaM2, lang));
  if (p.at) out.push(translate(lang, 'import.near', { lon: p.at[0].toFixed(5), lat: p.at[1].toFixed(5) }));
  if (p.fixable !== undefined) out.push(translate(lang, p.fixable ? 'import.fixable' : 'import.notFixable'));
  if (p.datum && p.shiftM !== undefined) {
    out.push(translate(lang, 'import.looksAs', { datum: translate(lang, `import.datum.${p.datum}`), m: formatNumber(Math.round(p.shiftM), lang) }));
  }
  if (p.storedLayer && p.keys) out.push(translate(lang, 'import.storedOutside', { layer: translate(lang, `import.layer.${p.storedLayer}`), keys: p.keys.join(', ') }));
  return out;
}

/** A problem's headline: its kind in the language (a code the page does not know yet shows as itself). */
export function problemTitle(code: string, lang: Lang): string {
  return translateCode(lang, 'importProblem', code);
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

export function countProblems(problems: readonly ImportProblem[]): ProblemCounts {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** Errors first, then warnings; within each the server's order (parser, fields, PostGIS). */
export function orderProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  return [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')];
}

/** Why Confirm is disabled, or null when it may be pressed. */
export type ApplyBlock = 'errors' | 'needs_make_valid' | null;

/**
 * Whether the preview may be applied as the administrator has chosen. Anything
 * else the apply service refuses comes back as its message.
 */
export function applyBlock(report: Pick<ImportReport, 'importable' | 'needsMakeValid'>, makeValid: boolean): ApplyBlock {
  if (!report.importable) return 'errors';
  if (report.needsMakeValid && !makeValid) return 'needs_make_valid';
  return null;
}
