// The import report in an administrator's words (components/admin/import):
// what a problem is about, its figures in the language, the counts, when
// Confirm is allowed, and what the preview map marks.
import { describe, expect, it } from 'vitest';
import { previewMapData } from '../../components/admin/import/preview-map-data';
import {
  applyBlock,
  countProblems,
  formatArea,
  orderProblems,
  previewUrl,
  problemFigures,
  problemSubject,
  problemTitle,
} from '../../components/admin/import/report-format';
import { IMPORT_PROBLEM_CODES, type ImportProblem, type ImportReport, type PreviewFeatureCollection } from '../../lib/import/types';
import { CATALOGUES } from '../../lib/i18n/messages';

const problem = (p: Partial<ImportProblem> & Pick<ImportProblem, 'code'>): ImportProblem => ({ severity: 'warning', message: 'x', ...p });

describe('previewUrl', () => {
  it('puts the layer, datum and file name in the query, escaped', () => {
    expect(previewUrl({ layer: 'grids', datum: 'gcj02', fileName: '网格 2026&v2.zip' })).toBe(
      '/api/admin/import/preview?layer=grids&datum=gcj02&name=%E7%BD%91%E6%A0%BC+2026%26v2.zip',
    );
  });
});

describe('problem wording', () => {
  it('gives areas in square metres, rounded, with the language’s digit grouping', () => {
    expect(formatArea(1234567.4, 'en')).toBe('1,234,567 m²');
    expect(formatArea(0.6, 'zh')).toBe('1 平方米');
  });

  it('names the feature by code and name, an overlap by both cells, else by its place in the file', () => {
    expect(problemSubject(problem({ code: 'duplicate_code', feature: 3, featureCode: 'G-07', featureName: '东村二网格' }), 'zh')).toBe('G-07 · 东村二网格');
    expect(problemSubject(problem({ code: 'grid_overlap', feature: 4, featureCode: 'G-05', codes: ['G-04', 'G-05'] }), 'en')).toBe('G-04 × G-05');
    expect(problemSubject(problem({ code: 'missing_code', feature: 0, featureCode: null, featureName: null }), 'en')).toBe('feature 1');
    expect(problemSubject(problem({ code: 'missing_code', feature: 11, featureCode: null, featureName: null }), 'zh')).toBe('第 12 个要素');
    expect(problemSubject(problem({ code: 'boundary_missing' }), 'en')).toBeNull();
  });

  it('lists the figures: area, where a gap is, whether ST_MakeValid repairs it', () => {
    expect(problemFigures(problem({ code: 'grid_gap', areaM2: 5120.2, at: [101.123456, 30.5] }), 'en')).toEqual(['5,120 m²', 'near 101.12346, 30.50000']);
    expect(problemFigures(problem({ code: 'geometry_invalid', fixable: true }), 'zh')).toEqual(['可用 ST_MakeValid 修复']);
    expect(problemFigures(problem({ code: 'geometry_invalid', fixable: false }), 'en')).toEqual(['cannot be repaired automatically']);
    expect(problemFigures(problem({ code: 'duplicate_name' }), 'en')).toEqual([]);
    expect(problemFigures(problem({ code: 'looks_offset', datum: 'gcj02', shiftM: 512.4 }), 'en')).toEqual([
      'fits much better as GCJ-02 (Amap, Tencent) (about 512 m apart): choose it and upload again',
    ]);
    expect(problemFigures(problem({ code: 'stored_outside_boundary', storedLayer: 'grids', keys: ['G-01', 'G-02'] }), 'zh')).toEqual(['网格：G-01, G-02']);
  });

  it('has a title in both languages for every problem code, and shows a code it does not know as itself', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const code of IMPORT_PROBLEM_CODES) expect(CATALOGUES[lang], `${lang}: ${code}`).toHaveProperty([`importProblem.${code}`]);
    }
    expect(problemTitle('grid_overlap', 'zh')).toBe('网格相互重叠');
    expect(problemTitle('grid_overlap', 'en')).toBe('Grid cells overlap');
    expect(problemTitle('some_new_check', 'en')).toBe('some_new_check');
  });
});

describe('counts, order and Confirm', () => {
  const problems = [problem({ code: 'grid_gap' }), problem({ code: 'duplicate_code', severity: 'error' }), problem({ code: 'grid_overlap' })];

  it('counts errors and warnings and lists errors first, each kind in the server’s order', () => {
    expect(countProblems(problems)).toEqual({ errors: 1, warnings: 2 });
    expect(orderProblems(problems).map((p) => p.code)).toEqual(['duplicate_code', 'grid_gap', 'grid_overlap']);
  });

  it('blocks Confirm on errors, and on invalid geometry until the repair is chosen', () => {
    expect(applyBlock({ importable: false, needsMakeValid: false }, true)).toBe('errors');
    expect(applyBlock({ importable: false, needsMakeValid: true }, true)).toBe('errors');
    expect(applyBlock({ importable: true, needsMakeValid: true }, false)).toBe('needs_make_valid');
    expect(applyBlock({ importable: true, needsMakeValid: true }, true)).toBeNull();
    expect(applyBlock({ importable: true, needsMakeValid: false }, false)).toBeNull();
  });
});

describe('previewMapData', () => {
  const cell = (index: number, code: string | null, x: number): PreviewFeatureCollection['features'][number] => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 0.01, 30], [x + 0.01, 30.01], [x, 30]]] },
    properties: { index, code, name: null },
  });
  const report = (problems: ImportProblem[]): Pick<ImportReport, 'preview' | 'problems'> => ({
    preview: { type: 'FeatureCollection', omitted: 0, features: [cell(0, 'G-01', 100), cell(1, 'G-02', 100.01), cell(2, null, 100.02), cell(3, 'G-04', 100.03)] },
    problems,
  });

  it('marks each feature with the worst problem about it, both cells of an overlap (by code or #n), and keeps the rest ok', () => {
    const data = previewMapData(
      report([
        problem({ code: 'grid_overlap', feature: 1, codes: ['G-01', 'G-02'] }),
        problem({ code: 'duplicate_code', severity: 'error', feature: 1 }),
        problem({ code: 'grid_overlap', feature: 2, codes: ['G-04', '#3'] }),
        problem({ code: 'boundary_missing' }),
      ]),
    );
    expect(data.features.features.map((f) => f.properties.status)).toEqual(['warning', 'error', 'warning', 'warning']);
    expect(data.flagged).toBe(4);
    expect(previewMapData(report([])).flagged).toBe(0);
  });

  it('draws each gap at its point and fits the box around features and gaps', () => {
    const data = previewMapData(report([problem({ code: 'grid_gap', areaM2: 900, at: [100.05, 29.99] })]));
    expect(data.gaps.features).toEqual([{ type: 'Feature', geometry: { type: 'Point', coordinates: [100.05, 29.99] }, properties: { areaM2: 900 } }]);
    expect(data.bbox).toEqual([100, 29.99, 100.05, 30.01]);
  });

  it('has no box when nothing can be drawn', () => {
    const empty = previewMapData({ preview: { type: 'FeatureCollection', omitted: 0, features: [] }, problems: [problem({ code: 'no_features', severity: 'error' })] });
    expect(empty.bbox).toBeNull();
    expect(empty.flagged).toBe(0);
  });
});
