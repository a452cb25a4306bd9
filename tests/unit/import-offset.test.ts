// The "layer looks offset" check's pure half (lib/import/offset.ts): reading
// a layer again as another datum, the shift that makes, and when another
// reading fits what is stored "much better". The PostGIS half and the whole
// check on the demo township are in tests/integration/import-offset.test.ts.
import gcoord from 'gcoord';
import type { Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bestReading, datumShiftM, fitsBetter, otherDatums, reinterpretDatum, type Fit } from '../../lib/import/offset';

// A point in the Tibetan plateau (where the demo township lies) and one in Beijing.
const PLATEAU: Position = [100.265, 31.118];
const BEIJING: Position = [116.404, 39.915];
const point = (p: Position): Geometry => ({ type: 'Point', coordinates: p });
const coords = (g: Geometry): Position => (g as { coordinates: Position }).coordinates;

describe('reinterpretDatum', () => {
  it('reads WGS-84 coordinates as GCJ-02 or BD-09: what gcoord converts them to WGS-84 as', () => {
    expect(coords(reinterpretDatum(point(BEIJING), 'wgs84', 'gcj02'))).toEqual(gcoord.transform([116.404, 39.915], gcoord.GCJ02, gcoord.WGS84));
    expect(coords(reinterpretDatum(point(BEIJING), 'wgs84', 'bd09'))).toEqual(gcoord.transform([116.404, 39.915], gcoord.BD09, gcoord.WGS84));
  });

  it('undoes a conversion the other way: a layer converted from GCJ-02, read as WGS-84 after all, is the file again', () => {
    const converted = gcoord.transform([116.404, 39.915], gcoord.GCJ02, gcoord.WGS84);
    const [lon, lat] = coords(reinterpretDatum(point(converted), 'gcj02', 'wgs84'));
    // gcoord's GCJ-02 → WGS-84 is an approximation: back within a metre (1e-5° ≈ 1 m).
    expect(lon).toBeCloseTo(116.404, 5);
    expect(lat).toBeCloseTo(39.915, 5);
  });

  it('keeps the third coordinate, every ring, and the input unchanged', () => {
    const square: Geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [100, 31, 3500],
          [100.01, 31, 3510],
          [100.01, 31.01, 3520],
          [100, 31, 3500],
        ],
      ],
    };
    const copy = structuredClone(square);
    const moved = reinterpretDatum(square, 'wgs84', 'gcj02') as { coordinates: Position[][] };
    expect(square).toEqual(copy);
    expect(moved.coordinates[0]!.map((p) => p[2])).toEqual([3500, 3510, 3520, 3500]);
    expect(moved.coordinates[0]![0]).not.toEqual([100, 31, 3500]);
    expect(reinterpretDatum(square, 'bd09', 'bd09')).toBe(square);
  });

  it('offers the two datums other than the one chosen', () => {
    expect(otherDatums('wgs84')).toEqual(['gcj02', 'bd09']);
    expect(otherDatums('gcj02')).toEqual(['wgs84', 'bd09']);
  });
});

describe('datumShiftM', () => {
  it('is the few hundred metres of the web-map offsets, varying over the country', () => {
    // GCJ-02 lies a few hundred metres from WGS-84 (290 m on the plateau, 555 m in Beijing); BD-09 another 500–800 m on.
    const plateau = { gcj: datumShiftM([point(PLATEAU)], 'wgs84', 'gcj02'), bd: datumShiftM([point(PLATEAU)], 'wgs84', 'bd09') };
    const beijing = { gcj: datumShiftM([point(BEIJING)], 'wgs84', 'gcj02'), bd: datumShiftM([point(BEIJING)], 'wgs84', 'bd09') };
    expect(plateau.gcj).toBeCloseTo(290, -1);
    expect(beijing.gcj).toBeCloseTo(555, -1);
    expect(plateau.bd).toBeCloseTo(833, -1);
    expect(beijing.bd).toBeCloseTo(1378, -1);
    // The shift is measured at the layer's first position.
    expect(datumShiftM([point(BEIJING), point(PLATEAU)], 'wgs84', 'gcj02')).toBe(beijing.gcj);
    expect(datumShiftM([], 'wgs84', 'gcj02')).toBe(0);
  });
});

const fit = (f: Partial<Fit>): Fit => ({ share: null, matched: 0, medianM: null, ...f });

describe('fitsBetter', () => {
  it('with matched features: only when they lie 50 m or more away as read, and three times closer read so', () => {
    expect(fitsBetter(fit({ matched: 65, medianM: 480 }), fit({ matched: 65, medianM: 2 }))).toBe(true);
    expect(fitsBetter(fit({ matched: 65, medianM: 60 }), fit({ matched: 65, medianM: 20 }))).toBe(true);
    expect(fitsBetter(fit({ matched: 65, medianM: 60 }), fit({ matched: 65, medianM: 21 }))).toBe(false);
    // Already fits: a boundary redrawn a little, a file exported again.
    expect(fitsBetter(fit({ matched: 1, medianM: 49 }), fit({ matched: 1, medianM: 0 }))).toBe(false);
    // The matched rule decides, even when the share would say otherwise.
    expect(fitsBetter(fit({ matched: 3, medianM: 5, share: 0.5 }), fit({ matched: 3, medianM: 480, share: 1 }))).toBe(false);
  });

  it('without matches: when 2 % or more lies outside as read, and at most half of that read so', () => {
    expect(fitsBetter(fit({ share: 0.9 }), fit({ share: 0.951 }))).toBe(true);
    expect(fitsBetter(fit({ share: 0.9 }), fit({ share: 0.949 }))).toBe(false);
    expect(fitsBetter(fit({ share: 0.98 }), fit({ share: 1 }))).toBe(true);
    expect(fitsBetter(fit({ share: 0.981 }), fit({ share: 1 }))).toBe(false);
    // Nothing to compare with.
    expect(fitsBetter(fit({}), fit({ share: 1 }))).toBe(false);
    expect(fitsBetter(fit({ share: 0.5 }), fit({}))).toBe(false);
  });
});

describe('bestReading', () => {
  it('keeps the reading that fits best among those that fit much better, or none', () => {
    const asRead = fit({ share: 0.8 });
    expect(bestReading(asRead, [{ datum: 'gcj02', fit: fit({ share: 0.99 }) }, { datum: 'bd09', fit: fit({ share: 0.95 }) }])?.datum).toBe('gcj02');
    expect(bestReading(asRead, [{ datum: 'gcj02', fit: fit({ share: 0.85 }) }, { datum: 'bd09', fit: fit({ share: 0.97 }) }])?.datum).toBe('bd09');
    expect(bestReading(asRead, [{ datum: 'gcj02', fit: fit({ share: 0.85 }) }])).toBeNull();
    const matched = fit({ matched: 10, medianM: 900 });
    expect(bestReading(matched, [{ datum: 'gcj02', fit: fit({ matched: 10, medianM: 400 }) }, { datum: 'bd09', fit: fit({ matched: 10, medianM: 3 }) }])?.datum).toBe('bd09');
  });
});
