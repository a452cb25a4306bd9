// KML (and the KML inside a KMZ) through @tmcw/togeojson on an xmldom
// document. togeojson gives every Placemark a feature, in document order, and
// quietly drops coordinates it cannot read (leaving a null or a smaller
// geometry); this module finds those and refuses the placemark instead.
import { kml } from '@tmcw/togeojson';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { mergeCollection } from './geometry';
import type { ImportFeature, ImportProblem } from './types';

export interface KmlRead {
  features: ImportFeature[];
  encoding: string;
  problems: ImportProblem[];
}

/** The encoding an XML declaration names (`<?xml … encoding="GBK"?>`), else UTF-8 as XML says. */
function xmlEncoding(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
  if (!label) return 'utf-8';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    // an encoding this runtime cannot decode: read as UTF-8 and let the parser complain
    return 'utf-8';
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The first coordinate tuple of a placemark that is not two or three numbers,
 * or null when all are. togeojson drops such tuples without a word (and
 * closes a ring over the gap), so they are looked for here. An empty
 * <coordinates/> has no tuples: that is a missing geometry, not a broken one.
 */
function badCoordinate(placemark: XmlElement): string | null {
  for (const el of Array.from(placemark.getElementsByTagNameNS('*', 'coordinates'))) {
    const tuples = (el.textContent ?? '').trim().replace(/\s*,\s*/g, ',').split(/\s+/).filter(Boolean);
    const bad = tuples.find((t) => {
      const parts = t.split(',');
      return parts.length < 2 || parts.length > 3 || !parts.every((n) => NUMBER.test(n));
    });
    if (bad) return bad;
  }
  // gx:Track writes one "lon lat alt" per <gx:coord>.
  for (const el of Array.from(placemark.getElementsByTagNameNS('*', 'coord'))) {
    const parts = (el.textContent ?? '').trim().split(/\s+/);
    if (parts.length < 2 || parts.length > 3 || !parts.every((n) => NUMBER.test(n))) return (el.textContent ?? '').trim();
  }
  return null;
}

export function readKml(bytes: Uint8Array, label: string): KmlRead {
  const encoding = xmlEncoding(bytes);
  const text = new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, '');
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        // Warnings (an unknown entity, a stray character) leave a usable document; errors do not.
        if (level !== 'warning') throw new Error(message.split('\n')[0]);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { features: [], encoding, problems: [{ code: 'unreadable', severity: 'error', message: `${label} is not well-formed XML: ${why}.` }] };
  }
  if (doc.documentElement?.localName !== 'kml') {
    const root = doc.documentElement?.localName ?? 'nothing';
    return {
      features: [],
      encoding,
      problems: [{ code: 'unknown_format', severity: 'error', message: `${label} is XML but not KML: its root element is <${root}>, not <kml>.` }],
    };
  }
  const collection = kml(doc);
  const placemarks = Array.from(doc.getElementsByTagName('Placemark'));
  const problems: ImportProblem[] = [];
  const features = collection.features.map((f, i): ImportFeature => {
    // togeojson yields one feature per Placemark, in order, before any GroundOverlay or NetworkLink.
    const placemark = placemarks[i];
    const bad = placemark ? badCoordinate(placemark) : null;
    if (bad !== null) {
      const name = typeof f.properties?.name === 'string' && f.properties.name.trim() ? ` (“${f.properties.name.trim()}”)` : '';
      const shown = bad.length > 40 ? `${bad.slice(0, 40)}…` : bad;
      problems.push({
        code: 'geometry_unreadable',
        severity: 'error',
        feature: i,
        message: `Placemark ${i + 1}${name} has a coordinate that is not numbers (longitude,latitude[,altitude]): “${shown}”.`,
      });
      return { ...f, geometry: null };
    }
    return { ...f, geometry: f.geometry ? mergeCollection(f.geometry) : null };
  });
  return { features, encoding, problems };
}
