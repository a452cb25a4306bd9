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
  LABEL_KINDS,
  NOTHING_HIDDEN,
  labelBoxAt,
  placeInto,
  sameHidden,
  type HiddenLabels,
  type LabelCandidate,
  type LabelIndex,
  type LabelKind,
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
  /** Its box while shown. */
  placed: PlacedBox | null;
}

interface State {
  input: WallLabelInput;
  index: LabelIndex;
  hidden: HiddenLabels;
  /**
   * Which of `hidden`'s sets a placement handed out also holds: such a set is copied before it changes
   * (copy on write). Copying all three at every batch that hid or showed a label left a megabyte and a half
   * a minute that outlived the young generation, and took milliseconds of a full placement.
   */
  shared: Record<LabelKind, boolean>;
  units: Map<number, UnitLabel>;
  placement: LabelPlacement;
}

const NONE_SHARED: Readonly<Record<LabelKind, boolean>> = { village: false, unit: false, grid: false };

/** `s.hidden`'s set of `kind`, its own (copied first if a placement holds it). */
function writable(s: State, kind: LabelKind): Set<number> {
  if (s.shared[kind]) {
    s.hidden[kind] = new Set(s.hidden[kind]);
    s.shared[kind] = false;
  }
  return s.hidden[kind];
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
    const prev = this.#state?.placement;
    // The same labels hidden as before: the placement object stays (the layers see no change), and the sets
    // just made are this state's own.
    const s: State = { input, index, hidden, shared: { ...NONE_SHARED }, units, placement: prev ?? NOTHING_HIDDEN };
    if (!prev || !sameHidden(prev.hidden, hidden)) this.#stamp(s);
    this.#state = s;
    return s.placement;
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
        if (held.placed) s.index.remove(held.placed);
        held.unit = u;
        held.text = text;
        held.placed = null;
        if (wasHidden) writable(s, 'unit').delete(u.teamId);
        // Every unit re-placed has a position: sameTeams sent a held unit that lost its own to a full placement.
        if (text !== '' && u.position !== null) {
          const box = labelBoxAt(template, u.position, text, input.zoom);
          if (s.index.find(box, (p) => p.kind !== 'grid')) writable(s, 'unit').add(u.teamId);
          else {
            for (const p of s.index.all(box)) {
              s.index.remove(p);
              writable(s, 'grid').add(p.id);
              dirty = true;
            }
            held.placed = { kind: 'unit', id: u.teamId, box };
            s.index.add(held.placed);
          }
        }
        if (wasHidden !== s.hidden.unit.has(u.teamId)) dirty = true;
      }
    }
    s.input = input;
    if (dirty) this.#stamp(s);
    return s.placement;
  }

  /** A new placement object of the hidden sets as they are now; they are shared with it from now on (never changed again). */
  #stamp(s: State): void {
    this.#version++;
    s.placement = { hidden: { village: s.hidden.village, unit: s.hidden.unit, grid: s.hidden.grid }, key: `wall-${this.#version}` };
    for (const kind of LABEL_KINDS) s.shared[kind] = true;
  }
}
