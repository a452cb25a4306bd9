// The compact live feed (issue 15): what a committed fix changes about a unit,
// and its wire form. The snapshot (GET /api/units) carries each unit's static
// facts (code, names, force, size) and its status once; a `moves` event
// carries, per moved unit, only what a fix changes, as parallel arrays (one
// array per field, one index per unit) so no key is repeated per unit.
// Encoded on the server (lib/realtime/server.ts), decoded and applied to the
// unit the client already holds (lib/live/live-store.ts, lib/hooks/use-live.ts).
import type { UnitState } from './api';
import type { LonLat } from './domain';

/** A unit's new state after a committed fix, as the ingest insert returns it. */
export interface UnitMove {
  teamId: number;
  lon: number;
  lat: number;
  /** Epoch ms UTC of the fix. */
  fixTime: number;
  speed: number | null; // m/s
  heading: number | null; // degrees from north
  battery: number | null; // percent
  gridId: number | null;
}

/**
 * The wire form: parallel arrays, index k is one unit. Coordinates are rounded
 * to 1e-7° (about 1 cm), speed to 0.01 m/s, heading and battery to 0.1; fix
 * times are sent as milliseconds before the envelope's serverTime (a short
 * number instead of an ISO string).
 */
export interface MovesPayload {
  /** Team ids. */
  i: number[];
  /** Longitudes. */
  x: number[];
  /** Latitudes. */
  y: number[];
  /** Fix time − the envelope's serverTime, ms (≤ 0 for every fix not from the future). */
  t: number[];
  /** Speeds, m/s. */
  s: (number | null)[];
  /** Headings, degrees. */
  h: (number | null)[];
  /** Battery, percent. */
  b: (number | null)[];
  /** Grid cell ids. */
  g: (number | null)[];
}

const round = (v: number, scale: number): number => Math.round(v * scale) / scale;
const roundOrNull = (v: number | null, scale: number): number | null => (v === null ? null : round(v, scale));

export function encodeMoves(moves: Iterable<UnitMove>, serverTime: number): MovesPayload {
  const p: MovesPayload = { i: [], x: [], y: [], t: [], s: [], h: [], b: [], g: [] };
  for (const m of moves) {
    p.i.push(m.teamId);
    p.x.push(round(m.lon, 1e7));
    p.y.push(round(m.lat, 1e7));
    p.t.push(m.fixTime - serverTime);
    p.s.push(roundOrNull(m.speed, 100));
    p.h.push(roundOrNull(m.heading, 10));
    p.b.push(roundOrNull(m.battery, 10));
    p.g.push(m.gridId);
  }
  return p;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);

/**
 * The moves in a payload. A payload that is not one (arrays missing, of
 * different lengths, or holding something other than numbers) gives null:
 * the caller treats it as a missed event (a resync), never as data.
 */
export function decodeMoves(p: unknown, serverTime: number): UnitMove[] | null {
  if (typeof p !== 'object' || p === null) return null;
  const { i, x, y, t, s, h, b, g } = p as Partial<Record<keyof MovesPayload, unknown>>;
  const cols = [i, x, y, t, s, h, b, g];
  if (!cols.every(Array.isArray)) return null;
  const n = (i as unknown[]).length;
  if (!cols.every((c) => (c as unknown[]).length === n)) return null;
  const out: UnitMove[] = [];
  for (let k = 0; k < n; k++) {
    const m = {
      teamId: (i as unknown[])[k],
      lon: (x as unknown[])[k],
      lat: (y as unknown[])[k],
      fixTime: (t as unknown[])[k],
      speed: (s as unknown[])[k],
      heading: (h as unknown[])[k],
      battery: (b as unknown[])[k],
      gridId: (g as unknown[])[k],
    };
    if (!isNum(m.teamId) || !isNum(m.lon) || !isNum(m.lat) || !isNum(m.fixTime)) return null;
    if (!isNumOrNull(m.speed) || !isNumOrNull(m.heading) || !isNumOrNull(m.battery) || !isNumOrNull(m.gridId)) return null;
    out.push({ teamId: m.teamId, lon: m.lon, lat: m.lat, fixTime: serverTime + m.fixTime, speed: m.speed, heading: m.heading, battery: m.battery, gridId: m.gridId });
  }
  return out;
}

/** The unit as the client holds it, moved: its static facts, status and assignment stay as they were. */
export function applyMove(unit: UnitState, m: UnitMove): UnitState {
  const moved = { ...unit };
  writeMove(moved, [m.lon, m.lat], m);
  return moved;
}

/**
 * Writes what a move changes into `unit`, its position into `pair` (which
 * becomes the unit's): what applyMove gives, written where a caller reuses
 * its records (lib/live/unit-records.ts).
 */
export function writeMove(unit: UnitState, pair: LonLat, m: UnitMove): void {
  pair[0] = m.lon;
  pair[1] = m.lat;
  unit.position = pair;
  unit.fixTime = new Date(m.fixTime).toISOString();
  unit.speed = m.speed;
  unit.heading = m.heading;
  unit.battery = m.battery;
  unit.gridId = m.gridId;
}

/** Of two moves of one unit, the one with the newer fix (the later one on a tie). */
export function newerMove(current: UnitMove | undefined, incoming: UnitMove): UnitMove {
  return current !== undefined && current.fixTime > incoming.fixTime ? current : incoming;
}
