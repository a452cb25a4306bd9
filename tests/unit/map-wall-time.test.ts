// The wall's layer time: a step of the wall's clock is taken only when
// something the wall draws from the time reads differently at it (an age's
// minute, staleness, an offline mark, the coverage shading's minute); any
// other change of the input takes the true time at once.
import { describe, expect, it } from 'vitest';
import { drawsSameAt, nextHeldTime, type TimedInput } from '@/components/map/wall-time';
import { buildMapLayers } from '@/components/map/build-layers';
import { FACTORY_NOW, alert, isoAt, mapLayersInput, unit } from '../helpers/factories';

const NOW = FACTORY_NOW;
const STEP = 10_000;
const input = (over: Partial<TimedInput> = {}): TimedInput => ({
  units: [unit(1, { fixTime: isoAt(NOW - 10_000) }), unit(2, { fixTime: isoAt(NOW - 5 * 60_000 - 20_000) })],
  alerts: [],
  lang: 'zh',
  gridShading: 'load',
  ...over,
});

describe('drawsSameAt', () => {
  it('is the same when no unit’s age text, staleness or offline mark changes between the two times', () => {
    // 10 s → 20 s: "<1分"; 5 min 20 s → 5 min 30 s: "5分"; nobody crosses 2 min or 30 min.
    expect(drawsSameAt(input(), NOW, NOW + STEP)).toBe(true);
    expect(drawsSameAt(input({ units: [] }), NOW, NOW + 3_600_000)).toBe(true);
  });

  it('differs when an age’s minute turns over', () => {
    // 10 s → 60 s: "<1分" → "1分".
    expect(drawsSameAt(input(), NOW, NOW + 50_000)).toBe(false);
  });

  it('differs when a unit turns stale (more than 2 min) with its text unchanged, and not for an offline alert’s team', () => {
    // 2 min exactly is fresh, 2 min 5 s stale: both read "2分".
    const edge = input({ units: [unit(1, { fixTime: isoAt(NOW - 2 * 60_000) })] });
    expect(drawsSameAt(edge, NOW, NOW + 5_000)).toBe(false);
    // 30 min without a fix is offline: 29 min 50 s → 30 min 10 s also turns the text ("29分" → "30分");
    // 30 min 0 s → 30 min 10 s, both offline and "30分", is the same.
    const lost = input({ units: [unit(1, { fixTime: isoAt(NOW - 30 * 60_000) })] });
    expect(drawsSameAt(lost, NOW, NOW + 10_000)).toBe(true);
    expect(drawsSameAt(lost, NOW - 10_000, NOW)).toBe(false);
    // Offline through an open offline alert does not depend on the time.
    const alerted = input({ units: [unit(1, { fixTime: isoAt(NOW - 3 * 60_000) })], alerts: [alert(1, { kind: 'offline', teamId: 1 })] });
    expect(drawsSameAt(alerted, NOW, NOW + 10_000)).toBe(true);
  });

  it('differs at a minute’s turn when the cells show patrol coverage, not when they show load', () => {
    const atMinute = Math.floor(NOW / 60_000) * 60_000;
    const empty = { units: [], alerts: [] };
    expect(drawsSameAt(input({ ...empty, gridShading: 'coverage' }), atMinute - 5_000, atMinute + 5_000)).toBe(false);
    expect(drawsSameAt(input({ ...empty, gridShading: 'coverage' }), atMinute + 5_000, atMinute + 15_000)).toBe(true);
    expect(drawsSameAt(input({ ...empty, gridShading: 'load' }), atMinute - 5_000, atMinute + 5_000)).toBe(true);
  });

  it('agrees with the layers: where it says the same, the units’ and ages’ accessors give the same values', () => {
    const units = input().units;
    const at = (now: number) => {
      const layers = buildMapLayers(mapLayersInput({ units, now, variant: 'wall' }));
      const byId = Object.fromEntries(layers.map((l) => [l.id, l]));
      const ages = byId['unit-ages']!.props as unknown as { getIcon: (u: unknown) => { text: string; color: unknown } };
      const dots = byId.units!.props as unknown as { getFillColor: (u: unknown) => unknown; getLineColor: (u: unknown) => unknown };
      return units.map((u) => [ages.getIcon(u).text, ages.getIcon(u).color, dots.getFillColor(u), dots.getLineColor(u)]);
    };
    expect(drawsSameAt(input(), NOW, NOW + STEP)).toBe(true);
    expect(at(NOW + STEP)).toEqual(at(NOW));
    expect(drawsSameAt(input(), NOW, NOW + 50_000)).toBe(false);
    expect(at(NOW + 50_000)).not.toEqual(at(NOW));
  });
});

describe('nextHeldTime', () => {
  it('keeps the time the layers were drawn at while the same input draws the same, and the same object once checked', () => {
    const i = input();
    const first = nextHeldTime(null, NOW, i);
    expect(first).toMatchObject({ now: NOW, checked: NOW });
    expect(nextHeldTime(first, NOW, i)).toBe(first);
    const held = nextHeldTime(first, NOW + STEP, i);
    expect(held).toMatchObject({ now: NOW, checked: NOW + STEP });
    expect(nextHeldTime(held, NOW + STEP, i)).toBe(held);
  });

  it('takes the step when something drawn changes at it', () => {
    const i = input();
    const first = nextHeldTime(null, NOW, i);
    // +30 s: 40 s ("<1分") and 5 min 50 s ("5分") old.
    const held = nextHeldTime(first, NOW + 30_000, i);
    expect(held.now).toBe(NOW);
    // At +50 s unit 1 is a minute old: its label now reads "1分".
    expect(nextHeldTime(held, NOW + 50_000, i)).toMatchObject({ now: NOW + 50_000, checked: NOW + 50_000 });
  });

  it('takes the true time at once when any of its input changes (a batch of fixes, an alert, the language)', () => {
    const i = input();
    const held = nextHeldTime(nextHeldTime(null, NOW, i), NOW + STEP, i);
    expect(held.now).toBe(NOW);
    for (const changed of [{ units: [...i.units] }, { alerts: [alert(1)] }, { lang: 'en' as const }, { gridShading: 'coverage' as const }]) {
      expect(nextHeldTime(held, NOW + STEP, { ...i, ...changed })).toMatchObject({ now: NOW + STEP, checked: NOW + STEP });
    }
  });
});
