// Where each role lands after signing in (lib/auth/next-path.ts): the wall
// display on /wall, everyone else on the map, unless a page was asked for.
import { describe, expect, it } from 'vitest';
import { afterSignInPath, homePath } from '../../lib/auth/next-path';

const ORIGIN = 'https://gridsight.example';

describe('homePath', () => {
  it('is /wall for the wall display and / for every other role', () => {
    expect(['admin', 'coordinator', 'viewer', 'wall'].map(homePath)).toEqual(['/', '/', '/', '/wall']);
  });
});

describe('afterSignInPath', () => {
  it('sends each role home when no page was asked for', () => {
    expect(afterSignInPath(null, ORIGIN, 'wall')).toBe('/wall');
    expect(afterSignInPath('', ORIGIN, 'wall')).toBe('/wall');
    expect(afterSignInPath(undefined, ORIGIN, 'coordinator')).toBe('/');
    expect(afterSignInPath(null, ORIGIN, 'admin')).toBe('/');
    expect(afterSignInPath(null, ORIGIN, 'viewer')).toBe('/');
  });

  it('follows an asked-for page on our origin, for the wall too (a wall asked for / is sent on to /wall by the gate)', () => {
    expect(afterSignInPath('/account', ORIGIN, 'wall')).toBe('/account');
    expect(afterSignInPath('/wall?theme=contrast', ORIGIN, 'wall')).toBe('/wall?theme=contrast');
    expect(afterSignInPath('/', ORIGIN, 'wall')).toBe('/');
    expect(afterSignInPath('/wall', ORIGIN, 'viewer')).toBe('/wall');
  });

  it('never leaves our origin: a foreign next is the map, as safeNextPath has it', () => {
    expect(afterSignInPath('https://evil.example/', ORIGIN, 'wall')).toBe('/');
    expect(afterSignInPath('/\\evil.example/', ORIGIN, 'coordinator')).toBe('/');
  });
});
