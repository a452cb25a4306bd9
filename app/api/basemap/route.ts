import { getBasemap } from '@/db/map-layers';
import { requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const basemap = await getBasemap(getRegistry().db);
    if (!basemap) throw new AppError('not_found', 'no township is loaded: seed the demo or import boundaries');
    return Response.json(basemap);
  } catch (err) {
    return toResponse(err);
  }
}
