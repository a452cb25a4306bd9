import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../lib/rate-limit';

describe('rate limiter', () => {
  it('allows `limit` hits per window and says how long to wait after that', () => {
    let now = 1_000_000;
    const r = new RateLimiter(10, 60_000, () => now);
    for (let i = 0; i < 10; i++) expect(r.hit('a')).toBe(0);
    expect(r.hit('a')).toBe(60);
    expect(r.blocked('a')).toBe(60);
    expect(r.hit('b')).toBe(0);
    now += 30_000;
    expect(r.hit('a')).toBe(30);
    now += 30_000;
    expect(r.hit('a')).toBe(0);
    expect(r.blocked('a')).toBe(0);
  });

  it('gives back a refunded hit, so a legitimate attempt does not use up the budget', () => {
    let now = 0;
    const r = new RateLimiter(3, 60_000, () => now);
    for (let i = 0; i < 20; i++) {
      expect(r.hit('a')).toBe(0);
      r.refund('a');
    }
    expect([r.hit('a'), r.hit('a'), r.hit('a'), r.hit('a')]).toEqual([0, 0, 0, 60]);
    // A refund never opens more than the one slot it gives back.
    r.refund('a');
    r.refund('a');
    expect([r.hit('a'), r.hit('a')]).toEqual([0, 60]);
    // Refunds of unknown keys and of a past window change nothing.
    r.refund('nobody');
    expect(r.hit('nobody')).toBe(0);
    now += 60_000;
    r.refund('a');
    expect([r.hit('a'), r.hit('a'), r.hit('a'), r.hit('a')]).toEqual([0, 0, 0, 60]);
  });

  it('never counts below zero however many refunds come', () => {
    const r = new RateLimiter(2, 60_000, () => 0);
    r.hit('a');
    for (let i = 0; i < 5; i++) r.refund('a');
    expect([r.hit('a'), r.hit('a'), r.hit('a')]).toEqual([0, 0, 60]);
  });

  it('says how far over the limit a key is, so the first refusal of a window can be told from the rest', () => {
    let now = 0;
    const r = new RateLimiter(2, 10_000, () => now);
    expect(r.excess('a')).toBe(0);
    r.hit('a');
    r.hit('a');
    expect(r.excess('a')).toBe(0);
    r.hit('a');
    expect(r.excess('a')).toBe(1);
    r.hit('a');
    expect(r.excess('a')).toBe(2);
    now += 10_000;
    expect(r.excess('a')).toBe(0);
    r.hit('a');
    expect(r.excess('a')).toBe(0);
  });
});
