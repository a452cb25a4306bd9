// The server's clock minus the client's, as the page estimates it from the
// `serverTime` of the hello and the heartbeats. One sample (serverTime minus
// the client's clock when the event arrived) falls short of the truth by that
// event's delivery: the server stamped it, then it waited in the socket, the
// network and a busy page's task queue. Taken from the hello alone, the offset
// was seconds short on a loaded machine (the wall's clock read 11:18 at 11:19,
// its lost-connection banner "since 18:25" for a cut at 18:26:02). No sample
// from one server's clock can be early, so the largest is the best; the
// client's clock may be set while the page runs, so the largest stands for a
// window only.

/** One sample: the offset and the client's clock when it was taken. */
export interface ClockSample {
  offsetMs: number;
  /** Client epoch ms. */
  at: number;
}

/** The estimate: the largest sample of about the last window, and the largest taken since it (its successor). */
export interface ClockOffset {
  best: ClockSample;
  /** The largest sample taken after `best`; it takes over when `best` is older than the window. */
  next: ClockSample | null;
}

/**
 * How long the largest sample stands against smaller newer ones. A kiosk's clock set forward shows within twice
 * this (its samples are smaller: the largest taken in the window before it stands one more window); set
 * back, at once (they are larger).
 */
export const CLOCK_OFFSET_WINDOW_MS = 5 * 60_000;
/** An estimate that moved less than this from the one shown is not shown (every change restarts the page's coarse clocks). */
export const CLOCK_OFFSET_SHOWN_WITHIN_MS = 250;

/** A sample from an event stamped `serverTime` that arrived at `clientNow`. */
export const clockSample = (serverTime: number, clientNow: number): ClockSample => ({ offsetMs: serverTime - clientNow, at: clientNow });

const larger = (a: ClockSample | null, b: ClockSample): ClockSample => (a !== null && a.offsetMs > b.offsetMs ? a : b);

/**
 * The estimate after a sample: the largest sample of the window. When the best is older than the window, the
 * largest taken since it (or this sample, if larger) takes over, so one late sample does not set the clock
 * back; a sample the client's clock dates before the best (the clock was set back) starts again from it.
 */
export function nextClockOffset(kept: ClockOffset | null, sample: ClockSample): ClockOffset {
  if (kept === null || sample.at < kept.best.at || sample.offsetMs >= kept.best.offsetMs) return { best: sample, next: null };
  if (sample.at - kept.best.at <= CLOCK_OFFSET_WINDOW_MS) return { best: kept.best, next: larger(kept.next, sample) };
  return { best: larger(kept.next, sample), next: null };
}

/** The offset to show: the estimate's, unless it is within CLOCK_OFFSET_SHOWN_WITHIN_MS of the one shown. */
export function shownClockOffset(shown: number, kept: ClockOffset | null): number {
  if (kept === null) return shown;
  return Math.abs(kept.best.offsetMs - shown) < CLOCK_OFFSET_SHOWN_WITHIN_MS ? shown : kept.best.offsetMs;
}
