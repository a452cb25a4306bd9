// The basemap archive as a service (issue 12, "Basemap"): an administrator
// uploads a PMTiles v3 file, which is streamed to DATA_DIR/basemap/ (the
// embedded database's folder, so one folder holds all of an install's data),
// checked, named by its SHA-256 and recorded with its audit row in one
// transaction; any signed-in person reads it back in byte ranges.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { deleteBasemapArchive, getBasemapArchive, replaceBasemapArchive } from '../../db/basemap-archive';
import type { Db } from '../../db/client';
import { recordAudit, type Actor } from '../audit';
import type { Config } from '../config';
import { AppError } from '../errors';
import { parseRange } from '../http/range';
import type { BasemapArchiveDetails } from '../model';
import {
  countDirectoryEntries,
  PmtilesFormatError,
  readPmtilesHeader,
  ROOT_SPAN_BYTES,
  vectorLayerIds,
  type PmtilesCompression,
  type PmtilesHeader,
} from './pmtiles-header';

interface Deps {
  db: Db;
  config: Pick<Config, 'dataDir'>;
}

/** Metadata is a small JSON document; past this (inflated) it is not one we want to parse. */
const METADATA_MAX_BYTES = 16 * 1024 * 1024;
/** Ranges are sent in chunks of this size, read from the file as the client takes them. */
const READ_CHUNK_BYTES = 64 * 1024;

export function basemapDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'basemap');
}

/** Where the archive with this hash is kept. */
export function basemapArchiveFile(config: Pick<Config, 'dataDir'>, sha256: string): string {
  return join(basemapDir(config), `${sha256}.pmtiles`);
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

function inflate(bytes: Uint8Array, compression: PmtilesCompression, what: string): Uint8Array {
  if (compression === 'none') return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: METADATA_MAX_BYTES });
  } catch (err) {
    throw new PmtilesFormatError(`the ${what} is not valid gzip data`, { cause: err });
  }
}

/** Reads what the page and the admin page need, and checks the archive as far as a reader would on opening it. */
export async function inspectArchive(path: string, size: number): Promise<{ header: PmtilesHeader; vectorLayers: string[] }> {
  const fh = await open(path, 'r');
  try {
    const header = readPmtilesHeader(await readAt(fh, 0, Math.min(size, ROOT_SPAN_BYTES)), size);
    const root = await readAt(fh, header.rootDirectoryOffset, header.rootDirectoryLength);
    countDirectoryEntries(inflate(root, header.internalCompression, 'root directory'));
    if (header.jsonMetadataLength > METADATA_MAX_BYTES) {
      throw new PmtilesFormatError(`the metadata is ${header.jsonMetadataLength} bytes; at most ${METADATA_MAX_BYTES} are read`);
    }
    const metadata = inflate(await readAt(fh, header.jsonMetadataOffset, header.jsonMetadataLength), header.internalCompression, 'metadata');
    const vectorLayers = header.tileType === 'mvt' ? vectorLayerIds(new TextDecoder().decode(metadata)) : [];
    return { header, vectorLayers };
  } finally {
    await fh.close();
  }
}

/** Writes the body to `path` as it arrives; answers its size and SHA-256. */
async function writeChunks(chunks: AsyncIterable<Uint8Array>, path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const fh = await open(path, 'wx');
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.byteLength;
      await fh.write(chunk);
    }
  } finally {
    await fh.close();
  }
  return { size, sha256: hash.digest('hex') };
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`[basemap] could not remove ${path}`, err);
  }
}

/**
 * PUT /api/admin/basemap: streams the archive to a temporary file, checks it
 * (400 naming the problem: not PMTiles, not version 3, a tile type or
 * compression the page cannot draw, sections outside the file), keeps it as
 * `<sha256>.pmtiles`, and replaces the stored archive with its audit row
 * ('basemap.upload') in one transaction. The archive it replaced is deleted
 * after the commit.
 */
export async function uploadBasemapArchive(
  deps: Deps,
  input: { chunks: AsyncIterable<Uint8Array>; originalName: string | null; actor: Actor },
): Promise<BasemapArchiveDetails> {
  const dir = basemapDir(deps.config);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `upload-${randomBytes(8).toString('hex')}.part`);
  let keptSha256: string | null = null;
  try {
    const { size, sha256 } = await writeChunks(input.chunks, temp);
    let inspected: Awaited<ReturnType<typeof inspectArchive>>;
    try {
      inspected = await inspectArchive(temp, size);
    } catch (err) {
      if (err instanceof PmtilesFormatError) throw new AppError('bad_request', `not a usable PMTiles archive: ${err.message}`, { cause: err });
      throw err;
    }
    const { header, vectorLayers } = inspected;
    // Named by content: an identical re-upload lands on the same name, and no upload overwrites a different file.
    await rename(temp, basemapArchiveFile(deps.config, sha256));
    keptSha256 = sha256;
    const { previousSha256 } = await deps.db.transaction(async (tx) => {
      const replaced = await replaceBasemapArchive(tx, {
        sha256,
        sizeBytes: size,
        tileType: header.tileType,
        minZoom: header.minZoom,
        maxZoom: header.maxZoom,
        bounds: header.bounds,
        vectorLayers,
        originalName: input.originalName,
        uploadedBy: input.actor.actor,
      });
      await recordAudit(tx, input.actor, {
        action: 'basemap.upload',
        target: sha256,
        detail: {
          sizeBytes: size,
          tileType: header.tileType,
          minZoom: header.minZoom,
          maxZoom: header.maxZoom,
          bounds: header.bounds,
          originalName: input.originalName,
          replaced: replaced.previousSha256,
        },
      });
      return replaced;
    });
    if (previousSha256 !== null && previousSha256 !== sha256) await removeFile(basemapArchiveFile(deps.config, previousSha256));
    const stored = await getBasemapArchive(deps.db);
    if (!stored) throw new AppError('conflict', 'the basemap archive was removed while it was being stored');
    return stored;
  } catch (err) {
    await removeFile(temp);
    if (keptSha256 !== null) await removeUnlessStored(deps, keptSha256);
    throw err;
  }
}

/** After a failed upload, its kept file goes, unless the stored row names it (the same archive, uploaded before). */
async function removeUnlessStored(deps: Deps, sha256: string): Promise<void> {
  let stored: BasemapArchiveDetails | null;
  try {
    stored = await getBasemapArchive(deps.db);
  } catch (err) {
    console.error(`[basemap] cannot tell whether ${sha256}.pmtiles is in use after a failed upload; it stays`, err);
    return;
  }
  if (stored?.sha256 !== sha256) await removeFile(basemapArchiveFile(deps.config, sha256));
}

/** DELETE /api/admin/basemap: back to the built-in style. 404 when none is stored; the file goes after the commit. */
export async function removeBasemapArchive(deps: Deps, input: { actor: Actor }): Promise<{ sha256: string }> {
  const removed = await deps.db.transaction(async (tx) => {
    const row = await deleteBasemapArchive(tx);
    if (!row) throw new AppError('not_found', 'no basemap archive is stored: the map already uses the built-in style');
    await recordAudit(tx, input.actor, { action: 'basemap.remove', target: row.sha256, detail: { sizeBytes: row.sizeBytes } });
    return row;
  });
  await removeFile(basemapArchiveFile(deps.config, removed.sha256));
  return { sha256: removed.sha256 };
}

export async function readBasemapArchiveDetails(deps: { db: Db }): Promise<BasemapArchiveDetails | null> {
  return getBasemapArchive(deps.db);
}

/** The file from `start` to `end` (inclusive), read as the client takes it; closed at the end or when the client goes. */
function fileRange(fh: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const length = Math.min(READ_CHUNK_BYTES, end + 1 - position);
      if (length <= 0) {
        await fh.close();
        controller.close();
        return;
      }
      const chunk = await readAt(fh, position, length);
      if (chunk.byteLength === 0) {
        await fh.close();
        controller.error(new Error(`the basemap archive ended at byte ${position}, before byte ${end}`));
        return;
      }
      position += chunk.byteLength;
      controller.enqueue(chunk);
    },
    async cancel() {
      await fh.close();
    },
  });
}

export interface ArchiveResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * GET/HEAD /api/basemap/tiles.pmtiles: the stored archive, or the one byte
 * range asked for (206 + Content-Range; a suffix `bytes=-N` too), 416 with
 * the size when the range cannot be served. 404 when no archive is stored or
 * its file is gone from DATA_DIR (the page then keeps the built-in style).
 */
export async function readBasemapArchive(deps: Deps, input: { range: string | null; withBody: boolean }): Promise<ArchiveResponse> {
  const stored = await getBasemapArchive(deps.db);
  if (!stored) throw new AppError('not_found', 'no basemap archive is stored');
  const path = basemapArchiveFile(deps.config, stored.sha256);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new AppError('not_found', `the basemap archive's file is missing from ${basemapDir(deps.config)}: upload it again`, { cause: err });
  }
  let handedOver = false;
  try {
    const { size } = await fh.stat();
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      etag: `"${stored.sha256}"`,
      'content-type': 'application/vnd.pmtiles',
      // Ranges must reach the reader byte for byte: no compression on the way.
      'cache-control': 'private, no-cache, no-transform',
    };
    const range = parseRange(input.range, size);
    if (range.kind === 'unsatisfiable') {
      return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' }, body: null };
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
    headers['content-length'] = String(end - start + 1);
    if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
    const status = range.kind === 'partial' ? 206 : 200;
    if (!input.withBody) return { status, headers, body: null };
    handedOver = true;
    return { status, headers, body: fileRange(fh, start, end) };
  } finally {
    if (!handedOver) await fh.close();
  }
}
