import type { Db } from '../../db/client';
import { getDeviceBySecret, type DeviceRef } from '../../db/devices';

/**
 * Device secrets resolved once and kept in memory for a short while: the
 * ingest hot path must not pay a hash and a query per request, yet a secret
 * that is re-issued or a device that is disabled (possibly by another process:
 * `npm run device:issue`) must stop working soon. Known secrets are trusted
 * for `knownTtlMs`; unknown ones are remembered for `unknownTtlMs` so a flood
 * of forged ids cannot turn into a flood of queries.
 */
export class DeviceDirectory {
  readonly #known = new Map<string, { ref: DeviceRef; until: number }>();
  readonly #unknownUntil = new Map<string, number>();

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
    const found = await getDeviceBySecret(this.db, { secret });
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

  /** Forget cached answers at once (after this process re-keys or disables a device). */
  invalidate(): void {
    this.#known.clear();
    this.#unknownUntil.clear();
  }
}
