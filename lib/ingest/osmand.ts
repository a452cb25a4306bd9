import { AppError } from '../errors';
import { KNOTS_TO_MS, checkCoordinates, parseFixTime, toNumber, type ParsedFix } from './fix';

/** Parameters this parser understands; anything else is kept as an attribute. */
const KNOWN = new Set([
  'id', 'deviceid', 'timestamp', 'lat', 'lon', 'location', 'speed', 'bearing', 'heading',
  'altitude', 'accuracy', 'hdop', 'batt', 'charge', 'alarm',
]);

/**
 * The OsmAnd / Traccar Client query-or-form shape. Speed there is in knots
 * (Traccar Client converts to knots before sending), stored as m/s.
 */
export function parseOsmandParams(params: URLSearchParams): ParsedFix {
  const deviceKey = (params.get('id') ?? params.get('deviceid') ?? '').trim();
  if (!deviceKey) throw new AppError('bad_request', 'missing device id: send id= or deviceid=');

  let lat = toNumber(params.get('lat'));
  let lon = toNumber(params.get('lon'));
  const location = params.get('location');
  if ((lat === null || lon === null) && location) {
    const [a, b] = location.split(',');
    lat = toNumber(a);
    lon = toNumber(b);
  }
  const coords = checkCoordinates(lon, lat);

  const knots = toNumber(params.get('speed'));
  const batt = toNumber(params.get('batt'));
  const charge = params.get('charge');
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of params) {
    if (!KNOWN.has(k) && Object.keys(attributes).length < 32) attributes[k.slice(0, 64)] = v.slice(0, 256);
  }
  return {
    deviceKey,
    fixTime: parseFixTime(params.get('timestamp')),
    ...coords,
    speed: knots === null || knots < 0 ? null : knots * KNOTS_TO_MS,
    heading: normaliseHeading(toNumber(params.get('bearing') ?? params.get('heading'))),
    altitude: toNumber(params.get('altitude')),
    accuracy: nonNegative(toNumber(params.get('accuracy') ?? params.get('hdop'))),
    battery: clampPercent(batt),
    charging: charge === null ? null : charge === 'true' || charge === '1',
    alarm: params.get('alarm'),
    attributes,
  };
}

export function normaliseHeading(h: number | null): number | null {
  if (h === null || h < 0) return null;
  return h % 360;
}

function nonNegative(n: number | null): number | null {
  return n === null || n < 0 ? null : n;
}

function clampPercent(n: number | null): number | null {
  return n === null || n < 0 ? null : Math.min(100, n);
}
