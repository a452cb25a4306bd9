// What the wall's batch shortcuts (sameUnitDots, sameUnitAges) and the offline
// triggers must still notice: pinned with written-out cases, so a cheaper
// comparison cannot silently keep a dot or a label that changed.
import { describe, expect, it } from 'vitest';
import type { ScatterplotLayer } from '@deck.gl/layers';
import { sameUnitAges } from '@/components/map/layers/unit-age-layer';
import { buildUnitLayers, offlineAlertTeams, sameUnitDots, type PositionedUnit } from '@/components/map/layers/unit-layer';
import { OFFLINE_UNIT_LINE_COLOR, SELECTED_OUTLINE_COLOR } from '@/components/map/palette';
import { FACTORY_NOW, alert, isoAt, unit } from '../helpers/factories';

const NOW = FACTORY_NOW;

describe('sameUnitDots', () => {
  it('is false for another team at the same place in the order, even with the same force and fix time', () => {
    expect(sameUnitDots([unit(1)], [unit(2)], NOW)).toBe(false);
  });

  it('is false for the same team now of another force', () => {
    expect(sameUnitDots([unit(1, { forceType: 'motorcycle' })], [unit(1, { forceType: 'armband' })], NOW)).toBe(false);
  });

  it('is true for a new fix on the same side of the staleness line (only positions to re-read), false across it', () => {
    const before = unit(1, { fixTime: isoAt(NOW - 30_000) });
    expect(sameUnitDots([unit(1, { fixTime: isoAt(NOW - 5_000), position: [100.2, 31.3] })], [before], NOW)).toBe(true);
    // 2 min is the staleness line: 3 min old is stale.
    expect(sameUnitDots([unit(1, { fixTime: isoAt(NOW - 5_000) })], [unit(1, { fixTime: isoAt(NOW - 180_000) })], NOW)).toBe(false);
  });

  it('is false with no previous list or one of another length', () => {
    expect(sameUnitDots([unit(1)], undefined, NOW)).toBe(false);
    expect(sameUnitDots([unit(1)], [unit(1), unit(2)], NOW)).toBe(false);
  });
});

describe('sameUnitAges', () => {
  it('is false for another team at the same place in the order, even with the same fix time', () => {
    expect(sameUnitAges([unit(1)], [unit(2)], NOW, 'zh')).toBe(false);
  });

  it('is true when a new fix leaves the text and colour as they were, false when the text changes', () => {
    expect(sameUnitAges([unit(1, { fixTime: isoAt(NOW - 5_000) })], [unit(1, { fixTime: isoAt(NOW - 20_000) })], NOW, 'zh')).toBe(true);
    // "<1分" against "5分".
    expect(sameUnitAges([unit(1, { fixTime: isoAt(NOW - 5_000) })], [unit(1, { fixTime: isoAt(NOW - 300_000) })], NOW, 'zh')).toBe(false);
  });
});

describe('offline teams on the dots', () => {
  it('an offline alert without a team puts no team offline', () => {
    expect([...offlineAlertTeams([alert(1, { kind: 'offline', teamId: null, clearedAt: null })])]).toEqual([]);
    expect([...offlineAlertTeams([alert(2, { kind: 'offline', teamId: 7, clearedAt: null })])]).toEqual([7]);
  });

  const dotsOf = (offline: Set<number>, selectedTeamId: number | null = null) =>
    buildUnitLayers({ units: [unit(1), unit(12), unit(23), unit(3)], now: NOW, selectedTeamId, visible: true, offline })[1] as ScatterplotLayer<PositionedUnit>;

  it('a selected offline unit keeps the selection outline; an unselected one gets the offline outline', () => {
    const lineColor = (selectedTeamId: number | null) =>
      (dotsOf(new Set([1]), selectedTeamId).props.getLineColor as unknown as (d: PositionedUnit) => number[])(unit(1) as PositionedUnit);
    expect(lineColor(1)).toEqual(SELECTED_OUTLINE_COLOR);
    expect(lineColor(null)).toEqual(OFFLINE_UNIT_LINE_COLOR);
  });

  it('another set of offline teams changes the fill, line colour and line width triggers — {1, 23} is not {12, 3}', () => {
    const a = dotsOf(new Set([1, 23])).props.updateTriggers;
    const b = dotsOf(new Set([12, 3])).props.updateTriggers;
    for (const key of ['getFillColor', 'getLineColor', 'getLineWidth'] as const) {
      expect(JSON.stringify(a[key]), key).not.toBe(JSON.stringify(b[key]));
    }
    // The same set, the same triggers (no redraw for nothing).
    const again = dotsOf(new Set([1, 23])).props.updateTriggers;
    for (const key of ['getFillColor', 'getLineColor', 'getLineWidth'] as const) expect(JSON.stringify(again[key]), key).toBe(JSON.stringify(a[key]));
  });
});
