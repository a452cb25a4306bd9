import { describe, expect, it } from 'vitest';
import {
  GRID_LABELS_LAYER_ID,
  GRID_NAME_MIN_ZOOM,
  GRIDS_LAYER_ID,
  buildGridLayers,
  type GridFeature,
} from '@/components/map/layers/grid-layer';
import { GRID_LOAD_COLORS } from '@/components/map/palette';
import { gridCoverageColor, hoursSincePatrol } from '@/components/map/layers/grid-layer';
import type { GridCollection } from '@/lib/model';
import { gridCell } from '../helpers/factories';

const cell = (id: number, openIncidents: number, lastPatrolAt: string | null = null): GridFeature =>
  gridCell(id, { openIncidents, lastPatrolAt });

const GRIDS: GridCollection = { type: 'FeatureCollection', features: [cell(1, 0), cell(2, 3), cell(3, 9)] };

function call<R>(fn: unknown, f: GridFeature): R {
  return (fn as (d: GridFeature, ctx: unknown) => R)(f, { index: 0, data: [], target: [] });
}

describe('buildGridLayers', () => {
  it('builds the cells and labels with stable ids over the same features', () => {
    const [cells, labels] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 11, visible: true });
    expect(cells.id).toBe(GRIDS_LAYER_ID);
    expect(labels.id).toBe(GRID_LABELS_LAYER_ID);
    expect(cells.props.data).toHaveLength(3);
    expect(labels.props.data).toHaveLength(3);
    expect(cells.props.pickable).toBe(true);
    expect(cells.props.stroked).toBe(true);
  });

  it('shades by open incidents: the snapshot count, or the live count when given', () => {
    const [fromSnapshot] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 11, visible: true });
    const f = GRIDS.features;
    expect(call(fromSnapshot.props.getFillColor, f[0]!)).toEqual(GRID_LOAD_COLORS[0]);
    expect(call(fromSnapshot.props.getFillColor, f[1]!)).toEqual(GRID_LOAD_COLORS[3]);
    expect(call(fromSnapshot.props.getFillColor, f[2]!)).toEqual(GRID_LOAD_COLORS.at(-1));

    const [live] = buildGridLayers({ grids: GRIDS, openByGrid: { 1: 2 }, selectedGridId: null, lang: 'zh', zoom: 11, visible: true });
    expect(call(live.props.getFillColor, f[0]!)).toEqual(GRID_LOAD_COLORS[2]);
    expect(call(live.props.getFillColor, f[2]!)).toEqual(GRID_LOAD_COLORS[0]);
  });

  it('labels with the code, adding the name in the current language when zoomed in', () => {
    const [, far] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 10, visible: true });
    expect(call(far.props.getText, GRIDS.features[0]!)).toBe('V1-01');
    const [, zh] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: GRID_NAME_MIN_ZOOM, visible: true });
    expect(call(zh.props.getText, GRIDS.features[0]!)).toBe('V1-01\n拉雍第1网格');
    const [, en] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'en', zoom: 14, visible: true });
    expect(call(en.props.getText, GRIDS.features[0]!)).toBe('V1-01\nLayong Grid 1');
    expect(call(en.props.getPosition, GRIDS.features[0]!)).toEqual(GRIDS.features[0]!.properties.labelPoint);
  });

  it('can draw Chinese labels with no glyph server', () => {
    const [, labels] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 14, visible: true });
    // Both forms' characters, the code's and the name's, from the first draw (label-characters.ts).
    for (const c of 'V1-01\n拉雍第1网格') expect(labels.props.characterSet).toContain(c);
    expect(labels.props.fontFamily).toMatch(/Noto Sans CJK SC/);
  });

  it('outlines the selected cell', () => {
    const [cells] = buildGridLayers({ grids: GRIDS, openByGrid: null, selectedGridId: 2, lang: 'zh', zoom: 11, visible: true });
    expect(call<number>(cells.props.getLineWidth, GRIDS.features[1]!)).toBeGreaterThan(call<number>(cells.props.getLineWidth, GRIDS.features[0]!));
  });

  it('is empty, not broken, before the grids load', () => {
    const [cells, labels] = buildGridLayers({ grids: undefined, openByGrid: null, selectedGridId: null, lang: 'zh', zoom: 11, visible: false });
    expect(cells.props.data).toHaveLength(0);
    expect(labels.props.visible).toBe(false);
  });

  it('shades by coverage: hours since the last patrol on a ramp, never-patrolled in its own colour', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    const cells = [
      cell(1, 5, '2025-06-01T11:00:00Z'), // 1 h
      cell(2, 0, '2025-06-01T08:00:00Z'), // 4 h
      cell(3, 0, '2025-06-01T03:00:00Z'), // 9 h
      cell(4, 0, '2025-05-31T20:00:00Z'), // 16 h
      cell(5, 0, '2025-05-30T12:00:00Z'), // 48 h
      cell(6, 0, null),
    ];
    const [layer] = buildGridLayers({
      grids: { type: 'FeatureCollection', features: cells },
      openByGrid: null,
      selectedGridId: null,
      lang: 'zh',
      zoom: 11,
      visible: true,
      shading: 'coverage',
      now,
    });
    const colors = cells.map((c) => call(layer.props.getFillColor, c));
    expect(colors).toEqual([
      [45, 212, 191, 36],
      [250, 204, 21, 60],
      [249, 115, 22, 84],
      [239, 68, 68, 104],
      [220, 38, 38, 150],
      [168, 85, 247, 130],
    ]);
    // The open incidents of cell 1 do not matter in this shading.
    expect(colors[0]).not.toEqual(GRID_LOAD_COLORS.at(-1));
    expect(hoursSincePatrol(cells[0]!, now)).toBe(1);
    expect(hoursSincePatrol(cells[5]!, now)).toBeNull();
    // Step edges: exactly 2 h is the second step, just under it the first.
    expect(gridCoverageColor(2)).toEqual([250, 204, 21, 60]);
    expect(gridCoverageColor(1.99)).toEqual([45, 212, 191, 36]);
    expect(gridCoverageColor(24)).toEqual([220, 38, 38, 150]);
  });
});
