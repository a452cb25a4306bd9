import { appendAudit } from '../../db/audit';
import type { Queryable } from '../../db/client';

export interface DeniedAuditOptions {
  /** Rows written per client address per window; the rest are counted. */
  perAddress: number;
  /** Rows written per window for all addresses together. */
  globalPerWindow: number;
  windowMs: number;
  /** Addresses tracked per window; denials from more are counted in one row of their own. */
  maxAddresses: number;
  /** Summary rows per window, largest first; the rest are folded into one. */
  maxSummaries: number;
  now: () => number;
}

const DEFAULTS: DeniedAuditOptions = {
  perAddress: 5,
  globalPerWindow: 100,
  windowMs: 60_000,
  maxAddresses: 10_000,
  maxSummaries: 20,
  now: Date.now,
};

interface HeldBack {
  start: number;
  end: number;
  /** [address, suppressed denials], only addresses with some. */
  byAddress: [string, number][];
  untracked: number;
}

/** The target of a summary row (one per address and window). */
export const SUMMARY_TARGET = 'anonymous requests';

/**
 * Audit rows for denied ANONYMOUS requests, aggregated so that a scanner
 * cannot flood the append-only log (about 1,400 rows/s before) and push real
 * events off the administrator's first page: per fixed window (a minute), the
 * first `perAddress` denials of an address are written as usual while fewer
 * than `globalPerWindow` have been; the rest are counted and written as one
 * `http.denied` row per address with detail {suppressed: n} when the window
 * rolls over (on the next denial, the timer, or close). At most
 * globalPerWindow + maxSummaries + 1 rows a window. Denials of a signed-in
 * person do not come here: they are written one by one.
 */
export class DeniedAudit {
  readonly #db: Queryable;
  readonly #opts: DeniedAuditOptions;
  #windowStart: number;
  #written = 0;
  /** Per address in the current window: rows written, denials only counted. */
  #byAddress = new Map<string, { written: number; suppressed: number }>();
  /** Suppressed denials from addresses beyond maxAddresses. */
  #untracked = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Summaries being written; close() waits for them. */
  #pending: Promise<void> = Promise.resolve();

  constructor(db: Queryable, opts: Partial<DeniedAuditOptions> = {}) {
    this.#db = db;
    this.#opts = { ...DEFAULTS, ...opts };
    this.#windowStart = this.#opts.now();
  }

  /** Starts the timer that writes a quiet window's summaries without waiting for the next denial. */
  start(): this {
    this.#timer = setInterval(() => void this.#rollIfDue(), this.#opts.windowMs);
    this.#timer.unref();
    return this;
  }

  /** One anonymous denial: written, or counted for the window's summary. */
  async record({ ip, target }: { ip: string; target: string }): Promise<void> {
    await this.#rollIfDue();
    let a = this.#byAddress.get(ip);
    if (!a && this.#byAddress.size < this.#opts.maxAddresses) {
      a = { written: 0, suppressed: 0 };
      this.#byAddress.set(ip, a);
    }
    if (!a) {
      this.#untracked++;
      return;
    }
    if (a.written >= this.#opts.perAddress || this.#written >= this.#opts.globalPerWindow) {
      a.suppressed++;
      return;
    }
    a.written++;
    this.#written++;
    await appendAudit(this.#db, { actorUserId: null, actor: null, role: null, action: 'http.denied', target, outcome: 'denied', ip });
  }

  /** Writes the current window's summaries now and starts a new window (shutdown, tests). */
  flush(): Promise<void> {
    return this.#roll();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  #rollIfDue(): Promise<void> {
    return this.#opts.now() - this.#windowStart < this.#opts.windowMs ? this.#pending : this.#roll();
  }

  /** Ends the window at once (later denials count in the next) and queues its summaries. */
  #roll(): Promise<void> {
    const held = this.#take();
    this.#pending = this.#pending
      .then(() => this.#writeSummaries(held))
      // The counts are in the log line; the next window starts afresh either way.
      .catch((err: unknown) => console.error('[audit] could not write the summary of denied anonymous requests:', JSON.stringify(held), err));
    return this.#pending;
  }

  /** Ends the current window: returns what it held back and starts a new one. */
  #take(): HeldBack {
    const taken: HeldBack = {
      start: this.#windowStart,
      end: this.#opts.now(),
      byAddress: [...this.#byAddress].filter(([, a]) => a.suppressed > 0).map(([ip, a]): [string, number] => [ip, a.suppressed]),
      untracked: this.#untracked,
    };
    this.#windowStart = taken.end;
    this.#written = 0;
    this.#byAddress = new Map();
    this.#untracked = 0;
    return taken;
  }

  async #writeSummaries({ start, end, byAddress, untracked }: HeldBack): Promise<void> {
    const window = { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
    byAddress.sort((a, b) => b[1] - a[1]);
    const shown = byAddress.slice(0, this.#opts.maxSummaries);
    const folded = byAddress.slice(this.#opts.maxSummaries);
    for (const [ip, suppressed] of shown) {
      await appendAudit(this.#db, { actorUserId: null, actor: null, role: null, action: 'http.denied', target: SUMMARY_TARGET, outcome: 'denied', ip, detail: { suppressed, ...window } });
    }
    const rest = folded.reduce((n, [, s]) => n + s, 0) + untracked;
    if (rest > 0) {
      await appendAudit(this.#db, {
        actorUserId: null,
        actor: null,
        role: null,
        action: 'http.denied',
        target: SUMMARY_TARGET,
        outcome: 'denied',
        ip: null,
        // `untracked`: denials from addresses beyond maxAddresses, not counted by address.
        detail: { suppressed: rest, addresses: folded.length, untracked, ...window },
      });
    }
  }
}
