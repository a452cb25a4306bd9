import { getTownshipStatus } from '@/db/township';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/**
 * GET /api/township/status — what is stored (boundary, villages, grid cells,
 * key locations, roads, teams), whether it is the demo, and the next step an
 * empty or half-imported install needs. Always 200, unlike GET /api/basemap
 * (404 without a township), so the map page can tell "nothing yet" from an error.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json(await getTownshipStatus(getRegistry().db));
  } catch (err) {
    return toResponse(err);
  }
}
