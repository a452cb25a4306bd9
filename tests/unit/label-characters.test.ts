// The map's text layers name every character they may draw (label-characters.ts):
// whatever a label reads — a grid's code or its name after a cut to a closer view,
// a settlement in either language — each of its
// characters is in the layer's set, and the set stays the same string across the
// zoom and the time, so deck.gl never draws the font atlas again for a text change.
import { describe, expect, it } from 'vitest';
import { buildGridLayers, gridLabel, GRID_NAME_MIN_ZOOM, type GridFeature } from '@/components/map/layers/grid-layer';
import { charactersFor, charactersOf } from '@/components/map/layers/label-characters';
import { buildVillageLabelLayer } from '@/components/map/layers/village-layer';
import type { GridCollection } from '@/lib/model';
import type { Lang } from '@/lib/i18n/messages';
import { gridCell, villagePoint } from '../helpers/factories';

const LANGS: Lang[] = ['zh', 'en'];
const missing = (text: string, set: unknown) => [...text].filter((c) => typeof set !== 'string' || !set.includes(c));

describe('the characters of the map labels', () => {
  it('lists each character once, a character outside the basic plane as one', () => {
    expect(charactersOf(['网格 2', '网格 10', '𠮷'])).toBe(' 012格网𠮷');
    expect([...charactersOf(['𠮷𠮷'])]).toEqual(['𠮷']);
  });

  it('works a data array out once per key, and again for another array', () => {
    const data = [1, 2];
    let calls = 0;
    const texts = () => {
      calls++;
      return ['ab'];
    };
    expect(charactersFor(data, 'zh', texts)).toBe('ab');
    expect(charactersFor(data, 'zh', texts)).toBe('ab');
    expect(calls).toBe(1);
    charactersFor(data, 'en', texts);
    charactersFor([1, 2], 'zh', texts);
    expect(calls).toBe(3);
  });

  it("holds both forms of every grid label, the same set on either side of the names' zoom", () => {
    const names = ['拉雍第1网格', '鹰嘴崖第二网格', '滨河社区 𠮷 网格'];
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: names.map((name, i) => gridCell(i + 1, { name, nameEn: `Riverside Grid ${i + 1}`, code: `V${i + 3}-0${i + 7}` })),
    };
    for (const lang of LANGS) {
      const far = buildGridLayers({ grids, openByGrid: null, selectedGridId: null, lang, zoom: GRID_NAME_MIN_ZOOM - 0.5, visible: true })[1];
      const near = buildGridLayers({ grids, openByGrid: null, selectedGridId: null, lang, zoom: GRID_NAME_MIN_ZOOM, visible: true })[1];
      expect(near.props.characterSet).toBe(far.props.characterSet);
      for (const f of grids.features as GridFeature[]) {
        expect(missing(gridLabel(f, lang, false), far.props.characterSet)).toEqual([]);
        expect(missing(gridLabel(f, lang, true), far.props.characterSet)).toEqual([]);
      }
    }
  });

  it("holds every settlement's name in the language", () => {
    const villages = {
      type: 'FeatureCollection' as const,
      features: [villagePoint(1, [100, 31]), { ...villagePoint(2, [100.1, 31]), properties: { ...villagePoint(2, [100.1, 31]).properties, name: '鹰嘴崖', nameEn: "Eagle's Beak" } }],
    };
    const zh = buildVillageLabelLayer({ villages, lang: 'zh' });
    const en = buildVillageLabelLayer({ villages, lang: 'en' });
    expect(zh.props.characterSet).toBe('嘴崖拉村雍鹰');
    expect(en.props.characterSet).toBe(" 'BELaegklnosy");
  });
});
