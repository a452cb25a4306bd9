// The live plan layers (components/map/layers/plan-layer.ts), the plan
// editor's draft layers (plan-draft-layer.ts) and the push applied to the
// live snapshot (lib/live/plan-checkpoints.ts): what is drawn for given data.
import { describe, expect, it } from 'vitest';
import type { TextLayer } from '@deck.gl/layers';
import { buildPlanLayers, coverageText, planLayerData, PLAN_CHECKPOINTS_LAYER_ID, type PlanLabelDatum } from '@/components/map/layers/plan-layer';
import { CHECKPOINT_COLORS } from '@/components/map/palette';
import { closedRing, planDraftData } from '@/components/map/layers/plan-draft-layer';
import { applyCheckpointChanges } from '@/lib/live/plan-checkpoints';
import type { LiveCheckpoint, PlansLive } from '@/lib/model';

const cp = (checkpointId: number, state: LiveCheckpoint['state'], point: [number, number]): LiveCheckpoint => ({
  checkpointId,
  seq: checkpointId,
  name: `点${checkpointId}`,
  point,
  radiusM: 50,
  state,
  periodStart: '2026-12-01T10:00:00.000Z',
  periodEnd: '2026-12-01T12:00:00.000Z',
  lastVisitAt: null,
  nextDueAt: null,
  suspendedBy: [],
});

const LIVE: PlansLive = {
  serverTime: '2026-12-01T11:00:00.000Z',
  day: '2026-12-01',
  timeZone: 'Asia/Shanghai',
  occurrences: [
    {
      planId: 7,
      name: '集市巡逻',
      kind: 'joint',
      teamIds: [1, 2],
      day: '2026-12-01',
      start: '2026-12-01T10:00:00.000Z',
      end: '2026-12-01T12:00:00.000Z',
      checkpoints: [cp(71, 'visited', [100.5, 31.2]), cp(72, 'due', [100.51, 31.2]), cp(73, 'overdue', [100.52, 31.2])],
    },
    {
      planId: 8,
      name: '网格巡查',
      kind: 'patrol',
      teamIds: [3],
      day: '2026-12-01',
      start: '2026-12-01T10:30:00.000Z',
      end: '2026-12-01T13:00:00.000Z',
      checkpoints: [cp(81, 'suspended', [100.6, 31.3]), cp(82, 'upcoming', [100.61, 31.3])],
    },
  ],
  shapes: [
    {
      planId: 7,
      area: {
        type: 'MultiPolygon',
        coordinates: [
          [[[100.4, 31.1], [100.6, 31.1], [100.6, 31.3], [100.4, 31.1]]],
          [[[100.7, 31.1], [100.8, 31.1], [100.8, 31.3], [100.7, 31.1]]],
        ],
      },
      route: { type: 'LineString', coordinates: [[100.5, 31.2], [100.52, 31.2]] },
    },
    { planId: 8, area: { type: 'Polygon', coordinates: [[[100.55, 31.25], [100.65, 31.25], [100.65, 31.35], [100.55, 31.25]]] }, route: null },
  ],
  coverage: [
    { planId: 7, day: '2026-12-01', share: 0.4267 },
    { planId: 8, day: '2026-12-01', share: null },
  ],
};

describe('planLayerData', () => {
  it('nothing before the first answer', () => {
    expect(planLayerData(undefined)).toEqual({ areas: [], routes: [], checkpoints: [], labels: [], labelCharacters: ' #%0123456789' });
  });

  it('draws each polygon of an area, each route, and every checkpoint in its state colour', () => {
    const d = planLayerData(LIVE);
    expect(d.areas.map((a) => a.planId)).toEqual([7, 7, 8]);
    expect(d.routes).toEqual([{ planId: 7, path: [[100.5, 31.2], [100.52, 31.2]] }]);
    expect(d.checkpoints.map((c) => [c.key, c.state, c.color])).toEqual([
      ['7|2026-12-01|71', 'visited', [46, 204, 113, 255]],
      ['7|2026-12-01|72', 'due', [243, 166, 35, 255]],
      ['7|2026-12-01|73', 'overdue', [231, 76, 60, 255]],
      ['8|2026-12-01|81', 'suspended', [155, 118, 214, 255]],
      ['8|2026-12-01|82', 'upcoming', [127, 148, 171, 255]],
    ]);
  });

  it('labels a route with its plan and the share covered, in whole percent rounded down', () => {
    expect(planLayerData(LIVE).labels).toEqual([{ key: 'route-7', position: [100.5, 31.2], text: '集市巡逻 42%' }]);
    // The layer's characters cover the label at any share, and a plan named later by number.
    const { labelCharacters } = planLayerData(LIVE);
    for (const text of ['集市巡逻 0%', '集市巡逻 100%', '集市巡逻 57%', '#8']) expect([...text].filter((c) => !labelCharacters.includes(c)), text).toEqual([]);
    const labelLayer = buildPlanLayers({ data: planLayerData(LIVE), visible: true })[3] as TextLayer<PlanLabelDatum>;
    expect(labelLayer.props.characterSet).toBe(labelCharacters);
    expect(coverageText(0.999)).toBe('99%');
    expect(coverageText(1)).toBe('100%');
    expect(coverageText(0.29)).toBe('29%');
    expect(coverageText(0)).toBe('0%');
  });

  it('builds four layers with stable ids, hidden by the switch, bigger on the wall', () => {
    const desk = buildPlanLayers({ data: planLayerData(LIVE), visible: false });
    expect(desk.map((l) => l.id)).toEqual(['plan-areas', 'plan-routes', 'plan-checkpoints', 'plan-labels']);
    expect(desk.every((l) => l.props.visible === false)).toBe(true);
    const wall = buildPlanLayers({ data: planLayerData(LIVE), visible: true, variant: 'wall', scale: 2 });
    const rings = wall.find((l) => l.id === PLAN_CHECKPOINTS_LAYER_ID)!;
    expect((rings.props as unknown as { radiusMinPixels: number }).radiusMinPixels).toBe(32);
    expect(rings.props.pickable).toBe(false);
    expect(CHECKPOINT_COLORS.overdue).toEqual([231, 76, 60, 255]);
  });
});

describe('a checkpoint push and the plans drawn', () => {
  it("keeps the areas' and routes' data (the same arrays: not tessellated again) and redraws the checkpoints", () => {
    const before = planLayerData(LIVE);
    const { live } = applyCheckpointChanges(LIVE, { p: [7], d: ['2026-12-01'], c: [72], s: ['visited'] }, '2026-12-01T11:00:05.000Z');
    const after = planLayerData(live);
    expect(after.areas).toBe(before.areas);
    expect(after.routes).toBe(before.routes);
    expect(after.checkpoints.find((c) => c.key === '7|2026-12-01|72')?.state).toBe('visited');
    // New shapes (a plan changed: the snapshot is fetched again) are drawn from the new ones.
    const refetched = planLayerData({ ...LIVE, shapes: LIVE.shapes.slice(1) });
    expect(refetched.areas.map((a) => a.planId)).toEqual([8]);
    expect(refetched.routes).toEqual([]);
  });
});

describe('applyCheckpointChanges', () => {
  it('changes the named checkpoints, moves serverTime, keeps untouched occurrences as they were', () => {
    const r = applyCheckpointChanges(LIVE, { p: [7, 7], d: ['2026-12-01', '2026-12-01'], c: [72, 73], s: ['visited', 'overdue'] }, '2026-12-01T11:05:00.000Z');
    expect(r.malformed).toBe(false);
    expect(r.unknown).toBe(0);
    expect(r.live.serverTime).toBe('2026-12-01T11:05:00.000Z');
    expect(r.live.occurrences[0]!.checkpoints.map((c) => c.state)).toEqual(['visited', 'visited', 'overdue']);
    expect(r.live.occurrences[1]).toBe(LIVE.occurrences[1]);
    expect(LIVE.occurrences[0]!.checkpoints[1]!.state).toBe('due');
  });

  it('counts changes for checkpoints it does not hold (another day, another plan): the caller refetches', () => {
    const r = applyCheckpointChanges(LIVE, { p: [7, 9], d: ['2026-11-30', '2026-12-01'], c: [72, 91], s: ['visited', 'due'] }, '2026-12-01T11:05:00.000Z');
    expect(r.unknown).toBe(2);
    expect(r.live.occurrences[0]!.checkpoints[1]!.state).toBe('due');
  });

  it('a change to the state a checkpoint already has keeps its occurrence as it was; a checkpoint named twice is one change', () => {
    expect(applyCheckpointChanges(LIVE, { p: [8], d: ['2026-12-01'], c: [81], s: ['suspended'] }, 'x').live.occurrences[1]).toBe(LIVE.occurrences[1]);
    const twice = applyCheckpointChanges(LIVE, { p: [9, 9], d: ['2026-12-01', '2026-12-01'], c: [91, 91], s: ['due', 'visited'] }, 'x');
    expect(twice.unknown).toBe(1);
  });

  it('an unreadable payload changes nothing', () => {
    expect(applyCheckpointChanges(LIVE, { p: [7], d: [], c: [72], s: ['visited'] }, 'x')).toEqual({ live: LIVE, unknown: 0, malformed: true });
    expect(applyCheckpointChanges(LIVE, { p: [7], d: ['2026-12-01'], c: [72], s: ['gone' as 'due'] }, 'x').malformed).toBe(true);
  });
});

describe('the plan editor draft', () => {
  it('closes a ring of three or more vertices; fewer are no polygon', () => {
    expect(closedRing([[0, 0], [1, 0]])).toBeNull();
    expect(closedRing([[0, 0], [1, 0], [1, 1]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]]);
  });

  it('draws the area outline while it is being drawn, then its fill; the route; the vertices; the checkpoints', () => {
    const two = planDraftData({ area: [[0, 0], [1, 0]], keptArea: [], route: [[0, 1]], checkpoints: [] });
    expect(two.polygons).toEqual([]);
    expect(two.lines).toEqual([{ kind: 'area', path: [[0, 0], [1, 0]] }]);
    expect(two.vertices.map((v) => v.kind)).toEqual(['area', 'area', 'route']);
    const full = planDraftData({
      area: [[0, 0], [1, 0], [1, 1]],
      keptArea: [[[5, 5], [6, 5], [6, 6], [5, 5]]],
      route: [[0, 1], [1, 2]],
      checkpoints: [{ position: [0.5, 0.5], radiusM: 60 }],
    });
    expect(full.polygons).toEqual([[[5, 5], [6, 5], [6, 6], [5, 5]], [[0, 0], [1, 0], [1, 1], [0, 0]]]);
    expect(full.lines).toEqual([
      { kind: 'area', path: [[0, 0], [1, 0], [1, 1], [0, 0]] },
      { kind: 'route', path: [[0, 1], [1, 2]] },
    ]);
    expect(full.checkpoints).toEqual([{ position: [0.5, 0.5], radiusM: 60 }]);
  });
});
