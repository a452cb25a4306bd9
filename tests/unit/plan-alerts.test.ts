// The plan alerts' pure rules (lib/plans/plan-alerts.ts): a team not ready at
// its occurrence's start, and a joint patrol split for N minutes.
import { describe, expect, it } from 'vitest';
import type { PlanTeam } from '../../lib/model';
import { SplitWatch, unreadyAlerts, widestPair, type AlertOccurrence, type PlanTeamState } from '../../lib/plans/plan-alerts';

const M = 60_000;
const team = (id: number): PlanTeam => ({ id, code: `T-${id}`, name: `队${id}`, nameEn: `Team ${id}`, forceType: 'armband', onDuty: true });
const occ = (over: Partial<AlertOccurrence> = {}): AlertOccurrence => ({
  plan: { id: 9, name: 'Joint', kind: 'joint', teams: [team(1), team(2)] },
  day: '2026-11-20',
  start: 100 * M,
  end: 200 * M,
  spans: [],
  ...over,
});
const fixAt = (min: number, lat = 31): PlanTeamState['fix'] => ({ fixTime: min * M, lon: 100, lat });
const settings = { startFixMs: 10 * M, splitDistanceM: 300, splitMs: 5 * M };

describe('unreadyAlerts', () => {
  const tz = 'Asia/Shanghai';
  const teams = new Map<number, PlanTeamState>([
    [1, { onDuty: true, fix: fixAt(95) }],
    [2, { onDuty: true, fix: fixAt(80) }],
  ]);
  it('wants nothing before the start or after the end', () => {
    expect(unreadyAlerts([occ()], teams, { now: 99 * M, tz }, settings)).toEqual([]);
    expect(unreadyAlerts([occ()], teams, { now: 200 * M, tz }, settings)).toEqual([]);
  });
  it('flags a team silent since before start − the window, a team off duty, and one never heard of', () => {
    expect(unreadyAlerts([occ()], teams, { now: 100 * M, tz }, settings).map((a) => a.teamId)).toEqual([2]);
    const off = new Map(teams).set(1, { onDuty: false, fix: fixAt(99) });
    expect(unreadyAlerts([occ()], off, { now: 150 * M, tz }, settings).map((a) => a.teamId)).toEqual([1, 2]);
    expect(unreadyAlerts([occ()], new Map(), { now: 150 * M, tz }, settings).map((a) => a.ruleKey)).toEqual([
      'plan_team_unready:plan:9:2026-11-20:team:1',
      'plan_team_unready:plan:9:2026-11-20:team:2',
    ]);
  });
  it('excuses a team on a dispatch', () => {
    const spans = [{ teamId: 2, incidentId: 5, start: 90 * M, end: null }];
    expect(unreadyAlerts([occ({ spans })], teams, { now: 120 * M, tz }, settings)).toEqual([]);
  });
});

describe('SplitWatch', () => {
  const apart = new Map<number, PlanTeamState>([
    [1, { onDuty: true, fix: fixAt(101, 31) }],
    [2, { onDuty: true, fix: fixAt(101, 31 + 400 / 111_320) }],
  ]);
  it('raises after the teams stay apart for the set minutes, forgets when they are back', () => {
    const w = new SplitWatch();
    expect(w.alerts([occ()], apart, { now: 102 * M }, settings)).toEqual([]);
    expect(w.alerts([occ()], apart, { now: 106 * M }, settings)).toEqual([]);
    expect(w.alerts([occ()], apart, { now: 107 * M }, settings).map((a) => a.ruleKey)).toEqual(['joint_patrol_split:plan:9:2026-11-20']);
    const together = new Map(apart).set(2, { onDuty: true, fix: fixAt(108, 31 + 100 / 111_320) });
    expect(w.alerts([occ()], together, { now: 108 * M }, settings)).toEqual([]);
    // Apart again: the clock starts over.
    expect(w.alerts([occ()], apart, { now: 109 * M }, settings)).toEqual([]);
  });
  it('ignores fixes from before the occurrence, a dispatched team, and a one-team plan', () => {
    const w = new SplitWatch();
    const old = new Map(apart).set(2, { onDuty: true, fix: fixAt(90, 31.01) });
    expect(w.alerts([occ()], old, { now: 150 * M }, { ...settings, splitMs: 0 })).toEqual([]);
    expect(w.alerts([occ({ spans: [{ teamId: 2, incidentId: 1, start: 100 * M, end: null }] })], apart, { now: 150 * M }, { ...settings, splitMs: 0 })).toEqual([]);
    expect(w.alerts([occ({ plan: { id: 9, name: 'Solo', kind: 'patrol', teams: [team(1)] } })], apart, { now: 150 * M }, { ...settings, splitMs: 0 })).toEqual([]);
  });
  it('widestPair answers the two teams furthest apart', () => {
    const p = widestPair([
      { teamId: 1, code: 'a', lon: 100, lat: 31 },
      { teamId: 2, code: 'b', lon: 100.001, lat: 31 },
      { teamId: 3, code: 'c', lon: 100.005, lat: 31 },
    ])!;
    expect([p.a.teamId, p.b.teamId, Math.round(p.metres)]).toEqual([1, 3, 477]);
    expect(widestPair([{ teamId: 1, code: 'a', lon: 100, lat: 31 }])).toBeNull();
  });
});
