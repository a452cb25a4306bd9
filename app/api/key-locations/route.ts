import { getKeyLocations } from '@/db/map-layers';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json(await getKeyLocations(getRegistry().db));
  } catch (err) {
    return toResponse(err);
  }
}
