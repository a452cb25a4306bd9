// The wall's look of the map by example: position ages beside units, offline
// units as a hollow grey ring, bigger text and markers by the label scale, and
// the live layers faded when the connection is lost. The desk stays as it was.
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { buildMapLayers } from '@/components/map/build-layers';
import { UNIT_AGES_LAYER_ID, unitAgeText } from '@/components/map/layers/unit-age-layer';
import type { AgeLabelImage } from '@/components/map/layers/age-label-images';
import { isUnitOffline, offlineAlertTeams, offlineTeams, type PositionedUnit } from '@/components/map/layers/unit-layer';
import type { UnitState } from '@/lib/model';
import { FACTORY_NOW, alert, isoAt, mapLayersInput, unit } from '../helpers/factories';

const NOW = FACTORY_NOW; // 2025-06-01T08:00:00Z

describe('unitAgeText', () => {
  const aged = (ms: number) => unit(1, { fixTime: isoAt(NOW - ms) });

  it('writes whole minutes, then hours, then days, in both languages', () => {
    const cases: [ms: number, zh: string, en: string][] = [
      [10_000, '<1分', '<1 min'],
      [59_999, '<1分', '<1 min'],
      [60_000, '1分', '1 min'],
      [3 * 60_000 + 59_000, '3分', '3 min'],
      [59 * 60_000, '59分', '59 min'],
      [60 * 60_000, '1小时', '1 h'],
      [47 * 3_600_000 + 59 * 60_000, '47小时', '47 h'],
      [48 * 3_600_000, '2天', '2 d'],
      [10 * 86_400_000, '10天', '10 d'],
    ];
    for (const [ms, zh, en] of cases) {
      expect(unitAgeText(aged(ms), NOW, 'zh')).toBe(zh);
      expect(unitAgeText(aged(ms), NOW, 'en')).toBe(en);
    }
  });

  it('reads a fix from the future (clock skew) as under a minute, and no fix as no text', () => {
    expect(unitAgeText(aged(-30_000), NOW, 'zh')).toBe('<1分');
    expect(unitAgeText(unit(1, { fixTime: null }), NOW, 'en')).toBe('');
    expect(unitAgeText(unit(1, { fixTime: 'not a time' }), NOW, 'en')).toBe('');
  });
});

describe('offline units', () => {
  const fresh = unit(1);
  const silent29 = unit(2, { fixTime: isoAt(NOW - 29 * 60_000) });
  const silent30 = unit(3, { fixTime: isoAt(NOW - 30 * 60_000) });
  const alerted = unit(4, { fixTime: isoAt(NOW - 12 * 60_000) });
  const offlineAlert = alert(50, { kind: 'offline', severity: 3, teamId: 4 });
  const clearedAlert = alert(51, { kind: 'offline', severity: 3, teamId: 1, clearedAt: isoAt(NOW) });

  it('is a server offline alert not yet cleared, or 30 minutes without a fix', () => {
    expect([...offlineAlertTeams([offlineAlert, clearedAlert, alert(52)])]).toEqual([4]);
    const alertedTeams = new Set([4]);
    expect(isUnitOffline(fresh, NOW, alertedTeams)).toBe(false);
    expect(isUnitOffline(silent29, NOW, alertedTeams)).toBe(false);
    expect(isUnitOffline(silent30, NOW, alertedTeams)).toBe(true);
    expect(isUnitOffline(alerted, NOW, alertedTeams)).toBe(true);
    expect(isUnitOffline(unit(5, { fixTime: null }), NOW, alertedTeams)).toBe(true);
    expect([...offlineTeams([fresh, silent29, silent30, alerted], [offlineAlert, clearedAlert], NOW)]).toEqual([3, 4]);
  });

  const units: UnitState[] = [fresh, silent29, silent30, alerted];
  const INPUT = mapLayersInput({ units, alerts: [offlineAlert], now: NOW });
  const byId = (layers: Layer[], id: string) => ({ props: layers.find((l) => l.id === id)!.props as unknown as Record<string, unknown> });
  const call = <R,>(fn: unknown, d: UnitState): R => (fn as (d: PositionedUnit, ctx: unknown) => R)(d as PositionedUnit, { index: 0, data: [], target: [] });

  it('on the wall: a hollow grey ring 3 px wide, drawn under the rest, no heading wedge', () => {
    const layers = buildMapLayers({ ...INPUT, variant: 'wall' });
    const dots = byId(layers, 'units');
    expect((dots.props.data as PositionedUnit[]).map((u) => u.teamId)).toEqual([3, 4, 2, 1]);
    for (const u of [silent30, alerted]) {
      expect(call(dots.props.getFillColor, u)).toEqual([0, 0, 0, 0]);
      expect(call(dots.props.getLineColor, u)).toEqual([170, 178, 190, 235]);
      expect(call(dots.props.getLineWidth, u)).toBe(3);
    }
    // Stale but not offline: today's grey disc. Fresh: its force colour.
    expect(call(dots.props.getFillColor, silent29)).toEqual([128, 136, 150, 150]);
    expect(call(dots.props.getFillColor, fresh)).toEqual([255, 128, 64, 255]);
    expect((byId(layers, 'unit-headings').props.data as PositionedUnit[]).map((u) => u.teamId)).toEqual([1]);
  });

  it('on the desk: no offline mark (today’s grey disc) and no age labels', () => {
    const layers = buildMapLayers(INPUT);
    const dots = byId(layers, 'units');
    expect(call(dots.props.getFillColor, silent30)).toEqual([128, 136, 150, 150]);
    const ages = byId(layers, UNIT_AGES_LAYER_ID);
    expect(ages.props.visible).toBe(false);
    expect(ages.props.data).toEqual([]);
  });

  it('on the wall: an age beside every unit, right of its dot, grey when stale', () => {
    const layers = buildMapLayers({ ...INPUT, variant: 'wall', labelScale: 2 });
    const ages = byId(layers, UNIT_AGES_LAYER_ID);
    expect(ages.props.visible).toBe(true);
    expect((ages.props.data as PositionedUnit[]).map((u) => u.teamId).sort()).toEqual([1, 2, 3, 4]);
    const icon = (u: UnitState) => call<AgeLabelImage>(ages.props.getIcon, u);
    expect(icon(silent29).text).toBe('29分');
    expect(icon(fresh).text).toBe('<1分');
    // 28 px × 2, its halo included: 82 px. Offset: (6.5 px dot + 4 px gap) × marker scale 3 (1.5 × 2) = 31.5 → 32.
    expect(call(ages.props.getSize, fresh)).toBe(82);
    expect(ages.props.getPixelOffset).toEqual([32, 0]);
    expect(icon(fresh).color).toEqual([226, 232, 240, 255]);
    expect(icon(silent29).color).toEqual([148, 158, 172, 255]);
  });
});

describe('wall scale and dimming', () => {
  const INPUT = mapLayersInput({ units: [unit(1)], lang: 'en', now: NOW });
  const props = (layers: Layer[], id: string) => layers.find((l) => l.id === id)!.props as unknown as Record<string, unknown>;

  it('draws the wall’s markers 1.5 × labelScale bigger; the desk’s at 1', () => {
    const wall = buildMapLayers({ ...INPUT, variant: 'wall', labelScale: 2 });
    for (const id of ['units', 'incidents', 'incident-pulses', 'alerts', 'alert-pulses']) {
      expect(props(wall, id).radiusScale).toBe(3);
      expect(props(wall, id).lineWidthScale).toBe(3);
    }
    expect(props(wall, 'unit-headings').sizeScale).toBe(3);
    expect(props(wall, 'key-locations').sizeScale).toBe(3);
    // The ages' pictures are drawn at the label size already: not scaled as markers.
    expect(props(wall, 'unit-ages').sizeScale).toBe(1);
    const desk = buildMapLayers(INPUT);
    expect(props(desk, 'units').radiusScale).toBe(1);
    expect(props(desk, 'key-locations').sizeScale).toBe(1);
  });

  it('fades units, incidents and alerts (and the ages) to 0.35 when the live connection is lost; not the base layers', () => {
    const layers = buildMapLayers({ ...INPUT, variant: 'wall', dimLive: true });
    for (const id of ['units', 'unit-headings', 'unit-ages', 'incidents', 'incident-pulses', 'alerts', 'alert-pulses']) {
      expect(props(layers, id).opacity).toBe(0.35);
    }
    for (const id of ['grids', 'grid-labels', 'village-labels', 'key-locations']) expect(props(layers, id).opacity).toBe(1);
    // Connected: nothing faded (the heatmap keeps its own 0.72).
    const connected = buildMapLayers({ ...INPUT, variant: 'wall' });
    expect(connected.filter((l) => l.props.opacity !== 1).map((l) => l.id)).toEqual(['heatmap']);
  });
});
