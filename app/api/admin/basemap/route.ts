import { describeIssues, readChunks, searchParams } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { readBasemapArchiveDetails, removeBasemapArchive, uploadBasemapArchive } from '@/lib/basemap/archive';
import { AppError, toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { UploadBasemapQuery } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/admin/basemap — the stored PMTiles archive ({archive: null} when the built-in style is in use). */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json({ archive: await readBasemapArchiveDetails(getRegistry()) });
  } catch (err) {
    return toResponse(err);
  }
}

/**
 * PUT /api/admin/basemap?name=… — the raw PMTiles v3 archive as the body
 * (up to 512 MiB, streamed to disk). Replaces the stored one; 400 naming the
 * problem when the file is not an archive the map can draw.
 */
export async function PUT(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const query = UploadBasemapQuery.safeParse(searchParams(req));
    if (!query.success) throw new AppError('bad_request', describeIssues(query.error));
    const chunks = readChunks(req, bodyLimit('PUT /api/admin/basemap'));
    const archive = await uploadBasemapArchive(getRegistry(), { chunks, originalName: query.data.name ?? null, actor: auditActor(me, req.headers) });
    return Response.json({ archive });
  } catch (err) {
    return toResponse(err);
  }
}

/** DELETE /api/admin/basemap — back to the built-in township style (404 when no archive is stored). */
export async function DELETE(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    return Response.json({ removed: await removeBasemapArchive(getRegistry(), { actor: auditActor(me, req.headers) }) });
  } catch (err) {
    return toResponse(err);
  }
}
