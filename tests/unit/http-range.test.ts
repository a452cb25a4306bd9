// One Range header against a resource of known size (lib/http/range.ts), as
// the basemap archive is served: examples first, then properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../lib/http/range';

const SIZE = 1000;

describe('parseRange', () => {
  it('serves the whole resource when no single byte range is asked for', () => {
    expect(parseRange(null, SIZE)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-10', SIZE)).toEqual({ kind: 'full' });
    // Several ranges: the RFC lets a server answer with everything; the pmtiles reader asks for one at a time.
    expect(parseRange('bytes=0-9, 20-29', SIZE)).toEqual({ kind: 'full' });
  });

  it('reads first-last, open-ended and suffix ranges', () => {
    expect(parseRange('bytes=0-99', SIZE)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=990-', SIZE)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(parseRange('bytes=-10', SIZE)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(parseRange('Bytes = 5-5', SIZE)).toEqual({ kind: 'partial', start: 5, end: 5 });
  });

  it('cuts a range that runs past the end at the end (the reader asks for 16 KiB of a smaller file)', () => {
    expect(parseRange('bytes=0-16383', SIZE)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('bytes=-5000', SIZE)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('answers 416 for ranges that are malformed or lie beyond the resource', () => {
    for (const header of ['bytes=1000-', 'bytes=1000-1001', 'bytes=-0', 'bytes=9-3', 'bytes=-', 'bytes=abc', 'bytes=1-2-3', 'bytes=']) {
      expect(parseRange(header, SIZE), header).toEqual({ kind: 'unsatisfiable' });
    }
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('answers first-last ranges as the RFC reads them, for any size and bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.nat({ max: 2e9 }), fc.nat({ max: 2e9 }), (size, a, b) => {
        // RFC 9110 §14.1.2: a first-last range starting inside the resource is served up to its end; otherwise 416.
        const expected = a >= size || b < a ? { kind: 'unsatisfiable' } : { kind: 'partial', start: a, end: Math.min(b, size - 1) };
        expect(parseRange(`bytes=${a}-${b}`, size)).toEqual(expected);
      }),
    );
  });
});
