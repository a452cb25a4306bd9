// The streaming GPX parser (lib/ingest/gpx.ts): examples of each rule, and
// properties over arbitrary track points and arbitrary chunkings.
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { GpxStream, parseGpx, parseGpxBody, type GpxParseResult, type GpxRules } from '../../lib/ingest/gpx';
import { errorOf } from '../helpers/errors';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const RULES: GpxRules = { maxPoints: 1_000, maxFutureMs: 5 * 60_000, now: () => NOW };

interface Pt {
  lat: string;
  lon: string;
  time?: string;
  ele?: string;
}
const trkpt = (p: Pt) =>
  `<trkpt lat="${p.lat}" lon="${p.lon}">${p.ele === undefined ? '' : `<ele>${p.ele}</ele>`}${p.time === undefined ? '' : `<time>${p.time}</time>`}</trkpt>`;
const gpx = (pts: Pt[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><metadata><time>2001-01-01T00:00:00Z</time></metadata>` +
  `<trk><name>t</name><trkseg>${pts.map(trkpt).join('\n')}</trkseg></trk></gpx>`;
const iso = (ms: number) => new Date(ms).toISOString();


describe('GPX parser: examples', () => {
  it('reads points with time, elevation, and no offset as UTC; counts tracks and the time span', () => {
    const r = parseGpx(
      gpx([
        { lat: '28.45', lon: '99.7', time: '2026-06-01T10:00:00Z', ele: '3012.5' },
        { lat: '28.46', lon: '99.71', time: '2026-06-01T09:00:00' },
      ]),
      RULES,
    );
    expect(r.tracks).toBe(1);
    expect(r.fixes).toEqual([
      { fixTime: Date.UTC(2026, 5, 1, 10), lat: 28.45, lon: 99.7, altitude: 3012.5 },
      { fixTime: Date.UTC(2026, 5, 1, 9), lat: 28.46, lon: 99.71, altitude: null },
    ]);
    expect([r.from, r.to]).toEqual([Date.UTC(2026, 5, 1, 9), Date.UTC(2026, 5, 1, 10)]);
  });

  it('skips, by reason, points in the future, dated outside 1900–9999, untimed or out of range', () => {
    const r = parseGpx(
      gpx([
        { lat: '28.45', lon: '99.7', time: iso(NOW - 60_000) }, // kept
        { lat: '28.45', lon: '99.7', time: iso(NOW + 4 * 60_000) }, // kept: within MAX_FUTURE_MS
        { lat: '90', lon: '180', time: '9999-01-01T00:00:00Z' }, // future
        { lat: '28.45', lon: '99.7', time: iso(NOW + 6 * 60_000) }, // future
        { lat: '28.45', lon: '99.7', time: '10000-01-01T00:00:00Z' }, // bad time
        { lat: '28.45', lon: '99.7', time: '1899-12-31T23:59:59Z' }, // bad time
        { lat: '28.45', lon: '99.7', time: 'yesterday' }, // bad time
        { lat: '28.45', lon: '99.7' }, // no time
        { lat: '91', lon: '99.7', time: iso(NOW) }, // bad coordinates
        { lat: '28.45', lon: '-180.5', time: iso(NOW) },
        { lat: 'undefined', lon: '99.7', time: iso(NOW) },
        { lat: '28.45abc', lon: '99.7', time: iso(NOW) },
      ]),
      RULES,
    );
    expect(r.fixes.map((f) => f.fixTime)).toEqual([NOW - 60_000, NOW + 4 * 60_000]);
    expect(r.skipped).toEqual({ noTime: 1, badTime: 3, future: 2, badCoordinates: 4 });
  });

  it('reads only track points: routes, waypoints and metadata times are not history', () => {
    const xml =
      `<gpx><metadata><time>2026-01-01T00:00:00Z</time></metadata><wpt lat="1" lon="1"><time>2026-01-01T00:00:00Z</time></wpt>` +
      `<rte><rtept lat="1" lon="1"><time>2026-01-01T00:00:00Z</time></rtept></rte>` +
      `<trk><trkseg><trkpt lat="2" lon="2"><time>2026-01-02T00:00:00Z</time><extensions><time>1999-01-01T00:00:00Z</time></extensions></trkpt></trkseg></trk></gpx>`;
    const r = parseGpx(xml, RULES);
    expect(r.fixes).toEqual([{ fixTime: Date.UTC(2026, 0, 2), lat: 2, lon: 2, altitude: null }]);
    expect(r.tracks).toBe(1);
  });

  it('refuses what is not GPX (400), nothing (422), no storable point (422) and too many points (413)', () => {
    expect(errorOf(() => parseGpx('<gpx><trk>', RULES)).code).toBe('bad_request');
    expect(errorOf(() => parseGpx('hello', RULES)).code).toBe('bad_request');
    expect(errorOf(() => parseGpx('<kml></kml>', RULES)).message).toMatch(/root element must be <gpx>/);
    expect(errorOf(() => parseGpx(`<gpx>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</gpx>`, RULES)).message).toMatch(/nested more than/);
    // Entities defined in a DOCTYPE are never expanded (no "billion laughs").
    const laughs = `<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>`;
    expect(errorOf(() => parseGpx(laughs, RULES)).code).toBe('bad_request');
    expect(errorOf(() => parseGpx('', RULES)).code).toBe('invalid_input');
    expect(errorOf(() => parseGpx(' \n\t ', RULES)).message).toMatch(/empty/);
    expect(errorOf(() => parseGpx('<gpx><trk><trkseg></trkseg></trk></gpx>', RULES)).message).toMatch(/no track points/);
    const future = errorOf(() => parseGpx(gpx([{ lat: '90', lon: '180', time: '9999-01-01T00:00:00Z' }]), RULES));
    expect(future.code).toBe('invalid_input');
    expect(future.message).toMatch(/1 in the future/);
    const tooMany = errorOf(() => parseGpx(gpx(Array.from({ length: 11 }, (_, i) => ({ lat: '1', lon: '1', time: iso(NOW - i * 1000) }))), { ...RULES, maxPoints: 10 }));
    expect(tooMany.status).toBe(413);
    expect(tooMany.message).toMatch(/more than 10 track points.*GPX_MAX_POINTS/);
  });

  it('refuses too many points as soon as they are read, not at the end of the file', () => {
    const s = new GpxStream({ ...RULES, maxPoints: 10 });
    s.write('<gpx><trk><trkseg>');
    for (let i = 0; i < 10; i++) s.write(trkpt({ lat: '1', lon: '1', time: iso(NOW - i * 1000) }));
    expect(s.points).toBe(10);
    expect(() => s.write(trkpt({ lat: '1', lon: '1', time: iso(NOW) }))).toThrow(/more than 10 track points/);
  });

  // The reported fault: Math.min(...times) over 170,000 times overflows the stack.
  it('reads 170,000 points and their time span without overflowing the stack', () => {
    const start = NOW - 200_000_000;
    const s = new GpxStream({ ...RULES, maxPoints: 200_000 });
    s.write('<gpx><trk><trkseg>');
    for (let i = 0; i < 170_000; i += 1_000) {
      let chunk = '';
      for (let j = i; j < i + 1_000; j++) chunk += `<trkpt lat="28.4" lon="99.7"><time>${iso(start + j * 1000)}</time></trkpt>`;
      s.write(chunk);
    }
    s.write('</trkseg></trk></gpx>');
    const r = s.end();
    expect(r.fixes).toHaveLength(170_000);
    expect([r.from, r.to]).toEqual([start, start + 169_999 * 1000]);
  });

  it('refuses a body over its byte limit, declared or counted while it arrives', async () => {
    const declared = Object.assign(Readable.from([Buffer.from('<gpx/>')]), { headers: { 'content-length': '2000' } });
    await expect(parseGpxBody(declared, { ...RULES, maxBytes: 1024 })).rejects.toMatchObject({ code: 'payload_too_large', message: /limit is 1024 \(GPX_MAX_BYTES\)/ });
    const chunks = ['<gpx>', ...Array.from({ length: 100 }, () => `<!--${'x'.repeat(100)}-->`), '</gpx>'].map((c) => Buffer.from(c));
    await expect(parseGpxBody(Readable.from(chunks), { ...RULES, maxBytes: 1024 })).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('GPX parser: properties', () => {
  const lat = fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }).map(String), fc.string({ maxLength: 6 }).map((s) => s.replace(/[<&"]/g, '')));
  const lon = fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }).map(String), fc.string({ maxLength: 6 }).map((s) => s.replace(/[<&"]/g, '')));
  const time = fc.option(
    fc.oneof(
      fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(9999, 11, 31) }).map(iso),
      fc.integer({ min: NOW - 86_400_000, max: NOW + 86_400_000 }).map(iso),
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[<&]/g, '')),
    ),
    { nil: undefined },
  );
  const points = fc.array(fc.record({ lat, lon, time }), { minLength: 1, maxLength: 30 });

  it('every point is either kept within the rules or counted once in skipped; no fix breaks the time or coordinate rules', () => {
    fc.assert(
      fc.property(points, (pts) => {
        let r: GpxParseResult | AppError;
        try {
          r = parseGpx(gpx(pts), RULES);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('invalid_input');
          return;
        }
        const s = r.skipped;
        expect(r.fixes.length + s.noTime + s.badTime + s.future + s.badCoordinates).toBe(pts.length);
        for (const f of r.fixes) {
          expect(f.fixTime).toBeLessThanOrEqual(NOW + RULES.maxFutureMs);
          expect(f.fixTime).toBeGreaterThanOrEqual(Date.UTC(1900, 0, 1));
          expect(Math.abs(f.lat)).toBeLessThanOrEqual(90);
          expect(Math.abs(f.lon)).toBeLessThanOrEqual(180);
          expect(f.fixTime >= r.from && f.fixTime <= r.to).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('where the body is cut into chunks never changes the result', async () => {
    await fc.assert(
      fc.asyncProperty(points, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), async (pts, sizes) => {
        // A multi-byte name makes some cuts fall inside a UTF-8 character.
        const bytes = Buffer.from(gpx(pts).replace('<name>t</name>', '<name>巡逻 ✓</name>'));
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = sizes[i % sizes.length]!;
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        const whole = await parseGpxBody(Readable.from([bytes]), { ...RULES, maxBytes: 1 << 20 }).catch((e: unknown) => e);
        const split = await parseGpxBody(Readable.from(chunks), { ...RULES, maxBytes: 1 << 20 }).catch((e: unknown) => e);
        expect(split).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
