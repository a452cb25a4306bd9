import { describe, expect, it } from 'vitest';
import { searchPlaces } from '@/components/incidents/place-search';
import type { GridCollection, KeyLocation } from '@/lib/model';

function grid(id: number, code: string, name: string, nameEn: string): GridCollection['features'][number] {
  return {
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: [] },
    properties: {
      id,
      code,
      name,
      nameEn,
      villageId: 1,
      villageName: '拉雍村',
      villageNameEn: 'Layong',
      openIncidents: 0,
      lastPatrolAt: null,
      areaKm2: 1,
      labelPoint: [100 + id / 100, 31],
    },
  };
}

const GRIDS: GridCollection = {
  type: 'FeatureCollection',
  features: [grid(1, 'V1-01', '拉雍东网格', 'Layong East'), grid(2, 'V1-02', '拉雍西网格', 'Layong West'), grid(11, 'V2-01', '热当网格', 'Redang')],
};
const KEYS: KeyLocation[] = [
  { id: 7, category: 'health', name: '拉雍卫生院', nameEn: 'Layong Health Centre', gridId: 1, position: [100.011, 31.001] },
  { id: 8, category: 'market', name: '热当市场', nameEn: 'Redang Market', gridId: 11, position: [100.111, 31.002] },
];

describe('searchPlaces', () => {
  it('finds grid cells by code prefix first, exact code on top', () => {
    const hits = searchPlaces('v1-0', GRIDS, KEYS, 'zh');
    expect(hits.map((p) => p.label)).toEqual(['V1-01 · 拉雍东网格', 'V1-02 · 拉雍西网格']);
    expect(searchPlaces('V2-01', GRIDS, KEYS, 'en')[0]).toEqual({ kind: 'grid', id: 11, position: [100.11, 31], label: 'V2-01 · Redang' });
  });

  it('finds key locations and cells by name in either language, the key location at its own position', () => {
    const hits = searchPlaces('拉雍', GRIDS, KEYS, 'zh');
    expect(hits[0]).toEqual({ kind: 'keyLocation', id: 7, position: [100.011, 31.001], label: '拉雍卫生院' });
    expect(hits.map((p) => p.kind)).toEqual(['keyLocation', 'grid', 'grid']);
    expect(searchPlaces('market', GRIDS, KEYS, 'en').map((p) => p.label)).toEqual(['Redang Market']);
  });

  it('gives nothing for an empty query or no match, and at most the limit', () => {
    expect(searchPlaces('  ', GRIDS, KEYS, 'zh')).toEqual([]);
    expect(searchPlaces('zzz', GRIDS, KEYS, 'zh')).toEqual([]);
    expect(searchPlaces('v', GRIDS, KEYS, 'en', 2)).toHaveLength(2);
    expect(searchPlaces('V1', undefined, undefined, 'zh')).toEqual([]);
  });
});
