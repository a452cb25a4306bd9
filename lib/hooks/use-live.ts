'use client';
// The one owner of the live connection for the map page. Snapshots come from
// SWR (/api/units, /api/incidents, /api/alerts); socket events are merged into a keyed
// store by id outside React and published at most once per animation frame.
// After a reconnect that socket.io could not recover, or a gap in `seq`, the
// snapshots are refetched (SWR mutate). It also says since when the link is
// down (lostSince) and whether the server's build changed under the page
// (buildChanged: the wall reloads itself).
import { goToSignIn } from './sign-in-redirect';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import useSWR, { useSWRConfig } from 'swr';
import {
  newerMove,
  type Alert,
  type IncidentView,
  type UnitMove,
  type UnitState,
  type AlertEvent,
  type CheckpointsEvent,
  type ClientToServerEvents,
  type HelloPayload,
  type IncidentEvent,
  type MovesEvent,
  type PlansLive,
  type PositionsEvent,
  type ServerToClientEvents,
  type TickEvent,
  type TownshipChangedEvent,
} from '../model';
import { fetcher } from './fetcher';
import { applyCheckpointChanges, PLANS_LIVE_KEY } from '../live/plan-checkpoints';
import {
  EMPTY_LIVE_DATA,
  applyAlertsSnapshot,
  applyBatch,
  applyHeldMoves,
  applyIncidentsSnapshot,
  applyUnitsSnapshot,
  beginResync,
  checkSeq,
  emptyBatch,
  queueAlert,
  queueIncident,
  queueMoves,
  queuePositions,
  queueTick,
  type LiveData,
  type PendingBatch,
  type SocketStatus,
} from '../live/live-store';
import { LIVE_SOCKET_OPTIONS } from '../live/socket-options';
import { clockSample, nextClockOffset, shownClockOffset, type ClockOffset } from '../live/clock-offset';
import { UnitRecords } from '../live/unit-records';
import { frameThenTask } from './frame-then-task';

export const UNITS_KEY = '/api/units';
export const INCIDENTS_KEY = '/api/incidents';
export const ALERTS_KEY = '/api/alerts';
export const HEATMAP_KEY_PREFIX = '/api/heatmap';
export const BASEMAP_KEY = '/api/basemap';
export const GRIDS_KEY = '/api/grids';
export const KEY_LOCATIONS_KEY = '/api/key-locations';
export const TOWNSHIP_STATUS_KEY = '/api/township/status';
/** The township's static layers: refetched when `township:changed` says an import or the demo's removal changed them. */
export const TOWNSHIP_KEYS = [BASEMAP_KEY, GRIDS_KEY, KEY_LOCATIONS_KEY, TOWNSHIP_STATUS_KEY] as const;

/** Resyncs closer together than this are folded into one. */
const RESYNC_MIN_INTERVAL_MS = 2_000;
/** If the tab is hidden requestAnimationFrame stops; flush on a timer instead so memory stays flat. */
const FLUSH_FALLBACK_MS = 500;
const JOIN_TIMEOUT_MS = 5_000;
/** socket.io does not retry a connection the server refused (database unavailable, too many connections): we do, backing off to this. */
const REFUSED_RETRY_MS = [2_000, 5_000, 10_000, 30_000] as const;

export interface LiveView {
  data: LiveData;
  socket: SocketStatus;
  /** Client clock (Date.now()) when the last event of any kind arrived: the link's liveness (heartbeats count), not the data's freshness (data.dataAsOf). */
  lastEventAt: number | null;
  /**
   * serverTime − client time, estimated since the last `hello` from its serverTime and the connected process's
   * heartbeats' (lib/live/clock-offset.ts: the largest sample of about the last five minutes), shown to within
   * 250 ms; add it to Date.now() to get server time.
   */
  clockOffsetMs: number;
  /** How many times the snapshots were refetched after a lost connection or a gap. */
  resyncs: number;
  /**
   * Client clock (Date.now()) at which the connection was seen going down
   * (a disconnect, or a failed connect after having been connected); null
   * while connected and before the first connection. The first moment of an
   * outage is kept through every failed retry.
   */
  lostSince: number | null;
  /** The server's build, from the first hello; null until then. */
  buildId: string | null;
  /** A later hello carried another build id: this page is an old version (the wall reloads itself). */
  buildChanged: boolean;
}

const INITIAL_VIEW: LiveView = {
  data: EMPTY_LIVE_DATA,
  socket: 'connecting',
  lastEventAt: null,
  clockOffsetMs: 0,
  resyncs: 0,
  lostSince: null,
  buildId: null,
  buildChanged: false,
};

/** Exported for its unit test (tests/unit/live-connection.test.ts); pages use useLive(). */
export class LiveStore {
  /**
   * Units' moves are applied at most this often (0: at the next frame, as
   * everything else). The wall (components/wall/wall-page.tsx): every batch
   * of moves redraws the whole map, and on a small PC drawing WebGL in
   * software a redraw of 2,000 units with their ages takes most of a second
   * of the GPU's time; read from across the room, a unit that reports every
   * few seconds moves every two seconds at most. Anything else (an incident, an
   * alert, a status) is applied at the next frame, the moves waiting with it.
   */
  readonly #movesEveryMs: number;
  #movesTimer: ReturnType<typeof setTimeout> | null = null;
  #lastFlushAt = -Infinity;
  #view: LiveView = INITIAL_VIEW;
  #pending: PendingBatch = emptyBatch();
  /** Moved units' records, reused (unit-records.ts): a new record per fix was the largest share of what the loaded wall's GC swept. */
  readonly #records = new UnitRecords();
  #frames = frameThenTask();
  #frame: number | null = null;
  #fallback: ReturnType<typeof setTimeout> | null = null;
  #listeners = new Set<() => void>();
  /**
   * The last `seq` seen from each origin (each server process counts its own;
   * one origin per process start). An origin first heard of after this
   * connection began sets its own baseline: the socket was already in its rooms
   * when that process sent it, and the adapter keeps one process's events in order.
   */
  #lastSeq = new Map<string, number>();
  #lastEventAt: number | null = null;
  #everConnected = false;
  /** A units snapshot has been applied: from then on a move of an unknown unit means the snapshot is out of date. */
  #unitsSnapshotSeen = false;
  /** Moves of units not held yet, newest per unit: applied when the next units snapshot brings them. */
  #heldMoves = new Map<number, UnitMove>();
  #onResyncNeeded: (reason: string) => void = () => {};
  /** The clock offset's estimate over this connection (clockOffsetMs shows it, to within CLOCK_OFFSET_SHOWN_WITHIN_MS). */
  #clockOffset: ClockOffset | null = null;
  /** The process whose hello began this connection: its heartbeats are the clock's samples. */
  #clockOrigin: string | null = null;

  /** Who refetches the snapshots when events were missed. */
  setResyncHandler(handler: (reason: string) => void): void {
    this.#onResyncNeeded = handler;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): LiveView => this.#view;

  #publish(view: LiveView): void {
    if (view === this.#view) return;
    this.#view = view;
    for (const l of this.#listeners) l();
  }

  /**
   * What arrived is applied after the next frame, in a task of its own (frameThenTask): inside the frame,
   * React's render of the batch (a sync render, useSyncExternalStore) and the map's deck.gl frame made one long
   * task (docs/BENCHMARKS.md, wall load, 2026-12-03).
   */
  #schedule(): void {
    if (this.#frame === null && typeof requestAnimationFrame === 'function') {
      this.#frame = this.#frames.requestAnimationFrame(this.flush);
    }
    this.#fallback ??= setTimeout(this.flush, FLUSH_FALLBACK_MS);
  }

  /** Applies everything received since the last flush in one go. */
  flush = (): void => {
    this.dispose();
    this.#lastFlushAt = Date.now();
    const batch = this.#pending;
    this.#pending = emptyBatch();
    this.#records.batchDone();
    const data = applyBatch(this.#view.data, batch);
    const clockOffsetMs = shownClockOffset(this.#view.clockOffsetMs, this.#clockOffset);
    if (data === this.#view.data && this.#lastEventAt === this.#view.lastEventAt && clockOffsetMs === this.#view.clockOffsetMs) return;
    this.#publish({ ...this.#view, data, lastEventAt: this.#lastEventAt, clockOffsetMs });
  };

  #noteSeq({ origin, seq }: { origin: string; seq: number }): void {
    const last = this.#lastSeq.get(origin) ?? null;
    if (checkSeq(last, seq) === 'gap') {
      this.#onResyncNeeded(`seq gap from ${origin}: expected ${(last ?? 0) + 1}, got ${seq}`);
    }
    if (last === null || seq > last) this.#lastSeq.set(origin, seq);
  }

  constructor({ movesEveryMs = 0 }: { movesEveryMs?: number } = {}) {
    this.#movesEveryMs = movesEveryMs;
  }

  #received(): void {
    this.#lastEventAt = Date.now();
    this.#schedule();
  }

  /** A batch of moves: at the next frame, or once movesEveryMs has passed since the last flush. */
  #receivedMoves(): void {
    // At most movesEveryMs: a clock set back does not hold the moves for longer.
    const wait = Math.min(this.#movesEveryMs, this.#lastFlushAt + this.#movesEveryMs - Date.now());
    if (wait <= 0) return this.#received();
    this.#lastEventAt = Date.now();
    // A flush on its way (#schedule always sets the fallback) or the pacing's timer takes these moves too.
    if (this.#fallback !== null || this.#movesTimer !== null) return;
    this.#movesTimer = setTimeout(() => {
      this.#movesTimer = null;
      this.#schedule();
    }, wait);
  }

  positions = (e: PositionsEvent): void => {
    this.#noteSeq(e);
    this.#pending = queuePositions(this.#pending, e);
    this.#receivedMoves();
  };

  /** The compact feed: applied to the units held; a unit not held (a new team) is kept for the next snapshot, which a resync fetches. */
  moves = (e: MovesEvent): void => {
    this.#noteSeq(e);
    const r = queueMoves(this.#pending, e, this.#view.data.units, this.#records);
    this.#pending = r.batch;
    for (const m of r.unknown) this.#heldMoves.set(m.teamId, newerMove(this.#heldMoves.get(m.teamId), m));
    if (r.malformed) this.#onResyncNeeded(`unreadable moves event ${e.seq}`);
    // Before the first snapshot every unit is unknown, and that snapshot is already on its way.
    else if (r.unknown.length > 0 && this.#unitsSnapshotSeen) this.#onResyncNeeded(`moves of unknown unit ${r.unknown[0]!.teamId}`);
    this.#receivedMoves();
  };

  incident = (e: IncidentEvent): void => {
    this.#noteSeq(e);
    this.#pending = queueIncident(this.#pending, e);
    this.#received();
  };

  alert = (e: AlertEvent): void => {
    this.#noteSeq(e);
    this.#pending = queueAlert(this.#pending, e);
    // An SOS must not wait for the next animation frame of a hidden tab: publish now.
    this.#lastEventAt = Date.now();
    this.flush();
  };

  tick = (e: TickEvent): void => {
    this.#noteSeq(e);
    this.#pending = queueTick(this.#pending, e.serverTime, e.data.dataAsOf);
    // Every process's heartbeat reaches every page (several processes share the rooms): the clock is the
    // connected process's, the one that said hello. Shown at the flush the tick has scheduled.
    if (e.origin === this.#clockOrigin) this.#clockOffset = nextClockOffset(this.#clockOffset, clockSample(e.serverTime, Date.now()));
    this.#received();
  };

  /** Plan checkpoints changed: counts for the sequence and the link; useLive patches the SWR copy of GET /api/plans/live. */
  checkpoints = (e: CheckpointsEvent): void => {
    this.#noteSeq(e);
    this.#received();
  };

  /** The event only counts for the sequence and the link's liveness; its data goes to SWR (useLive refetches the layers). */
  townshipChanged = (e: TownshipChangedEvent): void => {
    this.#noteSeq(e);
    this.#received();
  };

  hello = (p: HelloPayload, recovered: boolean): void => {
    // hello.seq is the last seq the server sent. After a recovered reconnect the
    // replayed events end exactly there; anything else means we missed some.
    // With several processes that is the answering process's own sequence.
    const last = this.#lastSeq.get(p.origin);
    if (recovered && last !== undefined && p.seq !== last) {
      this.#onResyncNeeded(`hello seq ${p.seq} from ${p.origin} after recovery at ${last}`);
      this.#lastSeq.set(p.origin, p.seq);
    }
    this.#pending = queueTick(this.#pending, p.serverTime, p.dataAsOf);
    this.#lastEventAt = Date.now();
    this.flush();
    const buildId = this.#view.buildId ?? p.buildId;
    const buildChanged = this.#view.buildChanged || p.buildId !== buildId;
    // A new connection (perhaps to another process, a restarted server, or after the client's clock was set)
    // starts a new estimate.
    this.#clockOffset = nextClockOffset(null, clockSample(p.serverTime, Date.now()));
    this.#clockOrigin = p.origin;
    this.#publish({ ...this.#view, clockOffsetMs: this.#clockOffset.best.offsetMs, buildId, buildChanged });
  };

  /** A connection without recovery starts a new sequence: the first event after joining sets the baseline. */
  resetSeq(): void {
    this.#lastSeq.clear();
  }

  /**
   * The link's state. Going down after having been connected stamps
   * `lostSince` at once (kept through the retries); connecting clears it.
   * Failing to connect before the first connection is not a loss.
   */
  setSocket(socket: SocketStatus, now = Date.now()): void {
    this.flush();
    if (socket === 'connected') this.#everConnected = true;
    const lostSince = socket === 'connected' ? null : (this.#view.lostSince ?? (this.#everConnected ? now : null));
    if (this.#view.socket !== socket || this.#view.lostSince !== lostSince) this.#publish({ ...this.#view, socket, lostSince });
  }

  beginResync(): void {
    this.flush();
    this.#publish({ ...this.#view, data: beginResync(this.#view.data), resyncs: this.#view.resyncs + 1 });
  }

  unitsSnapshot(units: readonly UnitState[]): void {
    this.flush();
    this.#unitsSnapshotSeen = true;
    const held = [...this.#heldMoves.values()];
    this.#heldMoves.clear();
    this.#publish({ ...this.#view, data: applyHeldMoves(applyUnitsSnapshot(this.#view.data, units), held) });
  }

  incidentsSnapshot(incidents: readonly IncidentView[]): void {
    this.flush();
    const now = Date.now() + this.#view.clockOffsetMs;
    this.#publish({ ...this.#view, data: applyIncidentsSnapshot(this.#view.data, incidents, now) });
  }

  /**
   * An incident or alert from the answer to our own change: applied at once
   * rather than waiting for the server's push (the merge keeps whichever
   * version is newer, so the push arriving first or second changes nothing).
   */
  applyLocal = (change: { incident?: IncidentView; alert?: Alert }): void => {
    const serverTime = this.#view.data.lastServerTime ?? Date.now() + this.#view.clockOffsetMs;
    if (change.incident) this.#pending = queueIncident(this.#pending, { seq: 0, serverTime, data: change.incident });
    if (change.alert) this.#pending = queueAlert(this.#pending, { seq: 0, serverTime, data: change.alert });
    this.flush();
  };

  alertsSnapshot(alerts: readonly Alert[]): void {
    this.flush();
    this.#publish({ ...this.#view, data: applyAlertsSnapshot(this.#view.data, alerts) });
  }

  /** Drops whatever flush is waiting (a frame, the fallback timer, the moves' pacing). */
  dispose(): void {
    if (this.#frame !== null) this.#frames.cancelAnimationFrame(this.#frame);
    if (this.#fallback !== null) clearTimeout(this.#fallback);
    if (this.#movesTimer !== null) clearTimeout(this.#movesTimer);
    this.#frame = null;
    this.#fallback = null;
    this.#movesTimer = null;
  }
}

export interface LiveResult extends LiveView {
  /** Applies the answer to one of our own changes (an incident or an alert) to the store now. */
  applyLocal(change: { incident?: IncidentView; alert?: Alert }): void;
  unitsLoaded: boolean;
  incidentsLoaded: boolean;
  alertsLoaded: boolean;
  unitsError: Error | undefined;
  incidentsError: Error | undefined;
  alertsError: Error | undefined;
}

/** `movesEveryMs`: units' moves applied at most this often (LiveStore); the wall's pacing. */
export function useLive({ movesEveryMs = 0 }: { movesEveryMs?: number } = {}): LiveResult {
  const [store] = useState(() => new LiveStore({ movesEveryMs }));
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot, () => INITIAL_VIEW);
  const { mutate } = useSWRConfig();
  const units = useSWR<UnitState[], Error>(UNITS_KEY, fetcher);
  const incidents = useSWR<IncidentView[], Error>(INCIDENTS_KEY, fetcher);
  const alerts = useSWR<Alert[], Error>(ALERTS_KEY, fetcher);

  useEffect(() => {
    if (units.data) store.unitsSnapshot(units.data);
  }, [units.data, store]);

  useEffect(() => {
    if (incidents.data) store.incidentsSnapshot(incidents.data);
  }, [incidents.data, store]);

  useEffect(() => {
    if (alerts.data) store.alertsSnapshot(alerts.data);
  }, [alerts.data, store]);

  useEffect(() => {
    let lastResyncAt = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    const refetch = (key: string) => mutate(key).catch((err: unknown) => console.error(`[live] refetch ${key} failed:`, err));
    const resync = (reason: string) => {
      const wait = lastResyncAt + RESYNC_MIN_INTERVAL_MS - Date.now();
      if (wait > 0) {
        trailing ??= setTimeout(() => {
          trailing = null;
          resync(reason);
        }, wait);
        return;
      }
      lastResyncAt = Date.now();
      console.info(`[live] resync: ${reason}`);
      store.beginResync();
      void refetch(UNITS_KEY);
      void refetch(INCIDENTS_KEY);
      void refetch(ALERTS_KEY);
      void refetch(PLANS_LIVE_KEY);
      void mutate((key) => typeof key === 'string' && key.startsWith(HEATMAP_KEY_PREFIX)).catch((err: unknown) =>
        console.error('[live] refetch heatmap failed:', err),
      );
    };
    store.setResyncHandler(resync);

    // Jittered back-off, so walls that lost a restarting server together do not all come back in the same instant.
    // A copy: socket.io-client writes into the options object it is given.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ ...LIVE_SOCKET_OPTIONS });
    let recovered = false;
    let joinTimer: ReturnType<typeof setTimeout> | null = null;
    let refusals = 0;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;

    socket.on('connect', () => {
      refusals = 0;
      recovered = socket.recovered;
      store.setSocket('connected');
      if (!recovered) store.resetSeq();
      // socket.timeout() cannot type an optional ack, so the timeout is ours.
      let answered = false;
      const afterJoin = (outcome: string) => {
        if (answered) return;
        answered = true;
        if (joinTimer !== null) clearTimeout(joinTimer);
        joinTimer = null;
        if (outcome !== 'ok') console.error(`[live] join(map): ${outcome}`);
        // Missed events cannot be replayed for a new session: refetch what they would have changed.
        if (!recovered) resync('new session');
      };
      if (joinTimer !== null) clearTimeout(joinTimer);
      joinTimer = setTimeout(() => afterJoin(`no answer in ${JOIN_TIMEOUT_MS} ms`), JOIN_TIMEOUT_MS);
      socket.emit('join', 'map', (ok) => afterJoin(ok ? 'ok' : 'refused'));
    });
    socket.on('disconnect', (reason) => {
      console.warn('[live] disconnected:', reason);
      store.setSocket('disconnected');
      // The server ends a socket when its session ends (logout, revocation): see
      // whether we are still signed in; if not, the fetcher goes to /login.
      if (reason === 'io server disconnect') {
        fetcher('/api/auth/me').then(
          () => socket.connect(),
          (err: unknown) => console.warn('[live] session check:', (err as Error).message),
        );
      }
    });
    socket.on('connect_error', (err) => {
      console.warn('[live] connect error:', err.message);
      store.setSocket('disconnected');
      if (err.message === 'unauthorized') return goToSignIn();
      // Refused by the server's check (not a network failure, which socket.io retries itself).
      if (!socket.active && retryTimer === null) {
        const wait = REFUSED_RETRY_MS[Math.min(refusals++, REFUSED_RETRY_MS.length - 1)];
        retryTimer = setTimeout(() => {
          retryTimer = null;
          socket.connect();
        }, wait);
      }
    });
    socket.on('hello', (p) => store.hello(p, recovered));
    socket.on('positions', store.positions);
    socket.on('moves', store.moves);
    socket.on('incident:new', store.incident);
    socket.on('incident:update', store.incident);
    socket.on('alert:new', store.alert);
    socket.on('alert:update', store.alert);
    socket.on('tick', store.tick);
    // One snapshot read at a time: a plan beginning reaches every screen as several pushes at once.
    let plansRefetch: Promise<unknown> | null = null;
    socket.on('plans:checkpoints', (e) => {
      store.checkpoints(e);
      // Patched in place; a checkpoint the copy does not hold (a plan began or changed) refetches the snapshot.
      let stale = false;
      void mutate<PlansLive>(
        PLANS_LIVE_KEY,
        (cur) => {
          if (!cur) return cur;
          const r = applyCheckpointChanges(cur, e.data, new Date(e.serverTime).toISOString());
          stale = r.malformed || r.unknown > 0;
          return r.live;
        },
        { revalidate: false },
      ).then(() => {
        if (stale && plansRefetch === null) plansRefetch = refetch(PLANS_LIVE_KEY).finally(() => (plansRefetch = null));
      });
    });
    socket.on('township:changed', (e) => {
      store.townshipChanged(e);
      for (const key of TOWNSHIP_KEYS) void refetch(key);
      // Grid cells re-imported move incidents and units to other cells; the demo's removal takes them all away.
      if (e.data.layer === 'grids' || e.data.layer === 'all') resync(`township changed (${e.data.layer})`);
    });

    return () => {
      if (trailing !== null) clearTimeout(trailing);
      if (joinTimer !== null) clearTimeout(joinTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
      store.setResyncHandler(() => {});
      socket.removeAllListeners();
      socket.disconnect();
      store.dispose();
    };
  }, [store, mutate]);

  return {
    ...view,
    applyLocal: store.applyLocal,
    unitsLoaded: units.data !== undefined,
    incidentsLoaded: incidents.data !== undefined,
    alertsLoaded: alerts.data !== undefined,
    unitsError: units.error,
    incidentsError: incidents.error,
    alertsError: alerts.error,
  };
}
