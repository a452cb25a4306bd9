// The records of moving units, reused. Each fix used to make a new record for
// its unit (applyMove): on the loaded wall 400 a second, each living until its
// unit's next fix five seconds later — long enough for V8 to copy it through
// the young generation and promote it, so those records were the largest share
// of what the wall's major garbage collections swept (docs/BENCHMARKS.md, wall
// load, 2026-12-05). Here each team has a few records of its own, written in
// turn: a move writes the least recently written one, never the record shown.
//
// What a reader may rely on: a record handed out stays as it was through its
// team's next RECORDS_PER_TEAM − 1 batches of moves, so anything that compares
// the units now with those of one of the last three publishes (a render may
// take in two publishes at once) sees a new record for every unit that moved,
// and the old record as it was. Hold a team id, not its record or its
// position pair, for longer.
import type { UnitMove, UnitState } from '../model';
import { fixTimeMs } from './fix-time';

/** Records per team, written in turn: the one a batch writes, the one shown, and the two shown before it (what a reader may still compare with). */
export const RECORDS_PER_TEAM = 4;

interface TeamRecords {
  records: UnitState[];
  /** The record the next batch writes (the least recently written). */
  next: number;
  /** The record the batch numbered `batch` wrote: written again by a later move in the same batch. */
  writing: UnitState | null;
  batch: number;
}

function fixMs(u: UnitState): number {
  const t = fixTimeMs(u);
  return Number.isNaN(t) ? -Infinity : t;
}

export class UnitRecords {
  readonly #teams = new Map<number, TeamRecords>();
  #batch = 0;

  /**
   * `base` moved by `m` (m.teamId is base's team): a record of this team's,
   * written, unless `base` holds a newer fix than the move (then `base`).
   * `shown` is the team's record in the data shown now: never written.
   */
  moved(base: UnitState, m: UnitMove, shown: UnitState | undefined): UnitState {
    if (fixMs(base) > m.fixTime) return base;
    let team = this.#teams.get(m.teamId);
    if (team === undefined) {
      team = { records: [], next: 0, writing: null, batch: -1 };
      this.#teams.set(m.teamId, team);
    }
    let target = team.batch === this.#batch && team.writing === base && base !== shown ? base : null;
    for (let k = 0; target === null && k < RECORDS_PER_TEAM; k++) {
      const at = (team.next + k) % RECORDS_PER_TEAM;
      const record = (team.records[at] ??= { ...base, position: [m.lon, m.lat] });
      if (record === shown || record === base) continue;
      target = record;
      team.next = (at + 1) % RECORDS_PER_TEAM;
    }
    // Of RECORDS_PER_TEAM (more than two) records at most two are the one shown and the base: one is always free.
    const t = target!;
    team.writing = t;
    team.batch = this.#batch;
    const pair = t.position ?? [m.lon, m.lat];
    // The team's facts, status and assignment from the record moved: every field, so one added to UnitState is kept too.
    Object.assign(t, base);
    t.position = pair;
    pair[0] = m.lon;
    pair[1] = m.lat;
    t.fixTime = new Date(m.fixTime).toISOString();
    t.speed = m.speed;
    t.heading = m.heading;
    t.battery = m.battery;
    t.gridId = m.gridId;
    return t;
  }

  /** The batch was applied (or dropped): the next move of each team writes its next record. */
  batchDone(): void {
    this.#batch++;
  }
}
