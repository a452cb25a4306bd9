// The alert rules as pure functions: what each rule wants raised, given the
// rows its one set-based query returned (db/rules.ts). The evaluator
// (lib/rules/evaluator.ts) raises every wanted alert that is not live yet and
// clears every live rule alert no longer wanted, so a rule raises once and
// clears once. An alert's identity is its rule key (`stale:team:12`).
import type { Config } from '../config';
import type { AlertKind, LonLat, Severity } from '../model';
import type { ArrivalRule } from './arrival';

/** Alerts raised and cleared by rules; an SOS is raised by a device and cleared only by a person. */
export type RuleAlertKind = Exclude<AlertKind, 'sos'>;

/** One alert a rule wants live now. */
export interface AlertCandidate {
  ruleKey: string;
  kind: RuleAlertKind;
  severity: Severity;
  teamId: number | null;
  incidentId: number | null;
  gridId: number | null;
  position: LonLat | null;
  message: string;
}

/** The settings of every rule, in milliseconds (lib/config.ts gives minutes and hours). */
export interface RuleSettings {
  intervalMs: number;
  unackMs: number;
  staleMs: number;
  offlineMs: number;
  outsideMs: number;
  coverageGapMs: number;
  arrival: ArrivalRule;
}

export function ruleSettings(config: Config): RuleSettings {
  return {
    intervalMs: config.RULES_INTERVAL_MS,
    unackMs: config.ALERT_UNACK_MINUTES * 60_000,
    staleMs: config.ALERT_STALE_MINUTES * 60_000,
    offlineMs: config.ALERT_OFFLINE_MINUTES * 60_000,
    outsideMs: config.ALERT_OUTSIDE_AREA_MINUTES * 60_000,
    coverageGapMs: config.ALERT_COVERAGE_GAP_HOURS * 3_600_000,
    arrival: { radiusM: config.ARRIVAL_RADIUS_M, dwellS: config.ARRIVAL_DWELL_S },
  };
}

export const SEVERITY: Record<RuleAlertKind, Severity> = {
  unacknowledged: 3,
  offline: 3,
  stale: 2,
  outside_area: 2,
  coverage_gap: 1,
  checkpoint_overdue: 2,
  plan_team_unready: 2,
  joint_patrol_split: 2,
};

export function ruleKey(kind: RuleAlertKind, subject: 'team' | 'assignment' | 'grid', id: number): string {
  return `${kind}:${subject}:${id}`;
}

/** A setting's span as people say it: `45 s`, `5 min`, `8 h`. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}

export type Freshness = 'fresh' | 'stale' | 'offline';

/**
 * How long a team has been silent decides: older than `offlineMs` is offline,
 * else older than `staleMs` is stale (offline replaces stale, never both).
 * "Heard" is the newest fix, but never earlier than when the evaluator
 * started listening (`sinceMs`): a team that has never sent a fix, or whose
 * last fix predates a restart, is judged from the start, so a fresh demo or a
 * restart does not raise a burst of alerts before devices had a chance to report.
 */
export function freshness(
  { fixMs, nowMs, sinceMs }: { fixMs: number | null; nowMs: number; sinceMs: number },
  { staleMs, offlineMs }: Pick<RuleSettings, 'staleMs' | 'offlineMs'>,
): Freshness {
  const age = nowMs - Math.max(fixMs ?? sinceMs, sinceMs);
  if (age > offlineMs) return 'offline';
  if (age > staleMs) return 'stale';
  return 'fresh';
}

export interface TeamFixRow {
  teamId: number;
  teamCode: string;
  /** The newest fix (epoch ms), or null if the team never sent one. */
  fixMs: number | null;
  position: LonLat | null;
}

/** stale / offline: one alert per silent on-duty team (the rows are on-duty teams only). */
export function silenceAlerts(
  teams: readonly TeamFixRow[],
  { nowMs, sinceMs }: { nowMs: number; sinceMs: number },
  settings: Pick<RuleSettings, 'staleMs' | 'offlineMs'>,
): AlertCandidate[] {
  return teams.flatMap((t): AlertCandidate[] => {
    const f = freshness({ fixMs: t.fixMs, nowMs, sinceMs }, settings);
    if (f === 'fresh') return [];
    const span = formatSpan(f === 'offline' ? settings.offlineMs : settings.staleMs);
    const never = t.fixMs === null ? ' (never reported)' : '';
    return [
      {
        ruleKey: ruleKey(f, 'team', t.teamId),
        kind: f,
        severity: SEVERITY[f],
        teamId: t.teamId,
        incidentId: null,
        gridId: null,
        position: t.position,
        message: f === 'offline' ? `${t.teamCode} is offline: no position for more than ${span}${never}` : `${t.teamCode}: no position for more than ${span}${never}`,
      },
    ];
  });
}

export interface UnacknowledgedRow {
  assignmentId: number;
  incidentId: number;
  teamId: number;
  teamCode: string;
  incidentPosition: LonLat | null;
}

/** unacknowledged: the rows are already the active assignments past the limit without an acknowledgement. */
export function unacknowledgedAlerts(rows: readonly UnacknowledgedRow[], { unackMs }: Pick<RuleSettings, 'unackMs'>): AlertCandidate[] {
  return rows.map((r) => ({
    ruleKey: ruleKey('unacknowledged', 'assignment', r.assignmentId),
    kind: 'unacknowledged',
    severity: SEVERITY.unacknowledged,
    teamId: r.teamId,
    incidentId: r.incidentId,
    gridId: null,
    position: r.incidentPosition,
    message: `${r.teamCode} has not acknowledged its dispatch to incident #${r.incidentId} within ${formatSpan(unackMs)}`,
  }));
}

export interface OutsideAreaRow {
  teamId: number;
  teamCode: string;
  position: LonLat | null;
  /** The running patrol plan whose area the team is held to instead of its own (issue 14), or null. */
  planName?: string | null;
}

/** outside_area: the rows are the patrolling teams outside their area for longer than the limit. */
export function outsideAreaAlerts(rows: readonly OutsideAreaRow[], { outsideMs }: Pick<RuleSettings, 'outsideMs'>): AlertCandidate[] {
  return rows.map((r) => ({
    ruleKey: ruleKey('outside_area', 'team', r.teamId),
    kind: 'outside_area',
    severity: SEVERITY.outside_area,
    teamId: r.teamId,
    incidentId: null,
    gridId: null,
    position: r.position,
    message: r.planName
      ? `${r.teamCode} has been outside the area of plan "${r.planName}" for more than ${formatSpan(outsideMs)}`
      : `${r.teamCode} has been outside its area for more than ${formatSpan(outsideMs)}`,
  }));
}

export interface CoverageGapRow {
  gridId: number;
  gridCode: string;
  labelPoint: LonLat;
}

/** coverage_gap: the rows are the grid cells no patrol has entered within the limit. */
export function coverageGapAlerts(rows: readonly CoverageGapRow[], { coverageGapMs }: Pick<RuleSettings, 'coverageGapMs'>): AlertCandidate[] {
  return rows.map((r) => ({
    ruleKey: ruleKey('coverage_gap', 'grid', r.gridId),
    kind: 'coverage_gap',
    severity: SEVERITY.coverage_gap,
    teamId: null,
    incidentId: null,
    gridId: r.gridId,
    position: r.labelPoint,
    message: `No patrol has entered ${r.gridCode} for more than ${formatSpan(coverageGapMs)}`,
  }));
}

/**
 * What one cycle changes: the wanted alerts not live yet are raised, the live
 * rule alerts no longer wanted are cleared. Duplicate keys in `wanted` count once.
 */
export function planAlerts(wanted: readonly AlertCandidate[], liveKeys: ReadonlySet<string>): { raise: AlertCandidate[]; clear: string[] } {
  const byKey = new Map<string, AlertCandidate>();
  for (const c of wanted) if (!byKey.has(c.ruleKey)) byKey.set(c.ruleKey, c);
  return {
    raise: [...byKey.values()].filter((c) => !liveKeys.has(c.ruleKey)),
    clear: [...liveKeys].filter((k) => !byKey.has(k)).sort(),
  };
}
