// History that does not grow forever (issue 15): one maintenance pass makes
// the positions day partitions ahead (migration 0019), drops the day
// partitions older than POSITIONS_RETENTION_DAYS, and erases the reporter
// contact of incidents reported more than INCIDENT_CONTACT_RETENTION_DAYS ago
// (the incident kept), each erasure audited. The pass runs every hour from
// the work loop that runs once per deployment (createApp, beside the rules
// evaluator) and on demand (`npm run retention`). Every step is idempotent and
// safe to run from two processes at once (partition making is serialised in
// the database, drops are IF EXISTS, erasure skips rows another run holds).
import type { Db } from '../db/client';
import { appendAudit } from '../db/audit';
import { forgetDayPartitions } from '../db/positions';
import {
  defaultDaysFrom,
  deleteDefaultBefore,
  dropDayPartition,
  ensureDays,
  eraseReporterContacts,
  listDayPartitions,
  type DayPartition,
} from '../db/retention';
import type { Config } from './config';

const DAY_MS = 86_400_000;
/** How often the pass runs: "once an hour" keeps partitions ahead by days and contacts within an hour of their limit. */
const RETENTION_INTERVAL_MS = 60 * 60_000;
/**
 * The first pass one interval after start, then every interval: a
 * short-lived process (a test's app holding fixtures dated years back, a
 * bench) never runs one, and nothing waits for it (ingest makes a day's
 * partition itself on its first fix; `npm run retention` runs a pass now).
 */
const FIRST_PASS_MS = RETENTION_INTERVAL_MS;
/** Day partitions made ahead of today (UTC): a day's partition exists days before its first fix. */
const PARTITION_DAYS_AHEAD = 3;
/** The longest a partition drop waits for its lock (ingest queues behind a waiting drop): a busy drop is retried next pass. */
const DROP_LOCK_TIMEOUT_MS = 200;
/** Incidents erased per transaction and per audit row. */
const ERASE_BATCH = 500;

export interface RetentionSettings {
  positionsDays: number;
  contactDays: number;
}

export const retentionSettings = (config: Pick<Config, 'POSITIONS_RETENTION_DAYS' | 'INCIDENT_CONTACT_RETENTION_DAYS'>): RetentionSettings => ({
  positionsDays: config.POSITIONS_RETENTION_DAYS,
  contactDays: config.INCIDENT_CONTACT_RETENTION_DAYS,
});

export interface RetentionResult {
  /** Day partitions made (ahead, and for default-partition fixes inside the window). */
  made: number;
  /** Day partitions dropped, oldest first. */
  dropped: string[];
  /** Drops that did not get their lock in time (tried again next pass). */
  busy: string[];
  /** Fixes older than the window deleted from the default partition. */
  defaultDeleted: number;
  /** Incidents whose reporter contact was erased. */
  erased: number[];
  /** Positions older than this are gone (a UTC midnight): the window's start. */
  positionsBefore: string;
  contactsBefore: string;
}

const utcDay = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/** The system actor of retention's audit rows. */
const SYSTEM = { actorUserId: null, actor: 'system:retention', role: null, ip: null } as const;

/** One maintenance pass at `now`. */
export async function runRetention(db: Db, settings: RetentionSettings, now: Date = new Date()): Promise<RetentionResult> {
  const t = now.getTime();
  // Whole UTC days: everything of the last positionsDays days is kept, and a day is dropped only once all of it is older.
  const positionsBefore = new Date(Math.floor((t - settings.positionsDays * DAY_MS) / DAY_MS) * DAY_MS);
  const contactsBefore = new Date(t - settings.contactDays * DAY_MS);

  // 1. Partitions ahead: yesterday (a late pass around midnight) to a few days on.
  const ahead: string[] = [];
  for (let i = -1; i <= PARTITION_DAYS_AHEAD; i++) ahead.push(utcDay(t + i * DAY_MS));
  let made = await ensureDays(db, ahead);
  // Fixes inside the window the default partition caught (inserted directly, a day made before it): into their days.
  made += await ensureDays(db, await defaultDaysFrom(db, positionsBefore));

  // 2. Whole days past the window.
  const old: DayPartition[] = (await listDayPartitions(db)).filter((p) => Date.parse(p.hi) <= positionsBefore.getTime());
  const dropped: string[] = [];
  const busy: string[] = [];
  for (const p of old) {
    if (await dropDayPartition(db, p, DROP_LOCK_TIMEOUT_MS)) dropped.push(p.name);
    else busy.push(p.name);
  }
  // The default partition's old fixes, once no day partition older than the window is left.
  const defaultDeleted = busy.length === 0 ? await deleteDefaultBefore(db, positionsBefore) : 0;
  if (dropped.length > 0) forgetDayPartitions(db);
  if (dropped.length > 0 || defaultDeleted > 0) {
    await appendAudit(db, {
      ...SYSTEM,
      action: 'positions.retention',
      outcome: 'ok',
      detail: { retentionDays: settings.positionsDays, before: positionsBefore.toISOString(), droppedDays: dropped, defaultDeleted },
    });
  }

  // 3. Reporter contacts: each batch's erasure and its audit row in one transaction (an erasure is never unrecorded).
  const erased: number[] = [];
  for (;;) {
    const ids = await db.transaction(async (tx) => {
      const batch = await eraseReporterContacts(tx, contactsBefore, ERASE_BATCH);
      if (batch.length > 0) {
        await appendAudit(tx, {
          ...SYSTEM,
          action: 'incident.contact_erase',
          outcome: 'ok',
          // Which incidents and why, never the contact itself.
          detail: { count: batch.length, incidentIds: batch, retentionDays: settings.contactDays, reportedBefore: contactsBefore.toISOString() },
        });
      }
      return batch;
    });
    erased.push(...ids);
    if (ids.length < ERASE_BATCH) break;
  }

  return {
    made,
    dropped,
    busy,
    defaultDeleted,
    erased,
    positionsBefore: positionsBefore.toISOString(),
    contactsBefore: contactsBefore.toISOString(),
  };
}

/** The hourly pass, started once per deployment's work loop (createApp). */
export class RetentionLoop {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #busy = false;
  #failing = false;

  constructor(
    private readonly db: Db,
    private readonly settings: RetentionSettings,
  ) {}

  /** First pass FIRST_PASS_MS after start, then every RETENTION_INTERVAL_MS (unref'd timers). */
  start(): this {
    if (this.#timer) return this;
    this.#timer = setTimeout(() => {
      void this.#tick();
      this.#timer = setInterval(() => void this.#tick(), RETENTION_INTERVAL_MS);
      this.#timer.unref();
    }, FIRST_PASS_MS);
    this.#timer.unref();
    return this;
  }

  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running.catch(() => undefined);
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    const run = runRetention(this.db, this.settings);
    this.#running = run;
    try {
      const r = await run;
      if (r.dropped.length > 0 || r.erased.length > 0 || r.busy.length > 0) {
        console.log(`[retention] dropped ${r.dropped.length} day(s) of positions, ${r.busy.length} busy; erased ${r.erased.length} reporter contact(s)`);
      }
      if (this.#failing) console.error('[retention] recovered');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) console.error('[retention] pass failing, retrying every hour:', (err as Error).message);
      this.#failing = true;
    } finally {
      this.#busy = false;
    }
  }
}
