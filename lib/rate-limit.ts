/**
 * A fixed-window counter per key: at most `limit` hits per `windowMs`. Small
 * and exact enough for logins, device ingest and socket events; memory is
 * bounded by pruning expired windows as keys are touched.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #lastPrune = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; returns 0 when allowed, else the seconds until the window resets (for Retry-After). */
  hit(key: string): number {
    const t = this.now();
    this.#prune(t);
    const w = this.#windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      this.#windows.set(key, { start: t, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000)) : 0;
  }

  /**
   * Gives back one hit counted in the current window, for an attempt that
   * turned out to be legitimate (a correct password), so it does not use up
   * the budget. Does nothing once the window has passed.
   */
  refund(key: string): void {
    const w = this.#windows.get(key);
    if (w && this.now() - w.start < this.windowMs && w.count > 0) w.count--;
  }

  /** How many hits `key` is over its limit in the current window (1 = the first refused one). */
  excess(key: string): number {
    const w = this.#windows.get(key);
    if (!w || this.now() - w.start >= this.windowMs) return 0;
    return Math.max(0, w.count - this.limit);
  }

  /** Whether `key` is over its limit right now, without counting a hit. */
  blocked(key: string): number {
    const t = this.now();
    const w = this.#windows.get(key);
    if (!w || t - w.start >= this.windowMs || w.count < this.limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
  }

  #prune(t: number): void {
    if (t - this.#lastPrune < this.windowMs) return;
    this.#lastPrune = t;
    for (const [k, w] of this.#windows) if (t - w.start >= this.windowMs) this.#windows.delete(k);
  }
}
