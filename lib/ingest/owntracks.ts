import { AppError } from '../errors';
import { checkCoordinates, isRepresentable, toNumber, type ParsedFix } from './fix';
import { normaliseHeading } from './osmand';

type Obj = Record<string, unknown>;

/**
 * One OwnTracks HTTP-mode message. Returns null for messages that are not a
 * location (`_type` transition, waypoint, card, …): they are acknowledged and
 * ignored. `vel` is km/h, `tst` epoch seconds.
 */
export function parseOwnTracks(body: unknown, deviceKey: string): ParsedFix | null {
  if (body === null || body === undefined) return null;
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request', 'OwnTracks body must be a JSON object');
  const m = body as Obj;
  if (m._type !== 'location') return null;
  const { lon, lat } = checkCoordinates(toNumber(m.lon), toNumber(m.lat));
  const tst = toNumber(m.tst);
  if (tst === null) throw new AppError('bad_request', 'OwnTracks location has no "tst" (epoch seconds)');
  if (!isRepresentable(tst * 1000)) throw new AppError('bad_request', `OwnTracks "tst" ${tst} is not a time between 1900 and 9999`);
  const vel = toNumber(m.vel);
  const acc = toNumber(m.acc);
  const batt = toNumber(m.batt);
  const attributes: Record<string, string | number | boolean> = {};
  for (const key of ['tid', 't', 'conn', 'topic'] as const) {
    const v = m[key];
    if (typeof v === 'string' && v.length <= 64) attributes[key] = v;
  }
  return {
    deviceKey,
    fixTime: Math.round(tst * 1000),
    lat,
    lon,
    speed: vel === null || vel < 0 ? null : vel / 3.6,
    heading: normaliseHeading(toNumber(m.cog)),
    altitude: toNumber(m.alt),
    accuracy: acc === null || acc < 0 ? null : acc,
    battery: batt === null || batt < 0 ? null : Math.min(100, batt),
    charging: m.bs === 2 || m.bs === 3 ? true : m.bs === 1 ? false : null,
    alarm: null,
    attributes,
  };
}
