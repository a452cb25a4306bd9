// The layers are rebuilt for every change anywhere on the map (a batch of unit
// fixes, a pulse frame); for the same incidents (or alerts) list the incident
// (alert) layers hand deck.gl the very same arrays, so it recomputes nothing
// for the pins, and the heatmap keeps one colour range.
import { describe, expect, it } from 'vitest';
import { buildAlertLayers, type PlacedAlert } from '@/components/map/layers/alert-layer';
import { buildHeatmapLayer } from '@/components/map/layers/heatmap-layer';
import { buildIncidentLayers, orderedIncidents } from '@/components/map/layers/incident-layer';
import { HEATMAP_COLOR_RANGE } from '@/components/map/palette';
import type { RingMotion } from '@/components/map/motion';
import type { IncidentView } from '@/lib/model';
import { alert, incident } from '../helpers/factories';

const NOW = Date.parse('2025-06-01T08:00:00Z');
const old = incident(1);
const fresh = incident(2, { reportedAt: new Date(NOW - 60_000).toISOString() });
const critical = incident(3, { severity: 4 });
const closed = incident(4, { status: 'closed', reportedAt: new Date(NOW - 30_000).toISOString() });
const LIST = [old, fresh, critical, closed];
const ids = (list: readonly IncidentView[]) => list.map((i) => i.id);

describe('orderedIncidents', () => {
  const ringOf = (rings: ReadonlyMap<number, RingMotion>) => (i: IncidentView) => rings.get(i.id);

  it('orders closed first, then by severity, then oldest first; rings only those in the map', () => {
    const rings = new Map<number, RingMotion>([[2, 'pulse']]);
    const o = orderedIncidents(LIST, ringOf(rings), rings);
    expect(ids(o.ordered)).toEqual([4, 1, 2, 3]);
    expect(ids(o.ringed)).toEqual([2]);
  });

  it('gives the same arrays back for the same list and the same rings, new ones for other rings or another list', () => {
    const list = [...LIST];
    const rings = new Map<number, RingMotion>([[2, 'pulse']]);
    const first = orderedIncidents(list, ringOf(rings), rings);
    const again = orderedIncidents(list, ringOf(rings), rings);
    expect(again.ordered).toBe(first.ordered);
    expect(again.ringed).toBe(first.ringed);
    const still = new Map<number, RingMotion>([[2, 'still'], [1, 'still']]);
    const other = orderedIncidents(list, ringOf(still), still);
    expect(other.ordered).toBe(first.ordered);
    expect(ids(other.ringed)).toEqual([1, 2]);
    const copy = orderedIncidents([...list], ringOf(rings), rings);
    expect(copy.ordered).not.toBe(first.ordered);
    expect(ids(copy.ordered)).toEqual([4, 1, 2, 3]);
  });
});

describe('buildIncidentLayers reuses its data', () => {
  it('hands deck.gl the same pins and rings for the same list, whatever else changed (phase, selection)', () => {
    const list = [...LIST];
    const [pulsesA, pinsA] = buildIncidentLayers({ incidents: list, now: NOW, phase: 0.1, selectedId: null, visible: true });
    const [pulsesB, pinsB] = buildIncidentLayers({ incidents: list, now: NOW, phase: 0.6, selectedId: 3, visible: true });
    expect(pinsB.props.data).toBe(pinsA.props.data);
    expect(pulsesB.props.data).toBe(pulsesA.props.data);
    expect(ids(pulsesA.props.data as IncidentView[])).toEqual([2]);
  });

  it('the desk’s default rings follow the time: a later now is asked again (the new one has stopped being new)', () => {
    const list = [...LIST];
    const [pulsesNow] = buildIncidentLayers({ incidents: list, now: NOW, phase: 0, selectedId: null, visible: true });
    const [pulsesLater] = buildIncidentLayers({ incidents: list, now: NOW + 24 * 3_600_000, phase: 0, selectedId: null, visible: true });
    expect(ids(pulsesNow.props.data as IncidentView[])).toEqual([2]);
    expect(ids(pulsesLater.props.data as IncidentView[])).toEqual([]);
  });
});

describe('the heatmap’s colours', () => {
  it('are one array for every layer built, equal to the palette’s (deck.gl makes a new colour texture for a new array)', () => {
    const a = buildHeatmapLayer({ data: null, visible: true });
    const b = buildHeatmapLayer({ data: null, visible: false });
    expect(b.props.colorRange).toBe(a.props.colorRange);
    expect(a.props.colorRange).toEqual(HEATMAP_COLOR_RANGE.map((c) => [...c]));
    expect(a.props.colorRange).not.toBe(HEATMAP_COLOR_RANGE);
  });
});

describe('buildAlertLayers reuses its data', () => {
  const sos = alert(1);
  const acknowledged = alert(2, { acknowledgedAt: new Date(NOW).toISOString() });
  const stale = alert(3, { kind: 'stale', severity: 2 });
  const nowhere = alert(4, { position: null });
  const alertIds = (data: unknown) => (data as PlacedAlert[]).map((a) => a.id);

  it('hands deck.gl the same discs and rings for the same list, whatever the phase or selection', () => {
    const list = [sos, acknowledged, stale, nowhere];
    const [pulsesA, discsA] = buildAlertLayers({ alerts: list, phase: 0.1, selectedId: null });
    const [pulsesB, discsB] = buildAlertLayers({ alerts: list, phase: 0.7, selectedId: 1 });
    expect(discsB.props.data).toBe(discsA.props.data);
    expect(pulsesB.props.data).toBe(pulsesA.props.data);
    // Other kinds underneath, SOS on top; only the unacknowledged ring (the desk's rings).
    expect(alertIds(discsA.props.data)).toEqual([3, 2, 1]);
    expect(alertIds(pulsesA.props.data)).toEqual([3, 1]);
  });

  it('rings again for other rings, and orders again for another list', () => {
    const list = [sos, acknowledged, stale];
    const rings = new Map<number, RingMotion>([[1, 'pulse']]);
    const [pulsesA, discsA] = buildAlertLayers({ alerts: list, phase: 0, selectedId: null, rings, motionKey: 'a' });
    const still = new Map<number, RingMotion>([[1, 'still'], [2, 'still']]);
    const [pulsesB, discsB] = buildAlertLayers({ alerts: list, phase: 0, selectedId: null, rings: still, motionKey: 'b' });
    expect(discsB.props.data).toBe(discsA.props.data);
    expect(alertIds(pulsesA.props.data)).toEqual([1]);
    expect(alertIds(pulsesB.props.data)).toEqual([2, 1]);
    const [, discsC] = buildAlertLayers({ alerts: [...list], phase: 0, selectedId: null, rings, motionKey: 'a' });
    expect(discsC.props.data).not.toBe(discsA.props.data);
    expect(alertIds(discsC.props.data)).toEqual([3, 2, 1]);
  });
});
