// The live store's reused records of moving units (lib/live/unit-records.ts):
// the data they make is the data new records made, and a record handed out is
// left as it was while a reader may still compare it (the last three publishes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_LIVE_DATA, applyBatch, applyUnitsSnapshot, emptyBatch, queueMoves, queuePositions, type LiveData, type PendingBatch } from '../../lib/live/live-store';
import { UnitRecords } from '../../lib/live/unit-records';
import { encodeMoves, type UnitMove, type UnitState } from '../../lib/model';
import { FACTORY_NOW, isoAt, unit } from '../helpers/factories';

const TEAMS = [1, 2];
/** What a reader may compare the units with: the last three publishes (unit-records.ts). Not RECORDS_PER_TEAM − 1: what it promises. */
const PUBLISHES_COMPARED = 3;
const move = (teamId: number, fixTime: number, lon: number): UnitMove => ({ teamId, lon, lat: 28.4, fixTime, speed: 3.5, heading: 12.5, battery: 77.5, gridId: 4 });
const moves = (list: UnitMove[], seq = 1) => ({ seq, serverTime: FACTORY_NOW, data: encodeMoves(list, FACTORY_NOW) });

/** One store's data and batch, with or without reused records. */
class Side {
  data: LiveData;
  batch: PendingBatch = emptyBatch();
  constructor(
    snapshot: UnitState[],
    readonly records: UnitRecords | undefined,
  ) {
    this.data = applyUnitsSnapshot(EMPTY_LIVE_DATA, snapshot);
  }
  moves(list: UnitMove[]): void {
    this.batch = queueMoves(this.batch, moves(list), this.data.units, this.records).batch;
  }
  positions(u: UnitState): void {
    this.batch = queuePositions(this.batch, { seq: 1, serverTime: FACTORY_NOW, data: { [u.teamId]: u } });
  }
  flush(): void {
    this.data = applyBatch(this.data, this.batch);
    this.batch = emptyBatch();
    this.records?.batchDone();
  }
  snapshot(units: UnitState[]): void {
    this.flush();
    this.data = applyUnitsSnapshot(this.data, units);
  }
}

type Op =
  | { kind: 'moves'; list: { team: number; dt: number; lon: number }[] }
  | { kind: 'status'; team: number; dt: number }
  | { kind: 'flush' }
  | { kind: 'snapshot'; dt: number };

// Moves and flushes mostly: a team moving in batch after batch is what wears its records in turn.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('moves' as const),
      list: fc.array(fc.record({ team: fc.constantFrom(...TEAMS), dt: fc.integer({ min: -2, max: 6 }), lon: fc.integer({ min: 0, max: 9 }) }), { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), team: fc.constantFrom(...TEAMS), dt: fc.integer({ min: -3, max: 6 }) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), dt: fc.integer({ min: -3, max: 6 }) }) },
);

describe('reused unit records', () => {
  it('make the data new records make, never change a record of the last three publishes, and a moved unit is a new record to each', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60, size: 'max' }), (ops) => {
        const start = TEAMS.map((id) => unit(id, { fixTime: isoAt(FACTORY_NOW) }));
        const fresh = new Side(start, undefined);
        const reused = new Side(start, new UnitRecords());
        // The last publishes' units, newest first, and each record as it was when published.
        const published: { units: LiveData['units']; as: string[]; fresh: LiveData['units'] }[] = [];
        let clock = 0;
        const publish = () => {
          published.unshift({ units: reused.data.units, as: TEAMS.map((id) => JSON.stringify(reused.data.units[id])), fresh: fresh.data.units });
          published.length = Math.min(published.length, PUBLISHES_COMPARED);
        };
        publish();
        for (const o of ops) {
          clock++;
          const at = (dt: number) => FACTORY_NOW + (clock + dt) * 1_000;
          for (const side of [fresh, reused]) {
            if (o.kind === 'moves') side.moves(o.list.map((m) => move(m.team, at(m.dt), 99 + m.lon / 10)));
            else if (o.kind === 'status') side.positions(unit(o.team, { status: 'en_route', incidentId: clock, name: `队伍${clock}`, size: clock, fixTime: isoAt(at(o.dt)), position: [100, 30] }));
            else if (o.kind === 'flush') side.flush();
            else side.snapshot(TEAMS.map((id) => unit(id, { fixTime: isoAt(at(o.dt)), position: [101, 31] })));
          }
          if (o.kind === 'moves' || o.kind === 'status') continue;
          expect(reused.data.units).toEqual(fresh.data.units);
          for (const p of published) expect(TEAMS.map((id) => JSON.stringify(p.units[id]))).toEqual(p.as);
          for (const p of published) {
            for (const id of TEAMS) {
              // Same record where the fresh path kept its record; a new one where it made one.
              if (p.fresh[id] === fresh.data.units[id]) expect(reused.data.units[id]).toBe(p.units[id]);
              else expect(reused.data.units[id]).not.toBe(p.units[id]);
            }
          }
          publish();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a record as it was for three publishes after it was last shown, when a positions event took its place', () => {
    const side = new Side([unit(1, { fixTime: isoAt(FACTORY_NOW) })], new UnitRecords());
    const at = (s: number) => FACTORY_NOW + s * 1_000;
    side.moves([move(1, at(10), 99.1)]);
    side.flush();
    // A batch whose move is older than the fix shown: it writes a record the publish does not show.
    side.positions(unit(1, { fixTime: isoAt(at(3)) }));
    side.moves([move(1, at(5), 99.2)]);
    side.flush();
    const lastShown = side.data.units[1]!;
    const asShown = JSON.stringify(lastShown);
    expect(lastShown.position).toEqual([99.1, 28.4]);
    // A positions event takes its place; the team moves in the next two batches.
    side.positions(unit(1, { fixTime: isoAt(at(20)) }));
    side.flush();
    side.moves([move(1, at(21), 99.3)]);
    side.flush();
    side.moves([move(1, at(22), 99.4)]);
    side.flush();
    expect(side.data.units[1]).not.toBe(lastShown);
    expect(JSON.stringify(lastShown)).toBe(asShown);
  });

  it('writes one record per team per batch, however many moves of it the batch holds', () => {
    const shown = { 5: unit(5, { fixTime: isoAt(FACTORY_NOW) }) };
    const records = new UnitRecords();
    let batch = queueMoves(emptyBatch(), moves([move(5, FACTORY_NOW + 1_000, 99.1)]), shown, records).batch;
    const first = batch.units[5];
    batch = queueMoves(batch, moves([move(5, FACTORY_NOW + 2_000, 99.2), move(5, FACTORY_NOW + 3_000, 99.3)]), shown, records).batch;
    expect(batch.units[5]).toBe(first);
    expect(batch.units[5]).toMatchObject({ position: [99.3, 28.4], fixTime: isoAt(FACTORY_NOW + 3_000) });
    expect(shown[5].position).toEqual(unit(5).position);
  });

  it('takes the team facts from the record it moves: a status that came with the batch stays', () => {
    const shown = { 5: unit(5, { fixTime: isoAt(FACTORY_NOW) }) };
    const records = new UnitRecords();
    let batch = queuePositions(emptyBatch(), { seq: 1, serverTime: FACTORY_NOW, data: { 5: unit(5, { status: 'on_scene', incidentId: 9, fixTime: isoAt(FACTORY_NOW + 500) }) } });
    batch = queueMoves(batch, moves([move(5, FACTORY_NOW + 1_000, 99.1)]), shown, records).batch;
    expect(batch.units[5]).toMatchObject({ status: 'on_scene', incidentId: 9, position: [99.1, 28.4], speed: 3.5, heading: 12.5, battery: 77.5, gridId: 4 });
  });

  it('keeps the record it was given for a move older than its fix, and writes none', () => {
    const shown = { 5: unit(5, { fixTime: isoAt(FACTORY_NOW) }) };
    const records = new UnitRecords();
    const before = JSON.stringify(shown[5]);
    const batch = queueMoves(emptyBatch(), moves([move(5, FACTORY_NOW - 1, 99.1)]), shown, records).batch;
    expect(batch.units[5]).toBe(shown[5]);
    expect(JSON.stringify(shown[5])).toBe(before);
  });
});
