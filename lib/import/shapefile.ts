// Shapefiles through mbostock's `shapefile` reader: the .shp's geometry, the
// .dbf's attributes in the encoding the .cpg names (or UTF-8, or GBK with a
// warning), the .prj's coordinate system reprojected to WGS-84 with proj4.
import type { GeoJsonProperties } from 'geojson';
import * as shapefile from 'shapefile';
import { isWgs84Like, readProjection, reproject } from './geometry';
import { encodingFromCpg, isUtf8 } from './text';
import type { ImportFeature, ImportProblem } from './types';

/** The parts of one shapefile; only the .shp is required. */
export interface ShapefileParts {
  shp: Uint8Array;
  dbf?: Uint8Array;
  /** The .prj's WKT, as bytes or text. */
  prj?: Uint8Array | string;
  /** The .cpg's encoding label, as bytes or text. */
  cpg?: Uint8Array | string;
}

export interface ShapefileRead {
  features: ImportFeature[];
  sourceCrs: string;
  reprojected: boolean;
  encoding: string | null;
  problems: ImportProblem[];
}

const asText = (v: Uint8Array | string): string => (typeof v === 'string' ? v : new TextDecoder('utf-8').decode(v));

/** A .shp starts with the file code 9994, big-endian. */
export const isShp = (bytes: Uint8Array): boolean => bytes.length >= 100 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x27 && bytes[3] === 0x0a;

/**
 * True when every text in the .dbf (field names and character fields) is
 * valid UTF-8. Numbers, dates and logicals are ASCII in any encoding, so only
 * the C fields can tell.
 */
export function dbfTextIsUtf8(dbf: Uint8Array): boolean {
  if (dbf.length < 32) return true;
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const records = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const fields: { offset: number; length: number }[] = [];
  let offset = 1; // each record starts with its deletion flag
  for (let at = 32; at + 32 <= Math.min(headerLength, dbf.length) && dbf[at] !== 0x0d; at += 32) {
    const nameEnd = dbf.subarray(at, at + 11).indexOf(0);
    if (!isUtf8(dbf.subarray(at, nameEnd < 0 ? at + 11 : at + nameEnd))) return false;
    const length = dbf[at + 16]!;
    if (String.fromCharCode(dbf[at + 11]!) === 'C') fields.push({ offset, length });
    offset += length;
  }
  for (let r = 0; r < records; r++) {
    const start = headerLength + r * recordLength;
    if (start + recordLength > dbf.length) break;
    for (const f of fields) {
      if (!isUtf8(dbf.subarray(start + f.offset, start + f.offset + f.length))) return false;
    }
  }
  return true;
}

/** DBF dates arrive as local-midnight Date objects; they go on as the file wrote them, 'YYYYMMDD' (or null when blank). */
function plainProperties(properties: GeoJsonProperties): GeoJsonProperties {
  if (!properties) return properties;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (v instanceof Date) {
      out[k] = Number.isNaN(v.getTime())
        ? null
        : `${String(v.getFullYear()).padStart(4, '0')}${String(v.getMonth() + 1).padStart(2, '0')}${String(v.getDate()).padStart(2, '0')}`;
    } else out[k] = v;
  }
  return out;
}

function dbfEncoding(parts: ShapefileParts, label: string, problems: ImportProblem[]): string | null {
  if (!parts.dbf) return null;
  const named = parts.cpg === undefined ? null : asText(parts.cpg).trim();
  const fromCpg = named === null ? null : encodingFromCpg(named);
  if (fromCpg) return fromCpg;
  const utf8 = dbfTextIsUtf8(parts.dbf);
  if (named !== null) {
    problems.push({
      code: 'encoding_unknown',
      severity: 'warning',
      message: `${label}: the .cpg file names the encoding “${named}”, which cannot be read; the attribute table was read as ${utf8 ? 'UTF-8 (its text is valid UTF-8)' : 'GBK'} instead. If names or codes look wrong, put the right encoding (for example UTF-8, GBK or 1252) in the .cpg file.`,
    });
  } else if (!utf8) {
    problems.push({
      code: 'encoding_unknown',
      severity: 'warning',
      message: `${label}: the attribute table (.dbf) is not UTF-8 and no .cpg file names its encoding, so it was read as GBK. If names or codes look wrong, add a .cpg file holding the encoding (for example UTF-8, GBK or 1252) to the zip.`,
    });
  }
  return utf8 ? 'utf-8' : 'gbk';
}

export async function readShapefile(parts: ShapefileParts, label: string): Promise<ShapefileRead> {
  const problems: ImportProblem[] = [];
  const refuse = (code: ImportProblem['code'], message: string): ShapefileRead => ({
    features: [],
    sourceCrs: 'EPSG:4326',
    reprojected: false,
    encoding: null,
    problems: [...problems, { code, severity: 'error', message }],
  });
  if (!isShp(parts.shp)) return refuse('unreadable', `${label}: the .shp file is not a shapefile (it does not start with the shapefile header).`);

  const encoding = dbfEncoding(parts, label, problems);
  let features: ImportFeature[] = [];
  try {
    // Copies, so the reader owns its bytes (a Node Buffer is a view into a shared pool).
    const dbf = parts.dbf ? new Uint8Array(parts.dbf) : undefined;
    const source = await shapefile.open(new Uint8Array(parts.shp), dbf, { encoding: encoding ?? undefined });
    for (let r = await source.read(); !r.done; r = await source.read()) {
      features.push({ ...r.value, properties: plainProperties(r.value.properties) });
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return refuse('unreadable', `${label}: the shapefile cannot be read (${why}).`);
  }
  if (!parts.dbf) {
    problems.push({
      code: 'attributes_missing',
      severity: 'warning',
      message: `${label}: there is no .dbf file, so the features have no attributes (no codes, no names).`,
    });
  }

  if (parts.prj === undefined) {
    problems.push({
      code: 'projection_missing',
      severity: 'warning',
      message: `${label}: there is no .prj file; the coordinates were taken as WGS-84 / CGCS2000 longitude and latitude.`,
    });
    return { features, sourceCrs: 'EPSG:4326', reprojected: false, encoding, problems };
  }
  const wkt = asText(parts.prj).trim();
  const projection = readProjection(wkt);
  if (!projection) {
    const shown = wkt.length > 120 ? `${wkt.slice(0, 120)}…` : wkt;
    return refuse(
      'projection_unknown',
      `${label}: the coordinate system in the .prj file cannot be read, so the coordinates cannot be converted to longitude / latitude. The .prj says: ${shown || '(nothing)'}`,
    );
  }
  if (!isWgs84Like(projection.datum)) {
    problems.push({
      code: 'datum_assumed',
      severity: 'warning',
      message: `${label}: the .prj names the datum “${projection.datum}”, not WGS-84 or CGCS2000. Its coordinates were used without a datum shift, which can put them up to about 100 m off; export the layer in CGCS2000 or WGS-84 if it must be exact.`,
    });
  }
  if (projection.projected) features = reproject(features, projection);
  return { features, sourceCrs: projection.name, reprojected: projection.projected, encoding, problems };
}
