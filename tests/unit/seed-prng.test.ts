import { describe, expect, it } from 'vitest';
import { createRng } from '../../lib/sim/township/prng';

describe('createRng', () => {
  it('repeats exactly for the same seed and stream', () => {
    const a = createRng(20261127, 'x');
    const b = createRng(20261127, 'x');
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
  });

  it('gives different streams different numbers', () => {
    const a = createRng(1, 'boundary').next();
    const b = createRng(1, 'incidents').next();
    const c = createRng(2, 'boundary').next();
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('stays in range', () => {
    const r = createRng(7);
    for (let i = 0; i < 10_000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });

  it('draws Poisson counts with about the right mean', () => {
    const r = createRng(11);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += r.poisson(11);
    expect(sum / n).toBeGreaterThan(10.8);
    expect(sum / n).toBeLessThan(11.2);
  });

  it('weights picks by weight and never picks a zero weight', () => {
    const r = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const k = r.weightedIndex([1, 0, 3]);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const [low = 0, zero, high = 0] = counts;
    expect(zero).toBe(0);
    expect(high / low).toBeGreaterThan(2.7);
    expect(high / low).toBeLessThan(3.3);
  });

  it('shuffles into a permutation', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const s = createRng(5).shuffle(xs);
    expect([...s].sort((a, b) => a - b)).toEqual(xs);
    expect(s).not.toEqual(xs);
  });
});
