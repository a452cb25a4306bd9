// The rules evaluator: arrival detection and the alert rules, every
// RULES_INTERVAL_MS, off the ingest path. One cycle is a few set-based
// statements for every assignment, team and grid cell at once (db/rules.ts),
// never a query per fix. Alert state lives in the alerts table: a rule raises
// an alert once (its rule key is live until cleared) and clears it once.
import { clearRuleAlerts, getLiveRuleKeys, insertRuleAlerts } from '../../db/alerts';
import type { Db } from '../../db/client';
import {
  getArrivalFixes,
  getCoverageGaps,
  getOnDutyTeamFixes,
  getTeamsOutsideArea,
  getUnacknowledgedAssignments,
  summarizeNewPositionRanges,
  updateGridCoverage,
} from '../../db/rules';
import type { Bus } from '../bus';
import type { Config } from '../config';
import { markArrived } from '../dispatch';
import { AppError } from '../errors';
import type { Alert } from '../model';
import { DEFAULT_PLAN_ROUTE_COVER_M } from '../model/plan-report';
import { PlanMonitor } from '../plans/monitor';
import { detectArrival, type ArrivalFix } from './arrival';
import {
  coverageGapAlerts,
  outsideAreaAlerts,
  planAlerts,
  ruleSettings,
  silenceAlerts,
  unacknowledgedAlerts,
  type AlertCandidate,
  type RuleSettings,
} from './alert-rules';

/**
 * At most this many of a team's newest fixes are read per cycle for arrival
 * and for the outside-area rule: 200 is over 16 min at one fix per 5 s, so
 * the windows below are complete for real devices, and a flood of fixes
 * (the ingest benchmark: ~400 a second per team) cannot make a cycle slow.
 */
const MAX_FIXES_PER_TEAM = 200;
/** Arrival reads fixes since dispatch, but no further back than this (or 4 × the dwell). */
const ARRIVAL_LOOKBACK_MS = 10 * 60_000;
/**
 * Coverage is kept up to date at most this often: it feeds an hours-long rule
 * and an hours-since shading, and its statement reads the fixes since the last
 * update through the BRIN index, whose newest page ranges autovacuum
 * summarizes about once a minute (until then they are read whole). Measured in
 * the ingest benchmark at 500 ms cycles under a flood of ~10,000 fixes/s:
 * 217 ms of a 385 ms cycle went to this statement when it ran every cycle.
 */
const COVERAGE_EVERY_MS = 60_000;
/**
 * Each coverage update reads fixes timed after the previous update's `now`
 * less this much, so a fix stored up to a minute after it was taken (network
 * delay, the writer's queue, a short upload backlog) still counts.
 */
const COVERAGE_SLACK_MS = 60_000;

export interface CycleResult {
  raised: Alert[];
  cleared: Alert[];
  /** Assignments found arrived this cycle (markArrived moved them on scene). */
  arrived: { assignmentId: number; at: Date }[];
  /** Grid cells whose last patrol time moved (0 in a cycle that did not update coverage). */
  coverageCells: number;
}

export class RulesEvaluator {
  readonly settings: RuleSettings;
  /** Cycles completed, their duration, and the time spent in each step (the ingest benchmark prints them). */
  readonly stats = { cycles: 0, totalMs: 0, maxMs: 0, stepMs: { arrival: 0, plans: 0, coverage: 0, rules: 0, apply: 0 } };
  /** Patrol plans' checkpoint visits (from each ingested batch, in memory) and compliance (once per cycle). */
  readonly plans: PlanMonitor;
  readonly #deps: { db: Db; bus: Bus };
  /** A route-only plan's team is held to its route widened by this (PLAN_ROUTE_COVER_M). */
  readonly #routeMarginM: number;
  /** When the evaluator started listening: silence is judged from here at the earliest. */
  #since: Date | null;
  /** The `now` of the last coverage update: the next one reads fixes after it (less the slack). */
  #coverageFrom: Date | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #busy = false;
  #failing = false;

  constructor(deps: { db: Db; bus: Bus; config: Config }, opts: { since?: Date } = {}) {
    this.#deps = { db: deps.db, bus: deps.bus };
    this.settings = ruleSettings(deps.config);
    this.#routeMarginM = deps.config.PLAN_ROUTE_COVER_M ?? DEFAULT_PLAN_ROUTE_COVER_M;
    this.#since = opts.since ?? null;
    this.plans = new PlanMonitor(deps);
  }

  /** Runs a cycle every RULES_INTERVAL_MS (unref'd: it never keeps the process alive); a cycle still running skips the tick. */
  start(): this {
    this.#timer ??= setInterval(() => void this.#tick(), this.settings.intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Stops the timer and waits for a cycle in flight; start() runs it again (leadership leaving and coming back, lib/leader.ts). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running.catch(() => undefined);
  }

  /** Stops for good, so the database can be closed after. */
  async close(): Promise<void> {
    await this.stop();
    this.plans.close();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    try {
      await this.evaluate(new Date());
      if (this.#failing) console.error('[rules] evaluation recovered');
      this.#failing = false;
    } catch (err) {
      // Once per outage, not every cycle; the next tick retries.
      if (!this.#failing) console.error('[rules] evaluation failing, retrying every cycle:', (err as Error).message);
      this.#failing = true;
    }
  }

  /**
   * One cycle at `now` (tests pass explicit instants; every statement takes
   * it as a parameter). Cycles never overlap: a call waits for the one in flight.
   */
  evaluate(now: Date): Promise<CycleResult> {
    const run = this.#running.catch(() => undefined).then(() => this.#cycle(now));
    this.#running = run;
    return run;
  }

  async #cycle(now: Date): Promise<CycleResult> {
    this.#busy = true;
    const started = performance.now();
    try {
      const since = (this.#since ??= now);
      const steps = this.stats.stepMs;
      let mark = started;
      const lap = (step: keyof typeof steps) => {
        const t = performance.now();
        steps[step] += t - mark;
        mark = t;
      };
      const arrived = await this.#detectArrivals(now);
      lap('arrival');
      const planWanted = await this.plans.cycle(now);
      lap('plans');
      let coverageCells = 0;
      const last = this.#coverageFrom;
      if (!last || now.getTime() - last.getTime() >= COVERAGE_EVERY_MS || now < last) {
        const from = last ? new Date(last.getTime() - COVERAGE_SLACK_MS) : new Date(now.getTime() - this.settings.coverageGapMs);
        await summarizeNewPositionRanges(this.#deps.db);
        coverageCells = await updateGridCoverage(this.#deps.db, { from, now });
        this.#coverageFrom = now;
      }
      lap('coverage');
      const wanted = [...(await this.#wantedAlerts(now, since)), ...planWanted];
      lap('rules');
      const { raised, cleared } = await this.#apply(wanted, now);
      lap('apply');
      const ms = performance.now() - started;
      this.stats.cycles++;
      this.stats.totalMs += ms;
      this.stats.maxMs = Math.max(this.stats.maxMs, ms);
      return { raised, cleared, arrived, coverageCells };
    } finally {
      this.#busy = false;
    }
  }

  async #detectArrivals(now: Date): Promise<{ assignmentId: number; at: Date }[]> {
    const { radiusM, dwellS } = this.settings.arrival;
    const lookback = Math.max(ARRIVAL_LOOKBACK_MS, 4 * dwellS * 1000);
    const rows = await getArrivalFixes(this.#deps.db, { now, from: new Date(now.getTime() - lookback), maxFixes: MAX_FIXES_PER_TEAM });
    const byAssignment = new Map<number, ArrivalFix[]>();
    for (const r of rows) {
      const list = byAssignment.get(r.assignmentId) ?? [];
      list.push({ at: r.at, metres: r.metres });
      byAssignment.set(r.assignmentId, list);
    }
    const arrived: { assignmentId: number; at: Date }[] = [];
    for (const [assignmentId, fixes] of byAssignment) {
      const at = detectArrival(fixes, { radiusM, dwellS });
      if (at === null) continue;
      // markArrived (lib/dispatch.ts) re-checks under a row lock: an assignment released meanwhile is left alone.
      try {
        const moved = await markArrived(this.#deps, { assignmentId, at: new Date(at) });
        if (moved) arrived.push({ assignmentId, at: new Date(at) });
      } catch (err) {
        // A refusal for one assignment (a 4xx: it changed under us) must not stop the other rules; anything else fails the cycle.
        if (!(err instanceof AppError) || err.code === 'unavailable') throw err;
        console.error(`[rules] arrival of assignment ${assignmentId} not recorded:`, err.message);
      }
    }
    return arrived;
  }

  async #wantedAlerts(now: Date, since: Date): Promise<AlertCandidate[]> {
    const { db } = this.#deps;
    const s = this.settings;
    const t = now.getTime();
    const unack = await getUnacknowledgedAssignments(db, { dispatchedBefore: new Date(t - s.unackMs) });
    const teams = await getOnDutyTeamFixes(db);
    const outside = await getTeamsOutsideArea(db, {
      now,
      from: new Date(t - 2 * s.outsideMs),
      outsideBefore: new Date(t - s.outsideMs),
      maxFixes: MAX_FIXES_PER_TEAM,
      // The out-of-area rule scoped to the plan a team is walking (its area, from the occurrence's start).
      plans: this.plans.runningPlans(t),
      routeMarginM: this.#routeMarginM,
    });
    const gaps = await getCoverageGaps(db, { patrolledBefore: new Date(t - s.coverageGapMs), since });
    return [
      ...unacknowledgedAlerts(unack, s),
      ...silenceAlerts(teams, { nowMs: t, sinceMs: since.getTime() }, s),
      ...outsideAreaAlerts(outside, s),
      ...coverageGapAlerts(gaps, s),
    ];
  }

  /** Raises what is wanted and not live, clears what is live and not wanted, in one transaction; publishes after the commit. */
  async #apply(wanted: AlertCandidate[], now: Date): Promise<{ raised: Alert[]; cleared: Alert[] }> {
    const { db, bus } = this.#deps;
    const plan = planAlerts(wanted, new Set(await getLiveRuleKeys(db)));
    if (plan.raise.length === 0 && plan.clear.length === 0) return { raised: [], cleared: [] };
    const result = await db.transaction(async (tx) => {
      const cleared = await clearRuleAlerts(tx, { ruleKeys: plan.clear, now });
      const raised = await insertRuleAlerts(tx, { alerts: plan.raise, now });
      return { raised, cleared };
    });
    for (const a of result.cleared) bus.publish('alert:update', a);
    for (const a of result.raised) bus.publish('alert:new', a);
    return result;
  }
}
