import { gpx } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { AppError } from '../errors';
import { parseFixTime } from './fix';

export interface GpxFix {
  /** epoch ms UTC */
  fixTime: number;
  lon: number;
  lat: number;
  altitude: number | null;
}

export interface GpxParseResult {
  fixes: GpxFix[];
  /** Points that could not become history, by reason. */
  skipped: { noTime: number; badCoordinates: number };
  tracks: number;
}

type Position = number[];
interface TrackFeature {
  geometry: { type: string; coordinates: Position[] | Position[][] } | null;
  properties: { coordinateProperties?: { times?: string[] | string[][] } } | null;
}

/** GPX times without an offset are UTC (the GPX schema says so). */
function gpxTime(s: string | undefined): number | null {
  if (!s) return null;
  try {
    return parseFixTime(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  } catch {
    // An unreadable time is counted as "no time" in the result, not an error for the file.
    return null;
  }
}

/**
 * Parses a GPX 1.0 or 1.1 document with @tmcw/togeojson into timestamped
 * fixes. Tracks only (routes and waypoints are not where a device was).
 * Malformed XML is a 400; a file with no timestamped track point is a 422.
 */
export function parseGpx(xml: string): GpxParseResult {
  let doc: unknown;
  try {
    doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') throw new Error(msg);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    throw new AppError('bad_request', `GPX is not well-formed XML: ${(err as Error).message.split('\n')[0]?.slice(0, 160)}`, { cause: err });
  }
  const root = (doc as { documentElement?: { nodeName?: string } }).documentElement;
  if (root?.nodeName !== 'gpx') throw new AppError('bad_request', 'not a GPX document: the root element must be <gpx>');

  const fc = gpx(doc as Document) as unknown as { features: TrackFeature[] };
  const result: GpxParseResult = { fixes: [], skipped: { noTime: 0, badCoordinates: 0 }, tracks: 0 };
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) continue;
    result.tracks++;
    const lines = (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as Position[][];
    const rawTimes = f.properties?.coordinateProperties?.times;
    const times = (rawTimes === undefined ? [] : g.type === 'LineString' ? [rawTimes] : rawTimes) as (string[] | undefined)[];
    lines.forEach((line, li) => {
      line.forEach((p, pi) => {
        const [lon, lat, ele] = p;
        const t = gpxTime(times[li]?.[pi]);
        if (t === null) {
          result.skipped.noTime++;
        } else if (lon === undefined || lat === undefined || !(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
          result.skipped.badCoordinates++;
        } else {
          result.fixes.push({ fixTime: t, lon, lat, altitude: ele ?? null });
        }
      });
    });
  }
  if (result.fixes.length === 0) {
    throw new AppError(
      'invalid_input',
      result.tracks === 0
        ? 'the GPX file has no track points'
        : `the GPX file has no timestamped track points (${result.skipped.noTime} without a time, ${result.skipped.badCoordinates} with bad coordinates)`,
    );
  }
  return result;
}
