// Codes, names and categories read from the attribute names county files use,
// and the checks that need only the features: geometry present and of the
// layer's type, codes and names present and not repeated.
import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { checkLayerFeatures, readFeatureFields } from '../../lib/import/fields';
import type { ImportFeature, ImportProblem } from '../../lib/import/types';

const SQUARE: Geometry = { type: 'Polygon', coordinates: [[[114.1, 30.1], [114.2, 30.1], [114.2, 30.2], [114.1, 30.1]]] };
const feature = (properties: Record<string, unknown> | null, geometry: Geometry | null = SQUARE): ImportFeature => ({ type: 'Feature', properties, geometry });

describe('readFeatureFields', () => {
  it('reads a grid cell’s code and name under the Chinese names a county uses', () => {
    expect(readFeatureFields('grids', feature({ 网格编号: 'G-01', 网格名称: '东村一网格', 面积: 1.2 }))).toEqual({ code: 'G-01', name: '东村一网格' });
  });

  it('reads CODE / NAME in any case, numbers as text, and trims', () => {
    expect(readFeatureFields('grids', feature({ CODE: 7, Name: '  西村网格 ' }))).toEqual({ code: '7', name: '西村网格' });
    expect(readFeatureFields('villages', feature({ 编号: '003', 名称: '东村' }))).toEqual({ code: '003', name: '东村' });
    expect(readFeatureFields('roads', feature({ ID: 12, name: 'S203' }))).toEqual({ code: '12', name: 'S203' });
  });

  it('prefers the layer’s own attribute to a generic one (ArcGIS adds an Id of 0 to every feature)', () => {
    expect(readFeatureFields('grids', feature({ Id: 0, 网格编号: 'G-02', NAME: '总图', 网格名称: '二网格' }))).toEqual({ code: 'G-02', name: '二网格' });
  });

  it('gives null for a missing, empty or non-text value', () => {
    expect(readFeatureFields('grids', feature({ code: '  ', name: null }))).toEqual({ code: null, name: null });
    expect(readFeatureFields('grids', feature({ code: { v: 1 }, name: Number.NaN }))).toEqual({ code: null, name: null });
    expect(readFeatureFields('grids', feature(null))).toEqual({ code: null, name: null });
  });

  it('reads a key location’s category from category / 类别 / type', () => {
    expect(readFeatureFields('key_locations', feature({ 名称: '东村派出所', 类别: '派出所' }))).toEqual({ code: null, name: '东村派出所', category: '派出所' });
    expect(readFeatureFields('key_locations', feature({ name: '卫生院', TYPE: 'clinic' }))).toEqual({ code: null, name: '卫生院', category: 'clinic' });
    expect(readFeatureFields('key_locations', feature({ name: '祠堂' }))).toEqual({ code: null, name: '祠堂', category: null });
  });
});

describe('checkLayerFeatures', () => {
  it('finds nothing wrong with a clean grid cell, and calls an empty MultiPolygon no geometry', () => {
    const features = [feature({ 网格编号: 'G-01', 网格名称: '一网格' }), feature({ 网格编号: 'G-02', 网格名称: '二网格' }, { type: 'MultiPolygon', coordinates: [] })];
    // An empty MultiPolygon is no geometry.
    expect(checkLayerFeatures('grids', features)).toEqual([
      { code: 'geometry_missing', severity: 'error', feature: 1, message: 'Feature 2 (G-02 “二网格”) has no geometry.' },
    ]);
    expect(checkLayerFeatures('grids', features.slice(0, 1))).toEqual([]);
  });

  it('reports every grid-cell problem with the feature it is about', () => {
    const features = [
      feature({ code: 'G-01', name: '一网格' }),
      feature({ code: 'G-02', name: '二网格' }, { type: 'Point', coordinates: [114.1, 30.1] }),
      feature({ name: '三网格' }),
      feature({ code: 'G-04' }, null),
      feature({ code: 'G-01', name: '一网格' }),
    ];
    expect(checkLayerFeatures('grids', features)).toEqual<ImportProblem[]>([
      {
        code: 'geometry_wrong_type',
        severity: 'error',
        feature: 1,
        message: 'Feature 2 (G-02 “二网格”) is a Point, but a grid cell must be one of polygons (Polygon or MultiPolygon).',
      },
      { code: 'geometry_missing', severity: 'error', feature: 3, message: 'Feature 4 (G-04) has no geometry.' },
      { code: 'missing_code', severity: 'error', feature: 2, message: 'Feature 3 (“三网格”) has no code (a 编号 / code attribute).' },
      { code: 'missing_name', severity: 'error', feature: 3, message: 'Feature 4 (G-04) has no name (a 名称 / name attribute).' },
      { code: 'duplicate_code', severity: 'error', feature: 4, message: 'Feature 5 has the code G-01, which feature 1 already has: codes must be unique.' },
      { code: 'duplicate_name', severity: 'warning', feature: 4, message: 'Feature 5 has the name “一网格”, which feature 1 already has.' },
    ]);
  });

  it('does not report a geometry the parser already refused as missing a second time', () => {
    const earlier: ImportProblem[] = [{ code: 'geometry_unreadable', severity: 'error', feature: 0, message: 'Placemark 1 has a coordinate that is not numbers.' }];
    expect(checkLayerFeatures('villages', [feature({ code: 'V-1', name: '东村' }, null)], earlier)).toEqual([]);
    expect(checkLayerFeatures('villages', [feature({ code: 'V-1', name: '东村' }, null)])).toEqual([
      { code: 'geometry_missing', severity: 'error', feature: 0, message: 'Feature 1 (V-1 “东村”) has no geometry.' },
    ]);
  });

  it('takes the geometry types each layer allows, and no others', () => {
    const point: Geometry = { type: 'Point', coordinates: [114.1, 30.1] };
    const line: Geometry = { type: 'LineString', coordinates: [[114.1, 30.1], [114.2, 30.2]] };
    const lines: Geometry = { type: 'MultiLineString', coordinates: [[[114.1, 30.1], [114.2, 30.2]]] };
    const collection: Geometry = { type: 'GeometryCollection', geometries: [point, line] };
    const kinds = (layer: Parameters<typeof checkLayerFeatures>[0], g: Geometry) =>
      checkLayerFeatures(layer, [feature({ code: 'X', name: '甲', category: '派出所' }, g)]).map((p) => p.code);
    expect(kinds('boundary', SQUARE)).toEqual([]);
    expect(kinds('boundary', line)).toEqual(['geometry_wrong_type']);
    expect(kinds('key_locations', point)).toEqual([]);
    expect(kinds('key_locations', SQUARE)).toEqual(['geometry_wrong_type']);
    expect(kinds('key_locations', { type: 'MultiPoint', coordinates: [[114.1, 30.1]] })).toEqual(['geometry_wrong_type']);
    expect(kinds('roads', line)).toEqual([]);
    expect(kinds('roads', lines)).toEqual([]);
    expect(kinds('roads', point)).toEqual(['geometry_wrong_type']);
    expect(kinds('villages', collection)).toEqual(['geometry_wrong_type']);
  });

  it('asks key locations for a name and warns when one has no category; roads and the boundary need neither', () => {
    const point: Geometry = { type: 'Point', coordinates: [114.1, 30.1] };
    expect(checkLayerFeatures('key_locations', [feature({ 类别: '学校' }, point), feature({ 名称: '祠堂' }, point)])).toEqual([
      { code: 'missing_name', severity: 'error', feature: 0, message: 'Feature 1 has no name (a 名称 / name attribute).' },
      { code: 'missing_category', severity: 'warning', feature: 1, message: 'Feature 2 (“祠堂”) has no category (a 类别 / category attribute).' },
    ]);
    expect(checkLayerFeatures('roads', [feature({}, { type: 'LineString', coordinates: [[114.1, 30.1], [114.2, 30.2]] })])).toEqual([]);
    expect(checkLayerFeatures('boundary', [feature({}), feature({})])).toEqual([]);
  });
});
