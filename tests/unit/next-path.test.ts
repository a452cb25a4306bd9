import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../lib/auth/next-path';

const ORIGIN = 'https://gridsight.example';
/** As the login form reads it: the `next` value of a query string, already percent-decoded once. */
const fromQuery = (query: string) => safeNextPath(new URLSearchParams(query).get('next'), ORIGIN);

describe('where to go after signing in', () => {
  it('keeps our own paths, with their query and fragment, in the form the URL parser gives them', () => {
    expect(safeNextPath('/admin?x=1', ORIGIN)).toBe('/admin?x=1');
    expect(safeNextPath('/account#sessions', ORIGIN)).toBe('/account#sessions');
    expect(safeNextPath('/', ORIGIN)).toBe('/');
    expect(safeNextPath('/a/../admin', ORIGIN)).toBe('/admin');
    expect(safeNextPath('/地图', ORIGIN)).toBe('/%E5%9C%B0%E5%9B%BE');
    expect(safeNextPath('/admin\n', ORIGIN)).toBe('/admin');
    expect(safeNextPath('admin', ORIGIN)).toBe('/admin');
    expect(safeNextPath('https://gridsight.example:443/admin?x=1', ORIGIN)).toBe('/admin?x=1');
    // Encoded slashes and backslashes stay encoded: a path on our origin, not a host.
    expect(safeNextPath('/%5Cevil.example/', ORIGIN)).toBe('/%5Cevil.example/');
    expect(safeNextPath('%2F%2Fevil.example', ORIGIN)).toBe('/%2F%2Fevil.example');
    expect(fromQuery('next=%2Fadmin%3Fx%3D1')).toBe('/admin?x=1');
    expect(fromQuery('next=/account')).toBe('/account');
  });

  it('sends anything that leaves our origin, or is no URL, to /', () => {
    const away = [
      // The reported cases, as the browser delivers them.
      '/\\evil.example/',
      '/\t/evil.example/',
      // Protocol-relative, with backslashes, tabs, newlines and spaces anywhere.
      '//evil.example',
      '///evil.example',
      '\\\\evil.example',
      '/\\/evil.example',
      '\\/evil.example',
      '/\n/evil.example',
      '\n//evil.example',
      '/\r\n/evil.example',
      ' //evil.example',
      '\t\\\\evil.example',
      '/\t\\evil.example',
      // A pathname that itself starts with // once dot segments are gone.
      '/.//evil.example',
      '/./\\evil.example',
      // Absolute URLs elsewhere, and ones that only look like ours.
      'https://evil.example/',
      'HTTPS://EVIL.EXAMPLE/',
      'http://gridsight.example/admin',
      'https://gridsight.example:8443/admin',
      'https://gridsight.example@evil.example/',
      'https://gridsight.example.evil.example/',
      'http:evil.example',
      'https:\\\\evil.example',
      'https:///evil.example',
      // Other schemes.
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      '\njavascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://gridsight.example/0b6f',
      'vbscript:msgbox(1)',
      // Not a URL at all, or nothing.
      'https://[::1',
      '',
      null,
      undefined,
    ];
    for (const raw of away) expect([raw, safeNextPath(raw, ORIGIN)]).toEqual([raw, '/']);
    for (const query of ['next=/%5Cevil.example/', 'next=/%09/evil.example/', 'next=%2F%2Fevil.example', 'next=/%0A/evil.example', 'next=%5C%5Cevil.example', 'next=javascript%3Aalert(1)']) {
      expect([query, fromQuery(query)]).toEqual([query, '/']);
    }
  });

  it('whatever the input, the result is a path that resolves to our own origin, and is kept as it is', () => {
    const piece = fc.oneof(
      fc.constantFrom('/', '\\', '//', '\t', '\n', '\r', ' ', '.', '..', ':', '@', '?', '#', '%2f', '%5c', '%09', '%2e', 'evil.example', 'gridsight.example', 'https:', 'http:', 'javascript:', 'blob:', 'data:', '[', ':8443'),
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    // Mostly separators and a host: the spellings that confuse a string test.
    const slashy = fc.array(fc.constantFrom('/', '\\', '\t', '\n', ' ', '.', '%2f', 'evil.example', ':'), { maxLength: 6 }).map((p) => p.join(''));
    const raw = fc.oneof(slashy, fc.array(piece, { maxLength: 10 }).map((p) => p.join('')), fc.string({ unit: 'binary' }), fc.webUrl(), fc.webPath());
    fc.assert(
      fc.property(raw, (input) => {
        const out = safeNextPath(input, ORIGIN);
        expect(out.startsWith('/')).toBe(true);
        expect(new URL(out, ORIGIN).origin).toBe(ORIGIN);
        // The browser resolves against the login page, not the origin: same answer for an absolute path.
        expect(new URL(out, `${ORIGIN}/login?next=x`).origin).toBe(ORIGIN);
        expect(safeNextPath(out, ORIGIN)).toBe(out);
      }),
      { numRuns: 5_000 },
    );
  });
});
