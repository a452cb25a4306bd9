import type { Db } from '../../db/client';
import { issueDeviceSecret } from '../../db/devices';
import { getKeyLocations, getRandomPointsInGrid } from '../../db/map-layers';
import { listPlans } from '../../db/plans';
import { getSimTeams, type SimTeam } from '../../db/units';
import type { Bus } from '../bus';
import { loadConfig } from '../config';
import {
  FORCE_TRAVEL_MODE,
  INCIDENT_CATEGORIES,
  type Assignment,
  type ForceType,
  type IncidentCategory,
  type LonLat,
  type Severity,
  type TownshipChange,
} from '../model';
import { KNOTS_TO_MS } from '../ingest/fix';
import { travelSpeeds, type EtaSettings, type TravelSpeeds } from '../geo/eta';
import type { RoadNetwork } from '../geo/road-network';
import { loadRoadNetwork } from '../geo/road-network-cache';
import { createIncident } from '../incidents';
import { liveOccurrences } from '../plans/live';
import { parseMarketDays, type MarketDays } from '../plans/recurrence';
import type { PatrolPlan } from '../model/plans';
import { planCourse } from './plan-course';
import { Walker, type Leg, type NextWaypoint } from './walker';

/** Patrol speeds in m/s: on foot about 5 km/h, motorcycle about 30 km/h. */
const SPEED_MS: Record<ForceType, number> = {
  emergency: 5 / 3.6,
  armband: 4.5 / 3.6,
  motorcycle: 30 / 3.6,
  militia: 4.5 / 3.6,
  grid_worker: 4 / 3.6,
};

const INCIDENT_TITLES: Record<IncidentCategory, string> = {
  neighbour_dispute: '邻里纠纷',
  family_dispute: '家庭纠纷',
  land_grazing_dispute: '土地草场边界纠纷',
  wage_labour_dispute: '劳资纠纷',
  citizen_request: '群众诉求',
  traffic: '交通事故',
  fire: '火情',
  medical: '急救',
  lost_person: '人员走失 / 搜救',
  natural_hazard: '自然灾害险情',
  public_order: '治安事件',
};

export interface SimulatorOptions {
  /** Where the simulator sends its OsmAnd requests, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  reportSeconds: number;
  incidentsPerHour: number;
  random?: () => number;
  /**
   * Speeds a dispatched team travels at (the ETA settings of lib/config.ts:
   * the road at its travel mode's speed, off-road legs on foot). The
   * configuration's defaults when not given.
   */
  travel?: EtaSettings;
  /**
   * Patrol plans (issue 14): a team in a running plan walks its course
   * (lib/sim/plan-course.ts) instead of its own patrol. The township's zone
   * and market days, and the visit dwell (a team stands at a checkpoint long
   * enough to be seen there); the configuration's defaults when not given.
   */
  plans?: { tz: string; marketDays: string; dwellS: number };
  /** The clock (epoch ms): Date.now unless a test drives time. */
  now?: () => number;
  /** false: no timer; the caller drives reports with tick() (tests with time controlled). Default true. */
  timer?: boolean;
  /** Only these teams (tests); every on-duty team with a device by default. */
  teamIds?: readonly number[];
}

/** On scene, a team's reports wander at most this far from the incident (GPS noise, people moving about). */
export const ON_SCENE_JITTER_M = 4;
/** How fast that wandering is, m/s. */
const ON_SCENE_SPEED_MS = 0.3;
const METRES_PER_DEGREE = 111_195;

interface SimUnit {
  team: SimTeam;
  /** Issued at start: the database keeps only its hash. */
  secret: string;
  walker: Walker;
  /** Waypoints and speed of its own patrol, resumed from wherever it is when released. */
  patrol: () => NextWaypoint;
  patrolSpeedMs: number;
  /** The assignment it is travelling to or standing at, if any. */
  assignmentId: number | null;
  /** The plan occurrence (`plan:day`) whose course it walks, if any. */
  planKey: string | null;
  battery: number;
  lastReport: number;
}

/**
 * The demo simulator: on-duty teams patrol along the roads (grid workers
 * within their own grid) and report over HTTP exactly as Traccar Client does,
 * so simulated and real devices share one path. It also reports incidents.
 */
export class Simulator {
  #units: SimUnit[] = [];
  #timer: NodeJS.Timeout | null = null;
  #incidentTimer: NodeJS.Timeout | null = null;
  #keyPoints: LonLat[] = [];
  #stopped = false;
  #network: RoadNetwork | null = null;
  readonly #travel: TravelSpeeds;
  #unsubscribe: (() => void)[] = [];
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #planSettings: { tz: string; market: MarketDays; holdS: number };
  #plans: PatrolPlan[] = [];
  /** Requests answered 2xx / not, for logs and tests. */
  readonly stats = { sent: 0, ok: 0, failed: 0, incidents: 0 };
  /** Reports sent and not yet answered (#report never rejects). */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: { db: Db; bus: Bus },
    private readonly opts: SimulatorOptions,
  ) {
    this.#random = opts.random ?? Math.random;
    // No environment read here: the defaults of the one configuration schema, unless server.ts passes the parsed values.
    const defaults = opts.travel && opts.plans ? null : loadConfig({});
    this.#travel = travelSpeeds(opts.travel ?? defaults!);
    this.#now = opts.now ?? Date.now;
    const plans = opts.plans ?? { tz: defaults!.TOWNSHIP_TZ, marketDays: defaults!.TOWNSHIP_MARKET_DAYS, dwellS: defaults!.PLAN_VISIT_DWELL_S };
    // Standing past the dwell by two reports and a margin: the visit needs a fix inside at both ends of it.
    this.#planSettings = { tz: plans.tz, market: parseMarketDays(plans.marketDays), holdS: plans.dwellS + 2 * opts.reportSeconds + 10 };
  }

  async start(): Promise<void> {
    const { db } = this.deps;
    const [allTeams, keyLocations, network, plans] = await Promise.all([getSimTeams(db), getKeyLocations(db), loadRoadNetwork(db), listPlans(db)]);
    const teams = this.opts.teamIds ? allTeams.filter((t) => this.opts.teamIds!.includes(t.teamId)) : allTeams;
    this.#plans = plans;
    // Patrols and dispatched routes walk the one road network the ETA ranking uses.
    this.#network = network;
    this.#keyPoints = keyLocations.map((k) => k.position);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.#random() * xs.length)]!;

    for (const team of teams) {
      const speed = SPEED_MS[team.forceType];
      let start: LonLat;
      let patrol: (from: LonLat) => NextWaypoint;
      if (team.forceType === 'grid_worker' && team.homeGridId !== null) {
        // A grid worker walks between points of their own grid, fetched in batches from PostGIS.
        const points = await getRandomPointsInGrid(db, { gridId: team.homeGridId, count: 24 });
        if (points.length === 0) continue;
        let i = Math.floor(this.#random() * points.length);
        start = team.position ?? points[i]!;
        patrol = () => () => points[(i = (i + 1) % points.length)]!;
      } else {
        if (network.segmentCount === 0) continue;
        start = team.position ?? network.nodes[network.segA[Math.floor(this.#random() * network.segmentCount)]!]!;
        // The network of the moment: a roads import replaces it (#reloadRoads) and the next patrol walks the new one.
        patrol = (from) => this.#roadPatrol(this.#network ?? network, from, pick);
      }
      const walker = new Walker(start, speed, patrol(start));
      // Simulated devices are ours: re-key each at start, since only hashes are stored.
      const secret = await issueDeviceSecret(db, { deviceId: team.deviceId });
      this.#units.push({
        team,
        secret,
        walker,
        patrol: () => patrol(walker.position),
        patrolSpeedMs: speed,
        assignmentId: null,
        planKey: null,
        battery: 60 + this.#random() * 40,
        lastReport: 0,
      });
    }
    // Bus listeners run inside the publisher's call: a failure here is logged, never thrown back at the dispatch service.
    const guarded = <A extends unknown[]>(what: string, fn: (...args: A) => void) => (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        console.warn(`[sim] ${what} failed:`, (err as Error).message);
      }
    };
    this.#unsubscribe = [
      this.deps.bus.subscribeShared('assignment:new', guarded('dispatch', (a: Assignment, at: LonLat) => this.#dispatched(a, at))),
      this.deps.bus.subscribeShared('assignment:released', guarded('release', (a: Assignment) => this.#released(a))),
      this.deps.bus.subscribeShared('township:changed', guarded('roads', (change: TownshipChange) => {
        if (change.layer === 'roads') void this.#reloadRoads();
      })),
      this.deps.bus.subscribeShared('plans:changed', guarded('plans', () => void this.#reloadPlans())),
    ];

    const stepMs = 250;
    // Each unit reports every reportSeconds; spreading them over the interval
    // keeps the load smooth instead of one burst per period.
    const t0 = this.#now();
    this.#units.forEach((u, i) => (u.lastReport = t0 - (i / this.#units.length) * this.opts.reportSeconds * 1000));
    if (this.opts.timer !== false) this.#timer = setInterval(() => this.#step(), stepMs);
    this.#scheduleIncident();
    console.log(`[sim] ${this.#units.length} units on patrol; reports every ${this.opts.reportSeconds} s`);
  }

  /** After a roads import (whose commit forgot the cached network): dispatches and new patrols use the new roads. */
  async #reloadRoads(): Promise<void> {
    try {
      this.#network = await loadRoadNetwork(this.deps.db);
    } catch (err) {
      console.warn('[sim] loading the new roads failed:', (err as Error).message);
    }
  }

  async #reloadPlans(): Promise<void> {
    try {
      this.#plans = await listPlans(this.deps.db);
    } catch (err) {
      console.warn('[sim] loading the plans failed:', (err as Error).message);
    }
  }

  /**
   * Puts each team that is not on a dispatch on the course of its running
   * plan, or back on its own patrol when its plan ended (from where it stands).
   */
  #followPlans(now: number): void {
    const { tz, market, holdS } = this.#planSettings;
    const running = new Map<number, { key: string; plan: PatrolPlan }>();
    for (const o of liveOccurrences(this.#plans, { now, tz, market })) {
      if (o.start > now || o.end <= now) continue;
      for (const team of o.plan.teams) running.set(team.id, { key: `${o.plan.id}:${o.day}`, plan: o.plan });
    }
    for (const u of this.#units) {
      if (u.assignmentId !== null) continue;
      const occ = running.get(u.team.teamId);
      if ((occ?.key ?? null) === u.planKey) continue;
      const course = occ ? planCourse(occ.plan, { holdS }) : null;
      u.planKey = occ?.key ?? null;
      u.walker.follow([], course ?? u.patrol(), u.patrolSpeedMs);
    }
  }

  /** One round of reports at the clock's time, answered (tests that drive time: `timer: false`). */
  async tick(): Promise<void> {
    this.#step();
    await this.settled();
  }

  /** Waypoints of a road patrol from the road vertex nearest `start`. */
  #roadPatrol(network: RoadNetwork, start: LonLat, pick: <T>(xs: readonly T[]) => T): NextWaypoint {
    let node = network.nearestVertex(start)!;
    let prev = -1;
    let first = true;
    return () => {
      if (first) {
        first = false;
        return network.nodes[node]!;
      }
      const options = network.roadNeighbours(node);
      // Do not turn back unless the road ends here.
      const forward = options.filter((n) => n !== prev);
      const next = pick(forward.length > 0 ? forward : options.length > 0 ? options : [node]);
      prev = node;
      node = next;
      return network.nodes[next]!;
    };
  }

  /**
   * One of our teams was sent to an incident: it leaves its patrol at once,
   * walks to its road, follows the shortest road path (the same network the
   * ETA ranking uses) at its travel mode's speed, walks the last stretch to
   * the incident and stays there, reporting small movements, until released.
   */
  #dispatched(assignment: Assignment, incident: LonLat): void {
    const u = this.#units.find((x) => x.team.teamId === assignment.teamId);
    if (!u || this.#stopped) return;
    u.assignmentId = assignment.id;
    const foot = this.#travel.offRoadMs;
    const roadMs = this.#travel.roadMs[FORCE_TRAVEL_MODE[u.team.forceType]];
    const legs: Leg[] = [];
    const network = this.#network;
    const target = network?.snap(incident);
    const from = network?.snap(u.walker.position);
    const road = network && target && from ? network.pathTo(network.searchFrom(target), from) : null;
    if (road) {
      // pathTo runs from the team's snap point back to the incident's.
      legs.push({ to: road[0]!, speedMs: foot });
      for (const p of road.slice(1)) legs.push({ to: p, speedMs: roadMs });
    }
    // Unreachable by road (or no roads at all): straight there on foot.
    legs.push({ to: incident, speedMs: foot });
    u.walker.follow(legs, () => this.#jitter(incident), ON_SCENE_SPEED_MS);
  }

  /** A point at most ON_SCENE_JITTER_M from `p`. */
  #jitter(p: LonLat): LonLat {
    const r = ON_SCENE_JITTER_M * Math.sqrt(this.#random());
    const a = 2 * Math.PI * this.#random();
    return [
      p[0] + (r * Math.cos(a)) / (METRES_PER_DEGREE * Math.cos((p[1] * Math.PI) / 180)),
      p[1] + (r * Math.sin(a)) / METRES_PER_DEGREE,
    ];
  }

  /** Released (resolved, cancelled, reassigned): back to its patrol from where it stands. */
  #released(assignment: Assignment): void {
    const u = this.#units.find((x) => x.team.teamId === assignment.teamId);
    // A release of an older assignment (reassigned after a new dispatch) leaves the new course alone.
    if (!u || u.assignmentId !== assignment.id) return;
    u.assignmentId = null;
    // Back to its plan's course at the next step if one is running.
    u.planKey = null;
    u.walker.follow([], u.patrol(), u.patrolSpeedMs);
  }

  /** Where a simulated team is now and the assignment it is on (tests and logs). */
  unitState(teamId: number): { position: LonLat; speedMs: number; assignmentId: number | null } | null {
    const u = this.#units.find((x) => x.team.teamId === teamId);
    return u ? { position: [u.walker.position[0], u.walker.position[1]], speedMs: u.walker.speedMs, assignmentId: u.assignmentId } : null;
  }

  #step(): void {
    const now = this.#now();
    this.#followPlans(now);
    const periodMs = this.opts.reportSeconds * 1000;
    for (const u of this.#units) {
      if (now - u.lastReport < periodMs) continue;
      const dt = (now - u.lastReport) / 1000;
      u.lastReport = now;
      u.walker.advance(Math.min(dt, 3 * this.opts.reportSeconds));
      u.battery = Math.max(5, u.battery - 0.01 * dt / 60);
      const report = this.#report(u, now);
      this.#inFlight.add(report);
      void report.finally(() => this.#inFlight.delete(report));
    }
  }

  async #report(u: SimUnit, now: number): Promise<void> {
    const [lon, lat] = u.walker.position;
    const q = new URLSearchParams({
      id: u.secret,
      lat: lat.toFixed(6),
      lon: lon.toFixed(6),
      timestamp: String(Math.floor(now / 1000)),
      // Traccar Client sends knots in the query shape.
      speed: (u.walker.speedMs / KNOTS_TO_MS).toFixed(2),
      bearing: u.walker.heading.toFixed(1),
      batt: u.battery.toFixed(0),
      accuracy: '8',
    });
    this.stats.sent++;
    try {
      const res = await fetch(`${this.opts.baseUrl}/ingest/osmand?${q}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (res.ok) this.stats.ok++;
      else {
        this.stats.failed++;
        if (this.stats.failed % 50 === 1) console.warn(`[sim] report answered ${res.status}: ${await res.text()}`);
      }
    } catch (err) {
      this.stats.failed++;
      if (!this.#stopped && this.stats.failed % 50 === 1) console.warn('[sim] report failed:', (err as Error).message);
    }
  }

  #scheduleIncident(): void {
    if (this.opts.incidentsPerHour <= 0 || this.#stopped) return;
    // Exponential gaps: a Poisson process at the configured rate.
    const meanMs = 3_600_000 / this.opts.incidentsPerHour;
    const delay = Math.min(-Math.log(1 - this.#random()) * meanMs, 6 * meanMs);
    this.#incidentTimer = setTimeout(() => {
      void this.#reportIncident().finally(() => this.#scheduleIncident());
    }, delay);
  }

  /** Never rejects: a failure (the database down) is logged, and the next incident is scheduled all the same. */
  async #reportIncident(): Promise<void> {
    const r = this.#random;
    const category = INCIDENT_CATEGORIES[Math.floor(r() * INCIDENT_CATEGORIES.length)]!;
    try {
      let position: LonLat | undefined;
      if (this.#keyPoints.length > 0 && r() < 0.6) {
        const k = this.#keyPoints[Math.floor(r() * this.#keyPoints.length)]!;
        position = [k[0] + (r() - 0.5) * 0.003, k[1] + (r() - 0.5) * 0.003];
      } else {
        position = (await getRandomPointsInGrid(this.deps.db, { gridId: null, count: 1 }))[0];
      }
      if (!position) return;
      const severity = (1 + Math.floor(r() * r() * 4)) as Severity;
      await createIncident(this.deps, {
        category,
        severity,
        title: INCIDENT_TITLES[category],
        description: '模拟上报（演示数据）',
        source: 'grid_worker',
        position,
      });
      this.stats.incidents++;
    } catch (err) {
      if (!this.#stopped) console.warn('[sim] incident report failed:', (err as Error).message);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#timer) clearInterval(this.#timer);
    if (this.#incidentTimer) clearTimeout(this.#incidentTimer);
    this.#timer = null;
    this.#incidentTimer = null;
  }

  /** Resolves when every report already sent has its answer counted in `stats`. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }
}
