// The canonical path rule the gate decides on (lib/http/request-target.ts):
// examples for each spelling, and properties — a path the gate accepts as
// canonical is routed by the WHATWG URL parser (what Next and the test router
// use) as exactly that path, and every spelling folds to one canonical form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPath, isCanonical, parseRequestTarget } from '../../lib/http/request-target';

describe('canonicalPath', () => {
  it.each([
    ['/api/units', '/api/units'],
    ['/', '/'],
    ['/./api/admin/users', '/api/admin/users'],
    ['/x/../api/units', '/api/units'],
    ['//api/units', '/api/units'],
    ['/api/./units', '/api/units'],
    ['/%61pi/units', '/api/units'],
    ['/api%2Funits', '/api/units'],
    ['/api%2funits', '/api/units'],
    ['/api\\units', '/api/units'],
    ['/api%5Cunits', '/api/units'],
    ['/./admin', '/admin'],
    ['/admin/', '/admin'],
    ['/%2e%2e/%2E/admin', '/admin'],
    ['/a/.%2e/admin', '/admin'],
    ['/../../admin', '/admin'],
    ['/API/Units', '/API/Units'],
    ['/api/incidents/%e0%a4%a4', '/api/incidents/%E0%A4%A4'],
    ['/api/units;x=1', '/api/units;x=1'],
    ['/a%20b', '/a%20b'],
    ['/a"b<c>', '/a%22b%3Cc%3E'],
    ['/%7E~', '/~~'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalPath(raw)).toBe(canonical);
  });

  it.each(['/api/incidents/%E0%A4%A', '/%', '/%zz', '/%FF', '/%C0%AF'])('refuses the malformed escape in %s', (raw) => {
    expect(() => canonicalPath(raw)).toThrow(/malformed percent-escape/);
  });

  it.each(['/%00', '/a%0Ab', '/%7F', '/%1f'])('refuses the control character in %s', (raw) => {
    expect(() => canonicalPath(raw)).toThrow(/control characters/);
  });
});

describe('parseRequestTarget', () => {
  it('tells the forms apart', () => {
    expect(parseRequestTarget('*')).toEqual({ form: 'asterisk' });
    expect(parseRequestTarget('http://127.0.0.1/api/units').form).toBe('invalid');
    expect(parseRequestTarget('127.0.0.1:80').form).toBe('invalid');
    expect(parseRequestTarget('/api/units?a=/../x#f')).toEqual({ form: 'origin', path: '/api/units', query: '?a=/../x', canonical: '/api/units', fragment: true });
    const plain = parseRequestTarget('/api/units?x=1');
    expect(plain).toEqual({ form: 'origin', path: '/api/units', query: '?x=1', canonical: '/api/units', fragment: false });
    expect(plain.form === 'origin' && isCanonical(plain)).toBe(true);
  });
});

/** Path characters, escapes of anything, separators and dot segments, mixed. */
const pathPiece = fc.oneof(
  fc.constantFrom('/', '//', '.', '..', '/./', '/../', '\\', '%2e', '%2E', '%2f', '%5c', '%25', '%00', '%', ';', '~', ' ', '"', '`', '{', 'é'),
  fc.string({ unit: fc.constantFrom(...'abcAPI019-._~!$&\'()*+,;=:@'.split('')), minLength: 1, maxLength: 6 }),
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
);
const rawPath = fc.array(pathPiece, { maxLength: 12 }).map((ps) => `/${ps.join('')}`);

/** How the WHATWG URL parser routes a path (what `new URL` in Next and the test router give). */
const routed = (path: string): string => new URL(`http://h${path}`).pathname;

/** The canonical form, or null for a path the gate refuses outright. */
const tryCanonical = (raw: string): string | null => {
  try {
    return canonicalPath(raw);
  } catch {
    return null;
  }
};

describe('canonical form, properties', () => {
  it('is idempotent, and a canonical path has no dot segment, empty segment, backslash, trailing slash or needless escape', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const c = tryCanonical(raw);
        fc.pre(c !== null);
        expect(canonicalPath(c!)).toBe(c);
        expect(c!.startsWith('/')).toBe(true);
        expect(c).not.toMatch(/%[0-9A-Fa-f]?[a-f]/);
        expect(c).not.toMatch(/\/\/|\\|(^|\/)\.\.?(\/|$)|.\/$|%(2[eEfF]|5[cC]|[46][1-9a-fA-F]|[57][0-9aA]|3[0-9]|[2][dD]|5[fF]|7[eE])/);
      }),
      { numRuns: 5_000 },
    );
  });

  it('the canonical form of any spelling is routed by the URL parser as exactly that path, and accepted as canonical', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const c = tryCanonical(raw);
        fc.pre(c !== null);
        expect(routed(c!)).toBe(c);
        const t = parseRequestTarget(c!);
        expect(t.form === 'origin' && isCanonical(t)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('a spelling the URL parser would route differently is never accepted as canonical', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const t = parseRequestTarget(raw);
        fc.pre(routed(raw) !== raw);
        expect(t.form === 'origin' && isCanonical(t)).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });
});
