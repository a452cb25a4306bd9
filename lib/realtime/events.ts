// socket.io event names and payloads, imported by the server and the browser.
import type { Alert, Incident, UnitState } from '../api-types';

/** Every server event carries a sequence number and the server's clock. */
export interface Envelope<T> {
  seq: number;
  /** Server time when the event was sent, epoch ms. */
  serverTime: number;
  data: T;
}

/** Units that moved since the previous tick, keyed by team id (coalesced). */
export type PositionsEvent = Envelope<Record<number, UnitState>>;
export type IncidentEvent = Envelope<Incident>;
export type AlertEvent = Envelope<Alert>;
export interface HelloPayload {
  serverTime: number;
  seq: number;
  /** As in TickPayload: when the database last answered, so a page opened during an outage shows it at once. */
  dataAsOf: number | null;
}

/**
 * The heartbeat's payload. The heartbeat proves the link is alive, not that
 * the data is current: `dataAsOf` is the server time (epoch ms) at which the
 * database last answered (a positions flush or the heartbeat's own check), or
 * null if it has not answered since the server started. It stops advancing
 * while the database is down.
 */
export interface TickPayload {
  dataAsOf: number | null;
}
export type TickEvent = Envelope<TickPayload>;

export interface ServerToClientEvents {
  hello: (p: HelloPayload) => void;
  positions: (e: PositionsEvent) => void;
  'incident:new': (e: IncidentEvent) => void;
  'incident:update': (e: IncidentEvent) => void;
  /** A new alert (an SOS from a device, …), pushed at once. */
  'alert:new': (e: AlertEvent) => void;
  /** Heartbeat so a quiet screen still knows the link is alive, and how current the data is. */
  tick: (e: TickEvent) => void;
}

export interface ClientToServerEvents {
  /** Join a view's room; rooms: map, wall, briefing. */
  join: (room: 'map' | 'wall' | 'briefing', ack?: (ok: boolean) => void) => void;
}

/** The default positions tick; the server's is the POSITIONS_TICK_MS setting. */
export const DEFAULT_POSITIONS_TICK_MS = 200;
/** How often a heartbeat is sent when nothing else is. */
export const HEARTBEAT_MS = 5_000;
