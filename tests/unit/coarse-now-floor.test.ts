// The steps useCoarseNow counts (lib/hooks/use-coarse-now.ts): the client's
// own, or those of a clock ahead of or behind it (the wall clock shows the
// server's minutes, so it turns over when the server's minute does).
import { describe, expect, it } from 'vitest';
import { floorTo } from '@/lib/hooks/use-coarse-now';

const MIN = 60_000;
const T = Date.parse('2026-12-01T10:00:00Z');

describe('floorTo', () => {
  it('floors to the client’s own steps without an offset', () => {
    expect(floorTo(T + 59_999, MIN)).toBe(T);
    expect(floorTo(T + 60_000, MIN)).toBe(T + MIN);
    expect(floorTo(T + 25_000, 10_000)).toBe(T + 20_000);
  });

  it('counts the steps on a clock ahead of the client’s: the client time at which that clock’s minute began', () => {
    // The server is 15 s ahead: its 10:01 begins at the client's 10:00:45.
    expect(floorTo(T + 44_999, MIN, 15_000)).toBe(T - 15_000);
    expect(floorTo(T + 45_000, MIN, 15_000)).toBe(T + 45_000);
    expect(floorTo(T + 45_000, MIN, 15_000) + 15_000).toBe(T + MIN);
  });

  it('and on a clock behind it', () => {
    // The server is 20 s behind: its 10:00 begins at the client's 10:00:20.
    expect(floorTo(T + 19_999, MIN, -20_000)).toBe(T + 20_000 - MIN);
    expect(floorTo(T + 20_000, MIN, -20_000)).toBe(T + 20_000);
  });
});
