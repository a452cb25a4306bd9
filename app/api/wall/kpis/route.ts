import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { readWallKpis } from '@/lib/wall';

export const dynamic = 'force-dynamic';

/** GET /api/wall/kpis — the wall's KPI tiles as of now, days in the township zone. Takes no input. */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json(await readWallKpis(getRegistry()));
  } catch (err) {
    return toResponse(err);
  }
}
