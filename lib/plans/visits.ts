// Checkpoint visits from team fixes (issue 14): pure and in memory, so the
// ingest path pays a map lookup and a few multiplications per fix, never a
// query. lib/plans/monitor.ts feeds it each committed batch's moves and loads
// the checkpoints of the live plan occurrences into it when plans change and
// at occurrence ends and day boundaries.
//
// A visit is a run of the team's fixes inside the checkpoint's radius, within
// the occurrence's window, that spans at least the dwell: it arrived at the
// run's first fix. A fix outside (or outside the window) ends the run; a run
// shorter than the dwell (a pass-through) is no visit. Fixes are taken in
// time order per team; one older than the newest already seen for the team
// (a late upload) is left to the history: it neither starts nor breaks a run.
import type { PlanVisit } from '../model/plans';

/** A checkpoint of a live occurrence, as the tracker watches it for one of the plan's teams. */
export interface WatchedCheckpoint {
  planId: number;
  checkpointId: number;
  /** The township day the occurrence starts on. */
  day: string;
  /** The occurrence, epoch ms: fixes outside [start, end) do not count. */
  start: number;
  end: number;
  lon: number;
  lat: number;
  radiusM: number;
}

/** A team's fix (the shape of the bus's UnitMove, so moves are passed as they are). */
export interface TeamFix {
  teamId: number;
  /** epoch ms */
  fixTime: number;
  lon: number;
  lat: number;
}

const METRES_PER_DEGREE = 111_320;

/** Metres between two nearby points (equirectangular: well under 0.1% off within a township's few kilometres). */
export function nearMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const x = (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  const y = lat2 - lat1;
  return Math.sqrt(x * x + y * y) * METRES_PER_DEGREE;
}

interface Run {
  firstIn: number;
  lastIn: number;
  arrived: boolean;
}

const runKey = (c: WatchedCheckpoint, teamId: number) => `${c.planId}:${c.day}:${c.checkpointId}:${teamId}`;

/** A watched checkpoint with its run's key, made once in watch() so a fix costs no string building. */
interface Watched {
  c: WatchedCheckpoint;
  key: string;
}

/** The visit (began: `leftAt` null, or ended) of a run of `teamId` at `c`. */
const visitOf = (c: WatchedCheckpoint, teamId: number, r: Run, leftAt: number | null): PlanVisit => ({
  planId: c.planId,
  checkpointId: c.checkpointId,
  teamId,
  day: c.day,
  arrivedAt: r.firstIn,
  leftAt,
});

export class VisitTracker {
  readonly #dwellMs: number;
  #byTeam = new Map<number, Watched[]>();
  readonly #runs = new Map<string, Run>();
  readonly #newest = new Map<number, number>();

  constructor({ dwellS }: { dwellS: number }) {
    this.#dwellMs = dwellS * 1000;
  }

  /** Replaces what is watched (by team id). Runs of checkpoints still watched carry on; the others are dropped. */
  watch(byTeam: ReadonlyMap<number, readonly WatchedCheckpoint[]>): void {
    this.#byTeam = new Map([...byTeam].map(([team, cps]) => [team, cps.map((c) => ({ c, key: runKey(c, team) }))]));
    const keep = new Set<string>();
    for (const ws of this.#byTeam.values()) for (const w of ws) keep.add(w.key);
    for (const k of this.#runs.keys()) if (!keep.has(k)) this.#runs.delete(k);
  }

  /** How many (team, checkpoint) pairs are watched. */
  get watched(): number {
    let n = 0;
    for (const cps of this.#byTeam.values()) n += cps.length;
    return n;
  }

  /** Takes fixes (any order within the call) and answers the visits that began or ended with them. */
  observe(fixes: readonly TeamFix[]): PlanVisit[] {
    const out: PlanVisit[] = [];
    if (this.#byTeam.size === 0) return out;
    const mine = fixes.filter((f) => this.#byTeam.has(f.teamId));
    if (mine.length === 0) return out;
    if (mine.length > 1) mine.sort((a, b) => a.fixTime - b.fixTime);
    for (const f of mine) {
      const newest = this.#newest.get(f.teamId);
      if (newest !== undefined && f.fixTime <= newest) continue;
      this.#newest.set(f.teamId, f.fixTime);
      for (const w of this.#byTeam.get(f.teamId)!) this.#step(w, f, out);
    }
    return out;
  }

  #step({ c, key }: Watched, f: TeamFix, out: PlanVisit[]): void {
    const run = this.#runs.get(key);
    const inside = f.fixTime >= c.start && f.fixTime < c.end && nearMetres(c.lon, c.lat, f.lon, f.lat) <= c.radiusM;
    if (!inside) {
      if (!run) return;
      this.#runs.delete(key);
      // Left when last seen inside: the fix outside only shows it had gone.
      if (run.arrived) out.push(visitOf(c, f.teamId, run, run.lastIn));
      return;
    }
    const r = run ?? { firstIn: f.fixTime, lastIn: f.fixTime, arrived: false };
    r.lastIn = f.fixTime;
    if (!run) this.#runs.set(key, r);
    if (!r.arrived && r.lastIn - r.firstIn >= this.#dwellMs) {
      r.arrived = true;
      out.push(visitOf(c, f.teamId, r, null));
    }
  }
}
