// Live checkpoint compliance (issue 14), run by the rules evaluator beside
// arrival detection (lib/rules/evaluator.ts). Two halves:
//
// - On the ingest path, in memory: every committed batch's fixes and moves
//   (the bus's `units:fixes` and `units:fixed`, published by the writer after
//   its one statement) go
//   through the VisitTracker, which holds the live occurrences' checkpoints
//   by team. A team in no live plan costs one map lookup; no query per fix.
// - Once per rules cycle, at the cycle's `now`: reload the plans when they
//   changed (`plans:changed`), an occurrence ended or the township day turned
//   (with the live occurrences' visits: the monitor writes them all, so it
//   then keeps them in memory); write the visits found since the last cycle
//   in one statement; read the plan teams' dispatches (one statement);
//   recompute only the checkpoints whose state can have changed (a slot edge
//   or due time passed, a new visit, a change in the plan's dispatches), in
//   the compact form the alerts and the push need (never the API objects);
//   push the changes (`plans:checkpoints`) and answer the overdue alerts.
//
// The tracker sees every fix a batch stored (the writer's `units:fixes`, with
// the team the gateway resolved), then the batch's moves (which also carry
// GPX imports): a device's backlog uploaded in one batch counts whole, and
// late fixes (older than the newest seen for the team) never undo a run.
import type { Db } from '../../db/client';
import type { TeamPlanArea } from '../../db/rules';
import { getDispatchSpans, getPlanTeamStates, getVisits, upsertVisits } from '../../db/plan-visits';
import { listPlans } from '../../db/plans';
import type { Bus } from '../bus';
import type { Config } from '../config';
import type { LonLat } from '../model/domain';
import type { CheckpointChanges, CheckpointState, DispatchSpan, PatrolPlan, PlanVisit } from '../model/plans';
import { addDays, townshipClock, townshipDay, townshipDayStart } from '../model/township-time';
import { SEVERITY, type AlertCandidate } from '../rules/alert-rules';
import { arrivalKey, checkpointStatus, pendingVisitKey, startOfYesterday, type Period } from './compliance';
import { nextStateChange, planSchedule, planSpans, type ScheduledOccurrence } from './live';
import { SplitWatch, unreadyAlerts, type PlanAlertSettings, type PlanTeamState } from './plan-alerts';
import { parseMarketDays, type MarketDays } from './recurrence';
import { VisitTracker, type TeamFix, type WatchedCheckpoint } from './visits';

const DAY_MS = 86_400_000;

/** The overdue alert's identity: one per checkpoint and occurrence, so the next day's miss is a new alert. */
export const overdueRuleKey = (checkpointId: number, day: string) => `checkpoint_overdue:checkpoint:${checkpointId}:${day}`;

/** The overdue alert of one checkpoint of an occurrence, whose missed period ended at `periodEnd` (epoch ms). */
function overdueAlert(
  o: { planId: number; name: string; day: string; teamIds: readonly number[] },
  c: { checkpointId: number; seq: number; name: string; point: LonLat },
  periodEnd: number,
  tz: string,
): AlertCandidate {
  return {
    ruleKey: overdueRuleKey(c.checkpointId, o.day),
    kind: 'checkpoint_overdue',
    severity: SEVERITY.checkpoint_overdue,
    teamId: o.teamIds[0] ?? null,
    incidentId: null,
    gridId: null,
    position: c.point,
    message: `Checkpoint ${c.seq} "${c.name}" of plan "${o.name}" was not visited by ${townshipClock(periodEnd, tz)}`,
  };
}

/** A checkpoint of a live occurrence as the monitor walks it each cycle (fixed between reloads). */
interface Entry {
  occurrence: number;
  key: string;
  planId: number;
  day: string;
  checkpoint: PatrolPlan['checkpoints'][number];
  periods: Period[];
}

/** A checkpoint's state as last computed, kept until something can change it. */
interface Cached {
  state: CheckpointState;
  /** Recompute at or after this instant (lib/plans/live.ts nextStateChange). */
  until: number;
  /** How many arrivals were known, and the occurrence's dispatches, when it was computed. */
  visits: number;
  spans: string;
  alert: AlertCandidate | null;
}

export class PlanMonitor {
  readonly tracker: VisitTracker;
  /** Cycles, visits written, what the tracker watches, and checkpoint states computed (the plans bench prints them). */
  readonly stats: { cycles: number; visitsWritten: number; computed: number; readonly watched: number };
  readonly #deps: { db: Db; bus: Bus };
  readonly #tz: string;
  readonly #market: MarketDays;
  /** The live occurrences with their checkpoints' periods, as of the last reload. */
  #schedule: ScheduledOccurrence[] = [];
  #entries: Entry[] = [];
  #teamIds: number[] = [];
  /** Reload the plans at the first cycle at or after this instant (epoch ms). */
  #reloadAt = -Infinity;
  #pending = new Map<string, PlanVisit>();
  /** Arrival times by `plan:day:checkpoint`: read at reload, then added to as the monitor writes visits (it is their only writer). */
  #arrivals = new Map<string, number[]>();
  #cache = new Map<string, Cached>();
  #lastT = -Infinity;
  #states = new Map<string, CheckpointState>();
  /** The plan teams' newest fixes, from the committed batches' moves (and the cycle's read of unit_state after a restart). */
  readonly #fixes = new Map<number, PlanTeamState['fix'] & {}>();
  #teamSet = new Set<number>();
  readonly #alertSettings: PlanAlertSettings;
  readonly #split = new SplitWatch();
  readonly #unsubscribe: (() => void)[];

  constructor(deps: {
    db: Db;
    bus: Bus;
    config: Pick<Config, 'TOWNSHIP_TZ' | 'TOWNSHIP_MARKET_DAYS' | 'PLAN_VISIT_DWELL_S' | 'PLAN_START_FIX_MINUTES' | 'PLAN_SPLIT_DISTANCE_M' | 'PLAN_SPLIT_MINUTES'>;
  }) {
    this.#deps = { db: deps.db, bus: deps.bus };
    this.#alertSettings = {
      startFixMs: deps.config.PLAN_START_FIX_MINUTES * 60_000,
      splitDistanceM: deps.config.PLAN_SPLIT_DISTANCE_M,
      splitMs: deps.config.PLAN_SPLIT_MINUTES * 60_000,
    };
    this.#tz = deps.config.TOWNSHIP_TZ;
    this.#market = parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS);
    const tracker = (this.tracker = new VisitTracker({ dwellS: deps.config.PLAN_VISIT_DWELL_S }));
    this.stats = {
      cycles: 0,
      visitsWritten: 0,
      computed: 0,
      get watched() {
        return tracker.watched;
      },
    };
    this.#unsubscribe = [
      // Every stored fix of a batch (a backlog counts whole), then its moves: a
      // move already seen among the fixes is not newer than the tracker's newest and is skipped.
      deps.bus.subscribeShared('units:fixes', (fixes) => this.#observe(fixes)),
      deps.bus.subscribeShared('units:fixed', (moves) => {
        for (const m of moves) {
          if (!this.#teamSet.has(m.teamId)) continue;
          const had = this.#fixes.get(m.teamId);
          if (!had || m.fixTime > had.fixTime) this.#fixes.set(m.teamId, { fixTime: m.fixTime, lon: m.lon, lat: m.lat });
        }
        this.#observe(moves);
      }),
      deps.bus.subscribeShared('plans:changed', () => {
        this.#reloadAt = -Infinity;
      }),
    ];
  }

  /**
   * The plan each team is walking at `t` (an occurrence of the last reload
   * running: start ≤ t < end), with the occurrence's start: the out-of-area
   * rule holds the team to the plan's area from then (db/rules.ts). A team is
   * in at most one running plan (overlaps are refused).
   */
  runningPlans(t: number): TeamPlanArea[] {
    return this.#schedule
      .filter((o) => o.start <= t && t < o.end)
      .flatMap((o) => o.plan.teams.map((team) => ({ teamId: team.id, planId: o.plan.id, startMs: o.start })));
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
  }

  /** Fixes to the tracker (a team in no live plan costs a map lookup); the visits they begin or end wait for the cycle's write. */
  #observe(fixes: readonly TeamFix[]): void {
    for (const v of this.tracker.observe(fixes)) {
      const key = pendingVisitKey(v);
      const had = this.#pending.get(key);
      this.#pending.set(key, { ...v, leftAt: v.leftAt ?? had?.leftAt ?? null });
    }
  }

  /** One cycle at `now`: the overdue alerts wanted (the evaluator raises and clears them with the other rules). */
  async cycle(now: Date): Promise<AlertCandidate[]> {
    const t = now.getTime();
    // A cycle back in time (tests replay instants) computes everything afresh.
    if (t < this.#lastT) {
      this.#cache.clear();
      this.#split.reset();
    }
    this.#lastT = t;
    if (t >= this.#reloadAt) await this.#reload(t);
    await this.#flush();
    if (this.#schedule.length === 0) {
      this.#states.clear();
      return [];
    }
    const alerts = await this.#update(t);
    this.stats.cycles++;
    return alerts;
  }

  /** Loads the plans and their visits, and hands the tracker the live occurrences' checkpoints, by team. */
  async #reload(t: number): Promise<void> {
    const plans = await listPlans(this.#deps.db);
    const occurrences = planSchedule(plans, { now: t, tz: this.#tz, market: this.#market });
    this.#schedule = occurrences;
    this.#entries = occurrences.flatMap((o, occurrence) =>
      o.checkpoints.map(({ checkpoint, periods }) => ({
        occurrence,
        key: arrivalKey(o.plan.id, o.day, checkpoint.id),
        planId: o.plan.id,
        day: o.day,
        checkpoint,
        periods,
      })),
    );
    this.#cache.clear();
    this.#teamIds = [...new Set(occurrences.flatMap((o) => o.plan.teams.map((x) => x.id)))];
    this.#teamSet = new Set(this.#teamIds);
    for (const id of this.#fixes.keys()) if (!this.#teamSet.has(id)) this.#fixes.delete(id);
    this.#arrivals.clear();
    if (occurrences.length > 0) {
      // Every live occurrence began yesterday or today and ends within a day of its start.
      const visits = await getVisits(this.#deps.db, { from: startOfYesterday(t, this.#tz), to: new Date(t + 3 * DAY_MS) });
      this.#addArrivals(visits);
    }
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
    // Again when the next occurrence ends (its checkpoints stop counting) or the township day turns (new occurrences).
    const tomorrow = townshipDayStart(addDays(townshipDay(t, this.#tz), 1), this.#tz).getTime();
    this.#reloadAt = Math.min(tomorrow, ...occurrences.map((o) => o.end).filter((e) => e > t));
  }

  #addArrivals(visits: readonly PlanVisit[]): void {
    for (const v of visits) {
      const key = arrivalKey(v.planId, v.day, v.checkpointId);
      const list = this.#arrivals.get(key);
      if (!list) this.#arrivals.set(key, [v.arrivedAt]);
      else if (!list.includes(v.arrivedAt)) list.push(v.arrivedAt);
    }
  }

  /**
   * plan_team_unready and joint_patrol_split (lib/plans/plan-alerts.ts) for
   * the running occurrences: the duty state from one read of the plan teams
   * (whose newest fix also seeds the memory after a restart), the positions
   * from the moves held in memory.
   */
  async #teamAlerts(t: number, spans: readonly DispatchSpan[][]): Promise<AlertCandidate[]> {
    const running = this.#schedule.flatMap((o, i) => (o.start <= t && t < o.end ? [{ plan: o.plan, day: o.day, start: o.start, end: o.end, spans: spans[i]! }] : []));
    if (running.length === 0) {
      this.#split.reset();
      return [];
    }
    const teams = new Map<number, PlanTeamState>();
    for (const row of await getPlanTeamStates(this.#deps.db, { teamIds: [...new Set(running.flatMap((o) => o.plan.teams.map((x) => x.id)))] })) {
      const mem = this.#fixes.get(row.teamId);
      const fix = mem && (!row.fix || mem.fixTime >= row.fix.fixTime) ? mem : row.fix;
      if (fix && fix !== mem) this.#fixes.set(row.teamId, fix);
      teams.set(row.teamId, { onDuty: row.onDuty, fix });
    }
    return [
      ...unreadyAlerts(running, teams, { now: t, tz: this.#tz }, this.#alertSettings),
      ...this.#split.alerts(running, teams, { now: t }, this.#alertSettings),
    ];
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
        const key = pendingVisitKey(v);
        const later = this.#pending.get(key);
        this.#pending.set(key, { ...v, leftAt: later?.leftAt ?? v.leftAt });
      }
      throw err;
    }
    this.#addArrivals(batch);
  }

  /**
   * Reads the plan teams' dispatches (one statement: assignments are also
   * written outside the bus), recomputes the checkpoints something can have
   * changed (a slot edge or a due time passed, a new visit, a change in the
   * plan's dispatches), publishes the changed states and answers the overdue
   * alerts.
   */
  async #update(t: number): Promise<AlertCandidate[]> {
    const from = startOfYesterday(t, this.#tz);
    const dispatches = await getDispatchSpans(this.#deps.db, { teamIds: this.#teamIds, from, to: new Date(t) });
    const occ = this.#schedule.map(({ plan, start, end }) => {
      const teamIds = plan.teams.map((x) => x.id);
      const spans = planSpans(dispatches, teamIds, { start, end });
      return { planId: plan.id, name: plan.name, teamIds, spans, sig: spans.map((s) => `${s.teamId}:${s.start}:${s.end}`).join(',') };
    });
    const alerts: AlertCandidate[] = [...(await this.#teamAlerts(t, occ.map((o) => o.spans)))];
    const next = new Map<string, CheckpointState>();
    const changes: CheckpointChanges = { p: [], d: [], c: [], s: [] };
    for (const e of this.#entries) {
      const o = occ[e.occurrence]!;
      const visits = this.#arrivals.get(e.key) ?? [];
      let cached = this.#cache.get(e.key);
      if (cached === undefined || t >= cached.until || cached.visits !== visits.length || cached.spans !== o.sig) {
        const input = { visits, suspensions: o.spans, now: t };
        const st = checkpointStatus(e.periods, input);
        cached = {
          state: st.state,
          until: nextStateChange(e.periods, input),
          visits: visits.length,
          spans: o.sig,
          alert: st.state === 'overdue' ? overdueAlert({ ...o, day: e.day }, { ...e.checkpoint, checkpointId: e.checkpoint.id }, st.period.end, this.#tz) : null,
        };
        this.#cache.set(e.key, cached);
        this.stats.computed++;
      }
      if (cached.alert) alerts.push(cached.alert);
      // A checkpoint not seen before counts as changed.
      next.set(e.key, cached.state);
      if (this.#states.get(e.key) === cached.state) continue;
      changes.p.push(e.planId);
      changes.d.push(e.day);
      changes.c.push(e.checkpoint.id);
      changes.s.push(cached.state);
    }
    this.#states = next;
    if (changes.c.length > 0) this.#deps.bus.publish('plans:checkpoints', changes);
    return alerts;
  }
}
