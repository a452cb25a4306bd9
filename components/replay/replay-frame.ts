// What the map shows at the playhead T, from the state the server gave at the
// last seek T0 ≤ T and the chunks held since: fixes in (T0, T] move teams,
// status and severity steps in (T0, T] change incidents, reports and alerts in
// (T0, T] appear.
// Pure, so it is unit-tested and recomputed each frame.
import { REPLAY_RECENT_HOURS, isOpenStatus, type Alert, type IncidentView, type LonLat, type ReplayState, type UnitState } from '@/lib/model';
import type { DecodedChunk, DecodedTrack } from './chunk-cache';

/** One device's trail over the last minutes before T, oldest first. */
export interface Trail {
  deviceId: number;
  teamId: number;
  path: LonLat[];
}

export interface ReplayFrame {
  units: UnitState[];
  incidents: IncidentView[];
  /** Raised by T and not cleared by then. */
  alerts: Alert[];
  trails: Trail[];
}

/** Index of the last fix at or before t in an ascending time column, or -1. */
export function lastAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function trailsAt(chunks: readonly DecodedChunk[], from: number, t: number): Trail[] {
  const byDevice = new Map<number, Trail>();
  for (const c of chunks) {
    for (const tr of c.tracks) {
      const end = lastAtOrBefore(tr.t, t);
      if (end < 0) continue;
      let trail = byDevice.get(tr.deviceId);
      for (let i = Math.max(0, lastAtOrBefore(tr.t, from - 1) + 1); i <= end; i++) {
        if (!trail) {
          trail = { deviceId: tr.deviceId, teamId: tr.teamId, path: [] };
          byDevice.set(tr.deviceId, trail);
        }
        trail.path.push([tr.xy[i * 2]!, tr.xy[i * 2 + 1]!]);
      }
    }
  }
  return [...byDevice.values()].filter((tr) => tr.path.length >= 2).sort((a, b) => a.deviceId - b.deviceId);
}

/** Each team's newest fix in (t0, t] across the held chunks. */
function newestFixes(chunks: readonly DecodedChunk[], t0: number, t: number): Map<number, { at: number; position: LonLat }> {
  const out = new Map<number, { at: number; position: LonLat }>();
  const consider = (tr: DecodedTrack) => {
    const i = lastAtOrBefore(tr.t, t);
    if (i < 0 || tr.t[i]! <= t0) return;
    const prev = out.get(tr.teamId);
    if (!prev || prev.at < tr.t[i]!) out.set(tr.teamId, { at: tr.t[i]!, position: [tr.xy[i * 2]!, tr.xy[i * 2 + 1]!] });
  };
  for (const c of chunks) for (const tr of c.tracks) consider(tr);
  return out;
}

/**
 * The frame at `t` from the state at `base.at` (≤ t) and the held chunks.
 * `trailMs`: how far back the trails reach.
 */
export function frameAt(base: ReplayState, chunks: readonly DecodedChunk[], t: number, trailMs: number): ReplayFrame {
  const t0 = Date.parse(base.at);
  const since = chunks.filter((c) => c.to > Math.min(t0, t - trailMs) && c.from <= t);
  const moved = newestFixes(since, t0, t);
  const units = base.units.map((u) => {
    const m = moved.get(u.teamId);
    return m ? { ...u, position: m.position, fixTime: new Date(m.at).toISOString() } : u;
  });

  const incidents = new Map<number, IncidentView>(base.incidents.map((i) => [i.id, i]));
  for (const c of since) for (const i of c.incidents) if (Date.parse(i.reportedAt) > t0 && Date.parse(i.reportedAt) <= t) incidents.set(i.id, i);
  const steps = since.flatMap((c) => c.events).filter((e) => e.at > t0 && e.at <= t);
  steps.sort((a, b) => a.at - b.at);
  for (const e of steps) {
    const i = incidents.get(e.incidentId);
    if (!i) continue;
    const at = new Date(e.at).toISOString();
    const status = e.status ?? i.status;
    incidents.set(i.id, {
      ...i,
      status,
      severity: e.severity ?? i.severity,
      updatedAt: at,
      resolvedAt: e.status === undefined ? i.resolvedAt : isOpenStatus(status) ? null : (i.resolvedAt ?? at),
    });
  }
  const shownSince = t - REPLAY_RECENT_HOURS * 3_600_000;
  const shownIncidents = [...incidents.values()].filter((i) => isOpenStatus(i.status) || Date.parse(i.reportedAt) > shownSince);

  const alerts = new Map<number, Alert>(base.alerts.map((a) => [a.id, a]));
  for (const c of since) for (const a of c.alerts) if (Date.parse(a.raisedAt) > t0 && Date.parse(a.raisedAt) <= t) alerts.set(a.id, a);
  const shownAlerts = [...alerts.values()].filter(
    (a) => Date.parse(a.raisedAt) > shownSince && (a.clearedAt === null || Date.parse(a.clearedAt) > t),
  );

  return {
    units,
    incidents: shownIncidents.sort((a, b) => b.reportedAt.localeCompare(a.reportedAt)),
    alerts: shownAlerts,
    trails: trailsAt(chunks.filter((c) => c.to > t - trailMs && c.from <= t), t - trailMs, t),
  };
}
