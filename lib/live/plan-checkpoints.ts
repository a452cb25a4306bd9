// The live plans the map draws (issue 14): the GET /api/plans/live snapshot
// with the `plans:checkpoints` pushes applied. Pure; lib/hooks/use-live.ts
// patches the SWR copy with it and refetches after a reconnect or a gap.
import type { CheckpointChanges, CheckpointState, PlansLive } from '../model';
import { CHECKPOINT_STATES } from '../model';

/** The key GET /api/plans/live is cached under (SWR). */
export const PLANS_LIVE_KEY = '/api/plans/live';

/**
 * The snapshot with each change applied (plan id, occurrence day and
 * checkpoint id name one checkpoint); `serverTime` moves to the push's time,
 * so the state's age reads from the last thing heard. A change for an
 * occurrence or checkpoint the snapshot does not hold is reported in
 * `unknown` (the caller refetches: a plan began or changed), and an
 * unreadable payload (arrays of different lengths, a state we do not know)
 * changes nothing and is reported as malformed.
 */
export function applyCheckpointChanges(
  live: PlansLive,
  changes: CheckpointChanges,
  serverTime: string,
): { live: PlansLive; unknown: number; malformed: boolean } {
  const n = changes.c.length;
  const known = new Set<string>(CHECKPOINT_STATES);
  if (changes.p.length !== n || changes.d.length !== n || changes.s.length !== n || changes.s.some((s) => !known.has(s))) {
    return { live, unknown: 0, malformed: true };
  }
  const wanted = new Map<string, CheckpointState>();
  for (let k = 0; k < n; k++) wanted.set(`${changes.p[k]}|${changes.d[k]}|${changes.c[k]}`, changes.s[k]!);
  let applied = 0;
  const occurrences = live.occurrences.map((o) => {
    let touched = false;
    const checkpoints = o.checkpoints.map((c) => {
      const s = wanted.get(`${o.planId}|${o.day}|${c.checkpointId}`);
      if (s === undefined) return c;
      applied++;
      if (s === c.state) return c;
      touched = true;
      return { ...c, state: s };
    });
    return touched ? { ...o, checkpoints } : o;
  });
  // Counted by distinct checkpoint: a push naming one twice is still one change.
  return { live: { ...live, serverTime, occurrences }, unknown: wanted.size - applied, malformed: false };
}
