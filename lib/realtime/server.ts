import type { Server as HttpServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ClusterLink } from '../cluster';
import { clientAddress, type TrustedProxy } from '../http/client-address';
import type { Db } from '../../db/client';
import { pingDatabase } from '../../db/health';
import { getDeadSessions, liveSessionRoles, type SessionUser } from '../../db/sessions';
import { getUnitsByTeam } from '../../db/units';
import { allowed, SOCKET_RULES } from '../auth/permissions';
import { sameOrigin } from '../auth/origin';
import { sessionFromHeaders } from '../auth/sessions';
import { RateLimiter } from '../rate-limit';
import {
  type Incident,
  type UnitMove,
  type UnitState,
  DETAIL_ROOM,
  encodeMoves,
  newerMove,
  REDACTED_ROOM,
  HEARTBEAT_MS,
  VIEW_ROOMS,
  type ClientToServerEvents,
  type Envelope,
  type IncidentRoom,
  type IncidentRoomPayload,
  type ServerToClientEvents,
} from '../model';
import { redactIncident, seesIncidentDetail } from '../auth/privacy';
import type { Bus } from '../bus';

const ROOMS: ReadonlySet<string> = new Set(VIEW_ROOMS);
/** Rooms that show live positions and alerts. */
const LIVE_ROOMS = [...VIEW_ROOMS];

export interface RealtimeOptions {
  positionsTickMs: number;
  /** Live sockets one session may hold (SOCKETS_PER_SESSION). */
  socketsPerSession: number;
  /** Live sockets from one client address (SOCKETS_PER_ADDRESS). */
  socketsPerAddress: number;
  /** Sent in every hello: a page that sees it change is looking at an old version (the wall reloads). */
  buildId: string;
  /** This process's id in every envelope: `seq` counts per origin (lib/cluster.ts newOrigin). */
  origin: string;
  /** Our own proxy, whose X-Forwarded-For names the client for the per-address cap (TRUST_PROXY). */
  trustProxy: TrustedProxy;
}

interface SocketData {
  user: SessionUser;
}

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** How often live sockets' sessions are re-checked (revoked elsewhere, user disabled). */
const SESSION_RECHECK_MS = 2_000;
/** How long a heartbeat waits for its database check before it goes out with the last known time. */
const DB_CHECK_WAIT_MS = 1_000;
/**
 * How long the first move waits for others before `moves` goes out: fixes
 * committed within it share one event. Short, since nothing is read for it
 * (the positions tick, POSITIONS_TICK_MS, paces the re-reads).
 */
export const MOVES_TICK_MS = 50;
/** How long connection-state recovery keeps a dropped socket's rooms and missed events. */
const RECOVERY_MS = 2 * 60_000;

/**
 * How many events the Redis stream keeps for connection-state recovery: about
 * 20 a second per busy process (moves every MOVES_TICK_MS, heartbeats,
 * incidents), so RECOVERY_MS of four busy processes.
 */
const STREAM_MAX_LEN = 20_000;

/** Sockets per key (session id, address), counted from the handshake on, so handshakes arriving together cannot overshoot. */
class SocketCount<K> {
  readonly #byKey = new Map<K, Set<string>>();
  constructor(readonly limit: number) {}

  full(key: K): boolean {
    return (this.#byKey.get(key)?.size ?? 0) >= this.limit;
  }

  add(key: K, socketId: string): void {
    const ids = this.#byKey.get(key) ?? new Set<string>();
    ids.add(socketId);
    this.#byKey.set(key, ids);
  }

  remove(key: K, socketId: string): void {
    const ids = this.#byKey.get(key);
    if (!ids) return;
    ids.delete(socketId);
    if (ids.size === 0) this.#byKey.delete(key);
  }
}

/**
 * The only code that knows socket.io. It listens on the bus and fans out:
 * positions coalesced into one event per tick, incidents at once. Every event
 * carries a sequence number and the server time; the heartbeat also carries
 * the time the database last answered.
 */
export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  readonly origin: string;
  readonly #trustProxy: TrustedProxy;
  #seq = 0;
  /** Units to re-read and send whole at the next tick (status, assignment, team changes). */
  #moved = new Set<number>();
  /** Units device fixes moved since the last tick, newest fix per unit, as the insert returned them. */
  #moves = new Map<number, UnitMove>();
  /**
   * 'compact' (the default): fixes go out as `moves`, only what a fix changes.
   * 'full': the feed before issue 15 — every moved unit re-read and sent whole
   * as `positions`; bench/fanout.ts switches to it to measure the two in one run.
   */
  feed: 'compact' | 'full' = 'compact';
  #movesTimer: NodeJS.Timeout | null = null;
  #flushing = false;
  /** True while flushes fail, so an outage is logged once, not five times a second. */
  #failing = false;
  /** Server time at which the database last answered (flush or heartbeat check); null until it has. */
  #dataAsOf: number | null = null;
  #dbCheck: Promise<void> | null = null;
  #dbCheckFailing = false;
  #recheckFailing = false;
  readonly #perSession: SocketCount<number>;
  readonly #perAddress: SocketCount<string>;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: (() => void)[] = [];

  constructor(
    http: HttpServer,
    private readonly db: Db,
    bus: Bus,
    opts: RealtimeOptions,
  ) {
    // Per process even with REDIS_URL: what these caps protect (memory, file
    // descriptors, fan-out work) is each process's own, so N processes allow at
    // most N × the cap — a fixed bound. A shared count would outlive a crashed
    // process (its sockets never decremented) and lock people out; a cap on
    // the whole fleet per address belongs at the proxy (nginx limit_conn).
    this.#perSession = new SocketCount(opts.socketsPerSession);
    this.#perAddress = new SocketCount(opts.socketsPerAddress);
    this.io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http, {
      path: '/socket.io',
      serveClient: false,
      // The handshake must come from our own pages (or a non-browser client).
      allowRequest: (req, callback) => callback(null, sameOrigin(req)),
      connectionStateRecovery: {
        maxDisconnectionDuration: RECOVERY_MS,
        // A recovered socket goes through the middlewares (authentication) again.
        skipMiddlewares: false,
      },
    });
    this.origin = opts.origin;
    this.#trustProxy = opts.trustProxy;
    this.#checkRecoveredSessions();
    // Every connection, recovered ones included (skipMiddlewares: false), is authenticated
    // here with the session as it is now, and counted against the connection limits.
    this.io.use((socket, next) => {
      sessionFromHeaders(db, socket.request.headers).then(
        (user) => {
          if (!user || !allowed(SOCKET_RULES.connect, user.role)) return next(new Error('unauthorized'));
          const refusal = this.#takeSlot(socket, user);
          if (refusal) return next(new Error(refusal));
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
      // and a socket that keeps going past it is cut off. This limit stays in
      // this process's memory even with REDIS_URL: a socket lives on one
      // process for its whole life, so no other process ever counts its events,
      // and the check must stay synchronous and free on every packet.
      const events = new RateLimiter(20, 10_000);
      let refused = 0;
      socket.use((_packet, next) => {
        if (events.hit('all') === 0) return next();
        if (++refused > 20) socket.disconnect(true);
        next(new Error('rate_limited'));
      });
      placeInRooms(socket);
      socket.emit('hello', { serverTime: Date.now(), origin: this.origin, seq: this.#seq, dataAsOf: this.#dataAsOf, buildId: opts.buildId });
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
      bus.subscribe('units:fixed', (moves) => {
        if (this.feed === 'full') for (const m of moves) this.#moved.add(m.teamId);
        else {
          for (const m of moves) this.#moves.set(m.teamId, newerMove(this.#moves.get(m.teamId), m));
          this.#movesTimer ??= setTimeout(() => {
            this.#movesTimer = null;
            this.#sendMoves();
          }, MOVES_TICK_MS);
        }
      }),
      bus.subscribe('incident:new', (incident) => this.#emitIncident('incident:new', incident)),
      bus.subscribe('incident:update', (incident) => this.#emitIncident('incident:update', incident)),
      bus.subscribe('alert:new', (alert) => this.#emit('alert:new', alert)),
      bus.subscribe('alert:update', (alert) => this.#emit('alert:update', alert)),
      // Logout and revocation (lib/auth/sessions.ts), a role change or disabling (lib/accounts.ts), after their commit.
      bus.subscribeShared('session:ended', (sessionId) => this.#endSessions([sessionId])),
      // Static layers are the same for every role: everyone on a map page hears of the change.
      bus.subscribe('township:changed', (change) => this.#emit('township:changed', change)),
      // Checkpoint states carry no narrative (ids and states): every role on a live page hears them.
      bus.subscribe('plans:checkpoints', (changes) => this.#emit('plans:checkpoints', changes)),
    );
    void this.#checkDb();
    this.#timers.push(
      setInterval(() => void this.#flushPositions(), opts.positionsTickMs),
      setInterval(() => void this.#heartbeat(), HEARTBEAT_MS),
      setInterval(() => void this.#recheckSessions(), SESSION_RECHECK_MS),
    );
  }

  /**
   * Counts a handshake against its session's and its address's limits; the
   * slot is freed when the socket disconnects or its connection closes (also
   * when the client goes away before the handshake completes). Returns the
   * refusal, or null.
   */
  #takeSlot(socket: AppSocket, user: SessionUser): string | null {
    if (socket.conn.readyState !== 'open') return 'connection closed';
    const address = clientAddress(socket.request, this.#trustProxy);
    if (this.#perSession.full(user.sessionId)) {
      return `too many connections for this session (limit ${this.#perSession.limit})`;
    }
    if (this.#perAddress.full(address)) {
      return `too many connections from this address (limit ${this.#perAddress.limit})`;
    }
    // A recovered socket has its old id; the old one freed that id when it dropped.
    const id = socket.id;
    this.#perSession.add(user.sessionId, id);
    this.#perAddress.add(address, id);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.#perSession.remove(user.sessionId, id);
      this.#perAddress.remove(address, id);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    return null;
  }

  /**
   * Several processes (issue 15): from now on every emit to a room reaches the
   * dashboards of every process, through socket.io's Redis Streams adapter,
   * which also keeps dropped sockets' state for recovery on any process. Before
   * the first connection (lib/app.ts calls it before listening).
   */
  useCluster(cluster: ClusterLink): void {
    const prefix = cluster.prefix;
    this.io.adapter(
      createAdapter(cluster.redis, {
        streamName: `${prefix}:socket.io`,
        channelPrefix: `${prefix}:socket.io`,
        sessionKeyPrefix: `${prefix}:socket.io:session:`,
        maxLen: STREAM_MAX_LEN,
        // Our events are JSON: no scan for binary data on every broadcast.
        onlyPlaintext: true,
      }),
    );
    this.#checkRecoveredSessions();
  }

  /**
   * A dropped socket's state (its rooms, its missed events) is given back only
   * to a session still open with the role it had: otherwise the reconnect
   * starts afresh — with the rooms of its current role, or refused by the
   * middleware — and nothing is replayed to it (socket.io writes the missed
   * events before the middlewares run). Checked against the database when the
   * adapter restores (the in-memory one or Redis's: the same public hook), so
   * it holds whichever process the client comes back to. A failed check
   * refuses the recovery.
   */
  #checkRecoveredSessions(): void {
    const adapter = this.io.of('/').adapter;
    const restore = adapter.restoreSession.bind(adapter);
    // Typed as never empty, but both adapters answer null (or reject) for "nothing to restore", and so may we.
    adapter.restoreSession = (async (pid: string, offset: string) => {
      const session = await restore(pid, offset);
      const user = (session?.data as Partial<SocketData> | undefined)?.user;
      if (!session || !user) return null;
      const roles = await liveSessionRoles(this.db, { sessionIds: [user.sessionId] });
      return roles.get(user.sessionId) === user.role ? session : null;
    }) as typeof adapter.restoreSession;
  }

  /** Ends sessions' live sockets on this process (a server disconnect, which socket.io never recovers). */
  #endSessions(sessionIds: readonly number[]): void {
    const ended = new Set(sessionIds);
    for (const socket of this.io.of('/').sockets.values()) {
      if (ended.has(socket.data.user.sessionId)) socket.disconnect(true);
    }
  }

  /** Logout is pushed on the bus (from every process); revocation or disabling from elsewhere is found here. */
  async #recheckSessions(): Promise<void> {
    const ids = new Set<number>();
    for (const socket of this.io.of('/').sockets.values()) ids.add(socket.data.user.sessionId);
    if (ids.size === 0) return;
    try {
      this.#endSessions(await getDeadSessions(this.db, { sessionIds: [...ids] }));
      this.#recheckFailing = false;
    } catch (err) {
      // Once per outage, not every 2 s.
      if (!this.#recheckFailing) console.error('[realtime] session recheck failing:', (err as Error).message);
      this.#recheckFailing = true;
    }
  }

  #envelope<T>(data: T): Envelope<T> {
    return { seq: ++this.#seq, origin: this.origin, serverTime: Date.now(), data };
  }

  /**
   * One event, two projections: staff get the whole incident, everyone else
   * the incident without its narrative and reporter contact. Same seq for both.
   */
  #emitIncident(event: 'incident:new' | 'incident:update', incident: Incident): void {
    const env = this.#envelope(incident);
    this.#toProjection(DETAIL_ROOM, event, env);
    this.#toProjection(REDACTED_ROOM, event, { ...env, data: redactIncident(incident) });
  }

  /** The only way an incident reaches a projection room: the payload type is the one that room may receive. */
  #toProjection<R extends IncidentRoom>(room: R, event: 'incident:new' | 'incident:update', env: Envelope<IncidentRoomPayload[R]>): void {
    this.io.to(room).emit(event, env);
  }

  #emit<K extends 'alert:new' | 'alert:update' | 'tick' | 'township:changed' | 'plans:checkpoints'>(event: K, data: Parameters<ServerToClientEvents[K]>[0]['data']): void {
    const env = this.#envelope(data);
    // socket.io's typed emit cannot narrow a generic event name; the payload type is checked above.
    (this.io.to(LIVE_ROOMS) as unknown as { emit(e: string, p: unknown): void }).emit(event, env);
  }

  /** The database answered a query sent at `sentAt`: data is known current as of then. */
  #dbAnswered(sentAt: number): void {
    this.#dataAsOf = Math.max(this.#dataAsOf ?? sentAt, sentAt);
  }

  /** A cheap query; at most one at a time, so a hanging database does not pile them up. */
  #checkDb(): Promise<void> {
    this.#dbCheck ??= (async () => {
      const sentAt = Date.now();
      try {
        await pingDatabase(this.db);
        this.#dbAnswered(sentAt);
        if (this.#dbCheckFailing) console.log('[realtime] database answers again');
        this.#dbCheckFailing = false;
      } catch (err) {
        if (!this.#dbCheckFailing) console.error('[realtime] database check failing:', (err as Error).message);
        this.#dbCheckFailing = true;
      } finally {
        this.#dbCheck = null;
      }
    })();
    return this.#dbCheck;
  }

  /**
   * The heartbeat says the link is alive and how current the data is: it
   * checks the database first (waiting at most DB_CHECK_WAIT_MS), then sends
   * the time the database last answered — which stops advancing while it is down.
   */
  async #heartbeat(): Promise<void> {
    await Promise.race([this.#checkDb(), delay(DB_CHECK_WAIT_MS, undefined, { ref: false })]);
    this.#emit('tick', { dataAsOf: this.#dataAsOf });
  }

  /**
   * Units whose status, assignment or team changed, re-read and sent whole as
   * `positions` (rare). Moves wait while a read is in flight and go out after
   * its event, so a unit is never sent whole, older than a move already sent.
   */
  async #flushPositions(): Promise<void> {
    if (this.#flushing || this.#moved.size === 0) return;
    this.#flushing = true;
    const teamIds = [...this.#moved];
    this.#moved = new Set();
    // Their moves so far were committed before this read begins: the read has them.
    for (const id of teamIds) this.#moves.delete(id);
    const sentAt = Date.now();
    try {
      const units = await getUnitsByTeam(this.db, { teamIds });
      this.#dbAnswered(sentAt);
      const byTeam: Record<number, UnitState> = {};
      for (const u of units) byTeam[u.teamId] = u;
      this.#toLive('positions', this.#envelope(byTeam));
      if (this.#failing) console.log('[realtime] positions flush recovered');
      this.#failing = false;
    } catch (err) {
      // Put them back: the next tick tries again rather than losing the change.
      for (const id of teamIds) this.#moved.add(id);
      if (!this.#failing) console.error('[realtime] positions flush failing:', (err as Error).message);
      this.#failing = true;
    } finally {
      this.#flushing = false;
      this.#sendMoves();
    }
  }

  /** One `moves` event with what device fixes changed since the last one, straight from the insert: no read. */
  #sendMoves(): void {
    if (this.#flushing || this.#moves.size === 0) return;
    const moves = this.#moves;
    this.#moves = new Map();
    const env = this.#envelope(null);
    this.#toLive('moves', { ...env, data: encodeMoves(moves.values(), env.serverTime) });
  }

  #toLive<K extends 'positions' | 'moves'>(event: K, env: Parameters<ServerToClientEvents[K]>[0]): void {
    (this.io.to(LIVE_ROOMS) as unknown as { emit(e: string, p: unknown): void }).emit(event, env);
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    if (this.#movesTimer !== null) clearTimeout(this.#movesTimer);
    for (const u of this.#unsubscribe) u();
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
  }
}

/**
 * Puts a socket in the rooms its session's current role allows, on every
 * connection: a recovered socket comes back with the rooms it had, which a
 * role changed meanwhile may no longer allow. Exactly one projection room.
 */
function placeInRooms(socket: AppSocket): void {
  const role = socket.data.user.role;
  const projection = seesIncidentDetail(role) ? DETAIL_ROOM : REDACTED_ROOM;
  for (const room of socket.rooms) {
    if (room === socket.id || room === projection) continue;
    if (ROOMS.has(room) && allowed(SOCKET_RULES[`join:${room}`], role)) continue;
    void socket.leave(room);
  }
  void socket.join(projection);
}
