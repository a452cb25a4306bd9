// Pure merge logic for the live map: snapshots from /api/* plus events from the
// socket, merged by id. No React, no socket — lib/hooks/use-live.ts drives these,
// the layer builders read them, and tests/unit/live-store.test.ts checks them.
import {
  type Alert,
  type AlertEvent,
  type AlertKind,
  type GridCollection,
  HEARTBEAT_MS,
  type IncidentCategory,
  type IncidentView,
  type IncidentEvent,
  type IncidentStatus,
  isOpenStatus,
  type LonLat,
  type MovesEvent,
  type PositionsEvent,
  type Severity,
  STALE_AFTER_MS,
  type UnitMove,
  type UnitState,
  applyMove,
  decodeMoves,
} from '../model';
import { fixOrder, fixTimeMs } from './fix-time';
import type { UnitRecords } from './unit-records';

export type UnitsById = Readonly<Record<number, UnitState>>;
export type IncidentsById = Readonly<Record<number, IncidentView>>;
export type AlertsById = Readonly<Record<number, Alert>>;

export interface LiveData {
  units: UnitsById;
  incidents: IncidentsById;
  /**
   * Incidents changed by a live event since the last resync began. A live
   * event is never older than a snapshot taken before it arrived, so these win
   * over the next incidents snapshot.
   */
  liveIncidentIds: Readonly<Record<number, true>>;
  /** Alerts from /api/alerts (the open ones) plus `alert:new` events. */
  alerts: AlertsById;
  /** Alerts a live event brought since the last resync began; like liveIncidentIds, they survive the next snapshot. */
  liveAlertIds: Readonly<Record<number, true>>;
  /** serverTime of the newest event of any kind (tick included), epoch ms: the server's clock, not freshness. */
  lastServerTime: number | null;
  /**
   * Server time up to which the data is known current, epoch ms: the newest
   * data event's serverTime, or the heartbeat's `dataAsOf` (when the database
   * last answered). A heartbeat arriving never moves it by itself, so it stops
   * while the database is down even though the link is alive.
   */
  dataAsOf: number | null;
}

export const EMPTY_LIVE_DATA: LiveData = {
  units: {},
  incidents: {},
  liveIncidentIds: {},
  alerts: {},
  liveAlertIds: {},
  lastServerTime: null,
  dataAsOf: null,
};

/** Events received since the last flush, already merged by id. */
export interface PendingBatch {
  units: Record<number, UnitState>;
  incidents: Record<number, IncidentView>;
  alerts: Record<number, Alert>;
  lastServerTime: number | null;
  dataAsOf: number | null;
  /** How many socket events went into this batch. */
  events: number;
}

export function emptyBatch(): PendingBatch {
  return { units: {}, incidents: {}, alerts: {}, lastServerTime: null, dataAsOf: null, events: 0 };
}

/** Closed incidents older than this leave the store (the snapshot holds open ones plus the last 24 h). */
export const INCIDENT_RETENTION_MS = 24 * 3_600_000;

/** An event as the store merges it: which process sent it (`origin`) matters only to the sequence check. */
export type Received<E extends { origin: string }> = Omit<E, 'origin'>;

/** Which of two states of one team to keep: the newer fix wins; on a tie the later arrival (status may have changed). */
export function newerUnit(current: UnitState | undefined, incoming: UnitState): UnitState {
  if (current === undefined) return incoming;
  return fixOrder(current) > fixOrder(incoming) ? current : incoming;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

export function queuePositions(batch: PendingBatch, e: Received<PositionsEvent>): PendingBatch {
  const units = { ...batch.units };
  for (const u of Object.values(e.data)) units[u.teamId] = newerUnit(units[u.teamId], u);
  return {
    ...batch,
    units,
    lastServerTime: maxOrNull(batch.lastServerTime, e.serverTime),
    dataAsOf: maxOrNull(batch.dataAsOf, e.serverTime),
    events: batch.events + 1,
  };
}

/** What queueMoves did with a `moves` event. */
export interface QueuedMoves {
  batch: PendingBatch;
  /** Moves of units neither the batch nor `known` holds (a team created since the snapshot): the caller resyncs. */
  unknown: UnitMove[];
  /** The payload was not a moves payload: nothing was applied, the caller resyncs. */
  malformed: boolean;
}

/**
 * A compact `moves` event: each move is applied to the unit as the batch (or,
 * failing that, `known`, the data shown) holds it, so its name, status and
 * assignment stay. A move of a unit the client does not hold is handed back.
 * With `records` (the live store's own path) the moved units are written into
 * their teams' reused records (unit-records.ts) instead of new ones, and into
 * the batch's units map itself, which the caller's pending batch owns and no
 * one reads as it was: a copy of the map at each of the four `moves` events a
 * second was garbage that outlived the loaded wall's young generation.
 * `known`'s records are never written.
 */
export function queueMoves(batch: PendingBatch, e: Received<MovesEvent>, known: UnitsById, records?: UnitRecords): QueuedMoves {
  const moves = decodeMoves(e.data, e.serverTime);
  const queued = {
    ...batch,
    lastServerTime: maxOrNull(batch.lastServerTime, e.serverTime),
    events: batch.events + 1,
  };
  if (moves === null) return { batch: queued, unknown: [], malformed: true };
  const units = records ? batch.units : { ...batch.units };
  const unknown: UnitMove[] = [];
  for (const m of moves) {
    const base = units[m.teamId] ?? known[m.teamId];
    if (base === undefined) unknown.push(m);
    else units[m.teamId] = records ? records.moved(base, m, known[m.teamId]) : newerUnit(base, applyMove(base, m));
  }
  return { batch: { ...queued, units, dataAsOf: maxOrNull(batch.dataAsOf, e.serverTime) }, unknown, malformed: false };
}

/**
 * Moves of units the client did not hold when they arrived, applied once a
 * snapshot has brought those units (newer fix wins); the rest are dropped.
 */
export function applyHeldMoves(data: LiveData, held: Iterable<UnitMove>): LiveData {
  const incoming: UnitState[] = [];
  for (const m of held) {
    const base = data.units[m.teamId];
    if (base) incoming.push(applyMove(base, m));
  }
  const units = mergeUnits(data.units, incoming);
  return units === data.units ? data : { ...data, units };
}

/**
 * Which of two versions of one incident to keep: the later `updatedAt` wins;
 * on a tie the later arrival. An answer to our own change (applied at once)
 * and the event the server pushes for it may come in either order.
 */
export function newerIncident(current: IncidentView | undefined, incoming: IncidentView): IncidentView {
  if (current === undefined) return incoming;
  return current.updatedAt > incoming.updatedAt ? current : incoming;
}

export function queueIncident(batch: PendingBatch, e: Received<IncidentEvent>): PendingBatch {
  return {
    ...batch,
    incidents: { ...batch.incidents, [e.data.id]: newerIncident(batch.incidents[e.data.id], e.data) },
    lastServerTime: maxOrNull(batch.lastServerTime, e.serverTime),
    dataAsOf: maxOrNull(batch.dataAsOf, e.serverTime),
    events: batch.events + 1,
  };
}

export function queueAlert(batch: PendingBatch, e: Received<AlertEvent>): PendingBatch {
  return {
    ...batch,
    alerts: { ...batch.alerts, [e.data.id]: newerAlert(batch.alerts[e.data.id], e.data) },
    lastServerTime: maxOrNull(batch.lastServerTime, e.serverTime),
    dataAsOf: maxOrNull(batch.dataAsOf, e.serverTime),
    events: batch.events + 1,
  };
}

/**
 * A heartbeat (or hello) moves the server clock; the data's freshness moves
 * only as far as the time the database last answered (`dataAsOf`), never to
 * the heartbeat's own time.
 */
export function queueTick(batch: PendingBatch, serverTime: number, dataAsOf: number | null): PendingBatch {
  return {
    ...batch,
    lastServerTime: maxOrNull(batch.lastServerTime, serverTime),
    dataAsOf: maxOrNull(batch.dataAsOf, dataAsOf),
    events: batch.events + 1,
  };
}

export function mergeUnits(base: UnitsById, incoming: Iterable<UnitState>): UnitsById {
  let out: Record<number, UnitState> | null = null;
  for (const u of incoming) {
    const cur = (out ?? base)[u.teamId];
    const next = newerUnit(cur, u);
    if (next === cur) continue;
    out ??= { ...base };
    out[u.teamId] = next;
  }
  return out ?? base;
}

/** Open means not yet resolved, everywhere (the KPI, the feed, the list, the grid shading): isOpenStatus. */
export function isOpenIncident(i: IncidentView): boolean {
  return isOpenStatus(i.status);
}

/**
 * Each incident's reportedAt in epoch ms, read once per incident object (incidents change rarely; fixes do not
 * go here): the prune at every flush, the map's pulses over every incident at each build, the list's filter.
 */
const reportedMsOf = new WeakMap<IncidentView, number>();
function reportedMs(i: IncidentView): number {
  let ms = reportedMsOf.get(i);
  if (ms === undefined) {
    ms = Date.parse(i.reportedAt);
    reportedMsOf.set(i, ms);
  }
  return ms;
}

/**
 * Up to when nothing in an incidents object leaves (the earliest its oldest closed incident passes the
 * retention), for the retention it was worked out for. Every flush prunes; with a day of closed incidents
 * held (3,300 under the wall's load) reading each one's time at every flush was a visible share of it.
 */
const keptUntil = new WeakMap<IncidentsById, { retentionMs: number; until: number }>();

/** Drops closed incidents reported before now − retention; keeps the object when nothing goes. */
export function pruneIncidents(incidents: IncidentsById, nowMs: number, retentionMs = INCIDENT_RETENTION_MS): IncidentsById {
  const held = keptUntil.get(incidents);
  if (held !== undefined && held.retentionMs === retentionMs && nowMs <= held.until) return incidents;
  let out: Record<number, IncidentView> | null = null;
  let until = Infinity;
  for (const i of Object.values(incidents)) {
    if (isOpenIncident(i)) continue;
    const at = reportedMs(i);
    // Kept while at ≥ now − retention, that is until now passes at + retention (NaN: never kept).
    if (at >= nowMs - retentionMs) {
      until = Math.min(until, at + retentionMs);
      continue;
    }
    out ??= { ...incidents };
    delete out[i.id];
  }
  keptUntil.set(out ?? incidents, { retentionMs, until });
  return out ?? incidents;
}

/**
 * An alert needs attention until a person has acknowledged it AND its
 * condition has ended (cleared): the same rule as GET /api/alerts.
 */
export function isOpenAlert(a: Alert): boolean {
  return a.acknowledgedAt === null || a.clearedAt === null;
}

/** A dispatch nobody acknowledged in time, itself not yet acknowledged: shown escalated (red, pulsing). */
export function isEscalatedAlert(a: Alert): boolean {
  return a.kind === 'unacknowledged' && a.acknowledgedAt === null;
}

/**
 * Which of two versions of one alert to keep. Acknowledging and clearing are
 * one-way, so neither is undone by an older copy that arrives late (a replayed
 * `alert:new`, a snapshot read before the change); otherwise the later arrival
 * wins. An acknowledgement and a clearing that cross keep both.
 */
export function newerAlert(current: Alert | undefined, incoming: Alert): Alert {
  if (current === undefined) return incoming;
  const keepAck = current.acknowledgedAt !== null && incoming.acknowledgedAt === null;
  const keepClear = current.clearedAt !== null && incoming.clearedAt === null;
  if (!keepAck && !keepClear) return incoming;
  const gainsAck = incoming.acknowledgedAt !== null && current.acknowledgedAt === null;
  const gainsClear = incoming.clearedAt !== null && current.clearedAt === null;
  if (!gainsAck && !gainsClear) return current;
  return {
    ...incoming,
    ...(keepAck ? { acknowledgedAt: current.acknowledgedAt, acknowledgedBy: current.acknowledgedBy } : {}),
    ...(keepClear ? { clearedAt: current.clearedAt, clearedBy: current.clearedBy } : {}),
  };
}

/** Merges alerts by id; keeps the object when nothing changes. */
export function mergeAlerts(base: AlertsById, incoming: Iterable<Alert>): AlertsById {
  let out: Record<number, Alert> | null = null;
  for (const a of incoming) {
    const cur = (out ?? base)[a.id];
    const next = newerAlert(cur, a);
    if (next === cur) continue;
    out ??= { ...base };
    out[a.id] = next;
  }
  return out ?? base;
}

/** Folds one batch of events into the data; returns the same object when the batch is empty. */
export function applyBatch(data: LiveData, batch: PendingBatch): LiveData {
  if (batch.events === 0) return data;
  const incidentList = Object.values(batch.incidents);
  let incidents = data.incidents;
  let liveIncidentIds = data.liveIncidentIds;
  if (incidentList.length > 0) {
    const inc: Record<number, IncidentView> = { ...data.incidents };
    const ids: Record<number, true> = { ...data.liveIncidentIds };
    for (const i of incidentList) {
      inc[i.id] = newerIncident(inc[i.id], i);
      ids[i.id] = true;
    }
    incidents = inc;
    liveIncidentIds = ids;
  }
  const alertList = Object.values(batch.alerts);
  let liveAlertIds = data.liveAlertIds;
  if (alertList.length > 0) {
    const ids: Record<number, true> = { ...data.liveAlertIds };
    for (const a of alertList) ids[a.id] = true;
    liveAlertIds = ids;
  }
  const lastServerTime = maxOrNull(data.lastServerTime, batch.lastServerTime);
  if (lastServerTime !== null) incidents = pruneIncidents(incidents, lastServerTime);
  return {
    units: mergeUnits(data.units, Object.values(batch.units)),
    incidents,
    liveIncidentIds,
    alerts: mergeAlerts(data.alerts, alertList),
    liveAlertIds,
    lastServerTime,
    dataAsOf: maxOrNull(data.dataAsOf, batch.dataAsOf),
  };
}

/**
 * A fresh /api/units snapshot replaces the set of teams; for each team the
 * newer fix wins, so a snapshot that was read before a live event arrived
 * cannot move a unit back.
 */
export function applyUnitsSnapshot(data: LiveData, snapshot: readonly UnitState[]): LiveData {
  const units: Record<number, UnitState> = {};
  for (const u of snapshot) units[u.teamId] = newerUnit(data.units[u.teamId], u);
  return { ...data, units };
}

/** A fresh /api/incidents snapshot replaces the incidents, except those a live event touched since the resync began. */
export function applyIncidentsSnapshot(data: LiveData, snapshot: readonly IncidentView[], nowMs: number): LiveData {
  const incidents: Record<number, IncidentView> = {};
  for (const i of snapshot) incidents[i.id] = i;
  for (const id of Object.keys(data.liveIncidentIds)) {
    const live = data.incidents[Number(id)];
    if (live) incidents[live.id] = newerIncident(incidents[live.id], live);
  }
  return { ...data, incidents: pruneIncidents(incidents, nowMs) };
}

/**
 * A fresh /api/alerts snapshot (open alerts only) replaces the alerts: one
 * acknowledged elsewhere leaves. Alerts a live event brought since the resync
 * began stay, since the snapshot may have been read before they were raised;
 * for an alert in both, newerAlert decides.
 */
export function applyAlertsSnapshot(data: LiveData, snapshot: readonly Alert[]): LiveData {
  const alerts: Record<number, Alert> = {};
  for (const a of snapshot) alerts[a.id] = a;
  for (const id of Object.keys(data.liveAlertIds)) {
    const live = data.alerts[Number(id)];
    if (live) alerts[live.id] = newerAlert(alerts[live.id], live);
  }
  return { ...data, alerts };
}

/** A resync is about to refetch snapshots: from now on only newer live events outrank them. */
export function beginResync(data: LiveData): LiveData {
  return { ...data, liveIncidentIds: {}, liveAlertIds: {} };
}

export type SeqVerdict = 'first' | 'next' | 'gap' | 'old';

/**
 * Every server event carries a sequence number that grows by one per event
 * sent to the live rooms. A jump means events were lost (a gap: resync); a
 * repeat or step back means a replay or a restarted server.
 */
export function checkSeq(lastSeq: number | null, seq: number): SeqVerdict {
  if (lastSeq === null) return 'first';
  if (seq === lastSeq + 1) return 'next';
  if (seq > lastSeq + 1) return 'gap';
  return 'old';
}

export type SocketStatus = 'connecting' | 'connected' | 'disconnected';
export type ConnState = 'connecting' | 'live' | 'offline';

/** With no event (heartbeats included) for this long, a "connected" socket is shown as offline. */
export const SILENCE_OFFLINE_MS = 3 * HEARTBEAT_MS;

export function deriveConnState(socket: SocketStatus, lastEventAt: number | null, now: number): ConnState {
  if (socket === 'disconnected') return 'offline';
  if (socket === 'connecting') return 'connecting';
  if (lastEventAt === null) return 'connecting';
  return now - lastEventAt > SILENCE_OFFLINE_MS ? 'offline' : 'live';
}

/** Data not confirmed for this long is shown as stale: three heartbeats, each of which checks the database. */
export const DATA_STALE_MS = 3 * HEARTBEAT_MS;
/** …and as an alarm past this. */
export const DATA_ALARM_MS = 60_000;

export type DataFreshness = 'none' | 'fresh' | 'stale' | 'alarm';

/** How old the data is at server time `serverNow`, and what to call it. */
export function deriveFreshness(dataAsOf: number | null, serverNow: number | null): { ageMs: number | null; freshness: DataFreshness } {
  if (dataAsOf === null || serverNow === null) return { ageMs: null, freshness: 'none' };
  const ageMs = Math.max(0, serverNow - dataAsOf);
  return { ageMs, freshness: ageMs > DATA_ALARM_MS ? 'alarm' : ageMs > DATA_STALE_MS ? 'stale' : 'fresh' };
}

export function isUnitStale(u: UnitState, now: number): boolean {
  const t = fixTimeMs(u);
  return Number.isNaN(t) || now - t > STALE_AFTER_MS;
}

export function isNewIncident(i: IncidentView, now: number, newForMs: number): boolean {
  const t = reportedMs(i);
  return !Number.isNaN(t) && now - t >= -60_000 && now - t < newForMs;
}

export function countOpenByGrid(incidents: Iterable<IncidentView>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const i of incidents) {
    if (i.gridId === null || !isOpenIncident(i)) continue;
    out[i.gridId] = (out[i.gridId] ?? 0) + 1;
  }
  return out;
}

/** Newest first, then by id so the order is stable. */
export function sortIncidents(incidents: IncidentsById): IncidentView[] {
  return Object.values(incidents).sort((a, b) => b.reportedAt.localeCompare(a.reportedAt) || b.id - a.id);
}

/** Newest first, then by id so the order is stable. */
export function sortAlerts(alerts: AlertsById): Alert[] {
  return Object.values(alerts).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || b.id - a.id);
}

/** The SOS alerts that still need attention (not acknowledged, or not cleared), in the order given (newest first from sortAlerts). */
export function openSosAlerts(alerts: readonly Alert[]): Alert[] {
  return alerts.filter((a) => a.kind === 'sos' && isOpenAlert(a));
}

/** Where to show an alert on the map: its own position, else its team's, else its grid cell's label point; null if none. */
export function alertPosition(a: Alert, units: UnitsById, grids: GridCollection | undefined): LonLat | null {
  if (a.position) return a.position;
  const unit = a.teamId === null ? undefined : units[a.teamId];
  // A copy: the unit's record, and its position with it, is written again when the team moves on (unit-records.ts).
  if (unit?.position) return [unit.position[0], unit.position[1]];
  const grid = a.gridId === null ? undefined : grids?.features.find((f) => f.properties.id === a.gridId);
  return grid?.properties.labelPoint ?? null;
}

/** The alerts panel: those needing attention, newest first, optionally of one kind. */
export function attentionAlerts(alerts: AlertsById, kind: AlertKind | 'all' = 'all'): Alert[] {
  return sortAlerts(alerts).filter((a) => isOpenAlert(a) && (kind === 'all' || a.kind === kind));
}

/** The incident list's filter. `status: 'open'` is every not-yet-resolved status. */
export interface IncidentFilter {
  status: IncidentStatus | 'open' | 'all';
  category: IncidentCategory | 'all';
  severity: Severity | 'all';
  gridId: number | null;
  villageId: number | null;
  /** Reported at or after / before these instants (epoch ms); null: unbounded. */
  from: number | null;
  to: number | null;
}

export const DEFAULT_INCIDENT_FILTER: IncidentFilter = {
  status: 'open',
  category: 'all',
  severity: 'all',
  gridId: null,
  villageId: null,
  from: null,
  to: null,
};

/** Grid id → village id, from the grids snapshot (the village filter needs it: incidents carry only the grid). */
export function villageByGrid(grids: GridCollection | undefined): Readonly<Record<number, number>> {
  const out: Record<number, number> = {};
  for (const f of grids?.features ?? []) out[f.properties.id] = f.properties.villageId;
  return out;
}

export function matchesIncidentFilter(i: IncidentView, f: IncidentFilter, villages: Readonly<Record<number, number>>): boolean {
  if (f.status === 'open' ? !isOpenIncident(i) : f.status !== 'all' && i.status !== f.status) return false;
  if (f.category !== 'all' && i.category !== f.category) return false;
  if (f.severity !== 'all' && i.severity !== f.severity) return false;
  if (f.gridId !== null && i.gridId !== f.gridId) return false;
  if (f.villageId !== null && (i.gridId === null || villages[i.gridId] !== f.villageId)) return false;
  const at = reportedMs(i);
  if (f.from !== null && !(at >= f.from)) return false;
  if (f.to !== null && !(at < f.to)) return false;
  return true;
}

/**
 * The incident list: the server's answer for the filter, with every incident
 * the live store holds in its newer version, plus live incidents that match
 * and the answer does not have yet (reported since it was read). Filtered
 * again here, so an incident that changed status leaves or joins at once.
 * Newest first.
 */
export function listIncidents(
  server: readonly IncidentView[] | undefined,
  live: IncidentsById,
  f: IncidentFilter,
  villages: Readonly<Record<number, number>>,
): IncidentView[] {
  const byId: Record<number, IncidentView> = {};
  for (const i of server ?? []) byId[i.id] = newerIncident(live[i.id], i);
  for (const i of Object.values(live)) byId[i.id] = newerIncident(byId[i.id], i);
  return sortIncidents(byId).filter((i) => matchesIncidentFilter(i, f, villages));
}

/**
 * The query string GET /api/incidents takes for a filter (the server filters
 * too, so incidents older than the live store's window come back). Grid cells
 * and villages go by code on the wire: the caller looks them up.
 */
export function incidentFilterQuery(f: IncidentFilter, codes: { grid: string | null; village: string | null }): string {
  const q = new URLSearchParams();
  if (f.status !== 'all') q.set('status', f.status);
  if (f.category !== 'all') q.set('category', f.category);
  if (f.severity !== 'all') q.set('severity', String(f.severity));
  if (f.gridId !== null && codes.grid !== null) q.set('grid', codes.grid);
  if (f.villageId !== null && codes.village !== null) q.set('village', codes.village);
  if (f.from !== null) q.set('from', new Date(f.from).toISOString());
  if (f.to !== null) q.set('to', new Date(f.to).toISOString());
  return q.toString();
}
