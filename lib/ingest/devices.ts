import type { Db } from '../../db/client';
import { getDeviceBySecret, type DeviceRef } from '../../db/devices';

/**
 * Device secrets resolved once and kept in memory for a short while: the
 * ingest hot path must not pay a hash and a query per request, yet a secret
 * that is re-issued or a device that is disabled (possibly by another process:
 * `npm run device:issue`) must stop working soon. Known secrets are trusted
 * for `knownTtlMs`; unknown ones are remembered for `unknownTtlMs` so a flood
 * of forged ids cannot turn into a flood of queries.
 *
 * Nothing here is shared between processes, on purpose: both lifetimes are
 * at most 30 s (30 s known, 5 s unknown), so a secret re-issued or a device
 * disabled by any process stops on every process within 30 s, and a newly
 * issued secret works everywhere within 5 s — without Redis. Keep them ≤ 30 s
 * (tests/integration/device-cache-ttl.test.ts holds the defaults to it).
 */
export class DeviceDirectory {
  readonly #known = new Map<string, { ref: DeviceRef; until: number }>();
  readonly #unknownUntil = new Map<string, number>();
  /** Bumped by invalidate(): a lookup that began before it must not cache its (possibly stale) answer. */
  #generation = 0;
  /** Lookups under way, joined by later requests for the same secret (invalidate() stops new ones joining). */
  readonly #inFlight = new Map<string, Promise<DeviceRef | null>>();

  constructor(
    private readonly db: Db,
    private readonly knownTtlMs = 30_000,
    private readonly unknownTtlMs = 5_000,
  ) {}

  /** The synchronous fast path: a device seen recently. */
  cached(secret: string): DeviceRef | undefined {
    const hit = this.#known.get(secret);
    return hit && hit.until > Date.now() ? hit.ref : undefined;
  }

  async resolve(secret: string): Promise<DeviceRef | null> {
    const hit = this.cached(secret);
    if (hit) return hit;
    const until = this.#unknownUntil.get(secret);
    if (until !== undefined && until > Date.now()) return null;
    // A batch of 1,000 fixes from a device not yet cached asks once, not 1,000
    // times in parallel (that alone took about 1 s of the 1.5 s ingest deadline).
    const pending = this.#inFlight.get(secret);
    if (pending) return pending;
    const lookup = this.#lookup(secret).finally(() => {
      if (this.#inFlight.get(secret) === lookup) this.#inFlight.delete(secret);
    });
    this.#inFlight.set(secret, lookup);
    return lookup;
  }

  async #lookup(secret: string): Promise<DeviceRef | null> {
    const generation = this.#generation;
    const found = await getDeviceBySecret(this.db, { secret });
    // Read before a re-key or disable committed, answered after invalidate(): use it once, keep nothing.
    if (generation !== this.#generation) return found;
    if (found) {
      this.#known.set(secret, { ref: found, until: Date.now() + this.knownTtlMs });
      this.#unknownUntil.delete(secret);
    } else {
      this.#known.delete(secret);
      if (this.#unknownUntil.size > 10_000) this.#unknownUntil.clear();
      this.#unknownUntil.set(secret, Date.now() + this.unknownTtlMs);
    }
    return found;
  }

  /**
   * Forget cached answers at once: this process re-keyed or disabled a device
   * (the gateway listens for `device:changed`). Another process's change
   * (`npm run device:issue`, a second server) is seen within `knownTtlMs`.
   */
  invalidate(): void {
    this.#generation++;
    this.#inFlight.clear();
    this.#known.clear();
    this.#unknownUntil.clear();
  }
}
