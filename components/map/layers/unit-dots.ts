// The wall's unit dots as binary attributes, kept from one batch of fixes to
// the next. With accessors over 2,000 unit objects, every batch had deck.gl
// call getPosition for every unit (and every colour and width whenever the time
// or a status moved), and a batch's frame was the wall's longest task. Here the
// dots' positions, colours, widths and radii live in typed arrays in draw order;
// a batch writes the slots of the units whose record changed, and deck.gl is
// handed the arrays (`data.attributes`): a changed array is uploaded as it is,
// an unchanged one not touched. The order (offline, then stale units first, so
// fresh ones are drawn on top; by team id within each) is worked out again only
// when some unit's rank or the set of teams changes. Not pure (it keeps state):
// the same input twice gives the same data object.
import type { UnitState } from '@/lib/model';
import { dotFill, dotLine, dotLineWidth, dotRadius, hasPosition, unitRank, type PositionedUnit } from './unit-layer';

interface Binary<T extends ArrayBufferView> {
  value: T;
  size: number;
}

/** deck.gl's binary data: `length` rows and a typed array per accessor. */
export interface UnitDotData {
  length: number;
  attributes: {
    getPosition: Binary<Float64Array>;
    getFillColor: Binary<Uint8ClampedArray>;
    getLineColor: Binary<Uint8ClampedArray>;
    getLineWidth: Binary<Float32Array>;
    getRadius: Binary<Float32Array>;
  };
  /** The units in draw order (row i is units[i]). */
  units: readonly PositionedUnit[];
  /** The teams drawn offline (the input's set), for the layers beside the dots. */
  offline: ReadonlySet<number>;
}

export interface UnitDotsInput {
  units: readonly UnitState[];
  now: number;
  /** Teams drawn offline (offlineTeams). */
  offline: ReadonlySet<number>;
  selectedTeamId: number | null;
}

/** Writes `value` at `at` if it differs there; whether it did. */
function put(target: Uint8ClampedArray | Float32Array, at: number, value: readonly number[]): boolean {
  let changed = false;
  for (let k = 0; k < value.length; k++) {
    if (target[at + k] !== value[k]) {
      target[at + k] = value[k]!;
      changed = true;
    }
  }
  return changed;
}

/** Writes one number at `at` if the Float32 storage holds another; whether it did (no array around it). */
function putOne(target: Float32Array, at: number, value: number): boolean {
  const stored = Math.fround(value);
  if (target[at] === stored) return false;
  target[at] = stored;
  return true;
}

/** Writes a unit's colours and widths as the accessor-drawn dots have them (buildUnitLayers); whether any changed. */
function writeStyle(d: UnitDotData['attributes'], i: number, u: UnitState, now: number, off: boolean, selectedTeamId: number | null): boolean {
  const fill = dotFill(u, now, off);
  const line = dotLine(u, now, off, selectedTeamId);
  const width = dotLineWidth(u, off, selectedTeamId);
  const radius = dotRadius(u, selectedTeamId);
  // Every write is made (no short-circuit); a list of the four answers per unit was garbage at every batch.
  const fillChanged = put(d.getFillColor.value, i * 4, fill);
  const lineChanged = put(d.getLineColor.value, i * 4, line);
  const widthChanged = putOne(d.getLineWidth.value, i, width);
  const radiusChanged = putOne(d.getRadius.value, i, radius);
  return fillChanged || lineChanged || widthChanged || radiusChanged;
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

export class UnitDotBuffers {
  #data: UnitDotData | null = null;
  #input: UnitDotsInput | null = null;
  /** Each team's row and rank. */
  #rows = new Map<number, { row: number; rank: number }>();

  /** The dots for `input`: the previous data object when nothing drawn changed. */
  update(input: UnitDotsInput): UnitDotData {
    const prev = this.#input;
    const data = this.#data;
    if (data && prev && prev.units === input.units && prev.now === input.now && prev.selectedTeamId === input.selectedTeamId && sameSet(prev.offline, input.offline)) {
      this.#input = input;
      return data;
    }
    // The same rows in the same order: every positioned team held, at the rank it was placed at.
    let sameOrder = data !== null;
    let n = 0;
    if (sameOrder) {
      for (const u of input.units) {
        if (!hasPosition(u)) continue;
        n++;
        const held = this.#rows.get(u.teamId);
        if (!held || held.rank !== unitRank(u, input.now, input.offline.has(u.teamId))) {
          sameOrder = false;
          break;
        }
      }
      sameOrder &&= n === this.#rows.size;
    }
    const next = sameOrder ? this.#patch(data!, prev!, input) : this.#rebuild(input);
    this.#data = next;
    this.#input = input;
    return next;
  }

  #rebuild(input: UnitDotsInput): UnitDotData {
    const ranked: { u: PositionedUnit; rank: number }[] = [];
    for (const u of input.units) if (hasPosition(u)) ranked.push({ u, rank: unitRank(u, input.now, input.offline.has(u.teamId)) });
    ranked.sort((a, b) => a.rank - b.rank || a.u.teamId - b.u.teamId);
    const n = ranked.length;
    const attributes: UnitDotData['attributes'] = {
      getPosition: { value: new Float64Array(n * 2), size: 2 },
      getFillColor: { value: new Uint8ClampedArray(n * 4), size: 4 },
      getLineColor: { value: new Uint8ClampedArray(n * 4), size: 4 },
      getLineWidth: { value: new Float32Array(n), size: 1 },
      getRadius: { value: new Float32Array(n), size: 1 },
    };
    this.#rows.clear();
    const units: PositionedUnit[] = [];
    ranked.forEach(({ u, rank }, i) => {
      this.#rows.set(u.teamId, { row: i, rank });
      units.push(u);
      attributes.getPosition.value[i * 2] = u.position[0];
      attributes.getPosition.value[i * 2 + 1] = u.position[1];
      writeStyle(attributes, i, u, input.now, input.offline.has(u.teamId), input.selectedTeamId);
    });
    return { length: n, attributes, units, offline: input.offline };
  }

  /** The rows of the units whose record changed (all styles when the time, selection or offline set did). */
  #patch(data: UnitDotData, prev: UnitDotsInput, input: UnitDotsInput): UnitDotData {
    const restyleAll = prev.now !== input.now || prev.selectedTeamId !== input.selectedTeamId || !sameSet(prev.offline, input.offline);
    const a = data.attributes;
    const units = data.units as PositionedUnit[];
    let moved = false;
    let styled = false;
    for (const u of input.units) {
      if (!hasPosition(u)) continue;
      const i = this.#rows.get(u.teamId)!.row;
      const old = units[i]!;
      if (old === u && !restyleAll) continue;
      if (old.position[0] !== u.position[0] || old.position[1] !== u.position[1]) {
        a.getPosition.value[i * 2] = u.position[0];
        a.getPosition.value[i * 2 + 1] = u.position[1];
        moved = true;
      }
      units[i] = u;
      if (writeStyle(a, i, u, input.now, input.offline.has(u.teamId), input.selectedTeamId)) styled = true;
    }
    if (!moved && !styled) return data;
    // New wrappers for what changed: deck.gl uploads an attribute again when its object is a new one.
    return {
      length: data.length,
      units,
      offline: input.offline,
      attributes: {
        getPosition: moved ? { ...a.getPosition } : a.getPosition,
        getFillColor: styled ? { ...a.getFillColor } : a.getFillColor,
        getLineColor: styled ? { ...a.getLineColor } : a.getLineColor,
        getLineWidth: styled ? { ...a.getLineWidth } : a.getLineWidth,
        getRadius: styled ? { ...a.getRadius } : a.getRadius,
      },
    };
  }
}
