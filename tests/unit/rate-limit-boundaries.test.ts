// The rate limiter at its edges: the last allowed hit, the first refused one,
// the exact millisecond a window ends, and Retry-After rounding. Times are
// written out; the clock is a variable the test moves.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../lib/rate-limit';

function limiter(limit: number, windowMs: number, start = 5_000_000) {
  const clock = { now: start };
  return { r: new RateLimiter(limit, windowMs, () => clock.now), clock };
}

describe('rate limiter boundaries', () => {
  it('allows exactly `limit` hits, refuses the next, and is blocked from the limit-th hit on', () => {
    const { r } = limiter(3, 10_000);
    expect(r.blocked('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    expect(r.blocked('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    expect(r.blocked('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    // Three hits used: the next would be refused, so the key is blocked already.
    expect(r.blocked('k')).toBe(10);
    expect(r.excess('k')).toBe(0);
    expect(r.hit('k')).toBe(10);
    expect(r.excess('k')).toBe(1);
  });

  it('a limit of one: the first hit passes, the second waits', () => {
    const { r } = limiter(1, 2_000);
    expect(r.hit('k')).toBe(0);
    expect(r.blocked('k')).toBe(2);
    expect(r.hit('k')).toBe(2);
  });

  it('ends the window at exactly windowMs after its first hit, not a millisecond later', () => {
    const { r, clock } = limiter(2, 10_000);
    r.hit('k');
    r.hit('k');
    r.hit('k');
    clock.now += 9_999;
    expect(r.blocked('k')).toBe(1);
    expect(r.excess('k')).toBe(1);
    clock.now += 1; // 10,000 ms after the first hit
    expect(r.blocked('k')).toBe(0);
    expect(r.excess('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    expect(r.hit('k')).toBe(10);
  });

  it('a hit 1 ms before the window ends still counts in it', () => {
    const { r, clock } = limiter(2, 10_000);
    r.hit('k');
    r.hit('k');
    clock.now += 9_999;
    expect(r.hit('k')).toBe(1);
  });

  it('rounds the wait up to whole seconds, and never says 0 while refusing', () => {
    const { r, clock } = limiter(1, 60_000);
    r.hit('k');
    clock.now += 1; // 59.999 s left
    expect(r.hit('k')).toBe(60);
    expect(r.blocked('k')).toBe(60);
    clock.now += 58_999; // 1.000 s left
    expect(r.hit('k')).toBe(1);
    expect(r.blocked('k')).toBe(1);
    clock.now += 500; // 0.5 s left
    expect(r.hit('k')).toBe(1);
    expect(r.blocked('k')).toBe(1);
    clock.now += 499; // 1 ms left
    expect(r.hit('k')).toBe(1);
    expect(r.blocked('k')).toBe(1);
  });

  it('measures the wait from the window start, not from the refused hit (1.5 s into a 10 s window: 9 s)', () => {
    const { r, clock } = limiter(1, 10_000);
    r.hit('k');
    clock.now += 1_500;
    expect(r.hit('k')).toBe(9);
    expect(r.blocked('k')).toBe(9);
  });

  it('counts refused hits, so a client that keeps knocking is told how far over it is', () => {
    const { r } = limiter(2, 10_000);
    for (let i = 0; i < 7; i++) r.hit('k');
    expect(r.excess('k')).toBe(5);
  });

  it('keeps keys apart', () => {
    const { r } = limiter(1, 10_000);
    expect(r.hit('a')).toBe(0);
    expect(r.hit('b')).toBe(0);
    expect(r.hit('a')).toBe(10);
    expect(r.blocked('b')).toBe(10);
    expect(r.blocked('c')).toBe(0);
    expect(r.excess('c')).toBe(0);
  });

  it('refunds only inside the window: at exactly windowMs the window is gone and a refund changes nothing', () => {
    const { r, clock } = limiter(2, 10_000);
    r.hit('k');
    r.hit('k');
    clock.now += 9_999;
    r.refund('k'); // inside: one slot back
    expect(r.hit('k')).toBe(0);
    expect(r.hit('k')).toBe(1);
    clock.now += 1; // the window has ended: a new one starts with the next hit
    r.refund('k');
    expect(r.hit('k')).toBe(0);
    expect(r.hit('k')).toBe(0);
    expect(r.hit('k')).toBe(10);
  });

  it('a refund after a refused hit brings the key back to its limit, still blocked', () => {
    const { r } = limiter(2, 10_000);
    r.hit('k');
    r.hit('k');
    r.hit('k');
    r.refund('k');
    expect(r.excess('k')).toBe(0);
    expect(r.blocked('k')).toBe(10);
    r.refund('k');
    expect(r.blocked('k')).toBe(0);
  });

  it('a window pruned while other keys are hit starts afresh for its key, whatever the pruning order', () => {
    const { r, clock } = limiter(1, 1_000);
    r.hit('a');
    r.hit('b');
    clock.now += 1_000; // both windows over: the next hit prunes them
    expect(r.hit('c')).toBe(0);
    expect(r.excess('a')).toBe(0);
    expect(r.blocked('a')).toBe(0);
    expect(r.hit('a')).toBe(0);
    expect(r.hit('a')).toBe(1);
    // b's window is gone too: its first hit of a new window passes.
    clock.now += 500;
    expect(r.hit('b')).toBe(0);
    expect(r.hit('b')).toBe(1);
    // A key still inside its window survives pruning: a's window started 500 ms ago.
    clock.now += 600; // 1,100 ms since a's window, 600 since b's; c's started 1,100 ms ago
    expect(r.hit('c')).toBe(0);
    expect(r.hit('b')).toBe(1);
    expect(r.excess('b')).toBe(2);
  });

  it('resets a window that ended between two prunes, on its own key\'s next hit', () => {
    const { r, clock } = limiter(1, 10_000);
    r.hit('a'); // prunes; a's window starts
    clock.now += 1;
    r.hit('b'); // b's window starts 1 ms later
    clock.now += 9_999; // a's window is over: this hit prunes it, b's still runs
    expect(r.hit('c')).toBe(0);
    clock.now += 1; // b's window is over now, and the last prune was 1 ms ago
    expect(r.hit('b')).toBe(0);
    expect(r.hit('b')).toBe(10);
  });
});
