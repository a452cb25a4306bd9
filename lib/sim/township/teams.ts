// Patrol forces and grid workers, from PRODUCT.md's figures. Pure: the grid
// workers need the grids as written (ids, owning village), so they are planned
// from rows the caller reads back; everything else from the layout.
import type { KeyLocationCategory, LonLat } from '../../model';
import type { GridRef, TeamPlan, TownshipPlan } from '../../model/township';
import { cnNumeral } from './names';
import { createRng } from './prng';

/** PRODUCT.md: 30 / 95 / 17 / 14 people, and 95 grid workers. */
export const EMERGENCY_SQUADS = [10, 10, 10] as const;
export const ARMBAND_TEAMS = [11, 11, 11, 11, 11, 10, 10, 10, 10] as const;
export const MOTORCYCLE_CREWS = [5, 4, 4, 4] as const;
export const MILITIA_SQUADS = [7, 7] as const;
export const GRID_WORKERS = 95;
/** About a third of grid workers are off shift at seeding time. */
export const GRID_WORKERS_OFF_DUTY = 32;
/** Armband teams based in town; the rest patrol the largest villages. */
const TOWN_ARMBAND_TEAMS = 5;

function keyPoint(plan: TownshipPlan, category: KeyLocationCategory, nth = 0): LonLat {
  return plan.keyLocations.filter((k) => k.category === category)[nth]?.at ?? plan.townCentre;
}

export function planForceTeams(plan: TownshipPlan): TeamPlan[] {
  const town = plan.settlements.find((s) => s.kind === 'community');
  const villages = plan.settlements.filter((s) => s.kind === 'village'); // largest first
  const townCode = town?.code ?? null;
  const team = (t: Omit<TeamPlan, 'homeGridId' | 'onDuty' | 'deviceLabel'>): TeamPlan => ({
    ...t,
    homeGridId: null,
    onDuty: true,
    deviceLabel: `${t.code} 终端`,
  });
  const out: TeamPlan[] = [];
  EMERGENCY_SQUADS.forEach((size, k) =>
    out.push(
      team({
        code: `EMG-${k + 1}`,
        name: `应急${cnNumeral(k + 1)}班`,
        nameEn: `Emergency Squad ${k + 1}`,
        forceType: 'emergency',
        size,
        villageCode: townCode,
        homePoint: keyPoint(plan, 'equipment_depot'),
      }),
    ),
  );
  // Town armband teams start on the busy spots: market, bus station, tea houses, bars.
  const townBeats: LonLat[] = [
    keyPoint(plan, 'market'),
    keyPoint(plan, 'bus_station'),
    keyPoint(plan, 'tea_house', 0),
    keyPoint(plan, 'entertainment', 0),
    keyPoint(plan, 'hotel', 0),
  ];
  ARMBAND_TEAMS.forEach((size, k) => {
    const inTown = k < TOWN_ARMBAND_TEAMS;
    const village = inTown ? undefined : villages[k - TOWN_ARMBAND_TEAMS];
    out.push(
      team({
        code: `ARM-${k + 1}`,
        name: `红袖标巡逻${cnNumeral(k + 1)}队`,
        nameEn: `Armband Patrol ${k + 1}`,
        forceType: 'armband',
        size,
        villageCode: village?.code ?? townCode,
        homePoint: village?.centre ?? townBeats[k] ?? plan.townCentre,
      }),
    );
  });
  MOTORCYCLE_CREWS.forEach((size, k) =>
    out.push(
      team({
        code: `MOTO-${k + 1}`,
        name: `摩托车应急${cnNumeral(k + 1)}组`,
        nameEn: `Motorcycle Crew ${k + 1}`,
        forceType: 'motorcycle',
        size,
        villageCode: townCode,
        homePoint: keyPoint(plan, 'police'),
      }),
    ),
  );
  MILITIA_SQUADS.forEach((size, k) =>
    out.push(
      team({
        code: `MIL-${k + 1}`,
        name: `女子民兵劝导${cnNumeral(k + 1)}班`,
        nameEn: `Women's Militia Persuasion Squad ${k + 1}`,
        forceType: 'militia',
        size,
        villageCode: townCode,
        homePoint: keyPoint(plan, 'mediation_centre'),
      }),
    ),
  );
  return out;
}

/**
 * How many workers each grid gets: one everywhere, a second in town grids
 * (the busiest), and whatever is left to the village cores — the cell nearest
 * each village centre first (grid codes run village by village outwards from
 * the centre), then the next ring. Town grids beyond the budget get one.
 */
export function workersPerGrid(grids: readonly GridRef[], total = GRID_WORKERS): Map<number, number> {
  if (grids.length > total) throw new Error(`${grids.length} grids but only ${total} grid workers`);
  const ordered = [...grids].sort((a, b) => a.code.localeCompare(b.code));
  const counts = new Map(ordered.map((g) => [g.id, 1]));
  const rankInVillage = new Map<number, number>();
  const seen = new Map<string, number>();
  for (const g of ordered) {
    const r = seen.get(g.villageCode) ?? 0;
    rankInVillage.set(g.id, r);
    seen.set(g.villageCode, r + 1);
  }
  const villageGrids = ordered
    .filter((g) => !g.isTown)
    .sort((a, b) => (rankInVillage.get(a.id) ?? 0) - (rankInVillage.get(b.id) ?? 0) || a.code.localeCompare(b.code));
  const priority = [...ordered.filter((g) => g.isTown), ...villageGrids];
  let extra = total - ordered.length;
  for (let i = 0; extra > 0 && priority.length > 0; i++, extra--) {
    const g = priority[i % priority.length] as GridRef;
    counts.set(g.id, (counts.get(g.id) ?? 1) + 1);
  }
  return counts;
}

export function planGridWorkers(grids: readonly GridRef[], seed: number): TeamPlan[] {
  const counts = workersPerGrid(grids);
  const ordered = [...grids].sort((a, b) => a.code.localeCompare(b.code));
  const out: TeamPlan[] = [];
  for (const g of ordered) {
    const n = counts.get(g.id) ?? 1;
    for (let k = 1; k <= n; k++) {
      const code = `GW-${String(out.length + 1).padStart(3, '0')}`;
      out.push({
        code,
        name: n > 1 ? `${g.name}专职网格员（${cnNumeral(k)}）` : `${g.name}专职网格员`,
        nameEn: n > 1 ? `${g.nameEn} Worker ${k}` : `${g.nameEn} Worker`,
        forceType: 'grid_worker',
        size: 1,
        villageCode: g.villageCode,
        homeGridId: g.id,
        homePoint: null,
        onDuty: true,
        deviceLabel: `${code} 手持终端`,
      });
    }
  }
  // Shifts: a fixed, seed-dependent third are off duty.
  const rng = createRng(seed, 'grid-worker-shifts');
  const off = new Set(rng.shuffle(out.map((_, i) => i)).slice(0, GRID_WORKERS_OFF_DUTY));
  return out.map((t, i) => (off.has(i) ? { ...t, onDuty: false } : t));
}
