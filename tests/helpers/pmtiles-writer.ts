// Makes PMTiles v3 archives for tests, written from the spec
// (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md) rather than
// with the `pmtiles` library, so reading one back with the library checks both
// sides: a 127-byte header, one root directory (varint columns of tile-id
// deltas, run lengths, lengths and offsets), the JSON metadata, the tile data.
// Tiles with the same bytes are stored once. Also solid-colour PNG tiles made
// with node:zlib, and the tiles that cover a bounding box.
import { constants, crc32, deflateSync, gzipSync } from 'node:zlib';

const TILE_TYPE_CODES = { unknown: 0, mvt: 1, png: 2, jpg: 3, webp: 4, avif: 5 } as const;
const COMPRESSION_CODES = { none: 1, gzip: 2, brotli: 3, zstd: 4 } as const;

export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveSpec {
  tiles: readonly ArchiveTile[];
  tileType: keyof typeof TILE_TYPE_CODES;
  bounds: [west: number, south: number, east: number, north: number];
  minZoom: number;
  maxZoom: number;
  /** Written as the JSON metadata (vector_layers for vector archives). */
  metadata?: Record<string, unknown>;
  /** Of the root directory and the metadata. Default gzip, as pmtiles convert and planetiler write. */
  internalCompression?: keyof typeof COMPRESSION_CODES;
  /** Written into the header; the tiles are stored as given. Default none. */
  tileCompression?: keyof typeof COMPRESSION_CODES;
  /** The header's spec version byte. Default 3. */
  version?: number;
}

/** The tile id of z/x/y: tiles of lower zooms first, then the Hilbert curve index within the zoom. */
export function zxyToTileId(z: number, x: number, y: number): number {
  const before = (4 ** z - 1) / 3;
  const n = 2 ** z;
  let d = 0;
  let [tx, ty] = [x, y];
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve continues where the last one ended.
    if (ry === 0) {
      if (rx === 1) [tx, ty] = [n - 1 - tx, n - 1 - ty];
      [tx, ty] = [ty, tx];
    }
  }
  return before + d;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function compress(bytes: Uint8Array, how: keyof typeof COMPRESSION_CODES): Buffer {
  return how === 'gzip' ? gzipSync(bytes) : Buffer.from(bytes);
}

/** A whole PMTiles v3 archive in one buffer. */
export function writePmtiles(spec: ArchiveSpec): Buffer {
  const internal = spec.internalCompression ?? 'gzip';
  const entries = spec.tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const contents: Buffer[] = [];
  const offsetOf = new Map<string, number>();
  let dataLength = 0;
  const placed = entries.map((e) => {
    const key = Buffer.from(e.data).toString('base64');
    let offset = offsetOf.get(key);
    if (offset === undefined) {
      offset = dataLength;
      offsetOf.set(key, offset);
      contents.push(Buffer.from(e.data));
      dataLength += e.data.byteLength;
    }
    return { id: e.id, offset, length: e.data.byteLength };
  });

  const dir: number[] = [...varint(placed.length)];
  let lastId = 0;
  for (const e of placed) {
    dir.push(...varint(e.id - lastId));
    lastId = e.id;
  }
  for (let i = 0; i < placed.length; i++) dir.push(...varint(1));
  for (const e of placed) dir.push(...varint(e.length));
  placed.forEach((e, i) => {
    const prev = placed[i - 1];
    // 0 means "right after the previous entry's bytes"; anything else is offset + 1.
    dir.push(...varint(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1));
  });
  const root = compress(Uint8Array.from(dir), internal);
  const metadata = compress(Buffer.from(JSON.stringify(spec.metadata ?? {}), 'utf8'), internal);
  const tileData = Buffer.concat(contents);

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(spec.version ?? 3, 7);
  const rootOffset = 127;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset;
  const u64 = (at: number, n: number) => header.writeBigUInt64LE(BigInt(n), at);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, tileData.length);
  u64(72, placed.length);
  u64(80, placed.length);
  u64(88, contents.length);
  header.writeUInt8(1, 96); // clustered: tile data in tile-id order
  header.writeUInt8(COMPRESSION_CODES[internal], 97);
  header.writeUInt8(COMPRESSION_CODES[spec.tileCompression ?? 'none'], 98);
  header.writeUInt8(TILE_TYPE_CODES[spec.tileType], 99);
  header.writeUInt8(spec.minZoom, 100);
  header.writeUInt8(spec.maxZoom, 101);
  const [west, south, east, north] = spec.bounds;
  const e7 = (deg: number) => Math.round(deg * 1e7);
  header.writeInt32LE(e7(west), 102);
  header.writeInt32LE(e7(south), 106);
  header.writeInt32LE(e7(east), 110);
  header.writeInt32LE(e7(north), 114);
  header.writeUInt8(spec.minZoom, 118);
  header.writeInt32LE(e7((west + east) / 2), 119);
  header.writeInt32LE(e7((south + north) / 2), 123);
  return Buffer.concat([header, root, metadata, tileData]);
}

/** Web Mercator tile x/y of a point at zoom z. */
function tileAt(lon: number, lat: number, z: number): [x: number, y: number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}

/** Every z/x/y from minZoom to maxZoom that touches the bounding box. */
export function tilesCovering(bounds: [west: number, south: number, east: number, north: number], minZoom: number, maxZoom: number): { z: number; x: number; y: number }[] {
  const out: { z: number; x: number; y: number }[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const [x0, y0] = tileAt(bounds[0], bounds[3], z);
    const [x1, y1] = tileAt(bounds[2], bounds[1], z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push({ z, x, y });
  }
  return out;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `size`×`size` PNG of one opaque colour (8-bit RGB, every row filter 0). */
export function solidPng([r, g, b]: [r: number, g: number, b: number], size = 256): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.alloc(1 + size * 3);
  for (let i = 0; i < size; i++) row.set([r, g, b], 1 + i * 3);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(pixels, { level: constants.Z_BEST_COMPRESSION })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A raster archive of solid-colour PNG tiles over `bounds`, zooms minZoom..maxZoom. */
export function solidRasterArchive(
  { bounds, color, minZoom = 0, maxZoom = 12 }: { bounds: [number, number, number, number]; color: [number, number, number]; minZoom?: number; maxZoom?: number },
): Buffer {
  const png = solidPng(color);
  return writePmtiles({ tileType: 'png', bounds, minZoom, maxZoom, tiles: tilesCovering(bounds, minZoom, maxZoom).map((t) => ({ ...t, data: png })) });
}
