// Key locations: most in town along the streets, the rest in villages, plus
// a bridge wherever a road crosses the river.
import type { KeyLocationCategory } from '../../model';
import { angleOf, lineCrossings, polar, type XY } from './geometry';
import type { Bilingual, SettlementName } from '../../model/township';
import type { LinePlan, StreetGrid } from './network';
import type { Rng } from './prng';

export interface KeyLocationPlan extends Bilingual {
  category: KeyLocationCategory;
  at: XY;
}

/** PRODUCT.md: 40 sets of emergency equipment are held at the depot. */
export const DEPOT_EQUIPMENT_SETS = 40;

export interface KeyLocationInput {
  rng: Rng;
  township: Bilingual;
  town: XY;
  grid: StreetGrid;
  /** Villages, largest first, with their centres. */
  villages: readonly (SettlementName & { centre: XY })[];
  roads: readonly LinePlan[];
  river: LinePlan;
}

/**
 * A building beside a street: `t` of the way from node a to node b, set back
 * `side` metres to the left (negative: right). Keeps venues off the centre line.
 */
function beside(a: XY, b: XY, t: number, side: number): XY {
  const along: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  return polar(along, angleOf(a, b) + Math.PI / 2, side);
}

function townLocations({ rng, township, town, grid, roads }: KeyLocationInput): KeyLocationPlan[] {
  const n = grid.node;
  const stem = township.name.replace(/乡$/, '');
  const stemEn = township.nameEn.replace(/ Township$/, '');
  const out: KeyLocationPlan[] = [];
  const add1 = (category: KeyLocationCategory, name: string, nameEn: string, at: XY) =>
    out.push({ category, name, nameEn, at });

  // The civic block: government with the two centres next door, police across the square.
  add1('government', `${township.name}人民政府`, `${township.nameEn} Government`, beside(n(0, 0), n(1, 0), 0.3, 55));
  add1('mediation_centre', `${township.name}矛盾纠纷调解中心`, `${stemEn} Dispute Mediation Centre`, beside(n(0, 0), n(1, 0), 0.6, 55));
  add1('citizen_centre', `${township.name}群众诉求服务中心`, `${stemEn} Citizen Request Centre`, beside(n(0, 0), n(1, 0), 0.85, 55));
  add1('police', `${stem}派出所`, `${stemEn} Police Station`, beside(n(0, 0), n(0, -1), 0.5, 50));
  add1('health', `${township.name}卫生院`, `${stemEn} Township Health Centre`, beside(n(-1, 0), n(-1, 1), 0.5, -50));
  add1('school', `${stem}中学`, `${stemEn} Middle School`, polar(n(-1, -1), angleOf(town, n(-1, -1)), 260));
  add1('school', `${stem}中心小学`, `${stemEn} Central Primary School`, polar(n(1, 1), angleOf(town, n(1, 1)), 220));
  // The market: one block from the centre — the busiest place, and the dispute hot spot.
  add1('market', `${stem}农贸市场`, `${stemEn} Farmers' Market`, beside(n(0, 0), n(-1, 0), 0.5, -60));
  add1('equipment_depot', `${township.name}应急装备库`, `${stemEn} Emergency Equipment Depot`, polar(n(0, -1), angleOf(town, n(0, -1)), 160));

  // The bus station sits where the first township road leaves town.
  const firstRoad = roads.find((r) => r.level === 1);
  const exit = firstRoad?.line[0] ?? n(2, 0);
  add1('bus_station', `${stem}汽车站`, `${stemEn} Bus Station`, polar(exit, angleOf(town, exit) + Math.PI / 2, 70));

  const hotels: [string, string][] = [
    ['雪域宾馆', 'Xueyu Hotel'],
    ['格桑酒店', 'Gesang Hotel'],
    ['高原之家客栈', 'Plateau Home Inn'],
    ['三江商务宾馆', 'Sanjiang Business Hotel'],
    ['吉祥旅馆', 'Jixiang Guesthouse'],
  ];
  hotels.forEach(([zh, en], k) => {
    const at = k < 4 ? beside(n(k - 2, 0), n(k - 1, 0), rng.range(0.3, 0.7), k % 2 ? 45 : -45) : polar(exit, angleOf(town, exit) - Math.PI / 2, 90);
    add1('hotel', zh, en, at);
  });
  const teaHouses: [string, string][] = [
    ['扎念甜茶馆', 'Zhanian Sweet Tea House'],
    ['阳光茶馆', 'Yangguang Tea House'],
    ['雪莲甜茶馆', 'Xuelian Sweet Tea House'],
    ['集市茶楼', 'Market Tea House'],
    ['老街茶馆', 'Old Street Tea House'],
  ];
  const teaSpots: [XY, XY][] = [
    [n(-1, 0), n(-1, -1)],
    [n(0, 1), n(1, 1)],
    [n(-2, 0), n(-1, 0)],
    [n(0, 0), n(0, 1)],
    [n(1, -1), n(1, 0)],
  ];
  teaHouses.forEach(([zh, en], k) => {
    const [a, b] = teaSpots[k] ?? [n(0, 0), n(1, 0)];
    add1('tea_house', zh, en, beside(a, b, rng.range(0.25, 0.75), k % 2 ? 40 : -40));
  });
  const venues: [string, string][] = [
    ['星光KTV', 'Xingguang KTV'],
    ['夜色酒吧', 'Yese Bar'],
    ['锅庄广场舞厅', 'Guozhuang Dance Hall'],
  ];
  venues.forEach(([zh, en], k) => add1('entertainment', zh, en, beside(n(k - 1, 1), n(k - 1, 0), rng.range(0.2, 0.5), 45)));

  // Rental housing and building sites sit on the town's edge, where it grows.
  for (let k = 0; k < 3; k++) {
    const at = polar(town, rng.range(0, 2 * Math.PI), rng.range(750, 1250));
    add1('rental_housing', `${stem}出租房聚集区${k + 1}`, `${stemEn} Rental Housing Cluster ${k + 1}`, at);
  }
  for (let k = 0; k < 2; k++) {
    const at = polar(town, rng.range(0, 2 * Math.PI), rng.range(900, 1600));
    add1('construction', `${stem}安置房项目工地${k + 1}`, `${stemEn} Resettlement Housing Site ${k + 1}`, at);
  }
  return out;
}

function villageLocations({ rng, villages }: KeyLocationInput): KeyLocationPlan[] {
  const out: KeyLocationPlan[] = [];
  const near = (c: XY, min: number, max: number): XY => polar(c, rng.range(0, 2 * Math.PI), rng.range(min, max));
  villages.forEach((v, rank) => {
    out.push({ category: 'health', name: `${v.stem}村卫生室`, nameEn: `${v.stemEn} Village Clinic`, at: near(v.centre, 60, 140) });
    out.push({
      category: 'mediation_centre',
      name: `${v.stem}村人民调解委员会`,
      nameEn: `${v.stemEn} Village Mediation Committee`,
      at: near(v.centre, 40, 90),
    });
    if (rank < 4) out.push({ category: 'school', name: `${v.stem}村小学`, nameEn: `${v.stemEn} Primary School`, at: near(v.centre, 250, 400) });
    if (rank < 2) out.push({ category: 'police', name: `${v.stem}警务室`, nameEn: `${v.stemEn} Police Post`, at: near(v.centre, 100, 160) });
    if (rank === 0 || rank === 2) out.push({ category: 'tea_house', name: `${v.stem}甜茶馆`, nameEn: `${v.stemEn} Tea House`, at: near(v.centre, 120, 200) });
    if (rank === 0) {
      out.push({ category: 'market', name: `${v.stem}集贸点`, nameEn: `${v.stemEn} Village Market`, at: near(v.centre, 150, 250) });
      out.push({ category: 'rental_housing', name: `${v.stem}务工人员出租房`, nameEn: `${v.stemEn} Worker Rental Housing`, at: near(v.centre, 350, 500) });
    }
    if (rank === 1) out.push({ category: 'construction', name: `${v.stem}村道改建工地`, nameEn: `${v.stemEn} Road Works`, at: near(v.centre, 400, 600) });
  });
  return out;
}

/** A bridge wherever a road (street or township road) crosses the river. */
export function bridgeLocations(roads: readonly LinePlan[], river: LinePlan): KeyLocationPlan[] {
  const points = roads.filter((r) => r.kind === 'road').flatMap((r) => lineCrossings(r.line, river.line));
  return points.map((at, k) => ({
    category: 'bridge',
    name: `${river.name}${k + 1}号桥`,
    nameEn: `${river.nameEn} Bridge ${k + 1}`,
    at,
  }));
}

export function planKeyLocations(input: KeyLocationInput): KeyLocationPlan[] {
  return [...townLocations(input), ...villageLocations(input), ...bridgeLocations(input.roads, input.river)];
}

