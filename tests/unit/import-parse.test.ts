// The import parser on files the tests make: every format, the GBK and
// projected cases a county's files bring, the GCJ-02 / BD-09 offsets, and bad
// input that must come back as a report, never as a thrown error. Expected
// coordinates come from outside the code under test (PROJ through PostGIS,
// published coordinate pairs), written out.
import fc from 'fast-check';
import { zipSync } from 'fflate';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { parseImportFile, parseShapefileParts } from '../../lib/import/parse';
import type { ImportProblem, ParsedLayer, SourceDatum } from '../../lib/import/types';

const utf8 = (s: string) => new TextEncoder().encode(s);
const codes = (problems: ImportProblem[]) => problems.map((p) => p.code);
const coordinatesOf = (layer: ParsedLayer, i = 0): Position => {
  const g = layer.features[i]?.geometry;
  if (g?.type !== 'Point') throw new Error(`feature ${i} is not a Point`);
  return g.coordinates;
};
const expectNear = (actual: Position, expected: [number, number], tolerance: number) => {
  expect(Math.abs(actual[0]! - expected[0])).toBeLessThan(tolerance);
  expect(Math.abs(actual[1]! - expected[1])).toBeLessThan(tolerance);
};

// GBK bytes from the GB2312 code table: 派 C5C9, 出 B3F6, 所 CBF9, 名 C3FB,
// 称 B3C6, 经 BEAD, 度 B6C8, 纬 CEB3.
const GBK = {
  派出所: [0xc5, 0xc9, 0xb3, 0xf6, 0xcb, 0xf9],
  名称: [0xc3, 0xfb, 0xb3, 0xc6],
  经度: [0xbe, 0xad, 0xb6, 0xc8],
  纬度: [0xce, 0xb3, 0xb6, 0xc8],
};
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A point shapefile's .shp (ESRI white paper, 1998): 100-byte header, then one 28-byte record per point. */
function pointShp(points: [number, number][]): Uint8Array {
  const bytes = new Uint8Array(100 + 28 * points.length);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, 9994, false);
  v.setInt32(24, bytes.length / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, 1, true);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((n, k) => v.setFloat64(36 + 8 * k, n, true));
  points.forEach(([x, y], i) => {
    const at = 100 + 28 * i;
    v.setInt32(at, i + 1, false);
    v.setInt32(at + 4, 10, false);
    v.setInt32(at + 8, 1, true);
    v.setFloat64(at + 12, x, true);
    v.setFloat64(at + 20, y, true);
  });
  return bytes;
}

/** A dBASE III table of character fields: `rows` hold each cell's raw bytes (any encoding). */
function dbf(fields: { name: string; length: number }[], rows: number[][][]): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((n, f) => n + f.length, 0);
  const bytes = new Uint8Array(headerLength + recordLength * rows.length + 1).fill(0x20, headerLength);
  const v = new DataView(bytes.buffer);
  bytes.set([0x03, 126, 12, 1]);
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  fields.forEach((f, k) => {
    const at = 32 + 32 * k;
    bytes.set(ascii(f.name), at);
    bytes[at + 11] = 'C'.charCodeAt(0);
    bytes[at + 16] = f.length;
  });
  bytes[headerLength - 1] = 0x0d;
  rows.forEach((cells, r) => {
    let at = headerLength + r * recordLength + 1;
    cells.forEach((cell, k) => {
      bytes.set(cell, at);
      at += fields[k]!.length;
    });
  });
  bytes[bytes.length - 1] = 0x1a;
  return bytes;
}

// The .prj of EPSG:4547 as EPSG writes it, and as ArcGIS writes the same system.
const PRJ_4547_EPSG =
  'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","4547"]]';
const PRJ_4547_ESRI =
  'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const PRJ_WGS84 = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

// EPSG:4547 easting / northing of three places. The first two are PROJ 9.1.1's
// (PostGIS 3.3 ST_Transform from lon/lat 114.5, 30.5 and 113.2, 22.8); the
// third lies on the central meridian, where the northing is the GRS80 meridian
// arc to 30°N, 3 320 113.398 m.
const GK_114 = [
  { xy: [547999.7612747967, 3375648.0326048625] as [number, number], lonLat: [114.5, 30.5] as [number, number] },
  { xy: [417859.753793848, 2522611.285183757] as [number, number], lonLat: [113.2, 22.8] as [number, number] },
  { xy: [500000, 3320113.398] as [number, number], lonLat: [114, 30] as [number, number] },
];

const GRID_LAYER = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { 网格编号: 'G-01', 网格名称: '东村一网格' },
      geometry: { type: 'Polygon', coordinates: [[[114.1, 30.1], [114.2, 30.1], [114.2, 30.2], [114.1, 30.2], [114.1, 30.1]]] },
    },
    {
      type: 'Feature',
      properties: { 网格编号: 'G-02', 网格名称: '东村二网格' },
      geometry: { type: 'MultiPolygon', coordinates: [[[[114.2, 30.1], [114.3, 30.1], [114.3, 30.2], [114.2, 30.1]]]] },
    },
  ],
};

const TWO_PLACEMARKS = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <Placemark>
      <name>东村一网格</name>
      <ExtendedData><Data name="网格编号"><value>G-01</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        114.1,30.1,0 114.2,30.1,0 114.2,30.2,0 114.1,30.2,0 114.1,30.1,0
      </coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
    <Placemark>
      <name>东村二网格</name>
      <ExtendedData><Data name="网格编号"><value>G-02</value></Data></ExtendedData>
      <MultiGeometry>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>114.2,30.1 114.3,30.1 114.3,30.2 114.2,30.1</coordinates></LinearRing></outerBoundaryIs></Polygon>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>114.4,30.1 114.5,30.1 114.5,30.2 114.4,30.1</coordinates></LinearRing></outerBoundaryIs></Polygon>
      </MultiGeometry>
    </Placemark>
  </Document>
</kml>`;

const TWO_PLACEMARKS_FEATURES = [
  {
    type: 'Feature',
    properties: { name: '东村一网格', 网格编号: 'G-01' },
    geometry: { type: 'Polygon', coordinates: [[[114.1, 30.1, 0], [114.2, 30.1, 0], [114.2, 30.2, 0], [114.1, 30.2, 0], [114.1, 30.1, 0]]] },
  },
  {
    type: 'Feature',
    properties: { name: '东村二网格', 网格编号: 'G-02' },
    // KML's MultiGeometry of polygons arrives as one MultiPolygon.
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [[[114.2, 30.1], [114.3, 30.1], [114.3, 30.2], [114.2, 30.1]]],
        [[[114.4, 30.1], [114.5, 30.1], [114.5, 30.2], [114.4, 30.1]]],
      ],
    },
  },
];

describe('GeoJSON', () => {
  it('reads a grid layer as it is: WGS-84, nothing reprojected, no problems', async () => {
    const layer = await parseImportFile({ fileName: 'grids.geojson', bytes: utf8(JSON.stringify(GRID_LAYER)) });
    expect(layer).toEqual({
      format: 'geojson',
      features: GRID_LAYER.features,
      sourceCrs: 'EPSG:4326',
      reprojected: false,
      datum: 'wgs84',
      encoding: 'utf-8',
      problems: [],
    });
  });

  it('takes a lone Feature and a bare geometry as one feature each, whatever the file is called', async () => {
    const feature = { type: 'Feature', properties: { name: '派出所' }, geometry: { type: 'Point', coordinates: [114.1, 30.1] } };
    const one = await parseImportFile({ fileName: 'upload', bytes: utf8(JSON.stringify(feature)) });
    expect(one.format).toBe('geojson');
    expect(one.features).toEqual([feature]);
    const bare = await parseImportFile({ fileName: 'line.json', bytes: utf8('{"type":"LineString","coordinates":[[114.1,30.1],[114.2,30.2]]}') });
    expect(bare.features).toEqual([{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[114.1, 30.1], [114.2, 30.2]] } }]);
  });

  it('refuses a geometry whose coordinates are not numbers, naming the feature, and keeps the others', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Point', coordinates: [114.1, 30.1] } },
        { type: 'Feature', properties: { code: 'B' }, geometry: { type: 'Polygon', coordinates: [[['114.1', '30.1']]] } },
      ],
    };
    const layer = await parseImportFile({ fileName: 'grids.geojson', bytes: utf8(JSON.stringify(fc)) });
    expect(layer.features.map((f) => f.geometry?.type ?? null)).toEqual(['Point', null]);
    expect(layer.problems).toEqual([
      { code: 'geometry_unreadable', severity: 'error', feature: 1, message: "Feature 2: the Polygon's coordinates are not lists of numbers as GeoJSON requires." },
    ]);
    const bare = await parseImportFile({ fileName: 'p.json', bytes: utf8('{"type":"Point","coordinates":[114.1]}') });
    expect(bare.problems).toEqual([
      { code: 'geometry_unreadable', severity: 'error', feature: 0, message: "Feature 1: the Point's coordinates are not lists of numbers as GeoJSON requires." },
    ]);
  });

  it('says an empty FeatureCollection holds no features', async () => {
    const layer = await parseImportFile({ fileName: 'empty.geojson', bytes: utf8('{"type":"FeatureCollection","features":[]}') });
    expect(layer.features).toEqual([]);
    expect(layer.problems).toEqual([{ code: 'no_features', severity: 'error', message: 'empty.geojson holds no features: there is nothing to import.' }]);
  });

  it('refuses broken JSON and JSON that is not GeoJSON, each with its reason', async () => {
    const broken = await parseImportFile({ fileName: 'grids.geojson', bytes: utf8('{"type":"FeatureCollection","features":[') });
    expect(codes(broken.problems)).toEqual(['unreadable']);
    expect(broken.problems[0]!.message).toMatch(/^grids\.geojson is not valid JSON \(/);
    const other = await parseImportFile({ fileName: 'settings.json', bytes: utf8('{"type":"Settings","zoom":12}') });
    expect(other.problems).toEqual([
      {
        code: 'unknown_format',
        severity: 'error',
        message: 'settings.json is JSON but not GeoJSON: it is not a FeatureCollection, a Feature or a geometry (its "type" is “Settings”).',
      },
    ]);
  });

  it('reprojects a layer whose crs names a CGCS2000 Gauss–Krüger zone, with or without the zone prefix', async () => {
    const at = (crs: string, xy: [number, number]) =>
      utf8(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: crs } }, features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: xy } }] }));
    const cm114 = await parseImportFile({ fileName: 'a.geojson', bytes: at('urn:ogc:def:crs:EPSG::4547', GK_114[0]!.xy) });
    expect(cm114.sourceCrs).toBe('EPSG:4547');
    expect(cm114.reprojected).toBe(true);
    expectNear(coordinatesOf(cm114), [114.5, 30.5], 1e-6);
    // EPSG:4526 is zone 38 (CM 114E) with 38 written before the easting: PROJ gives 38547999.7612747967.
    const zone38 = await parseImportFile({ fileName: 'b.geojson', bytes: at('EPSG:4526', [38547999.7612747967, 3375648.0326048625]) });
    expectNear(coordinatesOf(zone38), [114.5, 30.5], 1e-6);
    const plain = await parseImportFile({ fileName: 'c.geojson', bytes: at('urn:ogc:def:crs:OGC:1.3:CRS84', [114.5, 30.5]) });
    expect(plain.reprojected).toBe(false);
    expect(coordinatesOf(plain)).toEqual([114.5, 30.5]);
  });

  it('refuses a crs it cannot convert rather than guessing', async () => {
    const bytes = utf8(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:2385' } }, features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }] }));
    const layer = await parseImportFile({ fileName: 'xian80.geojson', bytes });
    expect(layer.features).toEqual([]);
    expect(layer.problems).toEqual([
      {
        code: 'projection_unknown',
        severity: 'error',
        message: 'xian80.geojson names its coordinate system “EPSG:2385”, which GridSight cannot convert to longitude / latitude. Export the layer as WGS-84 (EPSG:4326) or CGCS2000 (EPSG:4490).',
      },
    ]);
  });

  it('reports a feature in metres instead of degrees as out of range, one error per feature', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [114.5, 30.5] } },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[114.5, 30.5], [547999.76, 3375648.03]] } },
      ],
    };
    const layer = await parseImportFile({ fileName: 'roads.geojson', bytes: utf8(JSON.stringify(fc)) });
    expect(layer.problems).toEqual([
      {
        code: 'coordinates_out_of_range',
        severity: 'error',
        feature: 1,
        message: 'Feature 2 has a point at (547999.76, 3375648.03), outside longitude −180…180 / latitude −90…90. The coordinates may be in a projected system (metres) rather than longitude / latitude.',
      },
    ]);
  });
});

describe('GCJ-02 and BD-09 to WGS-84', () => {
  const point = (lonLat: [number, number]) => utf8(JSON.stringify({ type: 'Point', coordinates: lonLat }));

  // Published pairs: WGS-84 (116.404, 39.915) is GCJ-02 (116.41024449916938,
  // 39.91640428150164) and BD-09 (116.41662724378733, 39.922699552216216) in
  // the coordtransform test vectors (also Hutool's CoordinateUtilTest); gcoord's
  // README gives GCJ-02 (123, 45) → WGS-84 (122.99395597, 44.99804071) and
  // WGS-84 (116.403988, 39.914266) → BD-09 (116.41661560068297, 39.92196580126834).
  it.each([
    ['gcj02', [116.41024449916938, 39.91640428150164], [116.404, 39.915]],
    ['gcj02', [123, 45], [122.99395597, 44.99804071]],
    ['bd09', [116.41662724378733, 39.922699552216216], [116.404, 39.915]],
    ['bd09', [116.41661560068297, 39.92196580126834], [116.403988, 39.914266]],
  ] as const)('%s %j is WGS-84 %j', async (datum, from, to) => {
    const layer = await parseImportFile({ fileName: 'copied.geojson', bytes: point([...from]), datum });
    expect(layer.datum).toBe(datum);
    expectNear(coordinatesOf(layer), [...to], 1e-5);
    expect(layer.problems).toEqual([]);
  });

  it('converts every vertex of every geometry and keeps the altitude', async () => {
    const kml = TWO_PLACEMARKS.replace('114.1,30.1,0 114.2,30.1,0', '116.41024449916938,39.91640428150164,12 114.2,30.1,0');
    const layer = await parseImportFile({ fileName: 'grids.kml', bytes: utf8(kml), datum: 'gcj02' });
    const g = layer.features[0]!.geometry;
    if (g?.type !== 'Polygon') throw new Error('expected a Polygon');
    expectNear(g.coordinates[0]![0]!, [116.404, 39.915], 1e-5);
    expect(g.coordinates[0]![0]![2]).toBe(12);
    // Every vertex moved: the GCJ-02 offset near 114°E 30°N is hundreds of metres.
    const before = [[114.2, 30.1], [114.2, 30.2], [114.1, 30.2]];
    g.coordinates[0]!.slice(1, 4).forEach((p, k) => expect(Math.abs(p[0]! - before[k]![0]!) + Math.abs(p[1]! - before[k]![1]!)).toBeGreaterThan(1e-3));
  });

  it('leaves WGS-84 exactly as it was', async () => {
    const layer = await parseImportFile({ fileName: 'a.json', bytes: point([116.404, 39.915]) });
    expect(coordinatesOf(layer)).toEqual([116.404, 39.915]);
  });
});

describe('KML and KMZ', () => {
  it('reads two placemarks with their names and ExtendedData', async () => {
    const layer = await parseImportFile({ fileName: 'grids.kml', bytes: utf8(TWO_PLACEMARKS) });
    expect(layer).toEqual({
      format: 'kml',
      features: TWO_PLACEMARKS_FEATURES,
      sourceCrs: 'EPSG:4326',
      reprojected: false,
      datum: 'wgs84',
      encoding: 'utf-8',
      problems: [],
    });
  });

  it('reads the same placemarks from a KMZ, its doc.kml beside an image', async () => {
    const bytes = zipSync({ 'doc.kml': utf8(TWO_PLACEMARKS), 'files/icon.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
    const layer = await parseImportFile({ fileName: 'grids.kmz', bytes });
    expect(layer.format).toBe('kmz');
    expect(layer.features).toEqual(TWO_PLACEMARKS_FEATURES);
    expect(layer.problems).toEqual([]);
  });

  it('reads a KML that declares GBK', async () => {
    const head = utf8('<?xml version="1.0" encoding="GBK"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>');
    const tail = utf8('</name><Point><coordinates>114.1,30.1</coordinates></Point></Placemark></kml>');
    const layer = await parseImportFile({ fileName: 'police.kml', bytes: new Uint8Array([...head, ...GBK.派出所, ...tail]) });
    expect(layer.encoding).toBe('gbk');
    expect(layer.features[0]!.properties).toEqual({ name: '派出所' });
  });

  it('refuses a placemark whose coordinates are not numbers, and XML that is broken or not KML', async () => {
    const badCoordinates = TWO_PLACEMARKS.replace('114.2,30.1 114.3,30.1', 'abc,def 114.3,30.1').replace('114.4,30.1 114.5,30.1', 'x,y 114.5,30.1');
    const bad = await parseImportFile({ fileName: 'grids.kml', bytes: utf8(badCoordinates) });
    // togeojson alone would drop the two tuples and close each ring over the gap.
    expect(bad.features.map((f) => f.geometry?.type ?? null)).toEqual(['Polygon', null]);
    expect(bad.problems).toEqual([
      {
        code: 'geometry_unreadable',
        severity: 'error',
        feature: 1,
        message: 'Placemark 2 (“东村二网格”) has a coordinate that is not numbers (longitude,latitude[,altitude]): “abc,def”.',
      },
    ]);
    const broken = await parseImportFile({ fileName: 'grids.kml', bytes: utf8('<kml><Placemark><name>x</name></kml>') });
    expect(codes(broken.problems)).toEqual(['unreadable']);
    expect(broken.problems[0]!.message).toMatch(/^grids\.kml is not well-formed XML: /);
    const gpx = await parseImportFile({ fileName: 'track.gpx', bytes: utf8('<?xml version="1.0"?><gpx version="1.1"><trk/></gpx>') });
    expect(gpx.problems).toEqual([{ code: 'unknown_format', severity: 'error', message: 'track.gpx is XML but not KML: its root element is <gpx>, not <kml>.' }]);
  });
});

describe('CSV', () => {
  it('reads key locations under Chinese headers, with a quoted name holding a comma, a BOM and CRLF', async () => {
    const text = '\uFEFF名称,类别,经度,纬度\r\n"东村派出所,警务室",派出所,114.123456,30.654321\r\n卫生院,医疗,114.2,30.7\r\n';
    const layer = await parseImportFile({ fileName: '重点场所.csv', bytes: utf8(text) });
    expect(layer).toEqual({
      format: 'csv',
      features: [
        { type: 'Feature', properties: { 名称: '东村派出所,警务室', 类别: '派出所' }, geometry: { type: 'Point', coordinates: [114.123456, 30.654321] } },
        { type: 'Feature', properties: { 名称: '卫生院', 类别: '医疗' }, geometry: { type: 'Point', coordinates: [114.2, 30.7] } },
      ],
      sourceCrs: 'EPSG:4326',
      reprojected: false,
      datum: 'wgs84',
      encoding: 'utf-8',
      problems: [],
    });
  });

  it('reads a GBK file from Excel, and says it guessed the encoding', async () => {
    const bytes = new Uint8Array([...GBK.名称, 0x2c, ...GBK.经度, 0x2c, ...GBK.纬度, 0x0d, 0x0a, ...GBK.派出所, ...ascii(',114.5,30.5'), 0x0d, 0x0a]);
    const layer = await parseImportFile({ fileName: 'points.csv', bytes });
    expect(layer.encoding).toBe('gbk');
    expect(layer.features).toEqual([{ type: 'Feature', properties: { 名称: '派出所' }, geometry: { type: 'Point', coordinates: [114.5, 30.5] } }]);
    expect(layer.problems).toEqual([
      {
        code: 'encoding_unknown',
        severity: 'warning',
        message: 'points.csv is not UTF-8, so it was read as GBK (what Excel uses on a Chinese Windows). If names look wrong, save the file as UTF-8 and upload it again.',
      },
    ]);
  });

  it('reads Excel\'s "Unicode text": UTF-16LE with a byte-order mark, tab-separated', async () => {
    const text = '名称\t经度\t纬度\r\n派出所\t114.5\t30.5\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    [...text].forEach((c, i) => new DataView(bytes.buffer).setUint16(2 + 2 * i, c.charCodeAt(0), true));
    const layer = await parseImportFile({ fileName: '重点场所.txt', bytes });
    expect(layer.encoding).toBe('utf-16le');
    expect(layer.features).toEqual([{ type: 'Feature', properties: { 名称: '派出所' }, geometry: { type: 'Point', coordinates: [114.5, 30.5] } }]);
    expect(layer.problems).toEqual([]);
  });

  it('accepts lon / lat in any case, a quoted field over two lines, tabs, and columns the administrator names', async () => {
    const tabbed = await parseImportFile({ fileName: 'a.txt', bytes: utf8('Name\tLNG\tLat\n"two\nlines"\t114.1\t30.1\n') });
    expect(tabbed.features).toEqual([{ type: 'Feature', properties: { Name: 'two\nlines' }, geometry: { type: 'Point', coordinates: [114.1, 30.1] } }]);
    const chosen = await parseImportFile({ fileName: 'b.csv', bytes: utf8('名称,X坐标,Y坐标\n祠堂,114.3,30.3\n'), csv: { lon: 'x坐标', lat: 'Y坐标' } });
    expect(chosen.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [114.3, 30.3] });
  });

  it('names the row and line of a coordinate that is not a number, and a header without coordinate columns', async () => {
    const layer = await parseImportFile({ fileName: 'a.csv', bytes: utf8('name,lon,lat\nA,114.1,30.1\n\n"B\nC",114°E,30.2\n') });
    expect(layer.features.map((f) => f.geometry?.type ?? null)).toEqual(['Point', null]);
    expect(layer.problems).toEqual([{ code: 'geometry_unreadable', severity: 'error', feature: 1, message: 'Row 2 (line 4): the longitude “114°E” is not a decimal number of degrees.' }]);
    const headerless = await parseImportFile({ fileName: 'b.csv', bytes: utf8('名称,地址\n祠堂,东村\n') });
    expect(headerless.problems).toEqual([
      {
        code: 'csv_columns_missing',
        severity: 'error',
        message: 'The CSV\'s first line has no longitude (lon / lng / long / longitude / 经度) and latitude (lat / latitude / 纬度) column. Its columns are: “名称”, “地址”.',
      },
    ]);
  });

  it('reports swapped columns as out of range with the likely cause', async () => {
    const layer = await parseImportFile({ fileName: 'a.csv', bytes: utf8('name,lat,lon\nA,114.1,30.1\n') });
    expect(layer.problems).toEqual([
      {
        code: 'coordinates_out_of_range',
        severity: 'error',
        feature: 0,
        message: 'Feature 1 has a point at (30.1, 114.1), outside longitude −180…180 / latitude −90…90. Check that the longitude and latitude columns are not swapped and hold decimal degrees.',
      },
    ]);
  });
});

describe('Shapefile', () => {
  it.each([
    ['EPSG', PRJ_4547_EPSG, 'CGCS2000 / 3-degree Gauss-Kruger CM 114E'],
    ['ArcGIS', PRJ_4547_ESRI, 'CGCS2000_3_Degree_GK_CM_114E'],
  ])('reprojects CGCS2000 / 3-degree Gauss–Krüger CM 114E (EPSG:4547) from the .prj as %s writes it', async (_who, prj, name) => {
    const layer = await parseShapefileParts({ shp: pointShp(GK_114.map((p) => p.xy)), prj });
    expect(layer.format).toBe('shapefile');
    expect(layer.sourceCrs).toBe(name);
    expect(layer.reprojected).toBe(true);
    expect(codes(layer.problems)).toEqual(['attributes_missing']);
    GK_114.forEach((p, i) => expectNear(coordinatesOf(layer, i), p.lonLat, 1e-6));
  });

  it('warns that a Xi\'an 1980 or Beijing 1954 .prj is used without a datum shift', async () => {
    const xian =
      'PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const projected = await parseShapefileParts({ shp: pointShp([[500000, 3320000]]), dbf: dbf([{ name: 'N', length: 2 }], [[ascii('a')]]), prj: xian }, { name: 'x.shp' });
    expect(projected.reprojected).toBe(true);
    // On the central meridian the longitude is the meridian's, whatever the ellipsoid.
    expect(Math.abs(coordinatesOf(projected)[0]! - 114)).toBeLessThan(1e-9);
    expect(projected.problems).toEqual([
      {
        code: 'datum_assumed',
        severity: 'warning',
        message: 'x.shp: the .prj names the datum “D_Xian_1980”, not WGS-84 or CGCS2000. Its coordinates were used without a datum shift, which can put them up to about 100 m off; export the layer in CGCS2000 or WGS-84 if it must be exact.',
      },
    ]);
    const beijing = 'GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    const geographic = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]), dbf: dbf([{ name: 'N', length: 2 }], [[ascii('a')]]), prj: beijing });
    expect(coordinatesOf(geographic)).toEqual([114.5, 30.5]);
    expect(codes(geographic.problems)).toEqual(['datum_assumed']);
  });

  it('refuses a .prj it cannot read, converting nothing', async () => {
    const prj = 'PROJCS["Local grid",GEOGCS["GCS_Local",DATUM["D_Local",SPHEROID["Local",6378140,298.257]]],PROJECTION["Our_Own_Projection"],UNIT["Meter",1]]';
    const layer = await parseShapefileParts({ shp: pointShp([[500000, 3000000]]), prj }, { name: 'local.shp' });
    expect(layer.features).toEqual([]);
    expect(layer.problems).toEqual([
      { code: 'attributes_missing', severity: 'warning', message: 'local.shp: there is no .dbf file, so the features have no attributes (no codes, no names).' },
      {
        code: 'projection_unknown',
        severity: 'error',
        message: `local.shp: the coordinate system in the .prj file cannot be read, so the coordinates cannot be converted to longitude / latitude. The .prj says: ${prj.slice(0, 120)}…`,
      },
    ]);
  });

  it('takes a shapefile without .prj as longitude / latitude, and says so', async () => {
    const layer = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]) }, { name: 'pois.shp' });
    expect(coordinatesOf(layer)).toEqual([114.5, 30.5]);
    expect(layer.sourceCrs).toBe('EPSG:4326');
    expect(layer.encoding).toBeNull();
    expect(layer.problems).toEqual([
      { code: 'attributes_missing', severity: 'warning', message: 'pois.shp: there is no .dbf file, so the features have no attributes (no codes, no names).' },
      { code: 'projection_missing', severity: 'warning', message: 'pois.shp: there is no .prj file; the coordinates were taken as WGS-84 / CGCS2000 longitude and latitude.' },
    ]);
  });

  it('reads a GBK .dbf without .cpg as GBK with a warning, and one the .cpg names without', async () => {
    const table = dbf([{ name: 'NAME', length: 20 }, { name: 'CODE', length: 6 }], [[GBK.派出所, ascii('K-01')]]);
    const guessed = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]), dbf: table, prj: PRJ_WGS84 }, { name: 'pois.shp' });
    expect(guessed.encoding).toBe('gbk');
    expect(guessed.features[0]!.properties).toEqual({ NAME: '派出所', CODE: 'K-01' });
    expect(guessed.sourceCrs).toBe('GCS_WGS_1984');
    expect(guessed.problems).toEqual([
      {
        code: 'encoding_unknown',
        severity: 'warning',
        message: 'pois.shp: the attribute table (.dbf) is not UTF-8 and no .cpg file names its encoding, so it was read as GBK. If names or codes look wrong, add a .cpg file holding the encoding (for example UTF-8, GBK or 1252) to the zip.',
      },
    ]);
    for (const cpg of ['GBK', '936', 'ANSI 936', 'CP936']) {
      const named = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]), dbf: table, prj: PRJ_WGS84, cpg });
      expect(named.encoding).toBe('gbk');
      expect(named.features[0]!.properties).toEqual({ NAME: '派出所', CODE: 'K-01' });
      expect(named.problems).toEqual([]);
    }
  });

  it('reads a UTF-8 .dbf without .cpg as UTF-8, and warns about a .cpg naming an encoding it cannot read', async () => {
    const table = dbf([{ name: 'NAME', length: 20 }], [[[...utf8('派出所')]]]);
    const plain = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]), dbf: table, prj: PRJ_WGS84 });
    expect(plain.encoding).toBe('utf-8');
    expect(plain.features[0]!.properties).toEqual({ NAME: '派出所' });
    expect(plain.problems).toEqual([]);
    const odd = await parseShapefileParts({ shp: pointShp([[114.5, 30.5]]), dbf: table, prj: PRJ_WGS84, cpg: 'EBCDIC-37' }, { name: 'a.shp' });
    expect(odd.encoding).toBe('utf-8');
    expect(odd.problems).toEqual([
      {
        code: 'encoding_unknown',
        severity: 'warning',
        message:
          'a.shp: the .cpg file names the encoding “EBCDIC-37”, which cannot be read; the attribute table was read as UTF-8 (its text is valid UTF-8) instead. If names or codes look wrong, put the right encoding (for example UTF-8, GBK or 1252) in the .cpg file.',
      },
    ]);
  });

  it('reads a zipped shapefile from a folder inside the zip, with its .cpg', async () => {
    const table = dbf([{ name: 'NAME', length: 20 }], [[GBK.派出所]]);
    const bytes = zipSync({
      '重点场所/pois.shp': pointShp([GK_114[0]!.xy]),
      '重点场所/pois.dbf': table,
      '重点场所/pois.prj': utf8(PRJ_4547_EPSG),
      '重点场所/pois.cpg': utf8('GBK'),
      '重点场所/readme.txt': utf8('made by the test'),
    });
    const layer = await parseImportFile({ fileName: 'pois.zip', bytes });
    expect(layer.format).toBe('shapefile');
    expect(layer.encoding).toBe('gbk');
    expect(layer.sourceCrs).toBe('CGCS2000 / 3-degree Gauss-Kruger CM 114E');
    expect(layer.features).toHaveLength(1);
    expect(layer.features[0]!.properties).toEqual({ NAME: '派出所' });
    expectNear(coordinatesOf(layer), [114.5, 30.5], 1e-6);
    expect(layer.problems).toEqual([]);
  });

  it('refuses two shapefiles in one zip, naming both', async () => {
    const bytes = zipSync({ 'grids.shp': pointShp([[114, 30]]), 'villages/villages.shp': pointShp([[114, 30]]) });
    const layer = await parseImportFile({ fileName: 'township.zip', bytes });
    expect(layer.features).toEqual([]);
    expect(layer.problems).toEqual([
      {
        code: 'multiple_shapefiles',
        severity: 'error',
        message: 'township.zip holds 2 shapefiles (grids.shp, villages/villages.shp); put one layer in each zip and import them one at a time.',
      },
    ]);
  });

  it('asks for a zip when given one part of a shapefile', async () => {
    const layer = await parseImportFile({ fileName: 'grids.shp', bytes: pointShp([[114, 30]]) });
    expect(codes(layer.problems)).toEqual(['shapefile_not_zipped']);
    expect(layer.format).toBe('shapefile');
  });
});

describe('bad input is a report, never a throw', () => {
  it('refuses junk bytes as unreadable, with no features', async () => {
    const junk = Uint8Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256);
    const layer = await parseImportFile({ fileName: 'grids.geojson', bytes: junk });
    expect(layer).toEqual({
      format: null,
      features: [],
      sourceCrs: 'EPSG:4326',
      reprojected: false,
      datum: 'wgs84',
      encoding: null,
      problems: [
        {
          code: 'unreadable',
          severity: 'error',
          message: 'grids.geojson cannot be read: it is not text, and not a zip. GridSight imports GeoJSON, KML / KMZ, zipped shapefiles and CSV.',
        },
      ],
    });
  });

  it('refuses an empty file, a broken zip, a zip with neither shapefile nor KML, and text of no known kind', async () => {
    expect((await parseImportFile({ fileName: 'a.kml', bytes: new Uint8Array() })).problems).toEqual([{ code: 'unreadable', severity: 'error', message: 'a.kml is empty (0 bytes).' }]);
    const zip = zipSync({ 'a.txt': utf8('hello'), 'b.png': new Uint8Array([1, 2, 3]) });
    const truncated = await parseImportFile({ fileName: 'a.zip', bytes: zip.slice(0, 30) });
    expect(codes(truncated.problems)).toEqual(['unreadable']);
    expect(truncated.problems[0]!.message).toMatch(/^a\.zip is not a readable zip archive \(/);
    expect((await parseImportFile({ fileName: 'a.zip', bytes: zip })).problems).toEqual([
      { code: 'unknown_format', severity: 'error', message: 'a.zip is a zip with neither a shapefile (.shp) nor a KML file (.kml) in it. It holds: a.txt, b.png.' },
    ]);
    expect((await parseImportFile({ fileName: 'notes.md', bytes: utf8('# Grid cells\nSee the county map.') })).problems).toEqual([
      {
        code: 'unknown_format',
        severity: 'error',
        message: 'notes.md is not a format GridSight imports. Upload GeoJSON (.geojson / .json), KML or KMZ, a zipped shapefile, or a CSV with longitude and latitude columns.',
      },
    ]);
  });

  it('answers any bytes under any name with a layer, and an empty layer always carries an error', async () => {
    const shapefileZip = zipSync({ 'a.shp': pointShp([[114, 30]]), 'a.prj': utf8(PRJ_4547_EPSG), 'a.dbf': dbf([{ name: 'N', length: 4 }], [[ascii('x')]]) });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // Damaged copies of real inputs: cut short, or one byte changed.
      fc.tuple(fc.constantFrom(shapefileZip, utf8(TWO_PLACEMARKS), utf8(JSON.stringify(GRID_LAYER))), fc.nat(), fc.nat(255)).map(([b, at, v]) => {
        const copy = b.slice(0, Math.max(1, at % b.length));
        copy[at % copy.length] = v;
        return copy;
      }),
    );
    const name = fc.constantFrom('a.zip', 'a.kmz', 'a.kml', 'a.geojson', 'a.csv', 'a.shp', 'a', '网格.json');
    await fc.assert(
      fc.asyncProperty(bytes, name, fc.constantFrom<SourceDatum>('wgs84', 'gcj02', 'bd09'), async (b, fileName, datum) => {
        const layer = await parseImportFile({ fileName, bytes: b, datum });
        expect(layer.datum).toBe(datum);
        expect(layer.features.length > 0 || layer.problems.some((p) => p.severity === 'error')).toBe(true);
        for (const p of layer.problems) expect(p.message.length).toBeGreaterThan(10);
      }),
      { numRuns: 300 },
    );
  });
});
