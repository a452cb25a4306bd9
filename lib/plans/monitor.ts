// Live checkpoint compliance (issue 14), run by the rules evaluator beside
// arrival detection (lib/rules/evaluator.ts). Two halves:
//
// - On the ingest path, in memory: every committed batch's moves (the bus's
//   `units:fixed`, published by the writer after its one statement) go
//   through the VisitTracker, which holds the live occurrences' checkpoints
//   by team. A team in no live plan costs one map lookup; no query per fix.
// - Once per rules cycle, at the cycle's `now`: reload the plans when they
//   changed (`plans:changed`), an occurrence ended or the township day turned;
//   write the visits found since the last cycle in one statement; read the
//   live occurrences' visits and the plan teams' dispatches (two statements);
//   compute each checkpoint's state (lib/plans/live.ts); push the changes
//   (`plans:checkpoints`) and answer the overdue alerts wanted.
//
// The tracker sees the moves, i.e. each team's newest fix per batch that is
// newer than the one it had: a device's backlog uploaded in one batch counts
// from its newest fix, and late fixes never undo a run.
import type { Db } from '../../db/client';
import { getDispatchSpans, getVisits, upsertVisits, type VisitRow } from '../../db/plan-visits';
import { listPlans } from '../../db/plans';
import type { Bus } from '../bus';
import type { Config } from '../config';
import type { CheckpointChanges, CheckpointState, LivePlanOccurrence } from '../model/plans';
import { addDays, startOfTownshipDay, townshipDay, townshipDayStart } from '../model/township-time';
import { SEVERITY, type AlertCandidate } from '../rules/alert-rules';
import { liveStates, planSchedule, type ScheduledOccurrence } from './live';
import { parseMarketDays, type MarketDays } from './recurrence';
import { VisitTracker, type WatchedCheckpoint } from './visits';

/** The overdue alert's identity: one per checkpoint and occurrence, so the next day's miss is a new alert. */
export const overdueRuleKey = (checkpointId: number, day: string) => `checkpoint_overdue:checkpoint:${checkpointId}:${day}`;

/** The overdue alerts the live occurrences want: one per overdue checkpoint. */
export function overdueAlerts(live: readonly LivePlanOccurrence[], tz: string): AlertCandidate[] {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return live.flatMap((o) =>
    o.checkpoints
      .filter((c) => c.state === 'overdue')
      .map(
        (c): AlertCandidate => ({
          ruleKey: overdueRuleKey(c.checkpointId, o.day),
          kind: 'checkpoint_overdue',
          severity: SEVERITY.checkpoint_overdue,
          teamId: o.teamIds[0] ?? null,
          incidentId: null,
          gridId: null,
          position: c.point,
          message: `Checkpoint ${c.seq} "${c.name}" of plan "${o.name}" was not visited by ${clock.format(Date.parse(c.periodEnd))}`,
        }),
      ),
  );
}

export class PlanMonitor {
  readonly tracker: VisitTracker;
  /** Cycles, visits written, and what the tracker watches (the plans bench prints them). */
  readonly stats = { cycles: 0, visitsWritten: 0, watched: 0 };
  readonly #deps: { db: Db; bus: Bus };
  readonly #tz: string;
  readonly #market: MarketDays;
  /** The live occurrences with their checkpoints' periods, as of the last reload. */
  #schedule: ScheduledOccurrence[] = [];
  #teamIds: number[] = [];
  /** Reload the plans at the first cycle at or after this instant (epoch ms). */
  #reloadAt = -Infinity;
  #pending = new Map<string, VisitRow>();
  #states = new Map<string, CheckpointState>();
  readonly #unsubscribe: (() => void)[];

  constructor(deps: { db: Db; bus: Bus; config: Pick<Config, 'TOWNSHIP_TZ' | 'TOWNSHIP_MARKET_DAYS' | 'PLAN_VISIT_DWELL_S'> }) {
    this.#deps = { db: deps.db, bus: deps.bus };
    this.#tz = deps.config.TOWNSHIP_TZ;
    this.#market = parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS);
    this.tracker = new VisitTracker({ dwellS: deps.config.PLAN_VISIT_DWELL_S });
    this.#unsubscribe = [
      deps.bus.subscribe('units:fixed', (moves) => {
        for (const v of this.tracker.observe(moves)) {
          const key = `${v.checkpointId}:${v.teamId}:${v.arrivedAt}`;
          const had = this.#pending.get(key);
          this.#pending.set(key, { ...v, leftAt: v.leftAt ?? had?.leftAt ?? null });
        }
      }),
      deps.bus.subscribe('plans:changed', () => {
        this.#reloadAt = -Infinity;
      }),
    ];
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
  }

  /** One cycle at `now`: the overdue alerts wanted (the evaluator raises and clears them with the other rules). */
  async cycle(now: Date): Promise<AlertCandidate[]> {
    const t = now.getTime();
    if (t >= this.#reloadAt) await this.#reload(t);
    await this.#flush();
    if (this.#schedule.length === 0) {
      this.#states.clear();
      return [];
    }
    const live = await this.#live(t);
    this.#publishChanges(live);
    this.stats.cycles++;
    return overdueAlerts(live, this.#tz);
  }

  /** Loads the plans and hands the tracker the live occurrences' checkpoints, by team. */
  async #reload(t: number): Promise<void> {
    const plans = await listPlans(this.#deps.db);
    const occurrences = planSchedule(plans, { now: t, tz: this.#tz, market: this.#market });
    this.#schedule = occurrences;
    this.#teamIds = [...new Set(occurrences.flatMap((o) => o.plan.teams.map((x) => x.id)))];
    const byTeam = new Map<number, WatchedCheckpoint[]>();
    for (const { plan, day, start, end } of occurrences) {
      if (end <= t) continue;
      for (const team of plan.teams) {
        const list = byTeam.get(team.id) ?? [];
        for (const c of plan.checkpoints) {
          list.push({ planId: plan.id, checkpointId: c.id, day, start, end, lon: c.point[0], lat: c.point[1], radiusM: c.radiusM });
        }
        byTeam.set(team.id, list);
      }
    }
    this.tracker.watch(byTeam);
    this.stats.watched = this.tracker.watched;
    // Again when the next occurrence ends (its checkpoints stop counting) or the township day turns (new occurrences).
    const tomorrow = townshipDayStart(addDays(townshipDay(t, this.#tz), 1), this.#tz).getTime();
    this.#reloadAt = Math.min(tomorrow, ...occurrences.map((o) => o.end).filter((e) => e > t));
  }

  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    try {
      this.stats.visitsWritten += await upsertVisits(this.#deps.db, { visits: batch });
    } catch (err) {
      // Kept for the next cycle (merged with what came meanwhile); the cycle fails and is retried.
      for (const v of batch) {
        const key = `${v.checkpointId}:${v.teamId}:${v.arrivedAt}`;
        const later = this.#pending.get(key);
        this.#pending.set(key, { ...v, leftAt: later?.leftAt ?? v.leftAt });
      }
      throw err;
    }
  }

  async #live(t: number): Promise<LivePlanOccurrence[]> {
    const { db } = this.#deps;
    const from = startOfTownshipDay(t - 86_400_000, this.#tz);
    const to = new Date(t);
    const [visits, dispatches] = [await getVisits(db, { from, to }), await getDispatchSpans(db, { teamIds: this.#teamIds, from, to })];
    return liveStates(this.#schedule, { visits, dispatches, now: t });
  }

  /** Publishes the checkpoints whose state differs from the last cycle's (a checkpoint not seen before counts as changed). */
  #publishChanges(live: readonly LivePlanOccurrence[]): void {
    const next = new Map<string, CheckpointState>();
    const changes: CheckpointChanges = { p: [], d: [], c: [], s: [] };
    for (const o of live) {
      for (const c of o.checkpoints) {
        const key = `${o.planId}:${o.day}:${c.checkpointId}`;
        next.set(key, c.state);
        if (this.#states.get(key) === c.state) continue;
        changes.p.push(o.planId);
        changes.d.push(o.day);
        changes.c.push(c.checkpointId);
        changes.s.push(c.state);
      }
    }
    this.#states = next;
    if (changes.c.length > 0) this.#deps.bus.publish('plans:checkpoints', changes);
  }
}
