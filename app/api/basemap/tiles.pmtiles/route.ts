import { requireIdentity } from '@/lib/auth/sessions';
import { readBasemapArchive } from '@/lib/basemap/archive';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/**
 * GET /api/basemap/tiles.pmtiles — the uploaded PMTiles archive for any
 * signed-in person, in HTTP byte ranges (206), as the `pmtiles` library reads
 * it. The `v` query parameter only tells archives apart for the browser.
 */
export async function GET(req: Request): Promise<Response> {
  return serveArchive(req, { withBody: true });
}

/** HEAD: the same answer without the bytes (Next would otherwise run GET and read the range for nothing). */
export async function HEAD(req: Request): Promise<Response> {
  return serveArchive(req, { withBody: false });
}

async function serveArchive(req: Request, { withBody }: { withBody: boolean }): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const answer = await readBasemapArchive(getRegistry(), { range: req.headers.get('range'), withBody });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  } catch (err) {
    return toResponse(err);
  }
}
