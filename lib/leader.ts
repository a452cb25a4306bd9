// One leader among GridSight's processes on one database (issue 15): the work
// that must run once per deployment — the simulator, the rules loop (arrival,
// the plan monitor, the alert rules) and retention — runs only in the process
// that holds the leader's advisory lock (db/leader.ts). Every process serves
// requests; the others try for the lock every LEADER_RETRY_MS. The lock lives
// on one dedicated connection: when that connection fails or ends, this
// process stops its duties at once, and the server frees the lock, so another
// process takes over within one retry interval of the server noticing (at
// once for a process that dies; about 7 s for one whose network went silent,
// db/client.ts). The embedded engine is one process: it always leads.
import type { Db, DbSession } from '../db/client';
import { holdsLeaderLock, releaseLeaderLock, tryLeaderLock } from '../db/leader';

/** Work that runs only while this process leads. */
export interface Duty {
  /** Shown in the leader's log line. */
  readonly name: string;
  /** Called when this process becomes the leader, or at once when a duty is added to a leader. */
  start(): void | Promise<void>;
  /** Called when leadership is lost and on close; waits for work in flight. */
  stop(): void | Promise<void>;
}

/** The leader's connection as pg_stat_activity shows it (application_name). */
export const LEADER_SESSION_NAME = 'gridsight leader';

export interface LeadershipOptions {
  /** How often a process that does not lead tries for the lock, and how often the leader checks it still holds it. */
  retryMs: number;
  /** Log lines (console by default; tests may collect them). */
  log?: (line: string) => void;
}

export class Leadership {
  readonly #openSession: (() => Promise<DbSession>) | null;
  readonly #retryMs: number;
  readonly #log: (line: string) => void;
  readonly #duties: Duty[] = [];
  /** Duties started and not stopped since. */
  readonly #running = new Set<Duty>();
  /** Duties that failed to start since this process last became the leader: tried again at the next gain. */
  readonly #failed = new Set<Duty>();
  #leading = false;
  #started = false;
  #closed = false;
  #session: DbSession | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** The try in flight (close waits for it). */
  #attempt: Promise<void> = Promise.resolve();
  /** Duty starts and stops, one pass after another. */
  #transitions: Promise<void> = Promise.resolve();
  #failing = false;

  /**
   * The lock is held on a connection from db.openSession; a database without
   * one (the embedded engine) has only this process, which leads from start().
   */
  constructor(db: Pick<Db, 'openSession'>, opts: LeadershipOptions) {
    this.#openSession = db.openSession ? () => db.openSession!(LEADER_SESSION_NAME) : null;
    this.#retryMs = opts.retryMs;
    this.#log = opts.log ?? ((line) => console.log(line));
  }

  /** Whether this process leads now (its duties started or starting). */
  isLeader(): boolean {
    return this.#leading;
  }

  /** Adds a duty; it starts at once (after any start or stop in progress) when this process leads. */
  add(duty: Duty): Promise<void> {
    this.#duties.push(duty);
    return this.#reconcile();
  }

  /** Resolves when every start and stop decided so far has finished. */
  settled(): Promise<void> {
    return this.#transitions;
  }

  /** Starts leading (embedded: at once, without a log line) or trying for the lock (server). */
  start(): this {
    if (this.#started || this.#closed) return this;
    this.#started = true;
    if (this.#openSession) {
      this.#attempt = this.#tryOnce();
    } else {
      this.#leading = true;
      this.#failed.clear();
      void this.#reconcile();
    }
    return this;
  }

  /** Stops the duties, gives the lock up and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return this.#transitions;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#attempt;
    if (this.#leading && this.#openSession) this.#log('[leader] leadership given up (closing)');
    this.#leading = false;
    // Duties stop before the lock is freed, so no other process leads while ours still run.
    await this.#reconcile();
    const session = this.#session;
    this.#session = null;
    if (session) {
      await releaseLeaderLock(session).catch(() => undefined);
      await session.close();
    }
  }

  /** One try: a connection if there is none, then the lock (not leading) or the heartbeat (leading); the next try one interval on. */
  async #tryOnce(): Promise<void> {
    let session = this.#session;
    try {
      if (!session) {
        session = await this.#openSession!();
        if (this.#closed) {
          await session.close();
          return;
        }
        this.#session = session;
        const mine = session;
        mine.onLost((err) => this.#drop(mine, `its database connection was lost (${err.message})`));
      }
      if (!this.#leading) {
        const got = await tryLeaderLock(session);
        // The connection may have been lost (and the lock with it) while the answer was on its way.
        if (got && this.#session === session && !this.#closed) this.#gain();
      } else if (!(await holdsLeaderLock(session))) {
        this.#drop(session, 'the lock is no longer held');
      }
      if (this.#failing) this.#log('[leader] the database answers again');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.#log(`[leader] cannot reach the leader's lock, retrying every ${this.#retryMs} ms: ${(err as Error).message}`);
      this.#failing = true;
      if (session) this.#drop(session, (err as Error).message);
    } finally {
      this.#schedule();
    }
  }

  /** The next try one interval from now (replacing one already waiting). */
  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#attempt = this.#tryOnce();
    }, this.#retryMs);
    this.#timer.unref();
  }

  #gain(): void {
    this.#leading = true;
    this.#failed.clear();
    this.#log(`[leader] this process leads (${this.#duties.map((d) => d.name).join(', ')})`);
    void this.#reconcile();
  }

  /**
   * The session is unusable: leadership (if held) is lost now, and the next
   * try, a whole interval on, opens a new connection — a healthy process
   * trying meanwhile takes the lock first.
   */
  #drop(session: DbSession, reason: string): void {
    if (this.#session !== session) return;
    this.#session = null;
    void session.close();
    // Between tries (a try in flight schedules the next itself when it fails).
    if (this.#timer) this.#schedule();
    if (!this.#leading) return;
    this.#leading = false;
    this.#log(`[leader] lost leadership: ${reason}`);
    void this.#reconcile();
  }

  /**
   * Brings the duties in line with #leading as it is when the pass runs
   * (passes run one after another): a quick lose-and-gain, or a duty added
   * while a start is in progress, never starts a duty twice.
   */
  #reconcile(): Promise<void> {
    this.#transitions = this.#transitions.then(async () => {
      if (this.#leading) {
        for (const duty of this.#duties) if (!this.#running.has(duty) && !this.#failed.has(duty)) await this.#startDuty(duty);
      } else {
        // In reverse order of start: a later duty may lean on an earlier one.
        for (const duty of [...this.#duties].reverse()) if (this.#running.has(duty)) await this.#stopDuty(duty);
      }
    });
    return this.#transitions;
  }

  /** A duty that fails to start is logged, stopped (whatever it began) and left so until the next gain; the others still start. */
  async #startDuty(duty: Duty): Promise<void> {
    this.#running.add(duty);
    try {
      await duty.start();
    } catch (err) {
      console.error(`[leader] starting ${duty.name} failed:`, (err as Error).message);
      this.#failed.add(duty);
      await this.#stopDuty(duty);
    }
  }

  async #stopDuty(duty: Duty): Promise<void> {
    this.#running.delete(duty);
    try {
      await duty.stop();
    } catch (err) {
      console.error(`[leader] stopping ${duty.name} failed:`, (err as Error).message);
    }
  }
}
