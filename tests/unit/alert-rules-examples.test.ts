// Examples that pin the alert rules' answers at their edges
// (lib/rules/alert-rules.ts), beside tests/unit/alert-rules.test.ts: silence
// exactly at a limit and 1 ms past it, how a one-minute setting reads in an
// alert, and which copy of a rule key wanted twice in one cycle is raised.
import { describe, expect, it } from 'vitest';
import { formatSpan, freshness, planAlerts, silenceAlerts, type AlertCandidate } from '../../lib/rules/alert-rules';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);

describe('freshness to the millisecond at each limit (stale 5 min, offline 30 min)', () => {
  const silentFor = (ms: number) => freshness({ fixMs: NOW - ms, nowMs: NOW, sinceMs: NOW - 3_600_000 }, { staleMs: 300_000, offlineMs: 1_800_000 });

  it('is fresh at exactly 5 min of silence and stale 1 ms later', () => {
    expect(silentFor(299_999)).toBe('fresh');
    expect(silentFor(300_000)).toBe('fresh');
    expect(silentFor(300_001)).toBe('stale');
  });

  it('is stale at exactly 30 min of silence and offline 1 ms later', () => {
    expect(silentFor(1_799_999)).toBe('stale');
    expect(silentFor(1_800_000)).toBe('stale');
    expect(silentFor(1_800_001)).toBe('offline');
  });
});

describe('formatSpan at the seconds / minutes edge', () => {
  it('writes just under a minute in seconds and exactly one minute as 1 min', () => {
    expect(formatSpan(59_000)).toBe('59 s');
    expect(formatSpan(60_000)).toBe('1 min');
    expect(formatSpan(61_000)).toBe('1 min');
    expect(formatSpan(66_000)).toBe('1.1 min');
  });

  it('says "1 min" in the alert of a team silent past a one-minute stale limit', () => {
    const teams = [{ teamId: 5, teamCode: 'PAT-5', fixMs: NOW - 90_000, position: null }];
    expect(silenceAlerts(teams, { nowMs: NOW, sinceMs: NOW - 3_600_000 }, { staleMs: 60_000, offlineMs: 600_000 }).map((a) => a.message)).toEqual([
      'PAT-5: no position for more than 1 min',
    ]);
  });
});

describe('planAlerts with a rule key wanted twice', () => {
  const candidate = (ruleKey: string, message: string): AlertCandidate => ({
    ruleKey,
    kind: 'outside_area',
    severity: 2,
    teamId: 3,
    incidentId: null,
    gridId: null,
    position: null,
    message,
  });

  it('raises the first copy, in the order the keys were first wanted', () => {
    const plan = planAlerts(
      [
        candidate('outside_area:team:3', 'G07-W has been outside its area for more than 10 min'),
        candidate('outside_area:team:4', 'G08-E has been outside its area for more than 10 min'),
        candidate('outside_area:team:3', 'a later copy'),
      ],
      new Set(),
    );
    expect(plan.raise.map((c) => [c.ruleKey, c.message])).toEqual([
      ['outside_area:team:3', 'G07-W has been outside its area for more than 10 min'],
      ['outside_area:team:4', 'G08-E has been outside its area for more than 10 min'],
    ]);
    expect(plan.clear).toEqual([]);
  });
});
