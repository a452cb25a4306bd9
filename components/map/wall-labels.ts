// The wall's label placement, kept from one batch of fixes to the next. The
// greedy placement (label-placement.ts) of the settlements, 2,000 units' ages
// and the grid codes took 7–30 ms of a batch's frame; here it runs in full
// only when what it places from changes otherwise (zoom, language, scale, the
// basemap, the grid cells, which layers show, which teams there are). A batch
// re-places only the units whose label moved or says something else:
//
// - its old box is taken out; its new one is shown if it overlaps no
//   settlement's name and no other unit's age shown, else hidden;
// - a grid code under a unit's age shown is hidden (units rank above grids);
// - labels that did not change keep their place: a unit's age never pushes
//   another unit's away (nothing flickers as units walk past each other), and
//   one hidden under a unit that walked off shows again at the next full
//   placement.
//
// Overlaps are never drawn; which of two crossing units keeps its label may
// differ from a full placement's choice until the next one. Not pure (it keeps
// state), but the same input twice gives the same placement object.
import type { BasemapPayload, GridCollection, UnitState } from '@/lib/model';
import type { Lang } from '@/lib/i18n/messages';
import { labelCandidates, type LayerVisibility } from './build-layers';
import {
  labelBoxAt,
  placeInto,
  sameHidden,
  type HiddenLabels,
  type LabelCandidate,
  type LabelIndex,
  type LabelPlacement,
  type PlacedBox,
} from './label-placement';
import type { MapVariant } from './motion';
import { unitAgeText } from './layers/unit-age-layer';

export interface WallLabelInput {
  basemap: BasemapPayload | undefined;
  grids: GridCollection | undefined;
  units: readonly UnitState[];
  visibility: LayerVisibility;
  lang: Lang;
  zoom: number;
  /** The layers' time (the ages' text). */
  now: number;
  labelScale: number;
}

interface UnitLabel {
  unit: UnitState;
  text: string;
  /**
   * Its box (null until it has had one), rewritten in place at each re-placement: a new box and placed object per
   * re-placement, ~400 a second under load, each living until its unit's next fix, outlived the young generation.
   * It is in the index while the label is shown.
   */
  placed: PlacedBox | null;
}

/** What a unit's age may not overlap: anything placed but a grid code (those it hides). */
const notGrid = (p: PlacedBox) => p.kind !== 'grid';

interface State {
  input: WallLabelInput;
  index: LabelIndex;
  /**
   * The labels hidden now: the sets the placement handed out holds, changed in place; each change hands out a
   * placement with a new key, and the layers read the sets when the key they are given changes. A batch used
   * to copy a set before changing it, so that a placement handed out never changed: the copies (of every unit
   * hidden, at each batch that hid or showed one) were 1.2 of the 13 MB a minute that outlived ours' young
   * generation under load (docs/BENCHMARKS.md, 2026-12-05 11:43).
   */
  hidden: HiddenLabels;
  units: Map<number, UnitLabel>;
  placement: LabelPlacement;
}

/** A unit's label candidate as labelCandidates makes it (so size, offset and padding match a full placement's). */
function unitCandidate(input: WallLabelInput, unit: UnitState): LabelCandidate {
  const candidates = labelCandidates({
    ...mapLabelInput(input),
    basemap: undefined,
    grids: undefined,
    units: [unit],
    visibility: { ...input.visibility, grids: false },
  });
  return candidates.find((c) => c.kind === 'unit' && c.id === unit.teamId)!;
}

/** The label placement's input for what the map shows of the basemap, grid cells and units (no pins, no selection). */
export function mapLabelInput(input: WallLabelInput, variant: MapVariant = 'wall') {
  return {
    basemap: input.basemap,
    grids: input.grids,
    keyLocations: undefined,
    units: input.units,
    incidents: [],
    alerts: [],
    openByGrid: null,
    heatmap: null,
    visibility: input.visibility,
    selection: null,
    lang: input.lang,
    zoom: input.zoom,
    now: input.now,
    phase: 0,
    variant,
    labelScale: input.labelScale,
  };
}

/** Whether only the units (and the time) differ: the placement may be carried on. */
function sameSetting(a: WallLabelInput, b: WallLabelInput): boolean {
  return (
    a.basemap === b.basemap &&
    a.grids === b.grids &&
    a.visibility === b.visibility &&
    a.lang === b.lang &&
    a.zoom === b.zoom &&
    a.labelScale === b.labelScale
  );
}

/** The same teams (by id), whatever their order. */
function sameTeams(units: readonly UnitState[], held: ReadonlyMap<number, UnitLabel>): boolean {
  let n = 0;
  for (const u of units) {
    if (u.position === null) continue;
    if (!held.has(u.teamId)) return false;
    n++;
  }
  return n === held.size;
}

export class WallLabelPlacer {
  #state: State | null = null;
  #version = 0;

  /** The labels to draw for `input`: the previous placement object when nothing about them changed. */
  place(input: WallLabelInput): LabelPlacement {
    const s = this.#state;
    if (s && s.input === input) return s.placement;
    const unitsShown = input.visibility.units;
    if (!s || !sameSetting(s.input, input) || (unitsShown && !sameTeams(input.units, s.units))) return this.#full(input);
    if (!unitsShown || (s.input.units === input.units && s.input.now === input.now)) {
      s.input = input;
      return s.placement;
    }
    return this.#moved(s, input);
  }

  #full(input: WallLabelInput): LabelPlacement {
    const candidates = labelCandidates(mapLabelInput(input));
    const { hidden, index, placed } = placeInto(candidates, input.zoom);
    const units = new Map<number, UnitLabel>();
    const byTeam = new Map<number, UnitState>();
    for (const u of input.units) byTeam.set(u.teamId, u);
    for (const c of candidates) {
      if (c.kind !== 'unit') continue;
      units.set(c.id, { unit: byTeam.get(c.id)!, text: c.text, placed: placed.unit.get(c.id) ?? null });
    }
    const prev = this.#state;
    // The same labels hidden as before: the placement object and its sets stay (the layers see no change).
    if (prev && sameHidden(prev.hidden, hidden)) {
      this.#state = { input, index, hidden: prev.hidden, units, placement: prev.placement };
      return prev.placement;
    }
    this.#state = { input, index, hidden, units, placement: this.#stamp(hidden) };
    return this.#state.placement;
  }

  /** Re-places the units whose record or text changed; the rest keep their place. */
  #moved(s: State, input: WallLabelInput): LabelPlacement {
    const changed: UnitState[] = [];
    // A step of the clock: each unit's text is read again (labelCandidates writes it with unitAgeText, whose
    // texts are held, so this allocates nothing); candidates are made only for the units re-placed.
    const clockMoved = input.now !== s.input.now;
    for (const u of input.units) {
      const held = s.units.get(u.teamId);
      if (!held) continue; // no position (sameTeams holds the rest)
      if (held.unit === u && (!clockMoved || unitAgeText(u, input.now, input.lang) === held.text)) continue;
      changed.push(u);
    }
    let dirty = false;
    if (changed.length > 0) {
      // Every unit's age has the same size, offset and padding: one candidate is the template of all their boxes
      // (a candidate per unit, ~400 a batch, was garbage that outlived the young generation: docs/BENCHMARKS.md).
      const template = unitCandidate(input, changed[0]!);
      for (const u of changed) {
        const held = s.units.get(u.teamId)!;
        const text = unitAgeText(u, input.now, input.lang);
        const wasHidden = s.hidden.unit.has(u.teamId);
        // Out of the index before its box changes (the index files a box by where it is).
        // (Taking out a box the index does not hold, a hidden label's, does nothing.)
        if (held.placed !== null) s.index.remove(held.placed);
        held.unit = u;
        held.text = text;
        if (wasHidden) s.hidden.unit.delete(u.teamId);
        // Every unit re-placed has a position: sameTeams sent a held unit that lost its own to a full placement.
        if (text !== '' && u.position !== null) {
          const placed = (held.placed ??= { kind: 'unit', id: u.teamId, box: { x0: 0, y0: 0, x1: 0, y1: 0 } });
          const box = labelBoxAt(template, u.position, text, input.zoom, placed.box);
          if (s.index.find(box, notGrid)) s.hidden.unit.add(u.teamId);
          else {
            for (const p of s.index.all(box)) {
              s.index.remove(p);
              s.hidden.grid.add(p.id);
              dirty = true;
            }
            s.index.add(placed);
          }
        }
        if (wasHidden !== s.hidden.unit.has(u.teamId)) dirty = true;
      }
    }
    s.input = input;
    if (dirty) s.placement = this.#stamp(s.hidden);
    return s.placement;
  }

  /** A new placement object (a new key) for the hidden sets as they are now. */
  #stamp(hidden: HiddenLabels): LabelPlacement {
    this.#version++;
    return { hidden, key: `wall-${this.#version}` };
  }
}
