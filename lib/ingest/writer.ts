import type { Db } from '../../db/client';
import { fixKey, insertPositions, type FixRow } from '../../db/positions';
import type { Bus } from '../bus';

export type FixOutcome = 'accepted' | 'duplicate';

interface Pending {
  row: FixRow;
  resolve: (o: FixOutcome) => void;
  reject: (e: unknown) => void;
}

export interface WriterOptions {
  /**
   * How long a fix waits for company before its batch is written. 20 ms keeps
   * a single device's answer fast while letting a busy gateway put hundreds of
   * fixes into one statement (see docs/BENCHMARKS.md for the measured effect).
   */
  tickMs: number;
  /** A batch is written at once when it reaches this many fixes. */
  maxBatch: number;
  /** Batches in flight at once: 1 for the single-connection embedded engine. */
  maxInFlight: number;
}

/**
 * Collects fixes from concurrent requests and writes them in batches, one
 * statement per batch. Each submit() resolves only after the transaction that
 * holds its fix has committed, so a device is told "accepted" only for fixes
 * that are durable; if the write fails, every fix in the batch is rejected.
 */
export class PositionWriter {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #inFlight = 0;
  #closed = false;
  readonly #idle = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly opts: WriterOptions,
  ) {}

  submit(row: FixRow): Promise<FixOutcome> {
    if (this.#closed) return Promise.reject(new Error('position writer is closed'));
    return new Promise<FixOutcome>((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      if (this.#queue.length >= this.opts.maxBatch) this.#flushSoon(0);
      else this.#flushSoon(this.opts.tickMs);
    });
  }

  #flushSoon(delay: number): void {
    if (delay === 0) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#drain();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.#drain();
    }, delay);
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.opts.maxInFlight) {
      const batch = this.#queue.splice(0, this.opts.maxBatch);
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#flushSoon(this.#queue.length >= this.opts.maxBatch ? 0 : this.opts.tickMs);
        else if (this.#inFlight === 0) for (const fn of this.#idle) fn();
      });
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      const { inserted, movedTeams } = await this.db.transaction((tx) =>
        insertPositions(
          tx,
          batch.map((p) => p.row),
        ),
      );
      // A key can appear twice in one batch (a client retrying fast): the first is
      // "accepted", the rest "duplicate".
      const answered = new Set<string>();
      for (const p of batch) {
        const key = fixKey(p.row.deviceId, p.row.fixTime);
        const first = inserted.has(key) && !answered.has(key);
        answered.add(key);
        p.resolve(first ? 'accepted' : 'duplicate');
      }
      if (movedTeams.length > 0) this.bus.publish('units:moved', movedTeams);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** Resolves when nothing is queued or being written. */
  async flushed(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    this.#flushSoon(0);
    await new Promise<void>((resolve) => {
      const fn = () => {
        this.#idle.delete(fn);
        resolve();
      };
      this.#idle.add(fn);
    });
  }

  async close(): Promise<void> {
    await this.flushed();
    this.#closed = true;
  }
}
