// Key locations from a spreadsheet: a CSV whose header names a longitude and
// a latitude column. Every other column becomes a property, as text (a code
// such as "007" keeps its zeros).
import type { ImportFeature, ImportProblem } from './types';

export const LON_HEADERS = ['lon', 'lng', 'long', 'longitude', '经度'];
export const LAT_HEADERS = ['lat', 'latitude', '纬度'];

export interface CsvColumns {
  lon?: string;
  lat?: string;
}

interface Row {
  fields: string[];
  /** Line of the file the row starts on (1-based): a quoted field may span lines. */
  line: number;
}

/** RFC 4180 rows: quoted fields may hold the delimiter, doubled quotes and line breaks. */
export function splitCsv(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    // Blank lines and Excel's trailing ",,," rows are no rows.
    if (fields.some((f) => f.trim() !== '')) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

/** The delimiter the header line uses most: comma, tab or semicolon (European Excel). */
function guessDelimiter(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (d: string) => header.split(d).length - 1;
  return [',', '\t', ';'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

const norm = (s: string) => s.trim().toLowerCase();

function findColumn(header: string[], chosen: string | undefined, names: string[]): number {
  const wanted = chosen ? [norm(chosen)] : names;
  return header.findIndex((h) => wanted.includes(norm(h)));
}

/** A number as written in a spreadsheet cell, or null ('116.4', ' 39.9 ', '+116.4'; not '116°24′' or ''). */
function cellNumber(cell: string | undefined): number | null {
  const s = (cell ?? '').trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

/** True when a CSV's header names longitude and latitude columns (or the chosen ones): format detection asks this. */
export function looksLikeCsv(text: string, columns: CsvColumns = {}): boolean {
  const rows = splitCsv(text.split(/\r?\n/, 1)[0] ?? '', guessDelimiter(text));
  const header = rows[0]?.fields ?? [];
  return findColumn(header, columns.lon, LON_HEADERS) >= 0 && findColumn(header, columns.lat, LAT_HEADERS) >= 0;
}

export function readCsv(text: string, columns: CsvColumns = {}): { features: ImportFeature[]; problems: ImportProblem[] } {
  const rows = splitCsv(text, guessDelimiter(text));
  const header = (rows[0]?.fields ?? []).map((h) => h.trim());
  const lonAt = findColumn(header, columns.lon, LON_HEADERS);
  const latAt = findColumn(header, columns.lat, LAT_HEADERS);
  if (lonAt < 0 || latAt < 0) {
    const missing = [lonAt < 0 ? `longitude (${columns.lon ? `“${columns.lon}”` : LON_HEADERS.join(' / ')})` : null, latAt < 0 ? `latitude (${columns.lat ? `“${columns.lat}”` : LAT_HEADERS.join(' / ')})` : null]
      .filter(Boolean)
      .join(' and ');
    return {
      features: [],
      problems: [
        {
          code: 'csv_columns_missing',
          severity: 'error',
          message: `The CSV's first line has no ${missing} column. Its columns are: ${header.map((h) => `“${h}”`).join(', ') || 'none'}.`,
        },
      ],
    };
  }
  const problems: ImportProblem[] = [];
  const features = rows.slice(1).map((row, i): ImportFeature => {
    const properties: Record<string, string> = {};
    header.forEach((h, k) => {
      if (k !== lonAt && k !== latAt && h !== '') properties[h] = (row.fields[k] ?? '').trim();
    });
    const lon = cellNumber(row.fields[lonAt]);
    const lat = cellNumber(row.fields[latAt]);
    if (lon === null || lat === null) {
      const bad = lon === null ? `longitude “${row.fields[lonAt] ?? ''}”` : `latitude “${row.fields[latAt] ?? ''}”`;
      problems.push({
        code: 'geometry_unreadable',
        severity: 'error',
        feature: i,
        message: `Row ${i + 1} (line ${row.line}): the ${bad} is not a decimal number of degrees.`,
      });
      return { type: 'Feature', properties, geometry: null };
    }
    return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } };
  });
  return { features, problems };
}
