// The demo township's patrol plans (issue 14), written by the seed so the
// simulator has planned patrols to walk:
// - a joint patrol on market days (TOWNSHIP_MARKET_DAYS): the red-armband
//   team and the women's militia, 08:00–12:00, from the market past the two
//   nearest key locations along a route, the market every hour;
// - the herb-season shift: a motorcycle platoon every day of the herb season
//   (TOWNSHIP_HERB_SEASON's first run of months, this year's or, once it is
//   over, next year's), 05:00–09:00, between the bridges and the equipment
//   depot the collectors pass.
import type { Queryable } from '../../db/client';
import { getDemoPlanSources, getGridIdsAt, type DemoPlanSources } from '../../db/demo-plans';
import { insertPlan } from '../../db/plans';
import type { KeyLocationCategory, LonLat, PlanInput } from '../model';
import { metresBetween } from '../geo/measure';
import { daysInMonth, townshipDay } from '../model/township-time';

/** The herb season's first contiguous run of months (wrapping the year end), as township days from..until of the season current or next at `today`. */
export function herbSeasonSpan(months: readonly number[], today: string): { from: string; until: string } | null {
  const set = new Set(months);
  if (set.size === 0) return null;
  const prev = (m: number) => ((m + 10) % 12) + 1;
  const start = set.size === 12 ? 1 : [...set].sort((a, b) => a - b).find((m) => !set.has(prev(m)))!;
  let length = 0;
  for (let m = start; set.has(m) && length < 12; m = (m % 12) + 1) length++;
  const span = (year: number) => {
    const endMonth0 = start - 1 + length - 1;
    const endYear = year + Math.floor(endMonth0 / 12);
    const endMonth = (endMonth0 % 12) + 1;
    const pad = (n: number) => String(n).padStart(2, '0');
    return { from: `${year}-${pad(start)}-01`, until: `${endYear}-${pad(endMonth)}-${pad(daysInMonth(endYear, endMonth))}` };
  };
  const year = Number(today.slice(0, 4));
  // The season that has not ended yet: last year's if it wraps into this one and still runs.
  for (const y of [year - 1, year, year + 1]) {
    const s = span(y);
    if (s.until >= today) return s;
  }
  return span(year + 1);
}


/** The key locations of `categories` nearest `from`, at most `n`, excluding `not`. */
function nearest(src: DemoPlanSources, from: LonLat, categories: readonly KeyLocationCategory[] | null, n: number, not: ReadonlySet<number>) {
  return src.keyLocations
    .filter((k) => !not.has(k.id) && (categories === null || categories.includes(k.category)))
    .sort((a, b) => metresBetween(a.position, from) - metresBetween(b.position, from))
    .slice(0, n);
}

/** The demo plans from what the seed wrote; none when the township lacks the teams or places. */
export async function seedDemoPlans(db: Queryable, { now, tz, herbMonths }: { now: Date; tz: string; herbMonths: readonly number[] }): Promise<number> {
  const src = await getDemoPlanSources(db);
  const onDuty = (force: string) => src.teams.find((t) => t.onDuty && t.forceType === force);
  const plans: PlanInput[] = [];
  const checkpoint = (k: { id: number }, radiusM: number, frequency: PlanInput['checkpoints'][number]['frequency'] = null) => ({
    keyLocationId: k.id,
    point: null,
    name: null,
    radiusM,
    frequency,
  });

  const market = src.keyLocations.find((k) => k.category === 'market');
  const armband = onDuty('armband');
  const militia = onDuty('militia');
  if (market && armband && militia) {
    const stops = [market, ...nearest(src, market.position, null, 2, new Set([market.id]))];
    const points = stops.map((s) => s.position);
    plans.push({
      name: '集市日联合巡逻',
      kind: 'joint',
      teamIds: [armband.id, militia.id],
      recurrence: { repeat: 'market_days', from: null, until: null },
      window: { start: '08:00', end: '12:00' },
      areaGridIds: await getGridIdsAt(db, { points }),
      areaPolygon: null,
      route: points.length >= 2 ? { type: 'LineString', coordinates: points.map((p) => [p[0], p[1]]) } : null,
      checkpoints: stops.map((s, i) => checkpoint(s, 60, i === 0 ? { everyMinutes: 60, start: '08:00', end: '12:00' } : null)),
    });
  }

  const rider = onDuty('motorcycle');
  const season = herbSeasonSpan(herbMonths, townshipDay(now, tz));
  const depot = src.keyLocations.find((k) => k.category === 'equipment_depot') ?? src.keyLocations.find((k) => k.category === 'bridge');
  if (rider && season && depot) {
    const stops = [depot, ...nearest(src, depot.position, ['bridge', 'equipment_depot'], 2, new Set([depot.id]))];
    plans.push({
      name: '采药季早班',
      kind: 'patrol',
      teamIds: [rider.id],
      recurrence: { repeat: 'daily', from: season.from, until: season.until },
      window: { start: '05:00', end: '09:00' },
      areaGridIds: await getGridIdsAt(db, { points: stops.map((s) => s.position) }),
      areaPolygon: null,
      route: null,
      checkpoints: stops.map((s) => checkpoint(s, 80)),
    });
  }
  for (const plan of plans) await insertPlan(db, { plan, createdBy: 'demo-seed' });
  return plans.length;
}

