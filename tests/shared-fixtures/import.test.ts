// Real third-party files through the import parser: mbostock/shapefile's test
// shapefiles against that project's own expected GeoJSON, and
// @tmcw/togeojson's test KML files against what togeojson itself makes of
// them. (None of them lies in any township: import-outside.test.ts takes
// each through the PostGIS preview and sees it reported outside.)
import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayerFeatures } from '../../lib/import/fields';
import { parseImportFile, parseShapefileParts } from '../../lib/import/parse';
import { IMPORT_LAYERS, isImportable, type ImportFeature, type ImportLayer, type ImportProblem } from '../../lib/import/types';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const SHP_DIR = join(FIXTURES, 'shapefile');
const KML_DIR = join(FIXTURES, 'kml');
const codes = (problems: ImportProblem[]) => problems.map((p) => p.code);

function parseFixture(name: string, cpg?: string) {
  const part = (ext: string) => (existsSync(join(SHP_DIR, `${name}.${ext}`)) ? readFileSync(join(SHP_DIR, `${name}.${ext}`)) : undefined);
  return parseShapefileParts({ shp: readFileSync(join(SHP_DIR, `${name}.shp`)), dbf: part('dbf'), prj: part('prj'), cpg: cpg ?? part('cpg') }, { name: `${name}.shp` });
}
const expectedFeatures = (name: string): ImportFeature[] => (JSON.parse(readFileSync(join(SHP_DIR, `${name}.json`), 'utf8')) as { features: ImportFeature[] }).features;

/**
 * The shapefile project compares the same way (its test/index-test.js): a
 * property whose DBF cell is blank (null) and ogr2ogr's FID column are left
 * out of what is read. Dates need no fixing: the importer keeps a DBF date as
 * the file wrote it ('20130102'), which is what the expected JSON holds.
 */
const asUpstreamCompares = (features: ImportFeature[]): ImportFeature[] =>
  features.map((f) => ({ ...f, properties: Object.fromEntries(Object.entries(f.properties ?? {}).filter(([k, v]) => v !== null && k !== 'FID')) }));

// Each file the importer takes, with the warnings it must give. number-null-property
// and singleton come without a .prj, polygonm with neither .prj nor .dbf.
const SHAPEFILES_READ: [string, ImportProblem['code'][]][] = [
  ['boolean-property', []],
  ['date-property', []],
  ['mixed-properties', []],
  ['multipoints', []],
  ['null', []],
  ['points', []],
  ['polygons', []],
  ['polylines', []],
  ['utf8-property', []],
  ['number-null-property', ['projection_missing']],
  ['singleton', ['projection_missing']],
  ['polygonm', ['attributes_missing', 'projection_missing']],
];

describe('shapefiles from mbostock/shapefile', () => {
  it('covers every .shp in the fixtures: each is read below or refused with a reason', () => {
    const all = readdirSync(SHP_DIR).filter((f) => f.endsWith('.shp')).map((f) => f.slice(0, -4)).sort();
    expect(all).toEqual([...SHAPEFILES_READ.map(([n]) => n), 'empty', 'latin1-property'].sort());
  });

  it.each(SHAPEFILES_READ)('%s reads as the project expects, with warnings %j', async (name, warnings) => {
    const layer = await parseFixture(name);
    expect(layer.format).toBe('shapefile');
    expect(asUpstreamCompares(layer.features)).toEqual(expectedFeatures(name));
    expect(codes(layer.problems)).toEqual(warnings);
    expect(layer.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(layer.reprojected).toBe(false);
  });

  it('reads the .cpg of utf8-property and the .prj name of the WGS-84 files', async () => {
    const layer = await parseFixture('utf8-property');
    expect(layer.encoding).toBe('utf-8');
    expect(layer.sourceCrs).toBe('GCS_WGS_1984');
    expect(layer.features[0]!.properties).toEqual({ '☃': 'ηελλο ςορλδ' });
  });

  it('refuses empty: it has no records', async () => {
    const layer = await parseFixture('empty');
    expect(expectedFeatures('empty')).toEqual([]);
    expect(layer.features).toEqual([]);
    expect(layer.problems).toEqual([{ code: 'no_features', severity: 'error', message: 'empty.shp holds no features: there is nothing to import.' }]);
  });

  // latin1-property's DBF holds "México" in Latin-1 and no .cpg says so. Its
  // bytes are not UTF-8, and GBK is what an unlabelled Chinese DBF usually is,
  // so the importer reads GBK — which turns "é" and the "x" after it into one
  // Chinese character — and says so: the text is not mangled silently. With a
  // .cpg naming the encoding, the project's expected text comes out.
  it('reads latin1-property as GBK with an encoding warning, and as the project expects once a .cpg names Latin-1', async () => {
    const guessed = await parseFixture('latin1-property');
    expect(guessed.encoding).toBe('gbk');
    expect(guessed.features).toEqual([{ type: 'Feature', properties: { name: 'M閤ico' }, geometry: { type: 'Point', coordinates: [3, 4] } }]);
    expect(guessed.problems).toEqual([
      {
        code: 'encoding_unknown',
        severity: 'warning',
        message:
          'latin1-property.shp: the attribute table (.dbf) is not UTF-8 and no .cpg file names its encoding, so it was read as GBK. If names or codes look wrong, add a .cpg file holding the encoding (for example UTF-8, GBK or 1252) to the zip.',
      },
    ]);
    for (const cpg of ['ISO-8859-1', '1252']) {
      const named = await parseFixture('latin1-property', cpg);
      expect(named.encoding).toBe('windows-1252');
      expect(named.features).toEqual(expectedFeatures('latin1-property'));
      expect(named.problems).toEqual([]);
    }
  });
});

// Feature geometry types, checked by reading each file: addresses.kml has 15
// placemarks, each a Point with empty <coordinates/> beside a gx:Track — the
// tracks with two <gx:coord> are lines, those with one are points, the rest
// empty; a bare LinearRing is a line; MultiGeometry of two lines is one
// feature (a MultiLineString here, a GeometryCollection in togeojson), of a
// line and a point a GeometryCollection; nogeomplacemark and null_geometry
// have a placemark with no geometry at all.
const KML_TYPES: Record<string, (string | null)[]> = {
  'togeojson-addresses.kml': [null, 'LineString', null, 'Point', 'Point', 'Point', 'Point', 'Point', null, null, null, null, null, 'LineString', null],
  'togeojson-cdata.kml': ['Point'],
  'togeojson-extended_data.kml': ['Point'],
  'togeojson-linear_ring.kml': ['LineString'],
  'togeojson-linestring.kml': ['LineString', 'LineString'],
  'togeojson-multigeometry.kml': ['MultiLineString'],
  'togeojson-multigeometry_discrete.kml': ['GeometryCollection'],
  'togeojson-nogeomplacemark.kml': [null],
  'togeojson-noname.kml': ['LineString'],
  'togeojson-null_geometry.kml': [null],
  'togeojson-point.kml': ['Point'],
  'togeojson-point_id.kml': ['Point'],
  'togeojson-polygon.kml': ['Polygon'],
  'togeojson-schema.kml': ['Polygon'],
  'togeojson-simpledata.kml': ['Point', 'Point'],
  'togeojson-style.kml': ['Point', 'Point', 'Point'],
  'togeojson-twopoints.kml': ['Point', 'Point'],
};

const readKmlFixture = (name: string) => readFileSync(join(KML_DIR, name));
const togeojsonOf = (bytes: Uint8Array) => kml(new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'text/xml')).features;

describe('KML files from @tmcw/togeojson', () => {
  it('covers every .kml in the fixtures', () => {
    expect(readdirSync(KML_DIR).filter((f) => f.endsWith('.kml')).sort()).toEqual([...Object.keys(KML_TYPES), 'togeojson-bad.kml'].sort());
  });

  it.each(Object.entries(KML_TYPES))('%s reads without a problem, with the geometry types the file holds', async (name, types) => {
    const layer = await parseImportFile({ fileName: name, bytes: readKmlFixture(name) });
    expect(layer.format).toBe('kml');
    expect(layer.encoding).toBe('utf-8');
    expect(layer.problems).toEqual([]);
    expect(layer.features.map((f) => f.geometry?.type ?? null)).toEqual(types);
  });

  it.each(Object.keys(KML_TYPES).filter((n) => n !== 'togeojson-multigeometry.kml'))('%s reads exactly as togeojson reads it', async (name) => {
    const bytes = readKmlFixture(name);
    const layer = await parseImportFile({ fileName: name, bytes });
    expect(layer.features).toEqual(togeojsonOf(bytes));
  });

  it('makes the MultiGeometry of two lines one MultiLineString of the same lines togeojson finds', async () => {
    const bytes = readKmlFixture('togeojson-multigeometry.kml');
    const layer = await parseImportFile({ fileName: 'multigeometry.kml', bytes });
    expect(layer.features[0]!.properties).toEqual(togeojsonOf(bytes)[0]!.properties);
    expect(layer.features[0]!.geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [[-122.4425587930444, 37.80666418607323, 0], [-122.4428379594768, 37.80663578323093, 0]],
        [[-122.4425509770566, 37.80662588061205, 0], [-122.4428340530617, 37.8065999493009, 0]],
      ],
    });
  });

  it('refuses bad.kml: every placemark has coordinates that are not numbers (togeojson gives them null geometry without a word)', async () => {
    const layer = await parseImportFile({ fileName: 'bad.kml', bytes: readKmlFixture('togeojson-bad.kml') });
    expect(layer.features.map((f) => f.geometry)).toEqual([null, null, null]);
    expect(layer.problems).toEqual([
      { code: 'geometry_unreadable', severity: 'error', feature: 0, message: 'Placemark 1 has a coordinate that is not numbers (longitude,latitude[,altitude]): “no,no”.' },
      { code: 'geometry_unreadable', severity: 'error', feature: 1, message: 'Placemark 2 (“unextruded”) has a coordinate that is not numbers (longitude,latitude[,altitude]): “no,no,0”.' },
      { code: 'geometry_unreadable', severity: 'error', feature: 2, message: 'Placemark 3 (“hollow box”) has a coordinate that is not numbers (longitude,latitude[,altitude]): “no,30”.' },
    ]);
    expect(isImportable(layer.problems)).toBe(false);
  });

  it('refuses the placemarks without geometry and the mixed MultiGeometry as every layer', async () => {
    const geometryCodes = (layer: ImportLayer, features: ImportFeature[]) => codes(checkLayerFeatures(layer, features)).filter((c) => c.startsWith('geometry'));
    const mixed = await parseImportFile({ fileName: 'm.kml', bytes: readKmlFixture('togeojson-multigeometry_discrete.kml') });
    for (const layer of IMPORT_LAYERS) {
      for (const name of ['togeojson-nogeomplacemark.kml', 'togeojson-null_geometry.kml']) {
        const parsed = await parseImportFile({ fileName: name, bytes: readKmlFixture(name) });
        expect(geometryCodes(layer, parsed.features)).toEqual(['geometry_missing']);
      }
      expect(geometryCodes(layer, mixed.features)).toEqual(['geometry_wrong_type']);
    }
  });
});
