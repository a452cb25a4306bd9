// checkCoordinates takes longitude first, like every LonLat in GridSight; each
// protocol parser maps its own field names onto that order. A swap anywhere
// puts a township at about 100°E into the refused latitude range, or silently
// moves a fix: both are checked here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { parseBatch } from '../../lib/ingest/batch';
import { checkCoordinates } from '../../lib/ingest/fix';
import { parseGpx } from '../../lib/ingest/gpx';
import { parseOsmandParams } from '../../lib/ingest/osmand';
import { parseOwnTracks } from '../../lib/ingest/owntracks';
import { parseTraccarJson } from '../../lib/ingest/traccar-json';

// The demo township's longitude is outside -90..90: a swapped pair is refused, not misplaced.
const LON = 100.52;
const LAT = 31.18;

describe('checkCoordinates', () => {
  it('takes longitude first and answers { lon, lat }', () => {
    expect(checkCoordinates(LON, LAT)).toEqual({ lon: LON, lat: LAT });
  });

  it('refuses a latitude-first pair with a message naming the latitude', () => {
    expect(() => checkCoordinates(LAT, LON)).toThrow(new AppError('bad_request', `latitude ${LON} is outside -90..90`));
  });

  it('keeps any in-range pair in its place (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), (lon, lat) => {
        expect(checkCoordinates(lon, lat)).toEqual({ lon, lat });
      }),
    );
  });
});

describe('every device door puts lon and lat in their places', () => {
  it('OsmAnd, by name and as location=lat,lon', () => {
    for (const q of [`id=d1&lat=${LAT}&lon=${LON}`, `id=d1&location=${LAT},${LON}`]) {
      expect(parseOsmandParams(new URLSearchParams(q))).toMatchObject({ lon: LON, lat: LAT });
    }
  });

  it('OwnTracks', () => {
    expect(parseOwnTracks({ _type: 'location', lat: LAT, lon: LON, tst: 1_750_000_000 }, 'd1')).toMatchObject({ lon: LON, lat: LAT });
  });

  it('Traccar JSON', () => {
    const body = { device_id: 'd1', location: { timestamp: '2025-06-01T08:00:00Z', coords: { latitude: LAT, longitude: LON } } };
    expect(parseTraccarJson(body, null)).toMatchObject({ lon: LON, lat: LAT });
  });

  it('our batch format', () => {
    const [row] = parseBatch({ fixes: [{ device: 'd1', time: '2025-06-01T08:00:00Z', lat: LAT, lon: LON }] });
    expect(row).toMatchObject({ fix: { lon: LON, lat: LAT } });
  });

  it('GPX', () => {
    const gpx = `<gpx><trk><trkseg><trkpt lat="${LAT}" lon="${LON}"><time>2025-06-01T08:00:00Z</time></trkpt></trkseg></trk></gpx>`;
    expect(parseGpx(gpx, { maxPoints: 10, maxFutureMs: 60_000, now: () => Date.parse('2025-06-01T09:00:00Z') }).fixes).toMatchObject([{ lon: LON, lat: LAT }]);
  });
});
