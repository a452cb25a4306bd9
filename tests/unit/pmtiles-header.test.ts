// The PMTiles v3 header check an upload must pass (lib/basemap/pmtiles-header.ts),
// on archives the test writer makes (tests/helpers/pmtiles-writer.ts) — which
// are first read back with the `pmtiles` library itself, so the writer is
// known to write what real readers read.
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { PMTiles, zxyToTileId as libraryTileId, type RangeResponse, type Source } from 'pmtiles';
import { countDirectoryEntries, PmtilesFormatError, readPmtilesHeader, vectorLayerIds } from '../../lib/basemap/pmtiles-header';
import { solidPng, solidRasterArchive, tilesCovering, writePmtiles, zxyToTileId, type ArchiveSpec } from '../helpers/pmtiles-writer';

/** The demo township's neighbourhood, roughly: a box a few tiles wide at zoom 12. */
const BOUNDS: [number, number, number, number] = [100.05, 30.95, 100.35, 31.2];
const MAGENTA: [number, number, number] = [255, 0, 255];

class BufferSource implements Source {
  constructor(private readonly bytes: Buffer) {}
  getKey(): string {
    return 'memory';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.bytes.subarray(offset, offset + length);
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer };
  }
}

/** A writer-made archive with one header byte changed. */
function patched(archive: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(archive);
  copy.writeUInt8(value, at);
  return copy;
}

function refusal(bytes: Buffer, size = bytes.length): string {
  try {
    readPmtilesHeader(bytes, size);
  } catch (err) {
    expect(err).toBeInstanceOf(PmtilesFormatError);
    return (err as Error).message;
  }
  throw new Error('the header was accepted');
}

describe('the test writer (tests/helpers/pmtiles-writer.ts)', () => {
  it('numbers tiles as the spec does: zoom by zoom, then along the Hilbert curve', () => {
    expect(zxyToTileId(0, 0, 0)).toBe(0);
    // Zoom 1, along the curve: (0,0) (0,1) (1,1) (1,0).
    expect([zxyToTileId(1, 0, 0), zxyToTileId(1, 0, 1), zxyToTileId(1, 1, 1), zxyToTileId(1, 1, 0)]).toEqual([1, 2, 3, 4]);
    expect(zxyToTileId(2, 0, 0)).toBe(5);
    // Deeper, against the library's own numbering.
    for (const [z, x, y] of [[12, 3235, 1681], [7, 99, 3], [16, 51_234, 26_001]] as const) expect(zxyToTileId(z, x, y), `${z}/${x}/${y}`).toBe(libraryTileId(z, x, y));
  });

  it('writes a raster archive the pmtiles library reads back: header, every tile byte for byte, nothing outside', async () => {
    const tiles = tilesCovering(BOUNDS, 0, 12);
    const archive = solidRasterArchive({ bounds: BOUNDS, color: MAGENTA });
    const reader = new PMTiles(new BufferSource(archive));
    const header = await reader.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: 2, minZoom: 0, maxZoom: 12, numTileEntries: tiles.length, numTileContents: 1 });
    expect([header.minLon, header.minLat, header.maxLon, header.maxLat]).toEqual(BOUNDS);
    const png = solidPng(MAGENTA);
    for (const t of tiles) {
      const got = await reader.getZxy(t.z, t.x, t.y);
      expect(Buffer.from(got!.data).equals(png), `${t.z}/${t.x}/${t.y}`).toBe(true);
    }
    // Beside the box at zoom 12, and below the archive's zooms' reach.
    const [x, y] = [tiles.at(-1)!.x + 1, tiles.at(-1)!.y];
    expect(await reader.getZxy(12, x, y)).toBeUndefined();
    expect(await reader.getZxy(13, 0, 0)).toBeUndefined();
  });

  it('writes distinct tiles and uncompressed directories too, and the metadata as JSON', async () => {
    const tiles = [
      { z: 1, x: 1, y: 0, data: Buffer.from('tile-b') },
      { z: 0, x: 0, y: 0, data: Buffer.from('tile-a') },
      { z: 1, x: 0, y: 1, data: Buffer.from('tile-a') },
    ];
    const metadata = { vector_layers: [{ id: 'water' }, { id: 'roads' }] };
    const archive = writePmtiles({ tileType: 'mvt', tiles, bounds: [-10, -10, 10, 10], minZoom: 0, maxZoom: 1, metadata, internalCompression: 'none' });
    const reader = new PMTiles(new BufferSource(archive));
    for (const t of tiles) expect(Buffer.from((await reader.getZxy(t.z, t.x, t.y))!.data).toString()).toBe(t.data.toString());
    expect(await reader.getMetadata()).toEqual(metadata);
    expect((await reader.getHeader()).numTileContents).toBe(2);
  });
});

describe('readPmtilesHeader', () => {
  const raster = solidRasterArchive({ bounds: BOUNDS, color: MAGENTA });

  it('reads type, zooms, bounds, compressions and sections of a good archive', () => {
    const h = readPmtilesHeader(raster, raster.length);
    expect(h).toMatchObject({ tileType: 'png', minZoom: 0, maxZoom: 12, internalCompression: 'gzip', tileCompression: 'none', rootDirectoryOffset: 127 });
    expect(h.bounds).toEqual(BOUNDS);
    expect(h.tileDataOffset + h.tileDataLength).toBe(raster.length);
    const entries = countDirectoryEntries(gunzipSync(raster.subarray(h.rootDirectoryOffset, h.rootDirectoryOffset + h.rootDirectoryLength)));
    expect(entries).toBe(tilesCovering(BOUNDS, 0, 12).length);
  });

  it('reads each drawable tile type: mvt, png, jpg, webp', () => {
    const spec: Omit<ArchiveSpec, 'tileType'> = { tiles: [{ z: 0, x: 0, y: 0, data: Buffer.from('x') }], bounds: [-1, -1, 1, 1], minZoom: 0, maxZoom: 0 };
    for (const tileType of ['mvt', 'png', 'jpg', 'webp'] as const) {
      const a = writePmtiles({ ...spec, tileType });
      expect(readPmtilesHeader(a, a.length).tileType).toBe(tileType);
    }
  });

  it('refuses what is not PMTiles v3, naming why', () => {
    expect(refusal(Buffer.from('{"type":"FeatureCollection","features":[]}'.padEnd(200)))).toMatch(/does not start with "PMTiles"/);
    expect(refusal(raster.subarray(0, 100))).toMatch(/100 bytes; a PMTiles header alone is 127/);
    expect(refusal(Buffer.from('GIF89a'))).toMatch(/does not start with "PMTiles"/);
    expect(refusal(Buffer.alloc(0))).toBe('the file is empty');
    expect(refusal(patched(raster, 7, 2))).toMatch(/spec version 2; only version 3/);
    expect(refusal(patched(raster, 7, 4))).toMatch(/spec version 4/);
  });

  it('refuses tile types and compressions the page cannot draw or read', () => {
    expect(refusal(patched(raster, 99, 5))).toMatch(/tile type avif cannot be drawn/);
    expect(refusal(patched(raster, 99, 0))).toMatch(/tile type code 0 cannot be drawn/);
    expect(refusal(patched(raster, 99, 77))).toMatch(/tile type code 77/);
    expect(refusal(patched(raster, 97, 3))).toMatch(/directory and metadata compression is brotli; browsers read only gzip or none/);
    expect(refusal(patched(raster, 98, 4))).toMatch(/tile compression is zstd/);
    expect(refusal(patched(raster, 98, 0))).toMatch(/tile compression code 0 is unknown/);
  });

  it('refuses zooms and bounds that make no sense', () => {
    expect(refusal(patched(patched(raster, 100, 9), 101, 4))).toMatch(/min zoom 9 is above max zoom 4/);
    expect(refusal(patched(raster, 101, 30))).toMatch(/max zoom 30 is beyond zoom 26/);
    const flipped = Buffer.from(raster);
    flipped.writeInt32LE(101 * 1e7, 102); // west east of east
    expect(refusal(flipped)).toMatch(/bounds 101, 30.95, 100.35, 31.2 are not west < east/);
  });

  it('refuses an archive cut short, or with a root directory beyond the first 16 KiB', () => {
    expect(refusal(raster, raster.length - 1)).toMatch(/tile data \(bytes \d+–\d+\) lies outside the \d+-byte file/);
    const far = Buffer.alloc(20_000);
    raster.copy(far, 0, 0, 127);
    far.writeBigUInt64LE(17_000n, 8);
    expect(refusal(far)).toMatch(/root directory ends at byte \d+; the spec keeps it within the first 16384/);
  });

  it('counts directory entries, refusing an empty or broken directory', () => {
    expect(countDirectoryEntries(Uint8Array.from([2, 1, 1, 1, 1, 5, 5, 1, 0]))).toBe(2);
    expect(() => countDirectoryEntries(Uint8Array.from([0]))).toThrow(/no entries/);
    expect(() => countDirectoryEntries(Uint8Array.from([3, 1, 1]))).toThrow(/claims 3 entries but is 3 bytes/);
    expect(() => countDirectoryEntries(Uint8Array.from([1, 0x80, 0x80, 0x80, 0x80]))).toThrow(/cut short/);
  });
});

describe('vectorLayerIds', () => {
  it('lists the ids of vector_layers as tippecanoe and planetiler write them', () => {
    expect(vectorLayerIds('{"vector_layers":[{"id":"water","fields":{}},{"id":"transportation"}],"name":"x"}')).toEqual(['water', 'transportation']);
  });

  it('is empty for metadata without layers, and skips entries that are not layers', () => {
    expect(vectorLayerIds('')).toEqual([]);
    expect(vectorLayerIds('{}')).toEqual([]);
    expect(vectorLayerIds('{"vector_layers":"water"}')).toEqual([]);
    expect(vectorLayerIds('{"vector_layers":[{"id":""},{"id":7},null,{"id":"roads"}]}')).toEqual(['roads']);
  });

  it('refuses metadata that is not JSON', () => {
    expect(() => vectorLayerIds('{"vector_layers": [')).toThrow(/metadata is not valid JSON/);
  });
});
