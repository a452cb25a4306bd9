// The device card's settings (components/admin/teams/device-setup.ts): the
// addresses a phone is given are the gateway's own doors, and the QR code is a
// real QR symbol of the identifier.
import { describe, expect, it } from 'vitest';
import { deviceSetup, qrPath } from '@/components/admin/teams/device-setup';

const SECRET = '3f9c0a7be21d4c58a0e6b1f27d94c3e5';

describe('deviceSetup', () => {
  it('gives Traccar Client the OsmAnd door and the secret as its device identifier', () => {
    const setup = deviceSetup({ origin: 'https://gridsight.xiangcheng.example', secret: SECRET, teamCode: 'GW-017' });
    expect(setup.origin).toBe('https://gridsight.xiangcheng.example');
    expect(setup.traccar).toEqual({ serverUrl: 'https://gridsight.xiangcheng.example/ingest/osmand', identifier: SECRET });
  });

  it('gives OwnTracks the HTTP door, the team code as user name and the secret as password', () => {
    const setup = deviceSetup({ origin: 'http://10.1.2.3:3000/', secret: SECRET, teamCode: 'ARM-3' });
    expect(setup.owntracks).toEqual({ url: 'http://10.1.2.3:3000/ingest/owntracks', username: 'ARM-3', password: SECRET });
    expect(setup.origin).toBe('http://10.1.2.3:3000');
  });
});

describe('qrPath', () => {
  const cell = (x: number, y: number) => `M${x} ${y}h1v1h-1z`;

  it('draws a 32-character identifier as a version 3 symbol (29 × 29 modules) at error correction M', () => {
    // 32 bytes: over version 2-M's 26-byte capacity, within version 3-M's 42.
    expect(qrPath(SECRET).size).toBe(29);
  });

  it('draws the three finder patterns: dark rings with a light ring inside and a dark 3 × 3 centre', () => {
    const { d, size } = qrPath(SECRET);
    for (const [x0, y0] of [[0, 0], [size - 7, 0], [0, size - 7]] as const) {
      expect(d).toContain(cell(x0, y0));
      expect(d).toContain(cell(x0 + 6, y0 + 6));
      expect(d).not.toContain(cell(x0 + 1, y0 + 1));
      expect(d).not.toContain(cell(x0 + 5, y0 + 1));
      expect(d).toContain(cell(x0 + 3, y0 + 3));
    }
    // The separator beside the top-left finder is light.
    expect(d).not.toContain(cell(7, 0));
  });

  it('differs for another identifier', () => {
    expect(qrPath(SECRET).d).not.toBe(qrPath('00000000000000000000000000000000').d);
  });
});
