import type { Db } from '../../db/client';
import { fixKey, insertPositions, type FixRow } from '../../db/positions';
import type { Bus } from '../bus';
import { AppError, isDbUnavailable } from '../errors';

/** The database refused one fix's values (SQLSTATE class 22, data exception): the device's fault, a 422. */
function refusedFix(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22')) {
    return new AppError('invalid_input', `the database refused this fix: ${(err as Error).message.slice(0, 120)}`, { cause: err });
  }
  return err;
}

export type FixOutcome = 'accepted' | 'duplicate';

interface Pending {
  row: FixRow;
  /** The device's team when the caller knows it (the gateway does): the batch's fixes are announced with it. */
  teamId: number | null;
  resolve: (o: FixOutcome) => void;
  reject: (e: unknown) => void;
}

export interface WriterOptions {
  /** A batch never holds more fixes than this (one statement's parameters stay small). */
  maxBatch: number;
  /** Batches in flight at once: 1 for the single-connection embedded engine. */
  maxInFlight: number;
}

/**
 * Group commit for positions. Fixes from concurrent requests queue up; when a
 * write slot is free, everything queued (up to maxBatch) goes out as ONE
 * statement in one transaction. At low load a fix is written at once (no
 * fixed tick to wait for); under load, fixes pile up while the previous
 * batches are in flight, so batches grow by themselves — 500+ fixes per
 * statement at 10k fixes/s (docs/BENCHMARKS.md). Each submit() resolves only
 * after the commit that holds its fix; if the write fails, every fix in that
 * batch is rejected and nothing is acknowledged.
 */
export class PositionWriter {
  #queue: Pending[] = [];
  #scheduled = false;
  #inFlight = 0;
  #closed = false;
  readonly #idle = new Set<() => void>();
  /** Batches written and fixes in them, for logs and benchmarks. */
  readonly stats = { batches: 0, fixes: 0 };

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly opts: WriterOptions,
  ) {}

  submit(row: FixRow, teamId: number | null = null): Promise<FixOutcome> {
    if (this.#closed) return Promise.reject(new Error('position writer is closed'));
    return new Promise<FixOutcome>((resolve, reject) => {
      this.#queue.push({ row, teamId, resolve, reject });
      this.#schedule();
    });
  }

  /** Drain after the current I/O callbacks, so requests parsed together share a batch. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.opts.maxInFlight) {
      const batch = this.#queue.splice(0, this.opts.maxBatch);
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#drain();
        else if (this.#inFlight === 0) for (const fn of this.#idle) fn();
      });
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      await this.#insert(batch);
    } catch (err) {
      if (isDbUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(refusedFix(err));
        return;
      }
      // A row the database refuses must not take its neighbours down with it:
      // split the batch and retry the halves until the bad row stands alone.
      const mid = Math.ceil(batch.length / 2);
      await this.#write(batch.slice(0, mid));
      await this.#write(batch.slice(mid));
    }
  }

  async #insert(batch: Pending[]): Promise<void> {
    // insertPositions is ONE statement, so autocommit makes it one atomic
    // transaction without the BEGIN and COMMIT round trips.
    const { inserted, moved } = await insertPositions(
      this.db,
      batch.map((p) => p.row),
    );
    this.stats.batches++;
    this.stats.fixes += batch.length;
    // A key can appear twice in one batch (a client retrying fast): the first is
    // "accepted", the rest "duplicate".
    const answered = new Set<string>();
    const stored: { teamId: number; fixTime: number; lon: number; lat: number }[] = [];
    for (const p of batch) {
      const key = fixKey(p.row.deviceId, p.row.fixTime);
      const first = inserted.has(key) && !answered.has(key);
      answered.add(key);
      p.resolve(first ? 'accepted' : 'duplicate');
      if (first && p.teamId !== null) stored.push({ teamId: p.teamId, fixTime: p.row.fixTime, lon: p.row.lon, lat: p.row.lat });
    }
    // After the commit (the statement has returned): a fix is never announced before it is stored.
    if (stored.length > 0) this.bus.publish('units:fixes', stored);
    if (moved.length > 0) this.bus.publish('units:fixed', moved);
  }

  /** Resolves when nothing is queued or being written. */
  async flushed(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const fn = () => {
        this.#idle.delete(fn);
        resolve();
      };
      this.#idle.add(fn);
      this.#schedule();
    });
  }

  async close(): Promise<void> {
    await this.flushed();
    this.#closed = true;
  }
}
