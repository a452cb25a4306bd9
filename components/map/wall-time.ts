// The time the wall's layers are drawn at. The wall's clock steps every 10 s
// (motion.ts, WALL_NOW_STEP_MS), and each step used to hand deck.gl a new
// layer list — and wake its loop — even when nothing on the map read
// differently: units reporting every few seconds say "<1 min" at every step,
// nobody turns stale, the pulses have long stopped. Here a step is taken only
// when something drawn from the time changes at it; otherwise the layers keep
// the time they were drawn at. Any other change (a batch of fixes, an alert)
// takes the true time at once. Pure.
import type { Alert, UnitState } from '@/lib/model';
import type { Lang } from '@/lib/i18n/messages';
import { isUnitStale } from '@/lib/live/live-store';
import type { GridShading } from './layers/grid-layer';
import { unitAgeText } from './layers/unit-age-layer';
import { isUnitOffline, offlineAlertTeams } from './layers/unit-layer';

/** What the wall draws from the time: the units (ages, staleness, offline marks) and, if shown, the cells' patrol coverage. */
export interface TimedInput {
  units: readonly UnitState[];
  alerts: readonly Alert[];
  lang: Lang;
  gridShading: GridShading | undefined;
}

/** Whether the wall draws `input` the same at times `a` and `b` (epoch ms). */
export function drawsSameAt(input: TimedInput, a: number, b: number): boolean {
  if (a === b) return true;
  // The coverage shading's colours change with the minute (grid-layer.ts's fill key).
  if (input.gridShading === 'coverage' && Math.floor(a / 60_000) !== Math.floor(b / 60_000)) return false;
  const alerted = offlineAlertTeams(input.alerts);
  for (const u of input.units) {
    if (isUnitStale(u, a) !== isUnitStale(u, b)) return false;
    if (isUnitOffline(u, a, alerted) !== isUnitOffline(u, b, alerted)) return false;
    if (unitAgeText(u, a, input.lang) !== unitAgeText(u, b, input.lang)) return false;
  }
  return true;
}

/** The time the layers are drawn at (`now`), the step it was last checked against, and the input it holds for. */
export interface HeldTime extends TimedInput {
  now: number;
  checked: number;
}

/**
 * The layers' time for the wall's clock at `now` and `input`: the previous
 * one (the same object, so a caller keeping it in state sets nothing) while
 * the input is the same and draws the same at both times; else `now`.
 */
export function nextHeldTime(prev: HeldTime | null, now: number, input: TimedInput): HeldTime {
  const sameInput =
    prev !== null && prev.units === input.units && prev.alerts === input.alerts && prev.lang === input.lang && prev.gridShading === input.gridShading;
  if (sameInput && prev.checked === now) return prev;
  if (sameInput && drawsSameAt(input, prev.now, now)) return { ...prev, checked: now };
  return { ...input, now, checked: now };
}
