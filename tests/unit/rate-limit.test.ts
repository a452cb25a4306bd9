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
});
