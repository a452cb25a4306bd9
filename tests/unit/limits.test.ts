// The limiter behind sign-in and the device limits (lib/limits.ts) in its
// memory form — the one a process without REDIS_URL uses, and the insurance a
// Redis-backed one falls back to — held to the same edges as the in-process
// RateLimiter (rate-limit*.test.ts): the last allowed hit, the first refused
// one, the exact millisecond a window ends, Retry-After rounding, refunds.
// The clock is vitest's fake one, moved by the test.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescingLimiter, LimitStore, type Limiter } from '../../lib/limits';

function limiter(limit: number, windowMs: number): Limiter {
  return new LimitStore(undefined, 'test').limiter({ name: 'k', limit, windowMs });
}
const advance = (ms: number) => vi.advanceTimersByTime(ms);
async function hits(r: Limiter, key: string, n: number): Promise<number[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await r.hit(key));
  return out;
}

describe('shared-limit API on the memory store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 5_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('allows `limit` hits per window and says how long to wait after that', async () => {
    const r = limiter(10, 60_000);
    expect(await hits(r, 'a', 10)).toEqual(Array(10).fill(0));
    expect(await r.hit('a')).toBe(60);
    expect(await r.blocked('a')).toBe(60);
    expect(await r.hit('b')).toBe(0);
    advance(30_000);
    expect(await r.hit('a')).toBe(30);
    advance(30_000);
    expect(await r.hit('a')).toBe(0);
    expect(await r.blocked('a')).toBe(0);
  });

  it('take() answers the wait and the excess of the same count: 1 for the first refusal, then 2, 3', async () => {
    const r = limiter(2, 10_000);
    expect(await r.take('k')).toEqual({ wait: 0, excess: 0 });
    expect(await r.take('k')).toEqual({ wait: 0, excess: 0 });
    expect(await r.take('k')).toEqual({ wait: 10, excess: 1 });
    expect(await r.take('k')).toEqual({ wait: 10, excess: 2 });
    expect(await r.excess('k')).toBe(2);
  });

  it('counts parallel hits exactly: of 60 at once, 10 pass and exactly one is the first refusal', async () => {
    const r = limiter(10, 60_000);
    const answers = await Promise.all(Array.from({ length: 60 }, () => r.take('k')));
    expect(answers.filter((a) => a.wait === 0)).toHaveLength(10);
    expect(answers.filter((a) => a.excess === 1)).toHaveLength(1);
    expect(answers.map((a) => a.excess).sort((x, y) => x - y)).toEqual([...Array(10).fill(0), ...Array.from({ length: 50 }, (_, i) => i + 1)]);
  });

  it('gives back a refunded hit, so a legitimate attempt does not use up the budget', async () => {
    const r = limiter(3, 60_000);
    for (let i = 0; i < 20; i++) {
      expect(await r.hit('a')).toBe(0);
      await r.refund('a');
    }
    expect(await hits(r, 'a', 4)).toEqual([0, 0, 0, 60]);
    // A refund never opens more than the one slot it gives back.
    await r.refund('a');
    await r.refund('a');
    expect(await hits(r, 'a', 2)).toEqual([0, 60]);
    // Refunds of unknown keys and of a past window change nothing.
    await r.refund('nobody');
    expect(await r.hit('nobody')).toBe(0);
    advance(60_000);
    await r.refund('a');
    expect(await hits(r, 'a', 4)).toEqual([0, 0, 0, 60]);
  });

  it('never counts below zero however many refunds come, one after another or at once', async () => {
    const r = limiter(2, 60_000);
    await r.hit('a');
    for (let i = 0; i < 5; i++) await r.refund('a');
    expect(await hits(r, 'a', 3)).toEqual([0, 0, 60]);
    advance(60_000);
    await r.hit('b');
    await Promise.all(Array.from({ length: 5 }, () => r.refund('b')));
    expect(await hits(r, 'b', 3)).toEqual([0, 0, 60]);
  });

  it('allows exactly `limit` hits, refuses the next, and is blocked from the limit-th hit on', async () => {
    const r = limiter(3, 10_000);
    expect(await r.blocked('k')).toBe(0);
    expect(await r.hit('k')).toBe(0);
    expect(await r.blocked('k')).toBe(0);
    expect(await r.hit('k')).toBe(0);
    expect(await r.blocked('k')).toBe(0);
    expect(await r.hit('k')).toBe(0);
    // Three hits used: the next would be refused, so the key is blocked already.
    expect(await r.blocked('k')).toBe(10);
    expect(await r.excess('k')).toBe(0);
    expect(await r.hit('k')).toBe(10);
    expect(await r.excess('k')).toBe(1);
  });

  it('ends the window at exactly windowMs after its first hit, not a millisecond later', async () => {
    const r = limiter(2, 10_000);
    await hits(r, 'k', 3);
    advance(9_999);
    expect(await r.blocked('k')).toBe(1);
    expect(await r.excess('k')).toBe(1);
    advance(1); // 10,000 ms after the first hit
    expect(await r.blocked('k')).toBe(0);
    expect(await r.excess('k')).toBe(0);
    expect(await hits(r, 'k', 3)).toEqual([0, 0, 10]);
  });

  it('rounds the wait up to whole seconds, and never says 0 while refusing', async () => {
    const r = limiter(1, 60_000);
    await r.hit('k');
    advance(1); // 59.999 s left
    expect(await r.hit('k')).toBe(60);
    expect(await r.blocked('k')).toBe(60);
    advance(58_999); // 1.000 s left
    expect(await r.hit('k')).toBe(1);
    expect(await r.blocked('k')).toBe(1);
    advance(500); // 0.5 s left
    expect(await r.hit('k')).toBe(1);
    advance(499); // 1 ms left
    expect(await r.hit('k')).toBe(1);
    expect(await r.blocked('k')).toBe(1);
  });

  it('measures the wait from the window start, not from the refused hit (1.5 s into a 10 s window: 9 s)', async () => {
    const r = limiter(1, 10_000);
    await r.hit('k');
    advance(1_500);
    expect(await r.hit('k')).toBe(9);
    expect(await r.blocked('k')).toBe(9);
  });

  it('keeps keys apart, and two limits of one store apart', async () => {
    const store = new LimitStore(undefined, 'test');
    const r = store.limiter({ name: 'one', limit: 1, windowMs: 10_000 });
    const other = store.limiter({ name: 'two', limit: 1, windowMs: 10_000 });
    expect(await r.hit('a')).toBe(0);
    expect(await r.hit('b')).toBe(0);
    expect(await r.hit('a')).toBe(10);
    expect(await r.blocked('b')).toBe(10);
    expect(await r.blocked('c')).toBe(0);
    expect(await r.excess('c')).toBe(0);
    expect(await other.blocked('a')).toBe(0);
    expect(await other.hit('a')).toBe(0);
  });

  it('refunds only inside the window: at exactly windowMs the window is gone and a refund changes nothing', async () => {
    const r = limiter(2, 10_000);
    await hits(r, 'k', 2);
    advance(9_999);
    await r.refund('k'); // inside: one slot back
    expect(await hits(r, 'k', 2)).toEqual([0, 1]);
    advance(1); // the window has ended: a new one starts with the next hit
    await r.refund('k');
    expect(await hits(r, 'k', 3)).toEqual([0, 0, 10]);
  });

  it('a refund after a refused hit brings the key back to its limit, still blocked', async () => {
    const r = limiter(2, 10_000);
    await hits(r, 'k', 3);
    await r.refund('k');
    expect(await r.excess('k')).toBe(0);
    expect(await r.blocked('k')).toBe(10);
    await r.refund('k');
    expect(await r.blocked('k')).toBe(0);
  });

  it('refuses a window that is not whole seconds, naming the limit', () => {
    expect(() => limiter(1, 1_500)).toThrow('limit k: the window must be whole seconds, got 1500 ms');
  });
});

describe('a batch of hits on one key counted in one step (CoalescingLimiter)', () => {
  /** The memory limiter, with the number of takeMany steps it was asked for. */
  function counted(limit: number): { inner: Limiter; steps: number[] } {
    const inner = limiter(limit, 10_000);
    const steps: number[] = [];
    const takeMany = inner.takeMany.bind(inner);
    inner.takeMany = (key, n) => {
      steps.push(n);
      return takeMany(key, n);
    };
    return { inner, steps };
  }

  it('a batch of 8 hits on a limit of 5: one step, the first 5 allowed in order, the rest told the window', async () => {
    const { inner, steps } = counted(5);
    const r = new CoalescingLimiter(inner);
    expect(await Promise.all(Array.from({ length: 8 }, () => r.hit('device-7')))).toEqual([0, 0, 0, 0, 0, 10, 10, 10]);
    expect(steps).toEqual([8]);
    // The 8 were all counted, as 8 single hits would have been: over by 3.
    expect(await r.excess('device-7')).toBe(3);
    expect(await r.hit('device-7')).toBe(10);
  });

  it('keys are counted apart; a later turn is a new step that sees what the first counted', async () => {
    const { inner, steps } = counted(3);
    const r = new CoalescingLimiter(inner);
    const first = await Promise.all([r.hit('a'), r.hit('b'), r.hit('a')]);
    expect(first).toEqual([0, 0, 0]);
    expect(steps.sort()).toEqual([1, 2]);
    expect(await Promise.all([r.hit('a'), r.hit('a')])).toEqual([0, 10]);
  });

  it('takeMany: how many fitted when the window already held some', async () => {
    const r = limiter(10, 10_000);
    expect(await r.takeMany('k', 4)).toEqual({ allowed: 4, wait: 0 });
    expect(await r.takeMany('k', 10)).toEqual({ allowed: 6, wait: 10 });
    expect(await r.takeMany('k', 2)).toEqual({ allowed: 0, wait: 10 });
  });
});
