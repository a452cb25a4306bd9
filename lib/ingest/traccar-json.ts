import { AppError } from '../errors';
import { checkCoordinates, parseFixTime, toNumber, type ParsedFix } from './fix';
import { normaliseHeading } from './osmand';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The JSON body of Traccar Client 9 (the background-geolocation shape):
 * `{ location: { timestamp, coords: {...}, battery: {...} }, device_id }`.
 * Speed is m/s, battery level 0..1, and -1 means "unknown" throughout.
 */
export function parseTraccarJson(body: unknown, fallbackId: string | null): ParsedFix {
  if (!isObj(body)) throw new AppError('bad_request', 'JSON body must be an object');
  const location = isObj(body.location) ? body.location : null;
  if (!location) throw new AppError('bad_request', 'JSON body has no "location" object');
  const coords = isObj(location.coords) ? location.coords : null;
  if (!coords) throw new AppError('bad_request', 'location has no "coords" object');
  const rawId = body.device_id ?? body.deviceId ?? fallbackId;
  const deviceKey = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId).trim() : '';
  if (!deviceKey) throw new AppError('bad_request', 'missing device id: send device_id or id=');

  const { lon, lat } = checkCoordinates(toNumber(coords.longitude), toNumber(coords.latitude));
  const battery = isObj(location.battery) ? location.battery : null;
  const level = toNumber(battery?.level, { minusOneUnknown: true });
  const speed = toNumber(coords.speed, { minusOneUnknown: true });
  const accuracy = toNumber(coords.accuracy, { minusOneUnknown: true });

  const attributes: Record<string, string | number | boolean> = {};
  for (const key of ['is_moving', 'odometer', 'event', 'uuid'] as const) {
    const v = location[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[key] = v;
  }
  if (isObj(location.activity) && typeof location.activity.type === 'string') attributes.activity = location.activity.type;

  return {
    deviceKey,
    fixTime: parseFixTime(location.timestamp),
    lat,
    lon,
    speed: speed === null || speed < 0 ? null : speed,
    heading: normaliseHeading(toNumber(coords.heading, { minusOneUnknown: true })),
    altitude: toNumber(coords.altitude, { minusOneUnknown: true }),
    accuracy: accuracy === null || accuracy < 0 ? null : accuracy,
    // 0..1 in JSON; stored as percent.
    battery: level === null || level < 0 ? null : Math.min(100, level * 100),
    charging: typeof battery?.is_charging === 'boolean' ? battery.is_charging : null,
    alarm: typeof location.event === 'string' && location.event === 'sos' ? 'sos' : null,
    attributes,
  };
}
