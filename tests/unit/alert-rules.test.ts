// The pure side of the alert rules (lib/rules/alert-rules.ts): silence
// (stale / offline), the rule keys and severities of each rule, and the plan
// that makes a rule raise once and clear once. The SQL side is in
// tests/integration/rules.test.ts.
import { describe, expect, it } from 'vitest';
import {
  coverageGapAlerts,
  formatSpan,
  freshness,
  outsideAreaAlerts,
  planAlerts,
  ruleSettings,
  silenceAlerts,
  unacknowledgedAlerts,
  type AlertCandidate,
} from '../../lib/rules/alert-rules';
import { loadConfig } from '../../lib/config';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const MIN = 60_000;
const SILENCE = { staleMs: 5 * MIN, offlineMs: 30 * MIN };

describe('freshness', () => {
  const at = (fixMinutesAgo: number | null, sinceMinutesAgo = 600) =>
    freshness({ fixMs: fixMinutesAgo === null ? null : NOW - fixMinutesAgo * MIN, nowMs: NOW, sinceMs: NOW - sinceMinutesAgo * MIN }, SILENCE);

  it('is fresh up to and including the stale limit, stale past it, offline past the offline limit', () => {
    expect(at(0)).toBe('fresh');
    expect(at(5)).toBe('fresh');
    expect(at(5.01)).toBe('stale');
    expect(at(30)).toBe('stale');
    expect(at(30.01)).toBe('offline');
    expect(at(24 * 60)).toBe('offline');
  });

  it('judges a team that never reported from when the evaluator started listening', () => {
    expect(at(null, 2)).toBe('fresh');
    expect(at(null, 6)).toBe('stale');
    expect(at(null, 31)).toBe('offline');
  });

  it('does not hold a fix from before a restart against the team until the limits pass again', () => {
    // Last fix 3 h ago, but the evaluator started 1 min ago: fresh; 10 min after the start: stale.
    expect(at(180, 1)).toBe('fresh');
    expect(at(180, 10)).toBe('stale');
  });

  it('counts a fix timed after now (a device clock ahead) as fresh', () => {
    expect(at(-2)).toBe('fresh');
  });
});

describe('silenceAlerts', () => {
  it('raises stale (severity 2) or offline (severity 3) per silent team, never both, and nothing for fresh teams', () => {
    const teams = [
      { teamId: 1, teamCode: 'G01-A', fixMs: NOW - 1 * MIN, position: [100.1, 30.1] as [number, number] },
      { teamId: 2, teamCode: 'PAT-2', fixMs: NOW - 7 * MIN, position: [100.2, 30.2] as [number, number] },
      { teamId: 3, teamCode: 'MC-3', fixMs: NOW - 45 * MIN, position: [100.3, 30.3] as [number, number] },
      { teamId: 4, teamCode: 'EMG-4', fixMs: null, position: null },
    ];
    expect(silenceAlerts(teams, { nowMs: NOW, sinceMs: NOW - 60 * MIN }, SILENCE)).toEqual([
      {
        ruleKey: 'stale:team:2',
        kind: 'stale',
        severity: 2,
        teamId: 2,
        incidentId: null,
        gridId: null,
        position: [100.2, 30.2],
        message: 'PAT-2: no position for more than 5 min',
      },
      {
        ruleKey: 'offline:team:3',
        kind: 'offline',
        severity: 3,
        teamId: 3,
        incidentId: null,
        gridId: null,
        position: [100.3, 30.3],
        message: 'MC-3 is offline: no position for more than 30 min',
      },
      {
        ruleKey: 'offline:team:4',
        kind: 'offline',
        severity: 3,
        teamId: 4,
        incidentId: null,
        gridId: null,
        position: null,
        message: 'EMG-4 is offline: no position for more than 30 min (never reported)',
      },
    ]);
  });
});

describe('the other rules', () => {
  it('unacknowledged: severity 3, keyed by assignment, carrying the incident', () => {
    expect(unacknowledgedAlerts([{ assignmentId: 7, incidentId: 41, teamId: 12, teamCode: 'MC-12', incidentPosition: [101, 31] }], { unackMs: 3 * MIN })).toEqual([
      {
        ruleKey: 'unacknowledged:assignment:7',
        kind: 'unacknowledged',
        severity: 3,
        teamId: 12,
        incidentId: 41,
        gridId: null,
        position: [101, 31],
        message: 'MC-12 has not acknowledged its dispatch to incident #41 within 3 min',
      },
    ]);
  });

  it('outside_area: severity 2, keyed by team', () => {
    expect(outsideAreaAlerts([{ teamId: 3, teamCode: 'G07-W', position: [102, 32] }], { outsideMs: 10 * MIN })).toEqual([
      {
        ruleKey: 'outside_area:team:3',
        kind: 'outside_area',
        severity: 2,
        teamId: 3,
        incidentId: null,
        gridId: null,
        position: [102, 32],
        message: 'G07-W has been outside its area for more than 10 min',
      },
    ]);
  });

  it("outside_area of a running plan: the same key, the plan's name in the message", () => {
    const rows = [
      { teamId: 3, teamCode: 'G07-W', position: [102, 32] as [number, number], planName: '集市联合巡逻' },
      { teamId: 4, teamCode: 'G08-W', position: null, planName: null },
    ];
    expect(outsideAreaAlerts(rows, { outsideMs: 10 * MIN }).map((a) => [a.ruleKey, a.message])).toEqual([
      ['outside_area:team:3', 'G07-W has been outside the area of plan "集市联合巡逻" for more than 10 min'],
      ['outside_area:team:4', 'G08-W has been outside its area for more than 10 min'],
    ]);
  });

  it('coverage_gap: severity 1, keyed by grid, at the grid label point', () => {
    expect(coverageGapAlerts([{ gridId: 41, gridCode: 'G41', labelPoint: [103, 33] }], { coverageGapMs: 8 * 3_600_000 })).toEqual([
      {
        ruleKey: 'coverage_gap:grid:41',
        kind: 'coverage_gap',
        severity: 1,
        teamId: null,
        incidentId: null,
        gridId: 41,
        position: [103, 33],
        message: 'No patrol has entered G41 for more than 8 h',
      },
    ]);
  });

  it('writes spans as people say them', () => {
    expect(formatSpan(3_000)).toBe('3 s');
    expect(formatSpan(90_000)).toBe('1.5 min');
    expect(formatSpan(119 * MIN)).toBe('119 min');
    expect(formatSpan(2 * 3_600_000)).toBe('2 h');
    expect(formatSpan(0.5 * 3_600_000)).toBe('30 min');
  });

  it('reads its settings from the configuration in milliseconds', () => {
    const s = ruleSettings(
      loadConfig({
        RULES_INTERVAL_MS: '2000',
        ALERT_UNACK_MINUTES: '3',
        ALERT_STALE_MINUTES: '5',
        ALERT_OFFLINE_MINUTES: '30',
        ALERT_OUTSIDE_AREA_MINUTES: '10',
        ALERT_COVERAGE_GAP_HOURS: '8',
        ARRIVAL_RADIUS_M: '60',
        ARRIVAL_DWELL_S: '30',
      }),
    );
    expect(s).toEqual({
      intervalMs: 2_000,
      unackMs: 180_000,
      staleMs: 300_000,
      offlineMs: 1_800_000,
      outsideMs: 600_000,
      coverageGapMs: 28_800_000,
      arrival: { radiusM: 60, dwellS: 30 },
    });
  });
});

describe('planAlerts', () => {
  const candidate = (ruleKey: string): AlertCandidate => ({
    ruleKey,
    kind: 'stale',
    severity: 2,
    teamId: 1,
    incidentId: null,
    gridId: null,
    position: null,
    message: ruleKey,
  });

  it('raises what is wanted and not live, clears what is live and no longer wanted, leaves the rest alone', () => {
    const plan = planAlerts([candidate('stale:team:1'), candidate('offline:team:2'), candidate('gap:grid:9')], new Set(['stale:team:1', 'stale:team:2', 'outside_area:team:5']));
    expect(plan.raise.map((c) => c.ruleKey)).toEqual(['offline:team:2', 'gap:grid:9']);
    expect(plan.clear).toEqual(['outside_area:team:5', 'stale:team:2']);
  });

  it('does nothing on a repeated cycle with the same conditions (raised once)', () => {
    expect(planAlerts([candidate('stale:team:1')], new Set(['stale:team:1']))).toEqual({ raise: [], clear: [] });
  });

  it('counts a key wanted twice once', () => {
    expect(planAlerts([candidate('stale:team:1'), candidate('stale:team:1')], new Set()).raise).toHaveLength(1);
  });
});
