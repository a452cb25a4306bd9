// The GPX parser (lib/ingest/gpx.ts) pinned by example: which elements are
// history, how a <time> is read, every limit at its edge (nesting depth, value
// length, point count, the future, the byte count) and the exact refusals.
// The mutation run leaves out gpx.test.ts (its 170,000-point case is slow), so
// these examples stand on their own.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { GpxStream, parseGpx, parseGpxBody, type GpxRules } from '../../lib/ingest/gpx';
import { errorOf } from '../helpers/errors';

// 2026-06-01T12:00:00Z; a fix may be at most 5 minutes ahead of it.
const NOW = Date.UTC(2026, 5, 1, 12);
const RULES: GpxRules = { maxPoints: 1_000, maxFutureMs: 300_000, now: () => NOW };

/** One track, one segment, these points. */
const track = (points: string) => `<gpx><trk><trkseg>${points}</trkseg></trk></gpx>`;
const pt = (time: string, attrs = 'lat="28.5" lon="99.75"', extra = '') => `<trkpt ${attrs}><time>${time}</time>${extra}</trkpt>`;
/** The AppError a promise rejects with; fails the test when it resolves. */
const refusal = (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AppError,
  );
const fixTimes = (xml: string) => parseGpx(xml, RULES).fixes.map((f) => f.fixTime);

describe('GPX times', () => {
  it('reads Z, z and ±hh:mm / ±hhmm offsets as written, and a time with no offset as UTC', () => {
    const xml = track(
      [
        pt('2026-06-01T10:00:00Z'),
        pt('2026-06-01T10:00:00z'),
        pt('2026-06-01T10:00:00+08:00'),
        pt('2026-06-01T10:00:00+0800'),
        pt('2026-06-01T04:30:00-05:30'),
        pt('2026-06-01T09:00:00'),
        pt('2026-06-01T09:00:00.250'),
      ].join(''),
    );
    expect(fixTimes(xml)).toEqual([
      Date.UTC(2026, 5, 1, 10),
      Date.UTC(2026, 5, 1, 10),
      Date.UTC(2026, 5, 1, 2),
      Date.UTC(2026, 5, 1, 2),
      Date.UTC(2026, 5, 1, 10),
      Date.UTC(2026, 5, 1, 9),
      Date.UTC(2026, 5, 1, 9, 0, 0, 250),
    ]);
  });

  it('refuses epoch numbers (a GPX time is a date-time) and dates outside 1900–9999', () => {
    const r = parseGpx(track([pt('1780308000'), pt('1899-12-31T23:59:59Z'), pt('2026-06-01T09:00:00Z')].join('')), RULES);
    expect(r.skipped).toEqual({ noTime: 0, badTime: 2, future: 0, badCoordinates: 0 });
    expect(r.fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2026, 5, 1, 9)]);
  });

  it('trims the white space around a time and an elevation; a time of only white space is no time', () => {
    const r = parseGpx(
      track(
        [
          pt('\n  2026-06-01T10:00:00+08:00\n  ', undefined, '<ele> 12.5 </ele>'),
          pt('2026-06-01T09:00:00 '),
          pt('   '),
          pt('2026-06-01T09:30:00Z'),
        ].join(''),
      ),
      RULES,
    );
    expect(r.fixes).toEqual([
      { fixTime: Date.UTC(2026, 5, 1, 2), lon: 99.75, lat: 28.5, altitude: 12.5 },
      { fixTime: Date.UTC(2026, 5, 1, 9), lon: 99.75, lat: 28.5, altitude: null },
      { fixTime: Date.UTC(2026, 5, 1, 9, 30), lon: 99.75, lat: 28.5, altitude: null },
    ]);
    expect(r.skipped).toEqual({ noTime: 1, badTime: 0, future: 0, badCoordinates: 0 });
  });

  it('keeps a fix exactly five minutes ahead of the clock and skips one 1 ms further', () => {
    const r = parseGpx(track([pt('2026-06-01T12:05:00.000Z'), pt('2026-06-01T12:05:00.001Z'), pt('2026-06-01T11:55:00.000Z')].join('')), RULES);
    expect(r.fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2026, 5, 1, 12, 5), Date.UTC(2026, 5, 1, 11, 55)]);
    expect(r.skipped.future).toBe(1);
  });

  it('uses the server clock when no clock is given', () => {
    const r = parseGpx(track([pt('2999-01-01T00:00:00Z'), pt('2020-01-01T00:00:00Z')].join('')), { maxPoints: 10, maxFutureMs: 0 });
    expect(r.fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2020, 0, 1)]);
    expect(r.skipped.future).toBe(1);
  });

  it('keeps the first 64 characters of a value: a longer time is not one, a longer elevation is cut', () => {
    const r = parseGpx(
      track([pt(`${' '.repeat(64)}2026-06-01T10:00:00Z`), pt('2026-06-01T10:00:00Z', undefined, `<ele>${'0'.repeat(63)}12</ele>`)].join('')),
      RULES,
    );
    // 64 spaces then the time: the kept text trims to nothing.
    expect(r.skipped.noTime).toBe(1);
    // "000…0" (63) then "1": the "2" is the 65th character.
    expect(r.fixes.map((f) => f.altitude)).toEqual([1]);
  });

  it('keeps the white space at the start of a later chunk (only the body’s leading blank is dropped)', () => {
    const s = new GpxStream(RULES);
    s.write('<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2026-06-01');
    s.write(' 10:00:00Z</time><ele>1');
    s.write(' 2</ele></trkpt></trkseg></trk></gpx>');
    const r = s.end();
    // "2026-06-01 10:00:00Z" is a time; "1 2" is not a height.
    expect(r.fixes).toEqual([{ fixTime: Date.UTC(2026, 5, 1, 10), lon: 2, lat: 1, altitude: null }]);
  });

  it('reads the text of a value on both sides of an element inside it', () => {
    expect(fixTimes(track(pt('2026-06-01<b/>T10:00:00Z')))).toEqual([Date.UTC(2026, 5, 1, 10)]);
  });

  it('reads a value split into text and CDATA pieces, keeping 64 characters in all', () => {
    const s = new GpxStream(RULES);
    s.write('<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2026-06-01');
    s.write(`T10:00:00Z</time><ele><![CDATA[1]]>${'0'.repeat(63)}5</ele></trkpt>`);
    s.write(`<trkpt lat="1" lon="2"><time>2026-06-01T10:00:00Z</time><ele>${'0'.repeat(60)}<![CDATA[1234]]>5678</ele></trkpt></trkseg></trk></gpx>`);
    const r = s.end();
    // "1" then 63 zeros (the "5" is the 65th character); 60 zeros then "1234" ("5678" is past the 64th).
    expect(r.fixes.map((f) => f.altitude)).toEqual([1e63, 1234]);
    expect(r.fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2026, 5, 1, 10), Date.UTC(2026, 5, 1, 10)]);
  });
});

describe('GPX structure', () => {
  it('takes lat and lon from the attributes only; a missing one is a bad coordinate', () => {
    const r = parseGpx(
      track(
        [
          pt('2026-06-01T10:00:00Z', 'lat="10" lon="20"', '<lat>30</lat><lon>40</lon>'),
          pt('2026-06-01T10:00:00Z', 'lat="10"'),
          pt('2026-06-01T10:00:00Z', 'lon="20"'),
          pt('2026-06-01T10:00:00Z', 'lat="" lon="20"'),
        ].join(''),
      ),
      RULES,
    );
    expect(r.fixes).toEqual([{ fixTime: Date.UTC(2026, 5, 1, 10), lon: 20, lat: 10, altitude: null }]);
    expect(r.skipped).toEqual({ noTime: 0, badTime: 0, future: 0, badCoordinates: 3 });
  });

  it('reads an empty or unreadable elevation as none, and 0 as 0', () => {
    const r = parseGpx(
      track(
        [
          pt('2026-06-01T10:00:00Z', undefined, '<ele></ele>'),
          pt('2026-06-01T10:00:00Z', undefined, '<ele>high</ele>'),
          pt('2026-06-01T10:00:00Z', undefined, '<ele>0</ele>'),
          pt('2026-06-01T10:00:00Z', undefined, '<ele>-12</ele>'),
        ].join(''),
      ),
      RULES,
    );
    expect(r.fixes.map((f) => f.altitude)).toEqual([null, null, 0, -12]);
  });

  it('reads only <time> and <ele> that are children of the point', () => {
    const r = parseGpx(
      track(
        pt('2026-06-01T10:00:00Z', undefined, '<extensions><time>2026-06-01T08:00:00Z</time><ele>999</ele></extensions><name>x</name>') +
          '<trkpt lat="1" lon="2"><extensions><time>2026-06-01T08:00:00Z</time></extensions></trkpt>',
      ),
      RULES,
    );
    expect(r.fixes).toEqual([{ fixTime: Date.UTC(2026, 5, 1, 10), lon: 99.75, lat: 28.5, altitude: null }]);
    expect(r.skipped.noTime).toBe(1);
  });

  it('ignores a point inside a point, a segment inside a segment and a track inside a track', () => {
    const inner = '<trkpt lat="1" lon="2"><time>2026-06-01T08:00:00Z</time></trkpt>';
    const xml =
      '<gpx><trk><trkseg>' +
      pt('2026-06-01T10:00:00Z', undefined, `<extensions>${inner}</extensions>`) +
      `<trkseg></trkseg>${pt('2026-06-01T10:30:00Z')}` +
      '</trkseg><extensions><trk><trkseg></trkseg></trk></extensions></trk></gpx>';
    const r = parseGpx(xml, RULES);
    expect(r.fixes.map((f) => [f.fixTime, f.lon, f.lat])).toEqual([
      [Date.UTC(2026, 5, 1, 10), 99.75, 28.5],
      [Date.UTC(2026, 5, 1, 10, 30), 99.75, 28.5],
    ]);
    expect(r.tracks).toBe(1);
    expect(r.skipped).toEqual({ noTime: 0, badTime: 0, future: 0, badCoordinates: 0 });
  });

  it('does not read a point left in a track after its segment closed, or a segment left after its track closed', () => {
    const xml =
      `<gpx><trk><trkseg>${pt('2026-06-01T10:00:00Z')}</trkseg>${pt('2026-06-01T11:00:00Z')}</trk>` +
      `<trkseg>${pt('2026-06-01T11:30:00Z')}</trkseg></gpx>`;
    const r = parseGpx(xml, RULES);
    expect(r.fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2026, 5, 1, 10)]);
    expect(r.tracks).toBe(1);
  });

  it('reads points only inside a segment of a track', () => {
    const loose = `<gpx>${pt('2026-06-01T10:00:00Z')}<trkseg>${pt('2026-06-01T10:00:00Z')}</trkseg><trk>${pt('2026-06-01T10:00:00Z')}</trk></gpx>`;
    expect(errorOf(() => parseGpx(loose, RULES)).message).toBe('the GPX file has no track points');
    // A segment inside something other than a track, and a point inside something other than a segment.
    expect(errorOf(() => parseGpx(`<gpx><rte><trkseg>${pt('2026-06-01T10:00:00Z')}</trkseg></rte></gpx>`, RULES)).message).toBe(
      'the GPX file has no track points',
    );
    expect(errorOf(() => parseGpx(`<gpx><trk><extensions>${pt('2026-06-01T10:00:00Z')}</extensions></trk></gpx>`, RULES)).message).toBe(
      'the GPX file has no track points',
    );
  });

  it('counts tracks with at least one point, stored or skipped, and takes the span from the stored ones in any order', () => {
    const xml =
      '<gpx><trk></trk><trk><trkseg></trkseg></trk>' +
      `<trk><trkseg>${pt('2026-06-01T10:00:00Z')}${pt('2026-06-01T08:00:00Z')}</trkseg><trkseg>${pt('2026-06-01T11:00:00Z')}${pt('2026-06-01T09:00:00Z')}</trkseg></trk>` +
      '<trk><trkseg><trkpt lat="1" lon="2"></trkpt></trkseg></trk></gpx>';
    const r = parseGpx(xml, RULES);
    expect(r.tracks).toBe(2);
    expect([r.from, r.to]).toEqual([Date.UTC(2026, 5, 1, 8), Date.UTC(2026, 5, 1, 11)]);
    expect(r.skipped.noTime).toBe(1);
  });

  it('accepts a byte-order mark and blank lines before the XML declaration, and blank chunks before that', () => {
    const s = new GpxStream(RULES);
    s.write('');
    s.write(' \r\n');
    expect(s.points).toBe(0);
    s.write(`\uFEFF\n\n<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t">${track(pt('2026-06-01T10:00:00Z')).slice(5)}`);
    expect(s.points).toBe(1);
    expect(s.end().fixes.map((f) => f.fixTime)).toEqual([Date.UTC(2026, 5, 1, 10)]);
  });
});

describe('GPX refusals, word for word', () => {
  it('not XML: 400 with the parser’s first line, at most 160 characters, and the parser’s error as the cause', () => {
    const cases: [xml: string, message: string][] = [
      ['hello', 'GPX is not well-formed XML: text data outside of root node.'],
      ['<gpx><trk>', 'GPX is not well-formed XML: unclosed tag: trk'],
      ['<gpx></gpx><gpx/>', 'GPX is not well-formed XML: documents may contain only one root.'],
      ['<gpx><a></b></gpx>', 'GPX is not well-formed XML: unexpected close tag.'],
      ['<gpx', 'GPX is not well-formed XML: document must contain a root element.'],
      [`<gpx><${'a'.repeat(200)}>`, `GPX is not well-formed XML: unclosed tag: ${'a'.repeat(146)}`],
    ];
    for (const [xml, message] of cases) {
      const err = errorOf(() => parseGpx(xml, RULES));
      expect([err.code, err.message]).toEqual(['bad_request', message]);
      expect(err.cause).toBeInstanceOf(Error);
      expect(err.cause).not.toBeInstanceOf(AppError);
    }
  });

  it('not GPX: 400, said as such, not as bad XML', () => {
    const err = errorOf(() => parseGpx('<kml><trk/></kml>', RULES));
    expect([err.code, err.message]).toEqual(['bad_request', 'not a GPX document: the root element must be <gpx>']);
  });

  it('nesting: 64 levels are read, 65 refused', () => {
    const nested = (levels: number) => `<gpx>${'<a>'.repeat(levels - 1)}${'</a>'.repeat(levels - 1)}${track(pt('2026-06-01T10:00:00Z')).slice(5)}`;
    expect(parseGpx(nested(64), RULES).fixes).toHaveLength(1);
    const err = errorOf(() => parseGpx(nested(65), RULES));
    expect([err.code, err.message]).toEqual(['bad_request', 'GPX elements are nested more than 64 deep']);
  });

  it('empty: 422', () => {
    for (const body of ['', ' \n\t ', '\uFEFF']) {
      const err = errorOf(() => parseGpx(body, RULES));
      expect([err.code, err.message]).toEqual(['invalid_input', 'the body is empty: send a GPX file']);
    }
  });

  it('no point that can be stored: 422, counted by reason', () => {
    const none = errorOf(() => parseGpx('<gpx><trk><trkseg></trkseg></trk></gpx>', RULES));
    expect([none.code, none.message]).toEqual(['invalid_input', 'the GPX file has no track points']);
    const xml = track(
      [
        '<trkpt lat="1" lon="2"></trkpt>',
        pt('nope'),
        pt('nope'),
        pt('2026-06-01T13:00:00Z'),
        pt('2026-06-01T13:00:00Z'),
        pt('2026-06-01T13:00:00Z'),
        pt('2026-06-01T10:00:00Z', 'lat="91" lon="2"'),
        pt('2026-06-01T10:00:00Z', 'lat="1" lon="181"'),
        pt('2026-06-01T10:00:00Z', 'lat="1" lon="x"'),
        pt('2026-06-01T10:00:00Z', 'lat="-90.5" lon="2"'),
      ].join(''),
    );
    const err = errorOf(() => parseGpx(xml, RULES));
    expect([err.code, err.message]).toEqual([
      'invalid_input',
      'the GPX file has no timestamped track points that can be stored (1 without a time, 2 with a time that is not one, 3 in the future, 4 with bad coordinates)',
    ]);
  });

  it('too many points: 1,000 are read, the 1,001st is a 413 with the limit written out', () => {
    const points = (n: number) => Array.from({ length: n }, () => pt('2026-06-01T10:00:00Z')).join('');
    expect(parseGpx(track(points(1_000)), RULES).fixes).toHaveLength(1_000);
    const err = errorOf(() => parseGpx(track(points(1_001)), RULES));
    expect([err.code, err.message]).toEqual([
      'payload_too_large',
      'the GPX file has more than 1,000 track points (the GPX_MAX_POINTS limit); upload it in parts',
    ]);
  });
});

describe('a GPX upload as it arrives', () => {
  const DOC = track(pt('2026-06-01T10:00:00Z'));
  const BYTES = Buffer.byteLength(DOC);
  const body = (chunks: string[], headers?: Record<string, string>) => Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers });

  it('reads a body of exactly the byte limit, with a declared length of exactly the limit', async () => {
    const r = await parseGpxBody(body([DOC.slice(0, 20), DOC.slice(20)], { 'content-length': String(BYTES) }), { ...RULES, maxBytes: BYTES });
    expect(r.fixes).toEqual([{ fixTime: Date.UTC(2026, 5, 1, 10), lon: 99.75, lat: 28.5, altitude: null }]);
  });

  it('refuses a declared length over the limit before reading, and drains the body', async () => {
    const b = body([DOC], { 'content-length': String(BYTES + 1) });
    const err = await refusal(parseGpxBody(b, { ...RULES, maxBytes: BYTES }));
    expect([err.code, err.message]).toEqual(['payload_too_large', `the GPX file is ${BYTES + 1} bytes; the limit is ${BYTES} (GPX_MAX_BYTES)`]);
    expect(b.readableFlowing).toBe(true);
  });

  it('counts the bytes when the declared length is missing or not a number', async () => {
    for (const headers of [undefined, { 'content-length': 'Infinity' }, { 'content-length': 'many' }]) {
      const err = await refusal(parseGpxBody(body([DOC.slice(0, 30), DOC.slice(30)], headers), { ...RULES, maxBytes: BYTES - 1 }));
      expect([err.code, err.message]).toEqual(['payload_too_large', `the GPX file exceeds the limit of ${BYTES - 1} bytes (GPX_MAX_BYTES)`]);
    }
  });

  it('decodes UTF-8 split across chunks', async () => {
    const doc = Buffer.from(track(pt('2026-06-01T10:00:00Z', 'lat="28.5" lon="99.75"', '<name>巡逻</name>')));
    const cut = doc.indexOf(Buffer.from('巡')) + 1;
    const r = await parseGpxBody(Readable.from([doc.subarray(0, cut), doc.subarray(cut)]), { ...RULES, maxBytes: 10_000 });
    expect(r.fixes).toHaveLength(1);
  });

  it('rejects with the parser’s refusal, whether met while reading or at the end', async () => {
    const midway = await refusal(parseGpxBody(body(['<kml>', '</kml>']), { ...RULES, maxBytes: 10_000 }));
    expect([midway.code, midway.message]).toEqual(['bad_request', 'not a GPX document: the root element must be <gpx>']);
    const atEnd = await refusal(parseGpxBody(body(['<gpx><trk>']), { ...RULES, maxBytes: 10_000 }));
    expect([atEnd.code, atEnd.message]).toEqual(['bad_request', 'GPX is not well-formed XML: unclosed tag: trk']);
  });

  it('refuses a body that breaks off (400, nothing stored) and one that fails (400, with the cause)', async () => {
    const cut = new PassThrough();
    const cutOff = refusal(parseGpxBody(cut, { ...RULES, maxBytes: 10_000 }));
    cut.write('<gpx><trk>');
    cut.destroy();
    const a = await cutOff;
    expect([a.code, a.message]).toEqual(['bad_request', 'the upload was cut off before the end of the body']);

    const broken = new PassThrough();
    const failing = refusal(parseGpxBody(broken, { ...RULES, maxBytes: 10_000 }));
    const cause = new Error('socket hang up');
    broken.destroy(cause);
    const b = await failing;
    expect([b.code, b.message, b.cause]).toEqual(['bad_request', 'the request body could not be read', cause]);
  });
});
