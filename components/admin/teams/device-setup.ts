// What a phone needs to report to this server, written once for the device
// card and its tests: the addresses come from INGEST_PATHS, the same table
// the gateway answers, so the card cannot point at a door that is not there.
import QRCode from 'qrcode';
import { INGEST_PATHS } from '@/lib/model';

export interface DeviceSetup {
  /** The server as the administrator reached it, without a trailing slash. */
  origin: string;
  /** Traccar Client: "Server URL" and "Device identifier". */
  traccar: { serverUrl: string; identifier: string };
  /** OwnTracks, HTTP mode with authentication: URL, user name, password. */
  owntracks: { url: string; username: string; password: string };
}

/**
 * The settings for one device. The secret is the whole credential: Traccar
 * Client sends it as `id`, OwnTracks as its Basic-auth password (the gateway
 * reads the password and ignores the user name, so the team code is used
 * there to keep phones readable in OwnTracks' own lists).
 */
export function deviceSetup({ origin, secret, teamCode }: { origin: string; secret: string; teamCode: string }): DeviceSetup {
  const base = origin.replace(/\/+$/, '');
  return {
    origin: base,
    traccar: { serverUrl: `${base}${INGEST_PATHS.osmand}`, identifier: secret },
    owntracks: { url: `${base}${INGEST_PATHS.owntracks}`, username: teamCode, password: secret },
  };
}

/** A QR code as one SVG path over a `size` × `size` grid of modules (dark modules only). */
export interface QrPath {
  size: number;
  d: string;
}

/**
 * The QR code of `text` as a path: no canvas, no data URL, no HTML string —
 * React draws it as an <svg> and it prints sharp. Error correction M, as
 * phone cameras read it off paper.
 */
export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
    }
  }
  return { size: modules.size, d: parts.join('') };
}
