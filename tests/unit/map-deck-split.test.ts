// The wall's two deck.gl canvases (components/map/deck-split.ts): the base
// holds the bottom of the layer list, so stacking the canvases draws what one
// did; and the base is handed layers again only when an input it is built
// from changed — an input outside BASE_INPUT_KEYS never changes a base layer.
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { buildMapLayers, type MapLayersInput } from '@/components/map/build-layers';
import { BASE_INPUT_KEYS, BASE_LAYER_IDS, baseAnimates, sameBaseInput, splitLayers, wallCanvasAttributes, type BaseInput } from '@/components/map/deck-split';
import { motionState } from '@/components/map/motion';
import { buildPlanLayers, planLayerData } from '@/components/map/layers/plan-layer';
import { placeMapLabels } from '@/components/map/build-layers';
import type { IncidentView } from '@/lib/model';
import { FACTORY_NOW, alert, gridCell, incident, isoAt, mapLayersInput, unit, villagePoint } from '../helpers/factories';

const NOW = FACTORY_NOW;

function wallInput(over: Partial<MapLayersInput> = {}): MapLayersInput {
  const incidents = [incident(1, { reportedAt: isoAt(NOW - 5_000) }), incident(2, { severity: 3 })] as IncidentView[];
  const alerts = [alert(7, { teamId: 2 })];
  return mapLayersInput({
    variant: 'wall',
    labelScale: 2,
    grids: { type: 'FeatureCollection', features: [gridCell(1), gridCell(2)] },
    units: [unit(1), unit(2, { position: [100.015, 31.005] })],
    incidents,
    alerts,
    motion: motionState({ incidents, alerts, now: NOW, variant: 'wall', reducedMotion: false }),
    ...over,
  });
}

/** A layer's own props that are not accessors (deck.gl does not compare accessor functions either). */
function propsOf(layer: Layer): Record<string, unknown> {
  const props = layer.props as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(props).filter((k) => typeof props[k] !== 'function').map((k) => [k, props[k]]));
}

const baseOf = (input: MapLayersInput) => splitLayers(buildMapLayers(input)).base;
const asBase = (input: MapLayersInput, dataReady = true): BaseInput => ({ ...input, dataReady });

describe('splitLayers', () => {
  it("gives the base the bottom of the map's list and the rest, in order, to the canvas above", () => {
    const layers = buildMapLayers(wallInput());
    const ids = layers.map((l) => l.id);
    const { base, live } = splitLayers(layers);
    expect(base.map((l) => l.id)).toEqual(['grids', 'heatmap', 'key-locations', 'incident-pulses', 'incidents']);
    // Stacked, the two canvases draw the list's order: every base layer is below every other.
    expect([...base, ...live].map((l) => l.id)).toEqual(ids);
    expect(live.map((l) => l.id)).toContain('units');
  });

  it("draws the plans' areas and routes on the base, above the incidents and under the units; their checkpoints and labels above", () => {
    const plans = buildPlanLayers({ data: planLayerData(undefined), visible: true, variant: 'wall' });
    const { base, live } = splitLayers([...buildMapLayers(wallInput()), ...plans]);
    // So new plan layers are a base input: the base is handed them (the loop below only tries the keys listed).
    const input = wallInput();
    expect(sameBaseInput(asBase(input), asBase(input))).toBe(true);
    expect(sameBaseInput(asBase(input), { ...asBase(input), extraLayers: plans })).toBe(false);
    expect(base.map((l) => l.id)).toEqual(['grids', 'heatmap', 'key-locations', 'incident-pulses', 'incidents', 'plan-areas', 'plan-routes']);
    expect(new Set(base.map((l) => l.id))).toEqual(new Set(BASE_LAYER_IDS));
    expect(live.map((l) => l.id).slice(-2)).toEqual(['plan-checkpoints', 'plan-labels']);
  });

  it('puts layers it does not know (the replay) on the canvas above', () => {
    const extra = { id: 'replay-trails' };
    expect(splitLayers([{ id: 'grids' }, extra])).toEqual({ base: [{ id: 'grids' }], live: [extra] });
  });
});

describe('wallCanvasAttributes', () => {
  it('keeps neither drawing buffer, and multisamples only the base (the lines are there)', () => {
    expect(wallCanvasAttributes('base')).toEqual({ preserveDrawingBuffer: false });
    expect(wallCanvasAttributes('live')).toEqual({ preserveDrawingBuffer: false, antialias: false });
  });
});

describe('sameBaseInput', () => {
  const input = wallInput();

  it('is false the first time and for any base input changed', () => {
    expect(sameBaseInput(null, asBase(input))).toBe(false);
    expect(sameBaseInput(asBase(input), asBase(input))).toBe(true);
    for (const key of BASE_INPUT_KEYS) {
      const changed = { ...asBase(input), [key]: key === 'dataReady' ? false : {} } as BaseInput;
      expect(sameBaseInput(asBase(input), changed), key).toBe(false);
    }
  });

  it('holds while only what the canvas above draws changes, and the base layers are then the same', () => {
    const moved = wallInput({
      units: [unit(1, { position: [100.02, 31.002], fixTime: isoAt(NOW - 1_000) }), unit(2, { status: 'on_scene' })],
      alerts: [alert(7, { teamId: 2 }), alert(8, { kind: 'offline', teamId: 1 })],
      basemap: { bbox: [100, 31, 100.1, 31.1], villages: { type: 'FeatureCollection', features: [villagePoint(1, [100.01, 31.01])] } } as MapLayersInput['basemap'],
      draftPosition: [100.01, 31.01],
      phase: 0.5,
    });
    const keep = Object.fromEntries(BASE_INPUT_KEYS.filter((k) => k !== 'dataReady' && k !== 'extraLayers').map((k) => [k, input[k]]));
    const next = { ...moved, ...keep, labels: placeMapLabels(moved) };
    expect(sameBaseInput(asBase(input), asBase(next))).toBe(true);
    const before = baseOf(input);
    const after = baseOf({ ...next, phase: 0 });
    expect(after.map((l) => l.id)).toEqual(before.map((l) => l.id));
    after.forEach((layer, i) => expect(propsOf(layer), layer.id).toEqual(propsOf(before[i]!)));
    // The comparison sees a base input's change (the incidents dimmed with the connection lost).
    const dimmed = baseOf({ ...input, dimLive: true });
    expect(dimmed.some((layer, i) => JSON.stringify(propsOf(layer)) !== JSON.stringify(propsOf(before[i]!)))).toBe(true);
  });
});

describe('baseAnimates', () => {
  it('is true while an incident ring pulses and incidents are shown, not for alert rings alone', () => {
    const fresh = [incident(1, { reportedAt: isoAt(NOW - 5_000) })] as IncidentView[];
    const pulsing = motionState({ incidents: fresh, alerts: [], now: NOW, variant: 'wall', reducedMotion: false });
    expect(baseAnimates(pulsing, true)).toBe(true);
    expect(baseAnimates(pulsing, false)).toBe(false);
    const alertOnly = motionState({ incidents: [], alerts: [alert(7, { raisedAt: isoAt(NOW - 5_000) })], now: NOW, variant: 'wall', reducedMotion: false });
    expect(baseAnimates(alertOnly, true)).toBe(false);
    expect(baseAnimates(undefined, true)).toBe(false);
  });
});
