// The records of moving units, reused. Each fix used to make a new record for
// its unit (applyMove): on the loaded wall 400 a second, each living until its
// unit's next fix five seconds later — long enough for V8 to copy it through
// the young generation and promote it, so those records were the largest share
// of what the wall's major garbage collections swept (docs/BENCHMARKS.md, wall
// load, 2026-12-05). Here each team has a few records of its own, written in
// turn: a move writes the one shown longest ago, never the record shown, and a
// team moved twice in one batch writes one record.
//
// What a reader may rely on: no record that one of the last PUBLISHES_KEPT
// publishes showed is written, so anything that compares the units now with
// those of one of the last three publishes (a render may take in two at once)
// sees a new record for every unit that moved, and the old record as it was.
// Hold a team id, not its record or its position pair, for longer.
import { writeMove, type UnitMove, type UnitState } from '../model';
import { fixOrder } from './fix-time';

/**
 * The publishes a reader may compare the units now with: the last three (a
 * render may take in two publishes at once, and one more for good measure).
 */
export const PUBLISHES_KEPT = 3;
/** Records per team: in the steady state (a move a batch) the one written, the one shown and two shown before it. */
export const RECORDS_PER_TEAM = PUBLISHES_KEPT + 1;

interface TeamRecords {
  records: UnitState[];
  /** Per record, the last batch whose publish may have shown it (Infinity: it may be shown now). */
  shownUntil: number[];
  /** The record the batch numbered `batch` wrote: written again by every later move of the team in that batch. */
  writing: UnitState | null;
  batch: number;
}

export class UnitRecords {
  readonly #teams = new Map<number, TeamRecords>();
  /** The batch being queued; its flush is publish number #batch. */
  #batch = 0;

  /**
   * `base` moved by `m` (m.teamId is base's team): a record of this team's,
   * written, unless `base` holds a newer fix than the move (then `base`).
   * `shown` is the team's record in the data shown now: never written.
   */
  moved(base: UnitState, m: UnitMove, shown: UnitState | undefined): UnitState {
    if (fixOrder(base) > m.fixTime) return base;
    let team = this.#teams.get(m.teamId);
    if (team === undefined) {
      team = { records: [], shownUntil: [], writing: null, batch: -1 };
      this.#teams.set(m.teamId, team);
    }
    const k = this.#batch;
    let t: UnitState;
    if (team.batch === k && team.writing !== null && team.writing !== shown) t = team.writing;
    else {
      // What has been shown. The record shown now: until the last publish when this move is not older than it
      // (whatever the batch ends with for the team is then no older either, and replaces it at this batch's
      // publish); otherwise still unknown. Any other record not yet marked: until the last publish at the latest.
      const replaced = shown !== undefined && m.fixTime >= fixOrder(shown);
      for (let i = 0; i < team.records.length; i++) {
        if (team.records[i] === shown) {
          if (replaced) team.shownUntil[i] = k - 1;
        } else if (team.shownUntil[i] === Infinity) team.shownUntil[i] = k - 1;
      }
      t = this.#free(team, base, shown, m);
      team.writing = t;
      team.batch = k;
    }
    const pair = t.position ?? [m.lon, m.lat];
    // The team's facts, status and assignment from the record moved: every field, so one added to UnitState is kept too.
    if (t !== base) Object.assign(t, base);
    writeMove(t, pair, m);
    return t;
  }

  /**
   * A record no publish of the last PUBLISHES_KEPT has shown (the one shown longest ago), or a new one in a slot
   * of its own while there is room; failing both (records a positions event or a snapshot replaced, marked late), a new
   * record takes the slot of the one shown longest ago, which is left as it was.
   */
  #free(team: TeamRecords, base: UnitState, shown: UnitState | undefined, m: UnitMove): UnitState {
    const k = this.#batch;
    let best = -1;
    for (let i = 0; i < team.records.length; i++) {
      const r = team.records[i];
      if (r === shown || r === base) continue;
      if (best === -1 || team.shownUntil[i]! < team.shownUntil[best]!) best = i;
    }
    if (best !== -1 && team.shownUntil[best]! < k - PUBLISHES_KEPT) {
      team.shownUntil[best] = Infinity;
      return team.records[best]!;
    }
    const slot = team.records.length < RECORDS_PER_TEAM ? team.records.length : best;
    // With RECORDS_PER_TEAM records, at most two of them the one shown and the base, some slot is always found.
    team.records[slot] = { ...base, position: [m.lon, m.lat] };
    team.shownUntil[slot] = Infinity;
    return team.records[slot]!;
  }

  /** The batch was applied (or dropped): the next move of each team writes its next record. */
  batchDone(): void {
    this.#batch++;
  }
}
