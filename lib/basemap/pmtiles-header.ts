// The PMTiles v3 header (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md):
// 127 bytes, little-endian, at the start of the archive. An upload is checked
// against it before it is kept, so the page never meets an archive it cannot
// draw: the `pmtiles` library in the browser decompresses only gzip, and
// MapLibre draws vector tiles and PNG, JPEG and WebP images.
import type { ArchiveTileType } from '../model';

export const PMTILES_HEADER_BYTES = 127;
const MAGIC = 'PMTiles';
const SPEC_VERSION = 3;
/** The header and root directory lie within this many bytes from the start (spec v3). */
export const ROOT_SPAN_BYTES = 16_384;

/** Spec v3 compression codes. */
const COMPRESSIONS = ['unknown', 'none', 'gzip', 'brotli', 'zstd'] as const;
export type PmtilesCompression = (typeof COMPRESSIONS)[number];
/** What the browser's `pmtiles` library can decompress. */
const READABLE_COMPRESSIONS: readonly PmtilesCompression[] = ['none', 'gzip'];

/** Spec v3 tile type codes (6 is MapLibre Tiles, newer than v3's first text). */
const TILE_TYPES = ['unknown', 'mvt', 'png', 'jpg', 'webp', 'avif', 'mlt'] as const;
const DRAWABLE_TILE_TYPES: readonly string[] = ['mvt', 'png', 'jpg', 'webp'] satisfies ArchiveTileType[];

export interface PmtilesHeader {
  rootDirectoryOffset: number;
  rootDirectoryLength: number;
  jsonMetadataOffset: number;
  jsonMetadataLength: number;
  leafDirectoryOffset: number;
  leafDirectoryLength: number;
  tileDataOffset: number;
  tileDataLength: number;
  internalCompression: PmtilesCompression;
  tileCompression: PmtilesCompression;
  tileType: ArchiveTileType;
  minZoom: number;
  maxZoom: number;
  bounds: [west: number, south: number, east: number, north: number];
}

/** The archive is not one GridSight can serve; the message says why, for the administrator. */
export class PmtilesFormatError extends Error {
  override readonly name = 'PmtilesFormatError';
}

/** A u64 as a JS number; an archive over 2^53 bytes is not something we accept anyway. */
function u64(view: DataView, at: number): number {
  const n = view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
  if (!Number.isSafeInteger(n)) throw new PmtilesFormatError(`the header's field at byte ${at} is too large (${n})`);
  return n;
}

const degrees = (view: DataView, at: number): number => view.getInt32(at, true) / 1e7;

function compression(code: number, what: string): PmtilesCompression {
  const name = COMPRESSIONS[code];
  if (name === undefined || name === 'unknown') throw new PmtilesFormatError(`${what} compression code ${code} is unknown`);
  if (!READABLE_COMPRESSIONS.includes(name)) {
    throw new PmtilesFormatError(`${what} compression is ${name}; browsers read only gzip or none (convert it, e.g. pmtiles convert, or tippecanoe with gzip)`);
  }
  return name;
}

/**
 * Reads and checks the header: magic "PMTiles", spec version 3, a tile type
 * the map can draw, compressions the browser can read, zooms and bounds that
 * make sense, and sections that lie inside a file of `fileSize` bytes.
 * Throws PmtilesFormatError naming the first problem.
 */
export function readPmtilesHeader(bytes: Uint8Array, fileSize: number): PmtilesHeader {
  if (bytes.byteLength === 0) throw new PmtilesFormatError('the file is empty');
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new PmtilesFormatError('not a PMTiles archive (the file does not start with "PMTiles")');
  if (bytes.byteLength < PMTILES_HEADER_BYTES) {
    throw new PmtilesFormatError(`the file is ${bytes.byteLength} bytes; a PMTiles header alone is ${PMTILES_HEADER_BYTES}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, PMTILES_HEADER_BYTES);
  const version = view.getUint8(7);
  if (version !== SPEC_VERSION) {
    throw new PmtilesFormatError(`PMTiles spec version ${version}; only version 3 is read (convert it with pmtiles convert)`);
  }

  const tileTypeCode = view.getUint8(99);
  const tileType = TILE_TYPES[tileTypeCode] ?? 'unknown';
  if (!DRAWABLE_TILE_TYPES.includes(tileType)) {
    throw new PmtilesFormatError(`tile type ${tileType === 'unknown' ? `code ${tileTypeCode}` : tileType} cannot be drawn; use vector tiles (mvt) or png, jpg or webp images`);
  }
  const header: PmtilesHeader = {
    rootDirectoryOffset: u64(view, 8),
    rootDirectoryLength: u64(view, 16),
    jsonMetadataOffset: u64(view, 24),
    jsonMetadataLength: u64(view, 32),
    leafDirectoryOffset: u64(view, 40),
    leafDirectoryLength: u64(view, 48),
    tileDataOffset: u64(view, 56),
    tileDataLength: u64(view, 64),
    internalCompression: compression(view.getUint8(97), 'directory and metadata'),
    tileCompression: compression(view.getUint8(98), 'tile'),
    tileType: tileType as ArchiveTileType,
    minZoom: view.getUint8(100),
    maxZoom: view.getUint8(101),
    bounds: [degrees(view, 102), degrees(view, 106), degrees(view, 110), degrees(view, 114)],
  };

  if (header.minZoom > header.maxZoom) throw new PmtilesFormatError(`min zoom ${header.minZoom} is above max zoom ${header.maxZoom}`);
  if (header.maxZoom > 26) throw new PmtilesFormatError(`max zoom ${header.maxZoom} is beyond zoom 26, the deepest the tile ids address`);
  const [west, south, east, north] = header.bounds;
  if (!(west >= -180 && east <= 180 && south >= -90 && north <= 90 && west < east && south < north)) {
    throw new PmtilesFormatError(`bounds ${header.bounds.join(', ')} are not west < east within ±180 and south < north within ±90`);
  }

  const sections: [name: string, offset: number, length: number][] = [
    ['root directory', header.rootDirectoryOffset, header.rootDirectoryLength],
    ['metadata', header.jsonMetadataOffset, header.jsonMetadataLength],
    ['leaf directories', header.leafDirectoryOffset, header.leafDirectoryLength],
    ['tile data', header.tileDataOffset, header.tileDataLength],
  ];
  for (const [name, offset, length] of sections) {
    if (length > 0 && (offset < PMTILES_HEADER_BYTES || offset + length > fileSize)) {
      throw new PmtilesFormatError(`the ${name} (bytes ${offset}–${offset + length}) lies outside the ${fileSize}-byte file: the file is cut short or not PMTiles`);
    }
  }
  // The spec keeps the header and root directory in the first 16 KiB: readers (the browser's too) fetch just that first.
  if (header.rootDirectoryOffset + header.rootDirectoryLength > ROOT_SPAN_BYTES) {
    throw new PmtilesFormatError(`the root directory ends at byte ${header.rootDirectoryOffset + header.rootDirectoryLength}; the spec keeps it within the first ${ROOT_SPAN_BYTES}`);
  }
  if (header.rootDirectoryLength === 0) throw new PmtilesFormatError('the root directory is empty: the archive holds no tiles');
  return header;
}

/**
 * The vector layer ids the archive's JSON metadata names (`vector_layers[].id`,
 * as tippecanoe, planetiler and pmtiles convert write them). Empty when the
 * metadata has none; a metadata section that is not JSON is a format error.
 */
export function vectorLayerIds(metadataJson: string): string[] {
  let metadata: unknown;
  try {
    metadata = metadataJson.trim() === '' ? {} : JSON.parse(metadataJson);
  } catch (err) {
    throw new PmtilesFormatError('the archive\'s metadata is not valid JSON', { cause: err });
  }
  const layers = typeof metadata === 'object' && metadata !== null ? (metadata as { vector_layers?: unknown }).vector_layers : undefined;
  if (!Array.isArray(layers)) return [];
  return layers.flatMap((l: unknown) => {
    const id = typeof l === 'object' && l !== null ? (l as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id.length > 0 && id.length <= 200 ? [id] : [];
  });
}

/** A LEB128 varint at `at`; returns the value and the next position. */
function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 63; i++, shift += 7) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (!Number.isSafeInteger(value)) break;
      return [value, i + 1];
    }
  }
  throw new PmtilesFormatError(`the directory is cut short or holds a number too large at byte ${at}`);
}

/**
 * How many entries a (decompressed) directory holds, after reading every one
 * of its columns (tile ids, run lengths, lengths, offsets): a directory that
 * does not decode is a format error, and so is an empty one.
 */
export function countDirectoryEntries(directory: Uint8Array): number {
  const [count, start] = readVarint(directory, 0);
  let at = start;
  if (count === 0) throw new PmtilesFormatError('the root directory has no entries: the archive holds no tiles');
  // Four columns of `count` varints each: one byte at least per value.
  if (count * 4 > directory.length - at) throw new PmtilesFormatError(`the root directory claims ${count} entries but is ${directory.length} bytes`);
  for (let i = 0; i < count * 4; i++) [, at] = readVarint(directory, at);
  return count;
}
