import { describe, expect, it } from 'vitest';
import { DEMO_SEED, generateLayout, toTownshipPlan } from '../../lib/sim/township/layout';
import { GRID_WORKERS, planForceTeams, planGridWorkers, workersPerGrid } from '../../lib/sim/township/teams';
import type { GridRef } from '../../lib/model/township';

const plan = toTownshipPlan(generateLayout(DEMO_SEED));

function grids(town: number, total = 65): GridRef[] {
  return Array.from({ length: total }, (_, k) => ({
    id: 100 + k,
    code: `G${String(k + 1).padStart(2, '0')}`,
    name: `格曲第${k + 1}网格`,
    nameEn: `Gequ Grid ${k + 1}`,
    villageCode: k < town ? 'V0' : `V${1 + ((k - town) % 7)}`,
    isTown: k < town,
  }));
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('planForceTeams', () => {
  const teams = planForceTeams(plan);
  const of = (f: string) => teams.filter((t) => t.forceType === f);

  it('matches the platoon figures', () => {
    expect(of('emergency').map((t) => t.size)).toEqual([10, 10, 10]);
    expect(of('armband')).toHaveLength(9);
    expect(sum(of('armband').map((t) => t.size))).toBe(95);
    expect(sum(of('motorcycle').map((t) => t.size))).toBe(17);
    expect(of('motorcycle')).toHaveLength(4);
    expect(sum(of('militia').map((t) => t.size))).toBe(14);
    expect(of('militia')).toHaveLength(2);
  });

  it('gives every team a unique code, a bilingual name and a home point', () => {
    expect(new Set(teams.map((t) => t.code)).size).toBe(teams.length);
    for (const t of teams) {
      expect(t.name).toMatch(/[\u4e00-\u9fff]/);
      expect(t.nameEn).toMatch(/^[A-Za-z]/);
      expect(t.homePoint).not.toBeNull();
    }
    expect(teams.map((t) => t.code)).toContain('ARM-3');
    expect(teams.find((t) => t.code === 'EMG-1')?.name).toBe('应急一班');
  });
});

describe('workersPerGrid', () => {
  it('gives every grid one worker, town grids two, 95 in all', () => {
    const g = grids(26);
    const counts = workersPerGrid(g);
    expect(sum([...counts.values()])).toBe(GRID_WORKERS);
    for (const x of g) expect(counts.get(x.id)).toBeGreaterThanOrEqual(1);
    expect(g.filter((x) => x.isTown).every((x) => counts.get(x.id) === 2)).toBe(true);
    // The 4 left over go to four different villages' core cells.
    const villageDoubles = g.filter((x) => !x.isTown && counts.get(x.id) === 2);
    expect(villageDoubles).toHaveLength(4);
    expect(new Set(villageDoubles.map((x) => x.villageCode)).size).toBe(4);
  });

  it('caps the extras when the town has more grids than the budget allows', () => {
    const counts = workersPerGrid(grids(40));
    expect(sum([...counts.values()])).toBe(GRID_WORKERS);
    expect([...counts.values()].filter((n) => n === 2)).toHaveLength(30);
  });

  it('refuses more grids than workers', () => {
    expect(() => workersPerGrid(grids(0, 96))).toThrow();
  });
});

describe('planGridWorkers', () => {
  const workers = planGridWorkers(grids(26), DEMO_SEED);

  it('plans 95 one-person teams with unique codes and home grids', () => {
    expect(workers).toHaveLength(95);
    expect(workers.every((w) => w.size === 1 && w.forceType === 'grid_worker' && w.homeGridId !== null)).toBe(true);
    expect(new Set(workers.map((w) => w.code)).size).toBe(95);
    expect(workers[16]?.code).toBe('GW-017');
  });

  it('takes about a third off duty, the same third for the same seed', () => {
    const off = workers.filter((w) => !w.onDuty).map((w) => w.code);
    expect(off.length).toBeGreaterThan(25);
    expect(off.length).toBeLessThan(40);
    expect(planGridWorkers(grids(26), DEMO_SEED).filter((w) => !w.onDuty).map((w) => w.code)).toEqual(off);
  });
});
