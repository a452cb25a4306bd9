// The time machine (/replay): the township as it was at a moment T, and the
// history between two moments in a compact columnar form for playback.
import type { Alert, IncidentView, UnitState } from './api';
import type { IncidentStatus, Severity } from './domain';

/** The longest stretch one history chunk may cover (GET /api/replay/history). */
export const REPLAY_MAX_CHUNK_MS = 60 * 60_000;

/** Incidents shown at T: every one open at T, and those reported in the 24 hours before T (as the live map). */
export const REPLAY_RECENT_HOURS = 24;

/** GET /api/replay/state?at= — every team's last fix at or before T, incidents as they were at T, alerts raised by T. */
export interface ReplayState {
  /** T (ISO-8601 UTC). */
  at: string;
  /** One per team: position, fixTime and the status it had at T (null position: no fix at or before T). */
  units: UnitState[];
  /** As they were at T: status and severity from the timeline, resolved/closed fields blank when they came later. */
  incidents: IncidentView[];
  /** Raised at or before T (and within REPLAY_RECENT_HOURS), cleared/acknowledged fields blank when they came later. */
  alerts: Alert[];
}

/**
 * One device's fixes in a chunk, columnar: `t` is base64 of an Int32Array of
 * milliseconds since the chunk's `from`; `xy` base64 of an Int32Array of
 * [lon, lat] in microdegrees, interleaved (little-endian both).
 */
export interface ReplayTrack {
  deviceId: number;
  teamId: number;
  count: number;
  t: string;
  xy: string;
}

/** A step of an incident inside a chunk: what it set, its status, its severity or both. */
export interface ReplayIncidentEvent {
  incidentId: number;
  at: string;
  status?: IncidentStatus;
  severity?: Severity;
}

/** GET /api/replay/history?from=&to= — the half-open range [from, to). */
export interface ReplayChunk {
  from: string;
  to: string;
  tracks: ReplayTrack[];
  /** Status and severity steps in the range, oldest first. */
  events: ReplayIncidentEvent[];
  /** Incidents reported in the range, as they were when reported (projected for the caller's role). */
  incidents: IncidentView[];
  /** Alerts raised in the range, as they were when raised. */
  alerts: Alert[];
}
