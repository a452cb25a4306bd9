import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutTasks, median, percentile } from '../../bench/stats';

describe('the benchmarks’ figures', () => {
  it('a percentile is the nearest-rank value: one that was measured, in any order of samples', () => {
    const xs = [40, 10, 30, 20];
    expect([0, 25, 26, 50, 51, 75, 95, 100].map((p) => percentile(xs, p))).toEqual([10, 10, 20, 20, 30, 30, 40, 40]);
    expect(xs).toEqual([40, 10, 30, 20]);
    expect(percentile([], 50)).toBeNaN();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000, max: 1_000 }), { minLength: 1 }), fc.integer({ min: 0, max: 100 }), (samples, p) => {
        const v = percentile(samples, p);
        expect(samples).toContain(v);
        // At least p % of the samples are at or below it, and fewer than p % below it.
        expect(samples.filter((x) => x <= v).length).toBeGreaterThanOrEqual((p / 100) * samples.length);
        expect(samples.filter((x) => x < v).length).toBeLessThan(Math.max(1, (p / 100) * samples.length));
      }),
    );
  });

  it('a median is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('each cut’s longest task is the longest running from the mark to the span after it, by wall clock and by CPU', () => {
    // µs: a task already running at the first mark, one inside its span, one after it; the second mark has no CPU times.
    const tasks = [
      { ts: 900_000, dur: 200_000, tdur: 50_000 },
      { ts: 1_500_000, dur: 80_000, tdur: 70_000 },
      { ts: 4_100_000, dur: 300_000, tdur: 10_000 },
      { ts: 10_000_000, dur: 20_000 },
      { ts: 10_500_000, dur: 45_500 },
    ];
    expect(cutTasks([1_000_000, 10_000_000], tasks, 3_000)).toEqual({
      count: 2,
      medianLongestMs: 122.8,
      maxLongestMs: 200,
      medianLongestCpuMs: 70,
      maxLongestCpuMs: 70,
      each: [
        { ms: 200, cpuMs: 70 },
        { ms: 45.5, cpuMs: null },
      ],
    });
    expect(cutTasks([], tasks, 3_000)).toBeNull();
    // A cut with nothing running after it: no task, zero.
    expect(cutTasks([50_000_000], tasks, 3_000)?.each).toEqual([{ ms: 0, cpuMs: null }]);
  });
});
