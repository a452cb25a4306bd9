import { getBasemap } from '@/db/map-layers';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const basemap = await getBasemap(getRegistry().db);
    if (!basemap) throw new AppError('not_found', 'no township is loaded: seed the demo or import boundaries');
    return Response.json(basemap);
  } catch (err) {
    return toResponse(err);
  }
}
