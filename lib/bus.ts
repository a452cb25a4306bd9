import { EventEmitter } from 'node:events';
import type { Alert, Assignment, CheckpointChanges, Incident, LonLat, TownshipChange, UnitMove } from './model';

/** Events published by lib/ services after their transaction has committed. */
export interface BusEvents {
  /**
   * Team ids whose unit changed otherwise than by a device fix (status, assignment,
   * the team itself, a GPX import): live maps get them re-read, whole.
   */
  'units:moved': [teamIds: number[]];
  /** Units a committed batch of device fixes moved forward, with their new state as the insert returned it (the compact live feed). */
  'units:fixed': [moves: UnitMove[]];
  /**
   * Every fix a committed batch of device fixes stored, with its team (not
   * only each unit's newest): the plan monitor's visit detection, so a backlog
   * uploaded in one batch counts all its fixes. Published before 'units:fixed'.
   */
  'units:fixes': [fixes: { teamId: number; fixTime: number; lon: number; lat: number }[]];
  'incident:new': [incident: Incident];
  'incident:update': [incident: Incident];
  'alert:new': [alert: Alert];
  /** An alert was acknowledged or cleared. */
  'alert:update': [alert: Alert];
  /** A team was committed to an incident (the simulator drives simulated teams there). */
  'assignment:new': [assignment: Assignment, incidentPosition: LonLat];
  /** A team's assignment ended (resolved, cancelled, reassigned): it is available again. */
  'assignment:released': [assignment: Assignment];
  /** A session ended (logout, revocation): its live sockets are dropped. */
  'session:ended': [sessionId: number];
  /** An import or the demo's removal changed the township's static layers (lib/import/service.ts, lib/sim/remove-demo.ts). */
  'township:changed': [change: TownshipChange];
  /** A device was re-keyed or disabled (lib/teams.ts): the ingest gateway forgets the secrets it had resolved. */
  'device:changed': [deviceId: number];
  /** A patrol plan was created, changed or deleted (lib/plans/service.ts): the plan monitor reloads the live occurrences. */
  'plans:changed': [];
  /** Checkpoints whose compliance state changed (lib/plans/monitor.ts, once per rules cycle). */
  'plans:checkpoints': [changes: CheckpointChanges];
}

/**
 * Events that matter beyond the process that published them (issue 15): they
 * feed the leader's duties (the plan monitor, the simulator), every process's
 * device-secret cache, or every process's live sockets. With REDIS_URL the bus
 * relays them to the other processes. Everything else stays in its process:
 * what dashboards must see crosses through socket.io's adapter instead, sent
 * once by the process where it happened.
 */
export const SHARED_EVENTS = [
  'units:fixes',
  'units:fixed',
  'assignment:new',
  'assignment:released',
  'township:changed',
  'plans:changed',
  'session:ended',
  'device:changed',
] as const satisfies readonly (keyof BusEvents)[];
export type SharedEvent = (typeof SHARED_EVENTS)[number];
const SHARED: ReadonlySet<string> = new Set(SHARED_EVENTS);

/** Carries shared events between processes (lib/cluster.ts, over Redis). */
export interface BusRelay {
  send(event: SharedEvent, args: unknown[]): void;
  /** Events other processes sent; the relay never hands back this process's own. */
  receive(fn: (event: SharedEvent, args: unknown[]) => void): void;
}

/** This process's own events go out on `local:<event>` and `shared:<event>`; other processes' only on `shared:<event>`. */
type Channel = `local:${string}` | `shared:${string}`;

/** The event bus. Typed wrapper over EventEmitter; one per process, joined to the others' by a relay when there are several. */
export class Bus {
  readonly #ee = new EventEmitter();
  #relay: BusRelay | null = null;

  constructor() {
    // One listener per subscriber service, not per socket: a small fixed number.
    this.#ee.setMaxListeners(50);
  }

  /** Joins this bus to the other processes' (once, at start). */
  relay(relay: BusRelay): void {
    this.#relay = relay;
    relay.receive((event, args) => this.#emit(`shared:${event}`, args));
  }

  publish<K extends keyof BusEvents>(event: K, ...args: BusEvents[K]): void {
    this.#emit(`local:${event}`, args);
    if (!SHARED.has(event)) return;
    this.#emit(`shared:${event}`, args);
    this.#relay?.send(event as SharedEvent, args);
  }

  /** Events published in this process. */
  subscribe<K extends keyof BusEvents>(event: K, fn: (...args: BusEvents[K]) => void): () => void {
    return this.#on(`local:${event}`, fn);
  }

  /** Events published in any process of the deployment, this one included. */
  subscribeShared<K extends SharedEvent>(event: K, fn: (...args: BusEvents[K]) => void): () => void {
    return this.#on(`shared:${event}`, fn);
  }

  #emit(channel: Channel, args: unknown[]): void {
    this.#ee.emit(channel, ...args);
  }

  #on<K extends keyof BusEvents>(channel: Channel, fn: (...args: BusEvents[K]) => void): () => void {
    const listener = (...args: unknown[]) => fn(...(args as BusEvents[K]));
    this.#ee.on(channel, listener);
    return () => this.#ee.off(channel, listener);
  }
}
