import { describe, expect, it } from 'vitest';
import { KEY_LOCATIONS_LAYER_ID, buildKeyLocationLayer } from '@/components/map/layers/key-location-layer';
import { keyLocationIcon, type IconDef } from '@/components/map/icons';
import { type KeyLocation, KEY_LOCATION_CATEGORIES } from '@/lib/model';

const LOCATIONS: KeyLocation[] = KEY_LOCATION_CATEGORIES.map((category, i) => ({
  id: i + 1,
  category,
  name: `场所${i}`,
  nameEn: `Place ${i}`,
  gridId: null,
  position: [100 + i * 0.001, 31],
}));

describe('buildKeyLocationLayer', () => {
  it('has a stable id, all the data, and is pickable', () => {
    const layer = buildKeyLocationLayer({ keyLocations: LOCATIONS, selectedId: null, visible: true });
    expect(layer.id).toBe(KEY_LOCATIONS_LAYER_ID);
    expect(layer.props.data).toHaveLength(KEY_LOCATION_CATEGORIES.length);
    expect(layer.props.pickable).toBe(true);
  });

  it('gives every category its own auto-packed icon', () => {
    const layer = buildKeyLocationLayer({ keyLocations: LOCATIONS, selectedId: null, visible: true });
    const getIcon = layer.props.getIcon as (d: KeyLocation, ctx: unknown) => IconDef;
    const icons = LOCATIONS.map((d) => getIcon(d, { index: 0, data: [], target: [] }));
    expect(new Set(icons.map((i) => i.id)).size).toBe(KEY_LOCATION_CATEGORIES.length);
    for (const icon of icons) {
      expect(icon.url).toMatch(/^data:image\/svg\+xml/);
      expect(icon.width).toBeGreaterThan(0);
      expect(icon.height).toBeGreaterThan(0);
      // loaders.gl base64-encodes SVG with btoa(): it must stay Latin-1.
      expect(decodeURIComponent(icon.url)).toMatch(/^[\x20-\x7e]+$/);
    }
    // Cached: the same object for the same category, so deck.gl packs it once.
    expect(keyLocationIcon('police')).toBe(keyLocationIcon('police'));
  });

  it('enlarges the selected location', () => {
    const layer = buildKeyLocationLayer({ keyLocations: LOCATIONS, selectedId: 2, visible: true });
    const getSize = layer.props.getSize as (d: KeyLocation, ctx: unknown) => number;
    expect(getSize(LOCATIONS[1]!, {})).toBeGreaterThan(getSize(LOCATIONS[0]!, {}));
  });
});
