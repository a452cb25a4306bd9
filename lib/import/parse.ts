// One door for every import file: tells the format from the name and the
// bytes, reads it (GeoJSON, KML, KMZ, zipped shapefile, CSV), brings the
// coordinates to WGS-84 and lists what is wrong in words an administrator can
// act on. It never throws on bad input: a file that cannot be read is a
// ParsedLayer with an error and no features. Pure code: no database, no
// Node-only modules, so the CLI, the API and a browser preview can all use it.
import { unzipSync } from 'fflate';
import type { Geometry } from 'geojson';
import { looksLikeCsv, readCsv, type CsvColumns } from './csv';
import { convertDatum, geometryShapeError, mergeCollection, projectionForEpsg, rangeProblems, reproject } from './geometry';
import { readKml } from './kml';
import { isShp, readShapefile, type ShapefileParts } from './shapefile';
import { decodeText, utf16Bom, zipEntryName } from './text';
import type { ImportFeature, ImportProblem, ParsedLayer, SourceDatum, SourceFormat } from './types';

export type { ShapefileParts } from './shapefile';
export type { CsvColumns } from './csv';

export interface ImportFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** What the administrator says the coordinates are; WGS-84 unless told. */
  datum?: SourceDatum;
  /** For a CSV: the longitude / latitude column names, when the header's are not recognised. */
  csv?: CsvColumns;
}

/** What a reader hands back before the common steps (datum, ranges, emptiness). */
interface Read {
  format: SourceFormat | null;
  features: ImportFeature[];
  sourceCrs: string;
  reprojected: boolean;
  encoding: string | null;
  problems: ImportProblem[];
  /** Added to an out-of-range message: the likely cause for this kind of file. */
  rangeHint: string;
}

const RANGE_HINT = 'The coordinates may be in a projected system (metres) rather than longitude / latitude.';

const refused = (format: SourceFormat | null, code: ImportProblem['code'], message: string, encoding: string | null = null): Read => ({
  format,
  features: [],
  sourceCrs: 'EPSG:4326',
  reprojected: false,
  encoding,
  problems: [{ code, severity: 'error', message }],
  rangeHint: '',
});

const extensionOf = (name: string): string => /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
const stemOf = (path: string): string => path.replace(/\.[^./\\]+$/, '').toLowerCase();

const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);

/** Control characters no text format holds (tab, line breaks and ESC aside): the bytes are binary. */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  return head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b));
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

function noteGuessedEncoding(read: Read, label: string, guessed: boolean): Read {
  if (!guessed) return read;
  const warning: ImportProblem = {
    code: 'encoding_unknown',
    severity: 'warning',
    message: `${label} is not UTF-8, so it was read as GBK (what Excel uses on a Chinese Windows). If names look wrong, save the file as UTF-8 and upload it again.`,
  };
  return { ...read, problems: [warning, ...read.problems] };
}

/** GeoJSON's old `crs` member, as Chinese GIS exports still write it: `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}`. */
function crsCode(value: unknown): { name: string; code: number | null } | null {
  const name = (value as { crs?: { properties?: { name?: unknown } } }).crs?.properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS:?84$/i.test(name)) return { name, code: 4326 };
  const code = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name)?.[1];
  return { name, code: code ? Number(code) : null };
}

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];

function readGeoJson(text: string, label: string, encoding: string): Read {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return refused('geojson', 'unreadable', `${label} is not valid JSON (${errorText(err)}).`);
  }
  const root = (typeof value === 'object' && value !== null ? value : {}) as { type?: unknown; features?: unknown };
  let items: unknown[];
  if (root.type === 'FeatureCollection' && Array.isArray(root.features)) items = root.features;
  else if (root.type === 'Feature') items = [root];
  else if (typeof root.type === 'string' && GEOMETRY_TYPES.includes(root.type)) items = [{ type: 'Feature', properties: {}, geometry: root }];
  else {
    return refused(
      'geojson',
      'unknown_format',
      `${label} is JSON but not GeoJSON: it is not a FeatureCollection, a Feature or a geometry${typeof root.type === 'string' ? ` (its "type" is “${root.type}”)` : ''}.`,
    );
  }

  const problems: ImportProblem[] = [];
  let features = items.map((item, i): ImportFeature => {
    const f = (typeof item === 'object' && item !== null ? item : {}) as { type?: unknown; id?: unknown; properties?: unknown; geometry?: unknown };
    const properties = typeof f.properties === 'object' && f.properties !== null && !Array.isArray(f.properties) ? (f.properties as Record<string, unknown>) : {};
    const base: ImportFeature = { type: 'Feature', properties, geometry: null };
    if (typeof f.id === 'string' || typeof f.id === 'number') base.id = f.id;
    if (f.type !== 'Feature') {
      problems.push({ code: 'geometry_unreadable', severity: 'error', feature: i, message: `Item ${i + 1} of the features list is not a GeoJSON Feature.` });
      return base;
    }
    if (f.geometry === null || f.geometry === undefined) return base;
    const why = geometryShapeError(f.geometry);
    if (why) {
      problems.push({ code: 'geometry_unreadable', severity: 'error', feature: i, message: `Feature ${i + 1}: ${why}.` });
      return base;
    }
    return { ...base, geometry: mergeCollection(f.geometry as Geometry) };
  });

  const crs = crsCode(value);
  let sourceCrs = 'EPSG:4326';
  let reprojected = false;
  if (crs) {
    const projection = crs.code === null ? null : projectionForEpsg(crs.code);
    if (!projection) {
      return refused('geojson', 'projection_unknown', `${label} names its coordinate system “${crs.name}”, which GridSight cannot convert to longitude / latitude. Export the layer as WGS-84 (EPSG:4326) or CGCS2000 (EPSG:4490).`, encoding);
    }
    sourceCrs = projection.name;
    if (projection.projected) {
      features = reproject(features, projection);
      reprojected = true;
    }
  }
  return { format: 'geojson', features, sourceCrs, reprojected, encoding, problems, rangeHint: RANGE_HINT };
}

async function readShapefileParts(parts: ShapefileParts, label: string): Promise<Read> {
  const r = await readShapefile(parts, label);
  const hint = parts.prj === undefined ? 'The coordinates look projected (metres): put the shapefile’s .prj file in the zip beside the .shp.' : RANGE_HINT;
  return { ...r, format: 'shapefile', rangeHint: hint };
}

const WANTED_IN_ZIP = /\.(shp|dbf|prj|cpg|kml)$/i;

async function readZip(bytes: Uint8Array, label: string): Promise<Read> {
  const listed: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      // Only the parts we read are inflated; the rest is only named.
      filter: (file) => {
        const name = zipEntryName(file.name);
        const skip = name.endsWith('/') || name.startsWith('__MACOSX/') || baseName(name).startsWith('._');
        if (!skip) listed.push(name);
        return !skip && WANTED_IN_ZIP.test(name);
      },
    });
  } catch (err) {
    return refused(null, 'unreadable', `${label} is not a readable zip archive (${errorText(err)}).`);
  }
  const files = Object.entries(entries).map(([name, data]) => ({ name: zipEntryName(name), data }));
  const shps = files.filter((f) => extensionOf(f.name) === 'shp');
  if (shps.length > 1) {
    return refused(
      'shapefile',
      'multiple_shapefiles',
      `${label} holds ${shps.length} shapefiles (${shps.map((f) => f.name).join(', ')}); put one layer in each zip and import them one at a time.`,
    );
  }
  const shp = shps[0];
  if (shp) {
    const part = (ext: string) => files.find((f) => extensionOf(f.name) === ext && stemOf(f.name) === stemOf(shp.name))?.data;
    return readShapefileParts({ shp: shp.data, dbf: part('dbf'), prj: part('prj'), cpg: part('cpg') }, shp.name);
  }
  const kmls = files.filter((f) => extensionOf(f.name) === 'kml');
  // A KMZ's main document is doc.kml at the top, or else the first KML in it.
  const kml = kmls.find((f) => f.name.toLowerCase() === 'doc.kml') ?? kmls[0];
  if (kml) {
    const r = readKml(kml.data, `${label} (${kml.name})`);
    return { format: 'kmz', features: r.features, sourceCrs: 'EPSG:4326', reprojected: false, encoding: r.encoding, problems: r.problems, rangeHint: RANGE_HINT };
  }
  const shown = listed.slice(0, 10).join(', ') + (listed.length > 10 ? `, and ${listed.length - 10} more` : '');
  return refused(null, 'unknown_format', `${label} is a zip with neither a shapefile (.shp) nor a KML file (.kml) in it. It holds: ${shown || 'nothing'}.`);
}

async function readAny(input: ImportFileInput): Promise<Read> {
  const { fileName: label, bytes } = input;
  const ext = extensionOf(label);
  if (bytes.length === 0) return refused(null, 'unreadable', `${label} is empty (0 bytes).`);
  if (isZip(bytes)) return readZip(bytes, label);
  if (isShp(bytes) || ['shp', 'shx', 'dbf', 'prj', 'cpg'].includes(ext)) {
    return refused(
      'shapefile',
      'shapefile_not_zipped',
      `${label} is one part of a shapefile. A shapefile is several files (.shp, .dbf, .prj, often .cpg): put them together in one .zip and upload the zip.`,
    );
  }
  if (['zip', 'kmz'].includes(ext)) return refused(ext === 'kmz' ? 'kmz' : null, 'unreadable', `${label} is not a zip archive (a .${ext} file must be one).`);
  if (!utf16Bom(bytes) && looksBinary(bytes)) {
    return refused(null, 'unreadable', `${label} cannot be read: it is not text, and not a zip. GridSight imports GeoJSON, KML / KMZ, zipped shapefiles and CSV.`);
  }

  const { text, encoding, guessed } = decodeText(bytes);
  const start = text.trimStart()[0];
  if (start === '<' || ext === 'kml') {
    const r = readKml(bytes, label);
    return { format: 'kml', features: r.features, sourceCrs: 'EPSG:4326', reprojected: false, encoding: r.encoding, problems: r.problems, rangeHint: RANGE_HINT };
  }
  if (start === '{' || start === '[' || ext === 'json' || ext === 'geojson') return noteGuessedEncoding(readGeoJson(text, label, encoding), label, guessed);
  if (ext === 'csv' || ext === 'txt' || looksLikeCsv(text, input.csv)) {
    const r = readCsv(text, input.csv);
    const hint = 'Check that the longitude and latitude columns are not swapped and hold decimal degrees.';
    return noteGuessedEncoding({ format: 'csv', ...r, sourceCrs: 'EPSG:4326', reprojected: false, encoding, rangeHint: hint }, label, guessed);
  }
  return refused(
    null,
    'unknown_format',
    `${label} is not a format GridSight imports. Upload GeoJSON (.geojson / .json), KML or KMZ, a zipped shapefile, or a CSV with longitude and latitude columns.`,
    encoding,
  );
}

/** The steps every format shares: GCJ-02 / BD-09 to WGS-84, coordinate ranges, an empty layer. */
function finish(read: Read, datum: SourceDatum, label: string): ParsedLayer {
  const features = convertDatum(read.features, datum);
  const problems = [...read.problems, ...rangeProblems(features, read.rangeHint)];
  if (features.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ code: 'no_features', severity: 'error', message: `${label} holds no features: there is nothing to import.` });
  }
  return { format: read.format, features, sourceCrs: read.sourceCrs, reprojected: read.reprojected, datum, encoding: read.encoding, problems };
}

/** The last guard of "never throws": a reader's bug becomes an 'unreadable' report, not a crashed request. */
async function guarded(label: string, datum: SourceDatum, format: SourceFormat | null, read: () => Promise<Read>): Promise<ParsedLayer> {
  try {
    return finish(await read(), datum, label);
  } catch (err) {
    return finish(refused(format, 'unreadable', `${label} cannot be read (${errorText(err)}).`), datum, label);
  }
}

/** Reads an uploaded file of any supported format into WGS-84 features and a list of problems. */
export function parseImportFile(input: ImportFileInput): Promise<ParsedLayer> {
  const datum = input.datum ?? 'wgs84';
  return guarded(input.fileName, datum, null, () => readAny(input));
}

/** Reads a shapefile from its loose parts (the CLI and the fixtures suite have them as separate files). */
export function parseShapefileParts(parts: ShapefileParts, options: { name?: string; datum?: SourceDatum } = {}): Promise<ParsedLayer> {
  const datum = options.datum ?? 'wgs84';
  const label = options.name ?? 'The shapefile';
  return guarded(label, datum, 'shapefile', () => readShapefileParts(parts, label));
}
