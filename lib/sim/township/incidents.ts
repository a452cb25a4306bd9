// A year and a month of incident history. Pure: the layout, a seed and `now`
// in; plain records out. The shape of the data is what the briefing, heatmap
// and time machine are demonstrated with, so the rhythms are deliberate:
// - about 4,100 a year, a little busier at weekends and by day;
// - disputes and citizen requests dominate, mostly severity 1–2;
// - they cluster on the market and town centre, in villages by population,
//   land and grazing disputes out on the pastures;
// - in the medicinal-herb season (TOWNSHIP_HERB_SEASON, May–July by default) young adults are up in the
//   mountains: fewer incidents in villages, more in pastures and mountains,
//   and more lost-person and medical calls.
import { isOpenStatus, type IncidentCategory, type IncidentSource, type IncidentStatus, type Severity } from '../../model';
import { HERB_SEASON_MONTHS } from '../../model/briefing';
import type { PlannedIncident, TimelineEntry } from '../../model/township';
import { townshipDay, townshipDayStart } from '../../model/township-time';
import { dist, insideWithMargin, lineLength, pointAlong, pointInRing, toLonLat, type XY } from './geometry';
import type { Layout } from './layout';
import { createRng, type Rng } from './prng';


export type Zone = 'market' | 'town' | 'village' | 'pasture' | 'mountain' | 'road' | 'construction' | 'venue';

/** An incident as written, plus where and how the planner drew it. */
export interface IncidentPlan extends PlannedIncident {
  source: IncidentSource;
  zone: Zone;
}

export interface IncidentOptions {
  seed: number;
  now: Date;
  historyDays: number;
  /** The township's zone (TOWNSHIP_TZ): days, weekdays, seasons and hours of the rhythms are its local ones. */
  tz: string;
  /** The herb season's months, 1 = January (TOWNSHIP_HERB_SEASON); default HERB_SEASON_MONTHS. */
  herbMonths?: readonly number[];
}

/** PRODUCT.md: "4,000+ citizen requests and disputes a year". */
export const INCIDENTS_PER_YEAR = 4100;
/** Older than this, an incident is always closed. */
export const CLOSED_AFTER_MS = 3 * 86_400_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

type Weights<K extends string> = Partial<Record<K, number>>;
type Range = readonly [min: number, max: number];

interface CategoryProfile {
  /** Share of the year's incidents outside the herb season. */
  share: number;
  /** Multiplier on the share during the herb season. */
  herbSeason: number;
  zones: Weights<Zone>;
  /** P(severity 1..4). */
  severity: readonly [number, number, number, number];
  sources: Weights<IncidentSource>;
  /** Minutes from on scene to resolved or mediated. */
  resolveMinutes: Range;
  /** Titles; a title with zones is only used for incidents in those zones. */
  titles: readonly (readonly [title: string, zones?: readonly Zone[]])[];
  description: string;
  nightOwl?: boolean;
}

const DISPUTE_SOURCES: Weights<IncidentSource> = { grid_worker: 0.55, citizen_request: 0.3, patrol: 0.1, coordinator: 0.05 };
const EMERGENCY_SOURCES: Weights<IncidentSource> = { coordinator: 0.55, patrol: 0.25, grid_worker: 0.15, citizen_request: 0.05 };

export const CATEGORY_PROFILES: Record<IncidentCategory, CategoryProfile> = {
  citizen_request: {
    share: 0.32,
    herbSeason: 0.9,
    zones: { town: 0.45, market: 0.08, village: 0.47 },
    severity: [0.76, 0.22, 0.02, 0],
    sources: { citizen_request: 0.75, grid_worker: 0.25 },
    resolveMinutes: [20, 600],
    titles: [
      ['群众诉求：路灯损坏'],
      ['群众诉求：自来水停水'],
      ['群众诉求：道路坑洼'],
      ['群众诉求：垃圾清运'],
      ['群众诉求：政策咨询'],
      ['群众诉求：证明开具'],
      ['群众诉求：冬季取暖'],
      ['群众诉求：摊位管理', ['market']],
    ],
    description: '群众反映问题，已登记并转相关部门办理。',
  },
  neighbour_dispute: {
    share: 0.17,
    herbSeason: 0.85,
    zones: { town: 0.3, market: 0.08, village: 0.55, pasture: 0.04, mountain: 0.03 },
    severity: [0.56, 0.35, 0.08, 0.01],
    sources: DISPUTE_SOURCES,
    resolveMinutes: [30, 300],
    titles: [
      ['邻里纠纷：宅基地边界', ['village', 'town']],
      ['邻里纠纷：噪音扰民', ['town', 'market']],
      ['邻里纠纷：排水沟堵塞', ['village', 'town']],
      ['邻里纠纷：院墙占道', ['village', 'town']],
      ['邻里纠纷：牲畜损坏庄稼', ['village', 'pasture']],
      ['邻里纠纷：采挖营地争执', ['mountain', 'pasture']],
      ['邻里纠纷：摊位相邻争执', ['market']],
    ],
    description: '网格员到场了解情况，组织双方协商调解。',
  },
  family_dispute: {
    share: 0.09,
    herbSeason: 0.8,
    zones: { town: 0.4, village: 0.6 },
    severity: [0.5, 0.38, 0.1, 0.02],
    sources: DISPUTE_SOURCES,
    resolveMinutes: [40, 360],
    titles: [['家庭纠纷：赡养老人'], ['家庭纠纷：财产分割'], ['家庭纠纷：婚姻矛盾'], ['家庭纠纷：子女抚养']],
    description: '调解员上门沟通，已做劝导工作。',
  },
  land_grazing_dispute: {
    share: 0.09,
    herbSeason: 1.4,
    zones: { pasture: 0.62, mountain: 0.13, village: 0.25 },
    severity: [0.42, 0.42, 0.13, 0.03],
    sources: DISPUTE_SOURCES,
    resolveMinutes: [60, 480],
    titles: [
      ['草场纠纷：放牧越界', ['pasture', 'mountain']],
      ['草场纠纷：围栏边界', ['pasture', 'village']],
      ['草场纠纷：水源使用', ['pasture', 'village']],
      ['草场纠纷：采挖区域划分', ['mountain', 'pasture']],
      ['土地纠纷：承包地界', ['village']],
    ],
    description: '涉及草场或土地边界，已联系村调委会现场核实。',
  },
  wage_labour_dispute: {
    share: 0.06,
    herbSeason: 1,
    zones: { construction: 0.7, town: 0.2, market: 0.1 },
    severity: [0.45, 0.42, 0.11, 0.02],
    sources: { citizen_request: 0.5, grid_worker: 0.35, coordinator: 0.15 },
    resolveMinutes: [60, 600],
    titles: [['劳资纠纷：工资拖欠'], ['劳资纠纷：工伤赔偿'], ['劳资纠纷：工时争议']],
    description: '务工人员反映劳资问题，已通知用工方到调解中心协商。',
  },
  public_order: {
    share: 0.09,
    herbSeason: 1,
    zones: { venue: 0.5, market: 0.3, town: 0.2 },
    severity: [0.45, 0.4, 0.12, 0.03],
    sources: { patrol: 0.6, coordinator: 0.25, citizen_request: 0.15 },
    resolveMinutes: [10, 90],
    titles: [['治安：酒后滋事'], ['治安：聚众争吵'], ['治安：夜间噪音', ['venue', 'town']], ['治安：可疑情况'], ['治安：打架斗殴']],
    description: '巡逻队到场处置，现场秩序已恢复。',
    nightOwl: true,
  },
  traffic: {
    share: 0.07,
    herbSeason: 1.1,
    zones: { road: 0.85, town: 0.1, market: 0.05 },
    severity: [0.3, 0.4, 0.22, 0.08],
    sources: EMERGENCY_SOURCES,
    resolveMinutes: [20, 120],
    titles: [
      ['交通事故：车辆剐蹭'],
      ['交通事故：摩托车侧翻', ['road']],
      ['交通事故：牲畜横穿道路', ['road']],
      ['交通拥堵：集市占道', ['market', 'town']],
    ],
    description: '现场已设置警示，协助当事方处理。',
  },
  medical: {
    share: 0.05,
    herbSeason: 1.6,
    zones: { town: 0.35, village: 0.35, mountain: 0.18, pasture: 0.12 },
    severity: [0.12, 0.4, 0.33, 0.15],
    sources: EMERGENCY_SOURCES,
    resolveMinutes: [15, 90],
    titles: [
      ['急救：高原反应'],
      ['急救：摔伤'],
      ['急救：突发疾病'],
      ['急救：采挖人员受伤', ['mountain', 'pasture']],
    ],
    description: '已通知卫生院，协助送医。',
  },
  fire: {
    share: 0.02,
    herbSeason: 0.9,
    zones: { village: 0.5, town: 0.4, pasture: 0.1 },
    severity: [0.1, 0.35, 0.35, 0.2],
    sources: EMERGENCY_SOURCES,
    resolveMinutes: [30, 180],
    titles: [['火情：牛粪堆起火', ['village', 'pasture']], ['火情：电线短路'], ['火情：炉具失火'], ['火情：草场火点', ['pasture']]],
    description: '应急队伍到场处置，火情已控制。',
  },
  lost_person: {
    share: 0.02,
    herbSeason: 3,
    zones: { mountain: 0.55, pasture: 0.3, village: 0.1, town: 0.05 },
    severity: [0.05, 0.35, 0.4, 0.2],
    sources: { coordinator: 0.5, grid_worker: 0.3, citizen_request: 0.2 },
    resolveMinutes: [60, 720],
    titles: [
      ['走失：采挖人员失联', ['mountain', 'pasture']],
      ['搜救：山区人员被困', ['mountain']],
      ['走失：老人走失', ['village', 'town']],
      ['走失：游客迷路', ['pasture', 'mountain', 'town']],
    ],
    description: '已组织搜寻，人员已找到并安全返回。',
  },
  natural_hazard: {
    share: 0.02,
    herbSeason: 1.5,
    zones: { mountain: 0.4, road: 0.3, pasture: 0.3 },
    severity: [0.2, 0.4, 0.3, 0.1],
    sources: { coordinator: 0.5, grid_worker: 0.3, patrol: 0.2 },
    resolveMinutes: [60, 480],
    titles: [
      ['自然灾害：山体滑坡', ['mountain', 'road']],
      ['自然灾害：泥石流', ['mountain', 'road']],
      ['自然灾害：道路积雪结冰', ['road']],
      ['自然灾害：河水上涨'],
    ],
    description: '已设置警戒，通知相关部门排险。',
  },
};

/** In the herb season people leave the villages for the pastures and mountains. */
const HERB_SEASON_ZONE_FACTOR: Weights<Zone> = { village: 0.55, town: 0.9, pasture: 2.2, mountain: 3 };
/** Busier towards and at the weekend (Sunday is market day). Monday first. */
const WEEKDAY_FACTOR = [0.94, 0.94, 0.96, 1, 1.05, 1.1, 1.16] as const;
const HERB_SEASON_RATE = 1.08;
/** Local hour weights: quiet at night, peaks late morning and early evening. */
const DAY_HOURS = [0.2, 0.12, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.1, 1.35, 1.5, 1.5, 1.35, 1.25, 1.3, 1.4, 1.5, 1.55, 1.6, 1.5, 1.25, 0.9, 0.55, 0.35];
/** Public order peaks in the evening, around the tea houses and bars. */
const NIGHT_HOURS = [0.9, 0.6, 0.35, 0.2, 0.1, 0.1, 0.1, 0.15, 0.25, 0.35, 0.45, 0.55, 0.6, 0.6, 0.6, 0.65, 0.75, 0.9, 1.1, 1.35, 1.6, 1.7, 1.6, 1.3];
/** Minutes from reported to dispatched, by severity 1..4. */
const DISPATCH_MINUTES: Record<Severity, Range> = { 1: [15, 240], 2: [8, 60], 3: [4, 20], 4: [2, 8] };
/** Minutes on the way, by zone. */
const TRAVEL_MINUTES: Record<Zone, Range> = {
  market: [3, 12],
  town: [4, 15],
  venue: [3, 12],
  construction: [5, 18],
  village: [10, 35],
  road: [8, 40],
  pasture: [25, 90],
  mountain: [40, 150],
};
/**
 * Minutes from resolved (or mediated) to closed after review: hours to two
 * days. The longest possible lifecycle (240 + 150 + 720 + 2,880 min ≈ 66 h)
 * stays under CLOSED_AFTER_MS, so everything older than three days is closed.
 */
const CLOSE_MINUTES: Range = [180, 48 * 60];
/** How many incidents are still open (reported/dispatched/on scene) at `now`. */
const OPEN_NOW: Range = [6, 9];

/** Whether a local month (0 = January) is in the herb season (`months`, 1 = January; TOWNSHIP_HERB_SEASON). */
export function isHerbSeason(localMonth: number, months: readonly number[] = HERB_SEASON_MONTHS): boolean {
  return months.includes(localMonth + 1);
}

function logUniform(rng: Rng, [min, max]: Range): number {
  return Math.exp(rng.range(Math.log(min), Math.log(max)));
}

function pickWeighted<K extends string>(rng: Rng, weights: Weights<K>): K {
  const keys = Object.keys(weights) as K[];
  return keys[rng.weightedIndex(keys.map((k) => weights[k] ?? 0))] as K;
}

/** Where each zone's incidents happen, drawn from the layout. */
interface ZoneSampler {
  sample(rng: Rng, zone: Zone): XY;
}

export function createZoneSampler(layout: Layout): ZoneSampler {
  const { town, boundary } = layout;
  const townKeys = layout.keyLocations.filter((k) => dist(k.at, town) < 2000 && k.category !== 'bridge');
  const market = layout.keyLocations.find((k) => k.category === 'market')?.at ?? town;
  const venues = layout.keyLocations.filter((k) => ['tea_house', 'entertainment', 'hotel'].includes(k.category)).map((k) => k.at);
  const sites = layout.keyLocations.filter((k) => k.category === 'construction').map((k) => k.at);
  const villages = layout.settlements.filter((s) => s.kind === 'village');
  const outerRelief = layout.relief.filter((r) => r.level === 1).map((r) => r.ring);
  const roads = layout.roads.filter((r) => r.level === 1);
  // Traffic concentrates near town: weight each road by its length and by how close its middle is to the centre.
  const roadWeights = roads.map((r) => lineLength(r.line) / (1 + dist(pointAlong(r.line, 0.5), town) / 3000));

  const around = (rng: Rng, c: XY, sd: number): XY => [c[0] + rng.normal() * sd, c[1] + rng.normal() * sd];
  const draw = (rng: Rng, zone: Zone): XY => {
    switch (zone) {
      case 'market':
        return around(rng, market, 110);
      case 'town':
        return rng.next() < 0.7 || townKeys.length === 0 ? around(rng, town, 550) : around(rng, rng.pick(townKeys).at, 120);
      case 'village': {
        const v = villages[rng.weightedIndex(villages.map((x) => x.population))];
        return around(rng, v?.centre ?? town, 450);
      }
      case 'pasture': {
        const t = rng.pick(layout.tracks);
        return around(rng, pointAlong(t.line, rng.range(0.45, 1)), 700);
      }
      case 'mountain': {
        const ring = rng.pick(outerRelief);
        const xs = ring.map((p) => p[0]);
        const ys = ring.map((p) => p[1]);
        for (let i = 0; i < 50; i++) {
          const p: XY = [rng.range(Math.min(...xs), Math.max(...xs)), rng.range(Math.min(...ys), Math.max(...ys))];
          if (pointInRing(p, ring)) return p;
        }
        return ring[0] ?? town;
      }
      case 'road': {
        const r = roads[rng.weightedIndex(roadWeights)];
        return around(rng, r ? pointAlong(r.line, rng.next()) : town, 12);
      }
      case 'construction':
        return around(rng, sites.length ? rng.pick(sites) : town, 70);
      case 'venue':
        return around(rng, venues.length ? rng.pick(venues) : town, 50);
    }
  };
  return {
    sample(rng, zone) {
      // 20 m inside keeps rounding to 6 decimals from ever pushing a point over the edge.
      for (let i = 0; i < 30; i++) {
        const p = draw(rng, zone);
        if (insideWithMargin(p, boundary, 20)) return p;
      }
      return town;
    },
  };
}

interface DayPlan {
  /** UTC instant of local midnight. */
  start: number;
  weekday: number; // 0 = Monday
  month: number; // 0 = January, local
}

/**
 * The township days from the one containing `from` to the one containing `to`.
 * (An incident's hour is counted from its day's start, so on a daylight-saving
 * day in a zone that has one the rhythm is an hour out for part of the day.)
 */
function localDays(from: number, to: number, tz: string): DayPlan[] {
  const last = townshipDay(to, tz);
  const out: DayPlan[] = [];
  for (let day = townshipDay(from, tz); day <= last; ) {
    const local = new Date(`${day}T00:00:00Z`); // a UTC date whose fields are the local calendar date
    out.push({ start: townshipDayStart(day, tz).getTime(), weekday: (local.getUTCDay() + 6) % 7, month: local.getUTCMonth() });
    day = new Date(local.getTime() + DAY_MS).toISOString().slice(0, 10);
  }
  return out;
}

/** Daily mean so that an ordinary year averages INCIDENTS_PER_YEAR. */
function baseDailyRate(): number {
  const weekly = WEEKDAY_FACTOR.reduce((s, f) => s + f, 0) / 7;
  const seasonal = 1 + ((HERB_SEASON_RATE - 1) * 92) / 365;
  return INCIDENTS_PER_YEAR / 365 / (weekly * seasonal);
}

function categoryWeights(herb: boolean): Weights<IncidentCategory> {
  const out: Weights<IncidentCategory> = {};
  for (const [c, p] of Object.entries(CATEGORY_PROFILES) as [IncidentCategory, CategoryProfile][]) {
    out[c] = p.share * (herb ? p.herbSeason : 1);
  }
  return out;
}

function zoneWeights(p: CategoryProfile, herb: boolean): Weights<Zone> {
  if (!herb) return p.zones;
  const out: Weights<Zone> = {};
  for (const [z, w] of Object.entries(p.zones) as [Zone, number][]) out[z] = w * (HERB_SEASON_ZONE_FACTOR[z] ?? 1);
  return out;
}

function pickTitle(rng: Rng, p: CategoryProfile, zone: Zone): string {
  const fitting = p.titles.filter(([, zones]) => !zones || zones.includes(zone));
  return rng.pick(fitting.length ? fitting : p.titles)[0];
}

/**
 * The full lifecycle as it would have happened; the caller cuts it at `now`.
 * Every step is strictly later than the one before.
 */
function lifecycle(rng: Rng, reported: number, severity: Severity, zone: Zone, p: CategoryProfile): number[] {
  const dispatched = reported + logUniform(rng, DISPATCH_MINUTES[severity]) * MINUTE_MS;
  const onScene = dispatched + logUniform(rng, TRAVEL_MINUTES[zone]) * MINUTE_MS;
  const resolved = onScene + logUniform(rng, p.resolveMinutes) * MINUTE_MS;
  const closed = resolved + logUniform(rng, CLOSE_MINUTES) * MINUTE_MS;
  return [reported, dispatched, onScene, resolved, closed].map(Math.round);
}

const STEPS: readonly IncidentStatus[] = ['reported', 'dispatched', 'on_scene', 'resolved', 'closed'];

/** Keep the steps that have happened by `now`; the last one kept is the status. */
function cutAt(times: readonly number[], now: number, keep = STEPS.length): Pick<IncidentPlan, 'status' | 'resolvedAt' | 'closedAt' | 'timeline'> {
  const timeline: TimelineEntry[] = [];
  times.forEach((t, i) => {
    if (i < keep && t <= now) timeline.push({ at: new Date(t).toISOString(), status: STEPS[i] as IncidentStatus });
  });
  const status = timeline[timeline.length - 1]?.status ?? 'reported';
  const done = timeline.length;
  return {
    status,
    resolvedAt: done >= 4 ? new Date(times[3] as number) : null,
    closedAt: done >= 5 ? new Date(times[4] as number) : null,
    timeline,
  };
}

/**
 * Leaves `target` incidents open at `now`. The natural lifecycle leaves only
 * one or two open at any instant, which makes a dull wall screen; so the
 * newest incidents that already finished are wound back to an earlier step of
 * their own timeline (never invented times, so the timeline stays consistent).
 */
function keepSomeOpen(rng: Rng, incidents: IncidentPlan[], lifecycles: number[][], now: number, target: number): void {
  let open = incidents.filter((i) => isOpenStatus(i.status)).length;
  for (let k = incidents.length - 1; k >= 0 && open < target; k--) {
    const inc = incidents[k] as IncidentPlan;
    if (now - inc.reportedAt.getTime() > 2 * DAY_MS) break;
    if (isOpenStatus(inc.status)) continue;
    // Older incidents are more likely to have got as far as on scene.
    const keep = 1 + rng.weightedIndex([0.25, 0.3, 0.45]);
    Object.assign(inc, cutAt(lifecycles[k] as number[], now, keep));
    open++;
  }
}

export function generateIncidents(layout: Layout, { seed, now, historyDays, tz, herbMonths = HERB_SEASON_MONTHS }: IncidentOptions): IncidentPlan[] {
  const rng = createRng(seed, 'incidents');
  const sampler = createZoneSampler(layout);
  const end = now.getTime();
  const start = end - historyDays * DAY_MS;
  const base = baseDailyRate();
  const out: IncidentPlan[] = [];
  const lifecycles: number[][] = [];

  for (const day of localDays(start, end, tz)) {
    const herb = isHerbSeason(day.month, herbMonths);
    const cats = categoryWeights(herb);
    const n = rng.poisson(base * (WEEKDAY_FACTOR[day.weekday] ?? 1) * (herb ? HERB_SEASON_RATE : 1));
    for (let k = 0; k < n; k++) {
      const category = pickWeighted(rng, cats);
      const p = CATEGORY_PROFILES[category];
      const hour = rng.weightedIndex(p.nightOwl ? NIGHT_HOURS : DAY_HOURS);
      const reported = day.start + hour * 3_600_000 + Math.floor(rng.next() * 3_600_000);
      const zone = pickWeighted(rng, zoneWeights(p, herb));
      const xy = sampler.sample(rng, zone);
      const severity = (rng.weightedIndex(p.severity) + 1) as Severity;
      const title = pickTitle(rng, p, zone);
      const source = pickWeighted(rng, p.sources);
      const times = lifecycle(rng, reported, severity, zone, p);
      // Draw everything before deciding to drop the incident, so the window
      // edges do not shift the random stream for the days in between.
      if (reported < start || reported > end) continue;
      out.push({
        category,
        severity,
        title,
        description: p.description,
        source,
        zone,
        at: toLonLat(xy),
        reportedAt: new Date(reported),
        ...cutAt(times, end),
      });
      lifecycles.push(times);
    }
  }
  // Sort once so ids follow time; carry the lifecycles along.
  const order = out.map((_, i) => i).sort((a, b) => (out[a] as IncidentPlan).reportedAt.getTime() - (out[b] as IncidentPlan).reportedAt.getTime());
  const sorted = order.map((i) => out[i] as IncidentPlan);
  const sortedLifecycles = order.map((i) => lifecycles[i] as number[]);
  keepSomeOpen(rng, sorted, sortedLifecycles, end, rng.int(OPEN_NOW[0], OPEN_NOW[1]));
  return sorted;
}

