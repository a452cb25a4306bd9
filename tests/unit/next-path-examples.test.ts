// safeNextPath (lib/auth/next-path.ts) pinned by example for the mutation run,
// which leaves out next-path.test.ts (its fast-check properties are slow): our
// own paths kept with their query and fragment, everything else sent to /.
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../lib/auth/next-path';

const ORIGIN = 'https://gridsight.example';

describe('safeNextPath by example', () => {
  it('keeps a path on our origin with its query and fragment, as the URL parser writes it', () => {
    expect(safeNextPath('/incidents?status=open#42', ORIGIN)).toBe('/incidents?status=open#42');
    expect(safeNextPath('/admin?x=1', ORIGIN)).toBe('/admin?x=1');
    expect(safeNextPath('/account#sessions', ORIGIN)).toBe('/account#sessions');
    expect(safeNextPath('/a/../wall', ORIGIN)).toBe('/wall');
    expect(safeNextPath('https://gridsight.example/audit?page=2', ORIGIN)).toBe('/audit?page=2');
    expect(safeNextPath('wall', ORIGIN)).toBe('/wall');
  });

  it('sends nothing, another origin and a path a browser would read as another host to /', () => {
    expect(safeNextPath(null, ORIGIN)).toBe('/');
    expect(safeNextPath(undefined, ORIGIN)).toBe('/');
    expect(safeNextPath('', ORIGIN)).toBe('/');
    expect(safeNextPath('https://evil.example/wall', ORIGIN)).toBe('/');
    expect(safeNextPath('//evil.example/wall', ORIGIN)).toBe('/');
    expect(safeNextPath('/\\evil.example/', ORIGIN)).toBe('/');
    expect(safeNextPath('/.//evil.example', ORIGIN)).toBe('/');
    expect(safeNextPath('https://[::1', ORIGIN)).toBe('/');
    expect(safeNextPath('javascript:alert(1)', ORIGIN)).toBe('/');
  });

  it('sends everything to / when our own origin is not a URL', () => {
    expect(safeNextPath('/wall', 'not a url')).toBe('/');
    expect(safeNextPath('https://gridsight.example/wall', '')).toBe('/');
  });
});
