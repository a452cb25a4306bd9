// The grid layers pinned by example: load and coverage colours at their
// edges, the label's text and size at the zoom edge, hidden labels, every
// fixed prop and the update triggers. Colours are written out as RGBA literals.
import { describe, expect, it } from 'vitest';
import {
  GRID_LABELS_LAYER_ID,
  GRID_NAME_MIN_ZOOM,
  GRID_SHADINGS,
  GRIDS_LAYER_ID,
  buildGridLayers,
  gridCoverageColor,
  gridLabel,
  gridLoad,
  gridLoadColor,
  hoursSincePatrol,
  type GridFeature,
  type GridLayerInput,
} from '@/components/map/layers/grid-layer';
import type { GridCollection } from '@/lib/model';

function cell(id: number, openIncidents: number, lastPatrolAt: string | null = null): GridFeature {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'MultiPolygon', coordinates: [[[[100, 31], [100.01, 31], [100.01, 31.01], [100, 31]]]] },
    properties: {
      id,
      code: `V1-0${id}`,
      name: `拉雍第${id}网格`,
      nameEn: `Layong Grid ${id}`,
      villageId: 1,
      villageName: '拉雍村',
      villageNameEn: 'Layong Village',
      openIncidents,
      lastPatrolAt,
      areaKm2: 1.2,
      labelPoint: [100.005, 31.005],
    },
  };
}

const call = <R>(fn: unknown, f: GridFeature): R => (fn as (d: GridFeature, ctx: unknown) => R)(f, { index: 0, data: [], target: [] });
const A = cell(1, 2, '2025-06-01T10:30:00Z');
const B = cell(2, 0);
const GRIDS: GridCollection = { type: 'FeatureCollection', features: [A, B] };
const BASE: GridLayerInput = { grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 11, visible: true };
const NOW = Date.parse('2025-06-01T12:00:00Z');

const LOAD = [
  [56, 189, 248, 12],
  [249, 115, 22, 40],
  [249, 115, 22, 66],
  [239, 68, 68, 84],
  [239, 68, 68, 118],
];

describe('grid helpers', () => {
  it('reads the load from the live counts when given (0 for a cell they do not name), else from the snapshot', () => {
    expect(gridLoad(A, null)).toBe(2);
    expect(gridLoad(A, { 1: 5 })).toBe(5);
    expect(gridLoad(A, { 2: 5 })).toBe(0);
  });

  it('colours the load by whole incidents, clamped to the ramp', () => {
    expect([0, 0.9, 1, 2.7, 3, 4, 9].map(gridLoadColor)).toEqual([LOAD[0], LOAD[0], LOAD[1], LOAD[2], LOAD[3], LOAD[4], LOAD[4]]);
    expect(gridLoadColor(-3)).toEqual(LOAD[0]);
    expect(gridLoadColor(Number.NaN)).toEqual(LOAD[0]);
  });

  it('measures hours since the last patrol, never below 0; none for never or an unreadable time', () => {
    expect(hoursSincePatrol(A, NOW)).toBe(1.5);
    expect(hoursSincePatrol(A, Date.parse('2025-06-01T10:00:00Z'))).toBe(0);
    expect(hoursSincePatrol(B, NOW)).toBeNull();
    expect(hoursSincePatrol(cell(3, 0, 'last tuesday'), NOW)).toBeNull();
  });

  it('steps the coverage ramp at 2, 6, 12 and 24 hours; never patrolled is violet', () => {
    const cases: [hours: number, rgba: number[]][] = [
      [0, [45, 212, 191, 36]],
      [1.99, [45, 212, 191, 36]],
      [2, [250, 204, 21, 60]],
      [5.99, [250, 204, 21, 60]],
      [6, [249, 115, 22, 84]],
      [11.99, [249, 115, 22, 84]],
      [12, [239, 68, 68, 104]],
      [23.99, [239, 68, 68, 104]],
      [24, [220, 38, 38, 150]],
      [1000, [220, 38, 38, 150]],
    ];
    for (const [hours, rgba] of cases) expect(gridCoverageColor(hours)).toEqual(rgba);
    expect(gridCoverageColor(null)).toEqual([168, 85, 247, 130]);
  });

  it('labels with the code, or the code and the name in the language on a second line', () => {
    expect(gridLabel(A, 'zh', false)).toBe('V1-01');
    expect(gridLabel(A, 'zh', true)).toBe('V1-01\n拉雍第1网格');
    expect(gridLabel(A, 'en', true)).toBe('V1-01\nLayong Grid 1');
    expect(GRID_SHADINGS).toEqual(['load', 'coverage']);
  });
});

describe('buildGridLayers', () => {
  it('has fixed ids and props', () => {
    const [cells, labels] = buildGridLayers(BASE);
    expect([GRIDS_LAYER_ID, GRID_LABELS_LAYER_ID]).toEqual(['grids', 'grid-labels']);
    expect([cells.id, labels.id]).toEqual(['grids', 'grid-labels']);
    expect(cells.props).toMatchObject({
      visible: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [125, 211, 252, 50],
      filled: true,
      stroked: true,
      lineWidthUnits: 'pixels',
    });
    expect(labels.props).toMatchObject({
      visible: true,
      pickable: false,
      sizeUnits: 'pixels',
      getColor: [214, 224, 236, 235],
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      lineHeight: 1.25,
      fontWeight: 500,
      // Both forms' characters (code; code, line break and name): the set does not change at the names' zoom.
      characterSet: '\n-012V拉格第网雍',
      fontSettings: { sdf: true, buffer: 8 },
      outlineWidth: 2.5,
      outlineColor: [6, 10, 16, 235],
    });
    expect(labels.props.fontFamily).toBe(
      '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
    );
    expect(call(labels.props.getPosition, A)).toEqual([100.005, 31.005]);
    const [hiddenCells, hiddenLabels] = buildGridLayers({ ...BASE, visible: false });
    expect([hiddenCells.props.visible, hiddenLabels.props.visible]).toEqual([false, false]);
  });

  it('outlines the selected cell white and 3 px wide, the others blue and 1 px', () => {
    const [cells] = buildGridLayers({ ...BASE, selectedGridId: 2 });
    expect(call(cells.props.getLineColor, B)).toEqual([255, 255, 255, 240]);
    expect(call(cells.props.getLineColor, A)).toEqual([125, 211, 252, 150]);
    expect([call(cells.props.getLineWidth, B), call(cells.props.getLineWidth, A)]).toEqual([3, 1]);
  });

  it('shades by load by default, from the snapshot or the live counts, keyed by those counts', () => {
    const [snapshot] = buildGridLayers(BASE);
    expect([call(snapshot.props.getFillColor, A), call(snapshot.props.getFillColor, B)]).toEqual([LOAD[2], LOAD[0]]);
    expect(snapshot.props.updateTriggers).toEqual({ getFillColor: 'snapshot', getLineColor: null, getLineWidth: null });
    const [live] = buildGridLayers({ ...BASE, openByGrid: { 1: 0, 2: 3 }, selectedGridId: 1 });
    expect([call(live.props.getFillColor, A), call(live.props.getFillColor, B)]).toEqual([LOAD[0], LOAD[3]]);
    expect(live.props.updateTriggers).toEqual({ getFillColor: '1,0;2,3', getLineColor: 1, getLineWidth: 1 });
  });

  it('shades by coverage when asked, at the clock given (the epoch when none), keyed by the minute', () => {
    const [coverage] = buildGridLayers({ ...BASE, shading: 'coverage', now: NOW + 59_999 });
    expect([call(coverage.props.getFillColor, A), call(coverage.props.getFillColor, B)]).toEqual([
      [45, 212, 191, 36],
      [168, 85, 247, 130],
    ]);
    expect(coverage.props.updateTriggers).toEqual({ getFillColor: 'coverage:29146320', getLineColor: null, getLineWidth: null });
    const [epoch] = buildGridLayers({ ...BASE, shading: 'coverage' });
    expect(call(epoch.props.getFillColor, A)).toEqual([45, 212, 191, 36]);
    expect(epoch.props.updateTriggers.getFillColor).toBe('coverage:0');
  });

  it('adds the name from zoom 12.2, at 13 px (12 px for the code alone) or the sizes given', () => {
    expect(GRID_NAME_MIN_ZOOM).toBe(12.2);
    const [, far] = buildGridLayers({ ...BASE, zoom: 12.19 });
    expect([call(far.props.getText, A), far.props.getSize]).toEqual(['V1-01', 12]);
    expect(far.props.updateTriggers).toEqual({ getText: ['zh', false], getSize: [12, ''] });
    const [, near] = buildGridLayers({ ...BASE, zoom: 12.2, lang: 'en' });
    expect([call(near.props.getText, A), near.props.getSize]).toEqual(['V1-01\nLayong Grid 1', 13]);
    expect(near.props.updateTriggers).toEqual({ getText: ['en', true], getSize: [13, ''] });
    const sizes = { grid: 30, gridNamed: 34 };
    expect(buildGridLayers({ ...BASE, zoom: 11, labelSizes: sizes })[1].props.getSize).toBe(30);
    expect(buildGridLayers({ ...BASE, zoom: 13, labelSizes: sizes })[1].props.getSize).toBe(34);
  });

  it('shrinks hidden labels to 0 and keeps the others at their size; no hidden set, one size for all', () => {
    const [, labels] = buildGridLayers({ ...BASE, hiddenLabels: new Set([2]), hiddenKey: 'h2' });
    expect([call(labels.props.getSize, A), call(labels.props.getSize, B)]).toEqual([12, 0]);
    expect(labels.props.updateTriggers.getSize).toEqual([12, 'h2']);
    expect(buildGridLayers({ ...BASE, hiddenLabels: new Set() })[1].props.getSize).toBe(12);
  });

  it('is empty before the grids load', () => {
    const [cells, labels] = buildGridLayers({ ...BASE, grids: undefined });
    expect([cells.props.data, labels.props.data]).toEqual([[], []]);
  });
});
