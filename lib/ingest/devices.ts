import type { Db } from '../../db/client';
import { getDeviceBySecret, type DeviceRef } from '../../db/devices';

/**
 * Device secrets resolved once and kept in memory: the ingest hot path must
 * not pay a hash and a query per request. Unknown secrets are remembered
 * briefly so a flood of forged ids cannot turn into a flood of queries.
 */
export class DeviceDirectory {
  readonly #known = new Map<string, DeviceRef>();
  readonly #unknownUntil = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly negativeTtlMs = 5_000,
  ) {}

  /** The synchronous fast path: a device already seen. */
  cached(identifier: string): DeviceRef | undefined {
    return this.#known.get(identifier);
  }

  async resolve(identifier: string): Promise<DeviceRef | null> {
    const hit = this.#known.get(identifier);
    if (hit) return hit;
    const until = this.#unknownUntil.get(identifier);
    if (until !== undefined && until > Date.now()) return null;
    const found = await getDeviceBySecret(this.db, { secret: identifier });
    if (found) {
      this.#known.set(identifier, found);
      this.#unknownUntil.delete(identifier);
    } else {
      if (this.#unknownUntil.size > 10_000) this.#unknownUntil.clear();
      this.#unknownUntil.set(identifier, Date.now() + this.negativeTtlMs);
    }
    return found;
  }

  /** Forget cached answers (after devices are added, disabled or re-keyed). */
  invalidate(): void {
    this.#known.clear();
    this.#unknownUntil.clear();
  }
}
