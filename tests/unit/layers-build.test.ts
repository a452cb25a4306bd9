import { describe, expect, it } from 'vitest';
import { buildMapLayers } from '@/components/map/build-layers';
import { mapLayersInput } from '../helpers/factories';

const INPUT = mapLayersInput({ zoom: 11 });

describe('buildMapLayers', () => {
  it('returns every layer once, in a fixed order, with stable ids', () => {
    const ids = buildMapLayers(INPUT).map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Labels above every marker (issue 11: a settlement name is never under a unit), settlements on top;
    // the draft pin, the desk's own, above all.
    expect(ids).toEqual([
      'grids',
      'heatmap',
      'key-locations',
      'incident-pulses',
      'incidents',
      'unit-headings',
      'units',
      'alert-pulses',
      'alerts',
      'unit-ages',
      'grid-labels',
      'village-labels',
      'draft-incident',
    ]);
    expect(buildMapLayers({ ...INPUT, phase: 0.5, lang: 'en', zoom: 14 }).map((l) => l.id)).toEqual(ids);
  });

  it('maps the toggles to layer visibility', () => {
    const layers = buildMapLayers({
      ...INPUT,
      visibility: { grids: false, 'key-locations': true, units: false, incidents: true, heatmap: false, plans: false },
    });
    const visible = Object.fromEntries(layers.map((l) => [l.id, l.props.visible]));
    expect(visible).toMatchObject({
      grids: false,
      'grid-labels': false,
      heatmap: false,
      'key-locations': true,
      units: false,
      'unit-headings': false,
      incidents: true,
      'incident-pulses': true,
    });
    // No toggle hides an alert.
    const allOff = buildMapLayers({
      ...INPUT,
      visibility: { grids: false, 'key-locations': false, units: false, incidents: false, heatmap: false, plans: false },
    });
    const alertLayers = allOff.filter((l) => l.id === 'alerts' || l.id === 'alert-pulses');
    expect(alertLayers).toHaveLength(2);
    for (const l of alertLayers) expect(l.props.visible).not.toBe(false);
  });

  it('draws the draft pin only while a report has a place, and shades the grid as asked', () => {
    const none = buildMapLayers(INPUT).find((l) => l.id === 'draft-incident');
    expect(none?.props.visible).toBe(false);
    expect(none?.props.data).toEqual([]);
    const draft = buildMapLayers({ ...INPUT, draftPosition: [100.2, 31.3] }).find((l) => l.id === 'draft-incident');
    expect(draft?.props.visible).toBe(true);
    expect(draft?.props.data).toEqual([{ position: [100.2, 31.3] }]);
    // Rebuilt (a batch of fixes elsewhere on the map): the very same data, so deck.gl has nothing to update.
    const again = buildMapLayers({ ...INPUT, draftPosition: [100.2, 31.3] }).find((l) => l.id === 'draft-incident');
    expect(again?.props.data).toBe(draft?.props.data);
    expect(buildMapLayers(INPUT).find((l) => l.id === 'draft-incident')?.props.data).toBe(none?.props.data);
    const moved = buildMapLayers({ ...INPUT, draftPosition: [100.21, 31.3] }).find((l) => l.id === 'draft-incident');
    expect(moved?.props.data).toEqual([{ position: [100.21, 31.3] }]);
    expect(moved?.props.data).not.toBe(draft?.props.data);
    const coverage = buildMapLayers({ ...INPUT, gridShading: 'coverage' }).find((l) => l.id === 'grids');
    expect(String(coverage?.props.updateTriggers.getFillColor)).toMatch(/^coverage:/);
  });
});
