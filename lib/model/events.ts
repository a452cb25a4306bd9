// socket.io event names and payloads, imported by the server and the browser.
import type { Alert, Incident, IncidentView, RedactedIncident, UnitState } from './api';
import type { MovesPayload } from './moves';
import type { CheckpointChanges } from './plans';
import type { TownshipChange } from './township-layers';

/** Every server event carries a sequence number and the server's clock. */
export interface Envelope<T> {
  /**
   * Grows by one per event its origin sends to the live rooms. Several
   * processes (issue 15) each count their own: a page checks the sequence per origin.
   */
  seq: number;
  /** The process that sent the event (lib/cluster.ts newOrigin); a new one at every start. */
  origin: string;
  /** Server time when the event was sent, epoch ms. */
  serverTime: number;
  data: T;
}

/**
 * Whole units whose status, assignment or static facts changed since the
 * previous tick (a dispatch, a team edited or created, a GPX import), re-read
 * from the database, keyed by team id (coalesced).
 */
export type PositionsEvent = Envelope<Record<number, UnitState>>;
/** The compact feed: units a committed device fix moved since the previous tick, only what moved (lib/model/moves.ts). */
export type MovesEvent = Envelope<MovesPayload>;
/** What a browser receives: the projection its room gets (see IncidentRoomPayload). */
export type IncidentEvent = Envelope<IncidentView>;
export type AlertEvent = Envelope<Alert>;
/** The township's static layers changed (an import, the demo removed): refetch them. */
export type TownshipChangedEvent = Envelope<TownshipChange>;
/** Patrol plan checkpoints whose state changed (issue 14), compact: refetch GET /api/plans/live for the rest. */
export type CheckpointsEvent = Envelope<CheckpointChanges>;
export interface HelloPayload {
  serverTime: number;
  /** The process this socket is connected to, and the last `seq` it sent. */
  origin: string;
  seq: number;
  /** As in TickPayload: when the database last answered, so a page opened during an outage shows it at once. */
  dataAsOf: number | null;
  /**
   * The server's build (config BUILD_ID, else Next's .next/BUILD_ID). A page
   * that sees it change after a reconnect is looking at an old version: the
   * wall reloads itself.
   */
  buildId: string;
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
  moves: (e: MovesEvent) => void;
  'incident:new': (e: IncidentEvent) => void;
  'incident:update': (e: IncidentEvent) => void;
  /** A new alert (an SOS from a device, a rule raised, …), pushed at once. */
  'alert:new': (e: AlertEvent) => void;
  /** An alert was acknowledged or cleared (the whole alert as it is now). */
  'alert:update': (e: AlertEvent) => void;
  /** Heartbeat so a quiet screen still knows the link is alive, and how current the data is. */
  tick: (e: TickEvent) => void;
  /** After the commit of an import or of the demo's removal: pages refetch the basemap, grid cells, key locations and status. */
  'township:changed': (e: TownshipChangedEvent) => void;
  /** After a rules cycle in which checkpoint states changed (visited, due, overdue, suspended). */
  'plans:checkpoints': (e: CheckpointsEvent) => void;
}

/** The view rooms a client may ask to join (SOCKET_RULES `join:<room>` says who may). */
export const VIEW_ROOMS = ['map'] as const;
export type ViewRoom = (typeof VIEW_ROOMS)[number];

export interface ClientToServerEvents {
  /** Join a view's room. */
  join: (room: ViewRoom, ack?: (ok: boolean) => void) => void;
}

/** Incident projection rooms: the server puts every socket in exactly one, by its session's role. */
export const DETAIL_ROOM = 'incidents:detail';
export const REDACTED_ROOM = 'incidents:redacted';
/** The incident each projection room receives: the server's incident emitter is typed by this. */
export interface IncidentRoomPayload {
  [DETAIL_ROOM]: Incident;
  [REDACTED_ROOM]: RedactedIncident;
}
export type IncidentRoom = keyof IncidentRoomPayload;

/** The default positions tick; the server's is the POSITIONS_TICK_MS setting. */
export const DEFAULT_POSITIONS_TICK_MS = 200;
/** How often a heartbeat is sent when nothing else is. */
export const HEARTBEAT_MS = 5_000;
