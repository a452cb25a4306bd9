// The compact live feed (lib/model/moves.ts): its wire form both ways, the
// live store applying it to the units it holds (lib/live/live-store.ts), and
// the live hook's store asking for a resync when a move names a unit it does
// not hold (lib/hooks/use-live.ts), then applying that move once the snapshot
// brings the unit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStore } from '../../lib/hooks/use-live';
import {
  EMPTY_LIVE_DATA,
  applyBatch,
  applyHeldMoves,
  applyUnitsSnapshot,
  emptyBatch,
  queueMoves as queueMovesTo,
  queuePositions,
  type PendingBatch,
  type UnitsById,
} from '../../lib/live/live-store';
import { UnitRecords } from '../../lib/live/unit-records';
import { applyMove, decodeMoves, encodeMoves, newerMove, type MovesEvent, type UnitMove } from '../../lib/model';
import { FACTORY_NOW, incident, isoAt, unit } from '../helpers/factories';
import { holdAnimationFrames } from '../helpers/frames';

const move = (teamId: number, over: Partial<UnitMove> = {}): UnitMove => ({
  teamId,
  lon: 99.7151234,
  lat: 28.4652345,
  fixTime: FACTORY_NOW - 800,
  speed: 4.17,
  heading: 271.5,
  battery: 63,
  gridId: 12,
  ...over,
});

const movesEvent = (seq: number, moves: UnitMove[], serverTime = FACTORY_NOW): MovesEvent => ({ seq, origin: 'p1', serverTime, data: encodeMoves(moves, serverTime) });

describe('the moves wire form', () => {
  it('round-trips every field of every unit, fix times relative to the server time', () => {
    const moves = [move(7), move(8, { speed: null, heading: null, battery: null, gridId: null, fixTime: FACTORY_NOW - 61_000 })];
    const payload = encodeMoves(moves, FACTORY_NOW);
    expect(payload).toEqual({
      i: [7, 8],
      x: [99.7151234, 99.7151234],
      y: [28.4652345, 28.4652345],
      t: [-800, -61_000],
      s: [4.17, null],
      h: [271.5, null],
      b: [63, null],
      g: [12, null],
    });
    expect(decodeMoves(JSON.parse(JSON.stringify(payload)), FACTORY_NOW)).toEqual(moves);
  });

  it('rounds what a map cannot show: coordinates to 1e-7°, speed to 0.01 m/s, heading and battery to 0.1', () => {
    const payload = encodeMoves([move(1, { lon: 99.715123449999, lat: 28.46523451111, speed: 4.16666, heading: 271.5499, battery: 63.04 })], FACTORY_NOW);
    expect(JSON.stringify(payload)).toBe('{"i":[1],"x":[99.7151234],"y":[28.4652345],"t":[-800],"s":[4.17],"h":[271.5],"b":[63],"g":[12]}');
  });

  it('names no unit and repeats no key: a unit costs a few dozen bytes, not a whole record', () => {
    const moves = Array.from({ length: 100 }, (_, k) => move(1000 + k));
    const compact = JSON.stringify(encodeMoves(moves, FACTORY_NOW)).length / 100;
    const whole = JSON.stringify(Object.fromEntries(moves.map((m) => [m.teamId, applyMove(unit(m.teamId, { name: '城关镇巡逻一队', nameEn: 'Chengguan Patrol 1' }), m)]))).length / 100;
    expect(compact).toBeLessThan(60);
    expect(compact).toBeLessThan(whole * 0.2);
  });

  it('refuses anything that is not a moves payload rather than guessing', () => {
    const good = encodeMoves([move(1)], FACTORY_NOW);
    expect(decodeMoves(null, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ ...good, g: undefined }, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ ...good, x: [] }, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ ...good, y: ['28.4'] }, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ ...good, i: [null] }, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ ...good, s: [{}] }, FACTORY_NOW)).toBeNull();
    expect(decodeMoves({ i: [], x: [], y: [], t: [], s: [], h: [], b: [], g: [] }, FACTORY_NOW)).toEqual([]);
  });

  it('keeps the newer of two moves of one unit, the later one on a tie', () => {
    const older = move(1, { fixTime: 1_000 });
    const newer = move(1, { fixTime: 2_000 });
    expect(newerMove(undefined, older)).toBe(older);
    expect(newerMove(newer, older)).toBe(newer);
    expect(newerMove(older, newer)).toBe(newer);
    const tie = move(1, { fixTime: 2_000, lon: 100 });
    expect(newerMove(newer, tie)).toBe(tie);
  });
});

// The pure path makes a new record per move; LiveStore's reuses its teams' records (unit-records.ts): both answer the same.
describe.each([
  ['new records', () => undefined],
  ['reused records', () => new UnitRecords()],
])('the live store applying moves, %s', (_, records) => {
  const held = { 7: unit(7, { status: 'en_route', incidentId: 41 }), 8: unit(8) };
  let current: UnitRecords | undefined;
  beforeEach(() => {
    current = records();
  });
  const queueMoves = (batch: PendingBatch, e: Parameters<typeof queueMovesTo>[1], known: UnitsById) => queueMovesTo(batch, e, known, current);

  it('moves the unit it holds and keeps its name, status and assignment', () => {
    const r = queueMoves(emptyBatch(), movesEvent(5, [move(7)]), held);
    expect(r.unknown).toEqual([]);
    expect(r.malformed).toBe(false);
    const data = applyBatch({ ...EMPTY_LIVE_DATA, units: held }, r.batch);
    expect(data.units[7]).toEqual({
      ...held[7],
      position: [99.7151234, 28.4652345],
      fixTime: isoAt(FACTORY_NOW - 800),
      speed: 4.17,
      heading: 271.5,
      battery: 63,
      gridId: 12,
    });
    expect(data.units[8]).toBe(held[8]);
    expect(data.dataAsOf).toBe(FACTORY_NOW);
  });

  it('never moves a unit back to an older fix, from the data shown or from the same batch', () => {
    const shown = { 7: unit(7, { fixTime: isoAt(FACTORY_NOW), position: [100, 30] }) };
    let r = queueMoves(emptyBatch(), movesEvent(1, [move(7, { fixTime: FACTORY_NOW - 5_000 })]), shown);
    expect(applyBatch({ ...EMPTY_LIVE_DATA, units: shown }, r.batch).units[7]!.position).toEqual([100, 30]);
    r = queueMoves(emptyBatch(), movesEvent(1, [move(7, { fixTime: FACTORY_NOW + 2_000, lon: 101 })], FACTORY_NOW + 3_000), shown);
    r = queueMoves(r.batch, movesEvent(2, [move(7, { fixTime: FACTORY_NOW + 1_000, lon: 102 })], FACTORY_NOW + 3_000), shown);
    expect(applyBatch({ ...EMPTY_LIVE_DATA, units: shown }, r.batch).units[7]!.position![0]).toBe(101);
  });

  it('applies a move to a whole unit that arrived in the same batch (a team created, then its first fix)', () => {
    const created = unit(9, { position: null, fixTime: null, code: 'EM-1' });
    let batch = queuePositions(emptyBatch(), { seq: 1, serverTime: FACTORY_NOW, data: { 9: created } });
    const r = queueMoves(batch, movesEvent(2, [move(9)]), {});
    expect(r.unknown).toEqual([]);
    batch = r.batch;
    expect(applyBatch(EMPTY_LIVE_DATA, batch).units[9]).toMatchObject({ code: 'EM-1', position: [99.7151234, 28.4652345] });
  });

  it('hands back the moves of units it does not hold, and a snapshot that brings them applies them', () => {
    const r = queueMoves(emptyBatch(), movesEvent(3, [move(7), move(77)]), held);
    expect(r.unknown).toEqual([move(77)]);
    const data = applyBatch({ ...EMPTY_LIVE_DATA, units: held }, r.batch);
    expect(data.units[77]).toBeUndefined();
    const snapshot = [held[7], held[8], unit(77, { fixTime: isoAt(FACTORY_NOW - 60_000), code: 'NEW' })];
    const after = applyHeldMoves(applyUnitsSnapshot(data, snapshot), r.unknown);
    expect(after.units[77]).toMatchObject({ code: 'NEW', position: [99.7151234, 28.4652345], fixTime: isoAt(FACTORY_NOW - 800) });
    // A snapshot read after a newer fix keeps its own.
    const newer = applyHeldMoves(applyUnitsSnapshot(data, [unit(77, { fixTime: isoAt(FACTORY_NOW), position: [1, 2] })]), r.unknown);
    expect(newer.units[77]!.position).toEqual([1, 2]);
  });

  it('applies nothing from an unreadable payload and says so', () => {
    const r = queueMoves(emptyBatch(), { seq: 4, serverTime: FACTORY_NOW, data: { i: [7] } as unknown as MovesEvent['data'] }, held);
    expect(r.malformed).toBe(true);
    expect(r.batch.units).toEqual({});
  });
});

describe('queueMoves and the batch’s units map', () => {
  const held = { 7: unit(7), 8: unit(8) };

  it('with records (the live store’s own batch) writes the batch’s map itself, one map through the batch', () => {
    const records = new UnitRecords();
    const first = queueMovesTo(emptyBatch(), movesEvent(1, [move(7)]), held, records).batch;
    const second = queueMovesTo(first, movesEvent(2, [move(8)]), held, records).batch;
    expect(second.units).toBe(first.units);
    expect(Object.keys(second.units)).toEqual(['7', '8']);
    expect(second.events).toBe(2);
  });

  it('without records leaves the batch given as it was (a new map)', () => {
    const first = queueMovesTo(emptyBatch(), movesEvent(1, [move(7)]), held).batch;
    const second = queueMovesTo(first, movesEvent(2, [move(8)]), held).batch;
    expect(second.units).not.toBe(first.units);
    expect(Object.keys(first.units)).toEqual(['7']);
    expect(Object.keys(second.units)).toEqual(['7', '8']);
  });
});

describe('LiveStore and moves', () => {
  let store: LiveStore;
  afterEach(() => store.dispose());

  it('a move of an unknown unit after the snapshot asks for a resync; the refetched snapshot shows the unit where it moved', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    store.unitsSnapshot([unit(7)]);
    store.moves(movesEvent(1, [move(7)]));
    store.flush();
    expect(reasons).toEqual([]);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.7151234, 28.4652345]);

    store.moves(movesEvent(2, [move(7, { fixTime: FACTORY_NOW - 100 }), move(55, { lon: 99.8 })]));
    store.flush();
    expect(reasons).toEqual(['moves of unknown unit 55']);
    expect(store.getSnapshot().data.units[55]).toBeUndefined();
    // The resync's snapshot was read before that fix was committed: the held move still wins.
    store.unitsSnapshot([unit(7), unit(55, { fixTime: isoAt(FACTORY_NOW - 30_000), position: [99.1, 28.1] })]);
    expect(store.getSnapshot().data.units[55]).toMatchObject({ position: [99.8, 28.4652345], fixTime: isoAt(FACTORY_NOW - 800) });
    expect(store.getSnapshot().data.units[7]!.fixTime).toBe(isoAt(FACTORY_NOW - 100));
  });

  it('before the first snapshot, moves wait for it instead of asking for resyncs', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    store.moves(movesEvent(1, [move(7)]));
    store.flush();
    expect(reasons).toEqual([]);
    store.unitsSnapshot([unit(7)]);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.7151234, 28.4652345]);
  });

  it('counts moves in the sequence: a missed event is a gap, an unreadable one a resync', () => {
    store = new LiveStore();
    const reasons: string[] = [];
    store.setResyncHandler((r) => reasons.push(r));
    store.unitsSnapshot([unit(7)]);
    store.moves(movesEvent(10, [move(7)]));
    store.tick({ seq: 11, origin: 'p1', serverTime: FACTORY_NOW, data: { dataAsOf: FACTORY_NOW } });
    store.moves(movesEvent(13, [move(7, { fixTime: FACTORY_NOW })]));
    expect(reasons).toEqual(['seq gap from p1: expected 12, got 13']);
    store.moves({ seq: 14, origin: 'p1', serverTime: FACTORY_NOW, data: { i: [7] } as unknown as MovesEvent['data'] });
    expect(reasons).toEqual(['seq gap from p1: expected 12, got 13', 'unreadable moves event 14']);
  });
});

describe('when the live store applies what arrived', () => {
  let store: LiveStore;
  afterEach(() => store.dispose());

  /** A store holding these units; the count of publishes after their snapshot. */
  function holding(teamIds: number[], options?: { movesEveryMs: number }): () => number {
    store = new LiveStore(options);
    let published = 0;
    store.subscribe(() => published++);
    store.unitsSnapshot(teamIds.map((id) => unit(id)));
    published = 0;
    return () => published;
  }

  it('in a task of its own after the next frame, not inside the frame where the map draws; a burst is applied once', () => {
    const frames = holdAnimationFrames();
    const published = holding([7, 8]);
    store.moves(movesEvent(1, [move(7)]));
    store.moves(movesEvent(2, [move(8, { lon: 99.8 })]));
    expect(published()).toBe(0);
    frames.frame();
    // The frame's callbacks ran: nothing applied yet (React would render inside the map's frame).
    expect(published()).toBe(0);
    vi.advanceTimersByTime(0);
    expect(published()).toBe(1);
    expect(store.getSnapshot().data.units[8]!.position).toEqual([99.8, 28.4652345]);
    // Nothing more pending: no further publish from the fallback timer.
    vi.advanceTimersByTime(1_000);
    expect(published()).toBe(1);
  });

  it('on a timer when no frame comes (a hidden tab), so memory stays flat', () => {
    holdAnimationFrames();
    const published = holding([7]);
    store.moves(movesEvent(1, [move(7, { lon: 99.9 })]));
    vi.advanceTimersByTime(499);
    expect(published()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(published()).toBe(1);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.9, 28.4652345]);
  });

  it('what arrives between the frame and its task is applied in that task', () => {
    const frames = holdAnimationFrames();
    const published = holding([7, 8]);
    store.moves(movesEvent(1, [move(7, { lon: 99.6 })]));
    frames.frame();
    store.moves(movesEvent(2, [move(8, { lon: 99.5 })]));
    vi.advanceTimersByTime(0);
    expect(published()).toBe(1);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.6, 28.4652345]);
    expect(store.getSnapshot().data.units[8]!.position).toEqual([99.5, 28.4652345]);
    frames.frame();
    vi.advanceTimersByTime(1_000);
    expect(published()).toBe(1);
  });

  /**
   * The wall's store (moves at most once a second) holding these units at FACTORY_NOW; `applied` runs a frame
   * and its task; `publishedAfter(ms)` lets ms pass, runs a frame and its task, and says how many publishes there were.
   */
  function paced(teamIds: number[]): { published: () => number; applied: () => void; publishedAfter: (ms: number) => number } {
    const frames = holdAnimationFrames();
    vi.setSystemTime(FACTORY_NOW);
    const published = holding(teamIds, { movesEveryMs: 1_000 });
    const applied = () => {
      frames.frame();
      vi.advanceTimersByTime(0);
    };
    const publishedAfter = (ms: number) => {
      vi.advanceTimersByTime(ms);
      applied();
      return published();
    };
    return { published, applied, publishedAfter };
  }

  it('paced (the wall): moves at most once a second, each at a frame; an incident in between is applied at the next frame with them', () => {
    const { published, applied, publishedAfter } = paced([7, 8]);
    // The units' snapshot was a flush too: a second later, a batch goes out at the next frame.
    vi.advanceTimersByTime(1_000);
    store.moves(movesEvent(1, [move(7, { lon: 99.1 })]));
    applied();
    expect(published()).toBe(1);
    // The next batch waits out the second since that flush, then takes a frame like any other.
    vi.advanceTimersByTime(300);
    store.moves(movesEvent(2, [move(7, { lon: 99.2 })]));
    vi.advanceTimersByTime(400);
    store.moves(movesEvent(3, [move(8, { lon: 99.3 })]));
    applied();
    expect(published()).toBe(1);
    expect(publishedAfter(299)).toBe(1);
    expect(publishedAfter(1)).toBe(2);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.2, 28.4652345]);
    expect(store.getSnapshot().data.units[8]!.position).toEqual([99.3, 28.4652345]);
    // Moves waiting for their second go out with an incident at the next frame, not a second later.
    vi.advanceTimersByTime(100);
    store.moves(movesEvent(4, [move(8, { lon: 99.4 })]));
    const reported = incident(41, { reportedAt: isoAt(FACTORY_NOW) });
    store.incident({ seq: 5, origin: 'p1', serverTime: FACTORY_NOW, data: reported });
    applied();
    expect(published()).toBe(3);
    expect(store.getSnapshot().data.incidents[41]).toEqual(reported);
    expect(store.getSnapshot().data.units[8]!.position).toEqual([99.4, 28.4652345]);
    // Nothing left waiting: no publish from a stale pacing timer.
    expect(publishedAfter(2_000)).toBe(3);
  });

  it('paced: the full feed (`positions`) waits out the second as moves do, and a clock set back holds nothing longer', () => {
    const { published, applied, publishedAfter } = paced([7]);
    vi.advanceTimersByTime(400);
    store.positions({ seq: 1, origin: 'p1', serverTime: FACTORY_NOW, data: { 7: unit(7, { position: [99.5, 28.5] }) } });
    applied();
    expect(published()).toBe(0);
    expect(publishedAfter(600)).toBe(1);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.5, 28.5]);
    // The clock goes back an hour: the next batch still waits a second at most.
    vi.setSystemTime(Date.now() - 3_600_000);
    store.moves(movesEvent(2, [move(7, { lon: 99.6 })]));
    expect(publishedAfter(1_000)).toBe(2);
    expect(store.getSnapshot().data.units[7]!.position).toEqual([99.6, 28.4652345]);
  });

  it('unpaced (the desk, the default): every batch at the next frame', () => {
    const frames = holdAnimationFrames();
    const published = holding([7]);
    for (let k = 1; k <= 3; k++) {
      store.moves(movesEvent(k, [move(7, { lon: 99 + k / 10 })]));
      frames.frame();
      vi.advanceTimersByTime(0);
      expect(published()).toBe(k);
    }
  });
});
