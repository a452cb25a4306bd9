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

/** The in-process event bus. Typed wrapper over EventEmitter; one per process. */
export class Bus {
  readonly #ee = new EventEmitter();

  constructor() {
    // One listener per subscriber service, not per socket: a small fixed number.
    this.#ee.setMaxListeners(50);
  }

  publish<K extends keyof BusEvents>(event: K, ...args: BusEvents[K]): void {
    this.#ee.emit(event, ...args);
  }

  subscribe<K extends keyof BusEvents>(event: K, fn: (...args: BusEvents[K]) => void): () => void {
    const listener = (...args: unknown[]) => fn(...(args as BusEvents[K]));
    this.#ee.on(event, listener);
    return () => this.#ee.off(event, listener);
  }
}
