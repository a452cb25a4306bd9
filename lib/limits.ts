// Rate limits that hold across GridSight processes (issue 15): with REDIS_URL
// set, every process counts in the same Redis keys, so the 11th failed sign-in
// in a minute is refused whichever process answers it. Without it each process
// counts in its own memory, as a single-process install needs.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { REDIS_SOCKET, reportOutages } from './redis';

/** One fixed-window limit: at most `limit` hits per `windowMs` per key. */
export interface Limiter {
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Counts one hit and answers, from that same count, the seconds to wait (0
   * when allowed) and how far over the limit the key now is (1 = the first
   * refused hit of its window). One atomic step: two processes refused at once
   * cannot both read the other's count, so exactly one of them sees 1.
   */
  take(key: string): Promise<{ wait: number; excess: number }>;
  /** Counts one hit; 0 when allowed, else the seconds until the window resets (for Retry-After). */
  hit(key: string): Promise<number>;
  /**
   * Counts `n` hits in one step: how many of them (the first ones) are within
   * the limit, and the seconds to wait for the rest (0 when all are allowed).
   */
  takeMany(key: string, n: number): Promise<{ allowed: number; wait: number }>;
  /** Gives back one hit of the current window (a correct password); nothing once the window has passed, never below zero. */
  refund(key: string): Promise<void>;
  /** How many hits `key` is over its limit in the current window. */
  excess(key: string): Promise<number>;
  /** Whether `key` is at or over its limit right now (seconds to wait, else 0), without counting a hit. */
  blocked(key: string): Promise<number>;
}

/** Whole seconds for Retry-After: rounded up, and never 0 while refusing. */
function secondsLeft(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A count that still belongs to a live window (a store may answer an expired one it has not swept yet). */
function live(res: RateLimiterRes | null): res is RateLimiterRes {
  return res !== null && res.msBeforeNext > 0;
}

/**
 * rate-limiter-flexible's script for Redis, except that a negative change (a
 * refund) is clamped at zero and never creates a key: a refund after the
 * window ended, or more refunds than hits, must not add budget — and the check
 * and the change must be one step, or two processes refunding at once could
 * take a count below zero.
 */
const INCR_TTL_CLAMPED = `
local change = tonumber(ARGV[1])
if change < 0 then
  local current = tonumber(redis.call('get', KEYS[1]) or '0')
  if current <= 0 then return {current, redis.call('pttl', KEYS[1])} end
  if current + change < 0 then change = -current end
  return {redis.call('incrby', KEYS[1], change), redis.call('pttl', KEYS[1])}
end
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], change)
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}
`;

/** A Limiter over any rate-limiter-flexible limiter (memory, or Redis insured by memory). */
export class FlexibleLimiter implements Limiter {
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly rl: RateLimiterAbstract,
    /** Waited for before each step (a Redis store's first connection); none for memory. */
    private readonly ready: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async take(key: string): Promise<{ wait: number; excess: number }> {
    await this.ready();
    try {
      await this.rl.consume(key);
      return { wait: 0, excess: 0 };
    } catch (err) {
      // A refusal arrives as a rejected RateLimiterRes; anything else is a real fault.
      if (!(err instanceof RateLimiterRes)) throw err;
      return { wait: secondsLeft(err.msBeforeNext), excess: Math.max(1, err.consumedPoints - this.limit) };
    }
  }

  async hit(key: string): Promise<number> {
    return (await this.take(key)).wait;
  }

  async takeMany(key: string, n: number): Promise<{ allowed: number; wait: number }> {
    await this.ready();
    try {
      await this.rl.consume(key, n);
      return { allowed: n, wait: 0 };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // The store counted all n: the count before them tells how many still fitted.
      const before = err.consumedPoints - n;
      return { allowed: Math.min(n, Math.max(0, this.limit - before)), wait: secondsLeft(err.msBeforeNext) };
    }
  }

  async refund(key: string): Promise<void> {
    // The check keeps a refund from starting a window (the memory store would
    // create a key at -1). Refunds racing past it each undo their own step if
    // it went below zero (undoing more would over-correct when several race).
    // Redis clamps in its script (INCR_TTL_CLAMPED).
    await this.ready();
    if (!live(await this.rl.get(key))) return;
    const after = await this.rl.reward(key);
    if (after.consumedPoints < 0) await this.rl.penalty(key, 1);
  }

  async excess(key: string): Promise<number> {
    await this.ready();
    const res = await this.rl.get(key);
    return live(res) ? Math.max(0, res.consumedPoints - this.limit) : 0;
  }

  async blocked(key: string): Promise<number> {
    await this.ready();
    const res = await this.rl.get(key);
    return live(res) && res.consumedPoints >= this.limit ? secondsLeft(res.msBeforeNext) : 0;
  }
}

export interface LimitSpec {
  /** Part of the key, distinct per limit: `login:acct` becomes `<prefix>:login:acct:<key>`. */
  name: string;
  limit: number;
  /** Whole seconds (the stores count in seconds). */
  windowMs: number;
  /**
   * With Redis, hits on one key in one turn of the event loop are counted in
   * one command (CoalescingLimiter): for limits hit many times per request (a
   * batch's fixes). In memory a hit costs less than the turn it would wait.
   */
  coalesce?: boolean;
}

/** A command to Redis that takes longer than this falls back to the memory limiter: a hung Redis must not hang sign-in or ingest. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
/** The first use waits this long for the connection, so a process just started counts in Redis from its first request. */
const FIRST_CONNECT_WAIT_MS = 1_000;

type Redis = ReturnType<typeof createClient>;

/**
 * Makes the process's limiters. With a Redis URL they share one client,
 * created at once but connected on first use, and each is insured by a
 * memory limiter: while Redis is unreachable (or slower than
 * REDIS_COMMAND_TIMEOUT_MS) requests are counted per process instead of being
 * refused or failing. Connection trouble is logged once per outage, never
 * thrown into a request.
 */
export class LimitStore {
  readonly #redis: Redis | null;
  #connecting: Promise<void> | null = null;

  constructor(
    redisUrl: string | undefined,
    private readonly prefix: string,
  ) {
    this.#redis = redisUrl ? this.#client(redisUrl) : null;
  }

  /** Whether limits are shared through Redis (else per process). */
  get shared(): boolean {
    return this.#redis !== null;
  }

  limiter({ name, limit, windowMs, coalesce = false }: LimitSpec): Limiter {
    const duration = windowMs / 1000;
    if (!Number.isInteger(duration) || duration < 1) throw new Error(`limit ${name}: the window must be whole seconds, got ${windowMs} ms`);
    const keyPrefix = `${this.prefix}:${name}`;
    const memory = new RateLimiterMemory({ points: limit, duration, keyPrefix });
    const redis = this.#redis;
    if (!redis) return new FlexibleLimiter(limit, windowMs, memory);
    const shared = new RateLimiterRedis({
      storeClient: redis,
      useRedisPackage: true,
      // node-redis queues commands while it reconnects; refuse at once instead, so the insurance limiter answers.
      rejectIfRedisNotReady: true,
      customIncrTtlLuaScript: INCR_TTL_CLAMPED,
      points: limit,
      duration,
      keyPrefix,
      insuranceLimiter: memory,
    });
    const limiter = new FlexibleLimiter(limit, windowMs, shared, () => this.#connect());
    return coalesce ? new CoalescingLimiter(limiter) : limiter;
  }

  async close(): Promise<void> {
    const redis = this.#redis;
    if (!redis?.isOpen) return;
    // A client still trying to reach Redis has nothing to say goodbye to.
    if (redis.isReady) await redis.close().catch(() => redis.destroy());
    else redis.destroy();
  }

  #client(url: string): Redis {
    const redis = createClient({
      url,
      disableOfflineQueue: true,
      commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
      socket: REDIS_SOCKET,
    });
    reportOutages(redis, url, { who: 'limits', down: 'rate limits are per process until it is back', back: 'rate limits are shared again' });
    return redis;
  }

  /** Connects on first use; that first use waits a little for it, later ones never do. */
  #connect(): Promise<void> {
    if (!this.#connecting) {
      const redis = this.#redis!;
      const connected = redis.connect().then(
        () => undefined,
        () => undefined, // already logged by the 'error' listener; the client keeps retrying
      );
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
        timer.unref();
      });
      this.#connecting = Promise.race([connected, waited]).finally(() => clearTimeout(timer));
    }
    return this.#connecting;
  }
}


/**
 * `limiter` with its hits on one key in the same turn of the event loop
 * counted in one step (takeMany): a batch's 1,000 fixes of one device cost one
 * Redis command, not 1,000. In the order the hits came, the first of them up
 * to the limit are allowed, as if each had been counted alone.
 */
export class CoalescingLimiter implements Limiter {
  readonly #waiting = new Map<string, { resolve: (wait: number) => void; reject: (err: unknown) => void }[]>();
  #flushing = false;

  constructor(private readonly inner: Limiter) {}

  get limit(): number {
    return this.inner.limit;
  }

  get windowMs(): number {
    return this.inner.windowMs;
  }

  hit(key: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(key);
      if (queue) queue.push({ resolve, reject });
      else this.#waiting.set(key, [{ resolve, reject }]);
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  take(key: string): Promise<{ wait: number; excess: number }> {
    return this.inner.take(key);
  }

  takeMany(key: string, n: number): Promise<{ allowed: number; wait: number }> {
    return this.inner.takeMany(key, n);
  }

  refund(key: string): Promise<void> {
    return this.inner.refund(key);
  }

  excess(key: string): Promise<number> {
    return this.inner.excess(key);
  }

  blocked(key: string): Promise<number> {
    return this.inner.blocked(key);
  }

  #flush(): void {
    const batches = [...this.#waiting];
    this.#waiting.clear();
    this.#flushing = false;
    for (const [key, hits] of batches) {
      this.inner.takeMany(key, hits.length).then(
        ({ allowed, wait }) => hits.forEach((h, i) => h.resolve(i < allowed ? 0 : wait)),
        (err: unknown) => hits.forEach((h) => h.reject(err)),
      );
    }
  }
}
