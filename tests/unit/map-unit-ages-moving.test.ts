// The wall's units under a stream of fixes: a batch that only moves units
// keeps the ages' pictures and the dots' colours (the data compares equal and
// only the positions are read again); a label whose text
// or colour changes, or a dot that turns grey, is new data. The desk, which
// passes no positionsKey, keeps plain identity comparison.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Layer } from '@deck.gl/core';
import { buildMapLayers } from '@/components/map/build-layers';
import { UNIT_AGES_LAYER_ID, buildUnitAgeLayer, sameUnitAges, unitAgeText, unitAgesKey } from '@/components/map/layers/unit-age-layer';
import { UNIT_HEADINGS_LAYER_ID, UNITS_LAYER_ID, buildUnitLayers, sameHeadings, sameUnitDots } from '@/components/map/layers/unit-layer';
import { FORCE_COLORS } from '@/components/map/palette';
import { isUnitStale } from '@/lib/live/live-store';
import type { UnitState } from '@/lib/model';
import { FACTORY_NOW, isoAt, mapLayersInput, unit } from '../helpers/factories';

const NOW = FACTORY_NOW; // 2025-06-01T08:00:00Z; stale more than 2 minutes after the fix
const A = unit(1, { fixTime: isoAt(NOW - 10_000) });
const B = unit(2, { fixTime: isoAt(NOW - 95_000) });
const C = unit(3, { fixTime: isoAt(NOW - 30 * 60_000) });
const LIST = [A, B, C];

describe('sameUnitAges', () => {
  it('is the same list when the very same objects come back', () => {
    expect(sameUnitAges(LIST, LIST, NOW, 'zh')).toBe(true);
    expect(sameUnitAges([], [], NOW, 'zh')).toBe(true);
  });

  it('ignores a move: a new object at a new position with the same fix time, or a new fix of the same age text', () => {
    const moved = { ...A, position: [100.2, 31.3] as [number, number] };
    expect(sameUnitAges([moved, B, C], LIST, NOW, 'zh')).toBe(true);
    // 10 s → 40 s old: both "<1分", both fresh.
    const refixed = { ...A, fixTime: isoAt(NOW - 40_000), position: [100.2, 31.3] as [number, number] };
    expect(sameUnitAges([refixed, B, C], LIST, NOW, 'zh')).toBe(true);
  });

  it('differs when a label’s text changes', () => {
    // 95 s ("1分") → 5 s ("<1分").
    const fresh = { ...B, fixTime: isoAt(NOW - 5_000) };
    expect(sameUnitAges([A, fresh, C], LIST, NOW, 'zh')).toBe(false);
  });

  it('differs when a label turns grey without its text changing (2 min exactly is fresh, a millisecond more is stale)', () => {
    const atTwo = unit(4, { fixTime: isoAt(NOW - 120_000) });
    const pastTwo = { ...atTwo, fixTime: isoAt(NOW - 120_001) };
    expect(sameUnitAges([pastTwo], [atTwo], NOW, 'en')).toBe(false);
  });

  it('differs for another length, another team at a place, or no previous list', () => {
    expect(sameUnitAges([A, B], LIST, NOW, 'zh')).toBe(false);
    expect(sameUnitAges([A, C, B], LIST, NOW, 'zh')).toBe(false);
    expect(sameUnitAges(LIST, undefined, NOW, 'zh')).toBe(false);
  });
});

describe('unitAgesKey', () => {
  it('is the same for lists drawing the same labels: moves and new fixes of the same text and colour', () => {
    const moved = { ...A, position: [100.2, 31.3] as [number, number], fixTime: isoAt(NOW - 40_000) };
    expect(unitAgesKey([moved, B, C], NOW, 'zh')).toBe(unitAgesKey(LIST, NOW, 'zh'));
    expect(unitAgesKey(LIST, NOW + 10_000, 'zh')).toBe(unitAgesKey(LIST, NOW, 'zh'));
  });

  it('differs for a text changed, a label turned grey, another order, length or language', () => {
    const key = unitAgesKey(LIST, NOW, 'zh');
    expect(unitAgesKey([A, { ...B, fixTime: isoAt(NOW - 5_000) }, C], NOW, 'zh')).not.toBe(key);
    const atTwo = unit(4, { fixTime: isoAt(NOW - 120_000) });
    expect(unitAgesKey([{ ...atTwo, fixTime: isoAt(NOW - 120_001) }], NOW, 'en')).not.toBe(unitAgesKey([atTwo], NOW, 'en'));
    expect(unitAgesKey([A, C, B], NOW, 'zh')).not.toBe(key);
    expect(unitAgesKey([A, B], NOW, 'zh')).not.toBe(key);
    expect(unitAgesKey(LIST, NOW, 'en')).not.toBe(key);
    expect(unitAgesKey([A, unit(9, { fixTime: null })], NOW, 'en')).not.toBe(unitAgesKey([A], NOW, 'en'));
  });

  it('equal keys exactly when the texts and colours are equal, over random lists', () => {
    // Ages from a second to three days, none: texts of different lengths side by side ("1分", "11分", "<1分").
    // The second list mostly shares the first's ages, so equal pairs come up as often as different ones.
    const age = fc.option(fc.integer({ min: 1_000, max: 3 * 86_400_000 }), { nil: null });
    const atAge = (a: number | null, i: number) => unit(i + 1, { fixTime: a === null ? null : isoAt(NOW - a) });
    const pairs = fc.array(fc.tuple(age, age, fc.nat(9)), { maxLength: 12 }).map((rows): [UnitState[], UnitState[]] => [
      rows.map(([a], i) => atAge(a, i)),
      rows.map(([a, other, pick], i) => atAge(pick === 0 ? other : a, i)),
    ]);
    const labels = (us: UnitState[]) => us.map((u) => `${unitAgeText(u, NOW, 'zh')}/${isUnitStale(u, NOW)}`);
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        expect(unitAgesKey(a, NOW, 'zh') === unitAgesKey(b, NOW, 'zh')).toBe(JSON.stringify(labels(a)) === JSON.stringify(labels(b)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('buildUnitAgeLayer with positionsKey', () => {
  const BASE = { units: LIST, now: NOW, lang: 'en' as const, visible: true, size: 28, markerScale: 1 };
  type Compare = (a: readonly UnitState[], b?: readonly UnitState[]) => boolean;

  it('compares the layer’s data with sameUnitAges and reads positions again when the key changes', () => {
    const layer = buildUnitAgeLayer({ ...BASE, positionsKey: LIST });
    // The pictures' trigger is the texts and which units are stale (C, 30 min old), not the clock: a step of the
    // clock that changes no label looks no picture up again.
    expect(layer.props.updateTriggers).toEqual({ getIcon: ['en', unitAgesKey(LIST, NOW, 'en'), 28, 1], getSize: [28, ''], getPosition: LIST });
    const later = buildUnitAgeLayer({ ...BASE, now: NOW + 10_000, positionsKey: LIST });
    expect(later.props.updateTriggers.getIcon).toEqual(layer.props.updateTriggers.getIcon);
    // 30 s on, B (95 s old) reads "2 min" and turns stale (grey); a minute on, every text has changed.
    const turned = buildUnitAgeLayer({ ...BASE, now: NOW + 30_000, positionsKey: LIST });
    const minuteOn = buildUnitAgeLayer({ ...BASE, now: NOW + 61_000, positionsKey: LIST });
    expect(turned.props.updateTriggers.getIcon).toEqual(['en', unitAgesKey(LIST, NOW + 30_000, 'en'), 28, 1]);
    const keys = [layer, turned, minuteOn].map((l) => (l.props.updateTriggers.getIcon as unknown[])[1]);
    expect(new Set(keys).size).toBe(3);
    const compare = layer.props.dataComparator as unknown as Compare;
    const moved = [{ ...A, position: [100.3, 31.1] as [number, number] }, B, C];
    const changed = [A, { ...B, fixTime: isoAt(NOW - 5_000) }, C];
    expect([compare(moved, LIST), compare(changed, LIST)]).toEqual([true, false]);
  });

  it('without it (the desk, and every caller before the wall) has no comparator and no position trigger', () => {
    const layer = buildUnitAgeLayer(BASE);
    expect(layer.props.dataComparator).toBeNull();
    expect(layer.props.updateTriggers).toEqual({ getIcon: ['en', NOW, 28, 1], getSize: [28, ''] });
  });
});

describe('buildMapLayers hands the units as the ages’ positions key on the wall only', () => {
  const INPUT = mapLayersInput({ units: LIST, now: NOW });
  const ages = (layers: Layer[]) => layers.find((l) => l.id === UNIT_AGES_LAYER_ID)!.props as unknown as { updateTriggers: Record<string, unknown> };

  it('wall: the units array is the trigger; desk: none', () => {
    expect(ages(buildMapLayers({ ...INPUT, variant: 'wall' })).updateTriggers.getPosition).toBe(LIST);
    expect(ages(buildMapLayers({ ...INPUT, variant: 'wall', dimLive: true })).updateTriggers.getPosition).toBe(LIST);
    expect('getPosition' in ages(buildMapLayers(INPUT)).updateTriggers).toBe(false);
  });
});

describe('sameUnitDots', () => {
  it('ignores moves and new fixes on the same side of the staleness line', () => {
    const moved = { ...A, position: [100.2, 31.3] as [number, number], fixTime: isoAt(NOW - 2_000) };
    expect(sameUnitDots([moved, B, C], LIST, NOW)).toBe(true);
    expect(sameUnitDots(LIST, LIST, NOW)).toBe(true);
  });

  it('differs when a dot turns grey or back, changes force, or the teams or their order differ', () => {
    expect(sameUnitDots([A, B, { ...C, fixTime: isoAt(NOW - 1_000) }], LIST, NOW)).toBe(false);
    expect(sameUnitDots([{ ...A, fixTime: isoAt(NOW - 120_001) }, B, C], LIST, NOW)).toBe(false);
    expect(sameUnitDots([{ ...A, forceType: 'militia' }, B, C], LIST, NOW)).toBe(false);
    expect(sameUnitDots([A, C, B], LIST, NOW)).toBe(false);
    expect(sameUnitDots([A, B], LIST, NOW)).toBe(false);
    expect(sameUnitDots(LIST, undefined, NOW)).toBe(false);
  });

  it('the wall’s dots compare with it and read positions again for new units; the desk’s keep their triggers', () => {
    const layers = buildMapLayers(mapLayersInput({ units: LIST, now: NOW, variant: 'wall' }));
    const dots = layers.find((l) => l.id === UNITS_LAYER_ID)!.props as unknown as {
      updateTriggers: Record<string, unknown>;
      dataComparator: (a: readonly UnitState[], b?: readonly UnitState[]) => boolean;
    };
    expect(dots.updateTriggers.getPosition).toBe(LIST);
    expect(dots.dataComparator([{ ...A, position: [100.3, 31.1] }, B, C], LIST)).toBe(true);
    expect(dots.dataComparator([A, B, { ...C, fixTime: isoAt(NOW - 1_000) }], LIST)).toBe(false);
    const [, desk] = buildUnitLayers({ units: LIST, now: NOW, selectedTeamId: null, visible: true });
    expect(desk.props.dataComparator).toBeNull();
    expect('getPosition' in desk.props.updateTriggers).toBe(false);
  });
});

describe('sameHeadings', () => {
  it('ignores moves and turns; differs for another team, force, order or length', () => {
    const turned = { ...A, position: [100.2, 31.3] as [number, number], heading: 270, fixTime: isoAt(NOW - 2_000) };
    expect(sameHeadings([turned, B], [A, B])).toBe(true);
    expect(sameHeadings([], [])).toBe(true);
    expect(sameHeadings([{ ...A, forceType: 'militia' }, B], [A, B])).toBe(false);
    expect(sameHeadings([B, A], [A, B])).toBe(false);
    expect(sameHeadings([A], [A, B])).toBe(false);
    expect(sameHeadings([A], undefined)).toBe(false);
  });

  it('the wall’s wedges compare with it and read positions and angles again for new units; the desk’s compare by identity', () => {
    // A is fresh and moving (the factory's unit: 2 m/s, heading 90); B, a minute and a half old, too; C is stale: no wedge.
    const layers = buildMapLayers(mapLayersInput({ units: LIST, now: NOW, variant: 'wall' }));
    const wedges = layers.find((l) => l.id === UNIT_HEADINGS_LAYER_ID)!.props as unknown as {
      data: UnitState[];
      updateTriggers: Record<string, unknown>;
      dataComparator: (a: readonly UnitState[], b?: readonly UnitState[]) => boolean;
      getColor: (u: UnitState) => unknown;
    };
    expect(wedges.data.map((u) => u.teamId)).toEqual([1, 2]);
    expect(wedges.updateTriggers).toEqual({ getPosition: LIST, getAngle: LIST });
    expect(wedges.dataComparator([{ ...A, heading: 10 }, B], wedges.data)).toBe(true);
    expect(wedges.dataComparator([A], wedges.data)).toBe(false);
    // In the force's colour, whatever the time: only fresh units have a wedge.
    expect(wedges.getColor(A)).toEqual(FORCE_COLORS[A.forceType]);
    const [desk] = buildUnitLayers({ units: LIST, now: NOW, selectedTeamId: null, visible: true });
    expect(desk.props.dataComparator).toBeNull();
    expect(desk.props.updateTriggers).toEqual({});
  });
});
