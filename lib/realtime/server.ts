import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../../db/client';
import { getDeadSessions, type SessionUser } from '../../db/sessions';
import { getUnitsByTeam } from '../../db/units';
import { allowed, SOCKET_RULES } from '../auth/permissions';
import { sameOrigin } from '../auth/origin';
import { sessionFromHeaders } from '../auth/sessions';
import { RateLimiter } from '../rate-limit';
import type { Incident, UnitState } from '../api-types';
import { DETAIL_ROOM, projectIncident, REDACTED_ROOM, seesIncidentDetail } from '../auth/privacy';
import type { Bus } from '../bus';
import {
  HEARTBEAT_MS,
  type ClientToServerEvents,
  type Envelope,
  type ServerToClientEvents,
} from './events';

const ROOMS = new Set(['map', 'wall', 'briefing']);
/** Rooms that show live positions and incidents. */
const LIVE_ROOMS = ['map', 'wall'];

export interface RealtimeOptions {
  positionsTickMs: number;
}

/**
 * The only code that knows socket.io. It listens on the bus and fans out:
 * positions coalesced into one event per tick, incidents at once. Every event
 * carries a sequence number and the server time.
 */
interface SocketData {
  user: SessionUser;
}

/** How often live sockets' sessions are re-checked (revoked elsewhere, user disabled). */
const SESSION_RECHECK_MS = 2_000;

export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  #seq = 0;
  #moved = new Set<number>();
  #flushing = false;
  /** True while flushes fail, so an outage is logged once, not five times a second. */
  #failing = false;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: (() => void)[] = [];

  constructor(
    http: HttpServer,
    private readonly db: Db,
    bus: Bus,
    opts: RealtimeOptions,
  ) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http, {
      path: '/socket.io',
      serveClient: false,
      // The handshake must come from our own pages (or a non-browser client).
      allowRequest: (req, callback) => callback(null, sameOrigin(req)),
      connectionStateRecovery: {
        maxDisconnectionDuration: 2 * 60_000,
        // A recovered socket goes through the middlewares (authentication) again.
        skipMiddlewares: false,
      },
    });
    // Every connection, recovered ones included (skipMiddlewares: false), is authenticated here.
    this.io.use((socket, next) => {
      sessionFromHeaders(db, socket.request.headers).then(
        (user) => {
          if (!user || !allowed(SOCKET_RULES.connect, user.role)) return next(new Error('unauthorized'));
          socket.data.user = user;
          next();
        },
        (err: unknown) => {
          console.error('[realtime] session check failed:', (err as Error).message);
          next(new Error('unavailable'));
        },
      );
    });
    this.io.on('connection', (socket) => {
      // A client sends a few events per session (join); 20 per 10 s is generous,
      // and a socket that keeps going past it is cut off.
      const events = new RateLimiter(20, 10_000);
      let refused = 0;
      socket.use((_packet, next) => {
        if (events.hit('all') === 0) return next();
        if (++refused > 20) socket.disconnect(true);
        next(new Error('rate_limited'));
      });
      void socket.join(seesIncidentDetail(socket.data.user.role) ? DETAIL_ROOM : REDACTED_ROOM);
      socket.emit('hello', { serverTime: Date.now(), seq: this.#seq });
      socket.on('join', (room, ack) => {
        const ok = typeof room === 'string' && ROOMS.has(room) && allowed(SOCKET_RULES[`join:${room}`], socket.data.user.role);
        if (ok) void socket.join(room);
        if (typeof ack === 'function') ack(ok);
      });
    });

    this.#unsubscribe.push(
      bus.subscribe('units:moved', (teamIds) => {
        for (const id of teamIds) this.#moved.add(id);
      }),
      bus.subscribe('incident:new', (incident) => this.#emitIncident('incident:new', incident)),
      bus.subscribe('incident:update', (incident) => this.#emitIncident('incident:update', incident)),
      bus.subscribe('alert:new', (alert) => this.#emit('alert:new', alert)),
      bus.subscribe('session:ended', (sessionId) => this.#dropSessions([sessionId])),
    );
    this.#timers.push(
      setInterval(() => void this.#flushPositions(), opts.positionsTickMs),
      setInterval(() => this.#emit('tick', null), HEARTBEAT_MS),
      setInterval(() => void this.#recheckSessions(), SESSION_RECHECK_MS),
    );
  }

  #dropSessions(sessionIds: readonly number[]): void {
    const dead = new Set(sessionIds);
    for (const socket of this.io.of('/').sockets.values()) {
      if (dead.has(socket.data.user.sessionId)) socket.disconnect(true);
    }
  }

  /** Logout is pushed on the bus; revocation or disabling from elsewhere is found here. */
  async #recheckSessions(): Promise<void> {
    const ids = new Set<number>();
    for (const socket of this.io.of('/').sockets.values()) ids.add(socket.data.user.sessionId);
    if (ids.size === 0) return;
    try {
      this.#dropSessions(await getDeadSessions(this.db, { sessionIds: [...ids] }));
    } catch (err) {
      console.error('[realtime] session recheck failed:', (err as Error).message);
    }
  }

  #envelope<T>(data: T): Envelope<T> {
    return { seq: ++this.#seq, serverTime: Date.now(), data };
  }

  /**
   * One event, two projections: staff get the whole incident, everyone else
   * the incident without its narrative and reporter contact. Same seq for both.
   */
  #emitIncident(event: 'incident:new' | 'incident:update', incident: Incident): void {
    const env = this.#envelope(incident);
    this.io.to(DETAIL_ROOM).emit(event, env);
    this.io.to(REDACTED_ROOM).emit(event, { ...env, data: projectIncident(incident, 'viewer') });
  }

  #emit<K extends 'alert:new' | 'tick'>(event: K, data: Parameters<ServerToClientEvents[K]>[0]['data']): void {
    const env = this.#envelope(data);
    // socket.io's typed emit cannot narrow a generic event name; the payload type is checked above.
    (this.io.to(LIVE_ROOMS) as unknown as { emit(e: string, p: unknown): void }).emit(event, env);
  }

  /** One `positions` event per tick with every unit that moved since the last one. */
  async #flushPositions(): Promise<void> {
    if (this.#flushing || this.#moved.size === 0) return;
    this.#flushing = true;
    const teamIds = [...this.#moved];
    this.#moved = new Set();
    try {
      const units = await getUnitsByTeam(this.db, { teamIds });
      const byTeam: Record<number, UnitState> = {};
      for (const u of units) byTeam[u.teamId] = u;
      this.io.to(LIVE_ROOMS).emit('positions', this.#envelope(byTeam));
      if (this.#failing) console.log('[realtime] positions flush recovered');
      this.#failing = false;
    } catch (err) {
      // Put them back: the next tick tries again rather than losing the move.
      for (const id of teamIds) this.#moved.add(id);
      if (!this.#failing) console.error('[realtime] positions flush failing:', (err as Error).message);
      this.#failing = true;
    } finally {
      this.#flushing = false;
    }
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    for (const u of this.#unsubscribe) u();
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
  }
}
