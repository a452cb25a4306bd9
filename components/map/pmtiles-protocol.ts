// The `pmtiles://` protocol for MapLibre, registered the first time a map
// needs it (once per page): the `pmtiles` library reads the archive with
// HTTP range requests from our own origin, so the CSP's connect-src 'self'
// covers it.
import { addProtocol } from 'maplibre-gl';
import { PMTiles, Protocol } from 'pmtiles';

let protocol: Protocol | null = null;

function pmtilesProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

/**
 * Opens the archive at `url` (absolute) for the map and reads its header, so
 * the style names it only once it is known to be readable: rejects when it is
 * not (the page keeps the built-in style).
 */
export async function openArchive(url: string): Promise<void> {
  const archive = new PMTiles(url);
  await archive.getHeader();
  pmtilesProtocol().add(archive);
}

/** True when the archive at `url` still answers (a tile failing is not the archive failing: a sparse archive has holes). */
export async function archiveAnswers(url: string): Promise<boolean> {
  const res = await fetch(url, { method: 'HEAD', cache: 'no-store' });
  return res.ok;
}
