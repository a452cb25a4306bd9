import { parseInput, searchParams } from '@/lib/api';
import { listAlerts } from '@/lib/alerts';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { ListAlertsSchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/alerts — alerts newest first: by default those that need attention; ?state=active|all, ?kind=. */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const filter = parseInput(ListAlertsSchema, searchParams(req));
    return Response.json(await listAlerts(getRegistry(), filter));
  } catch (err) {
    return toResponse(err);
  }
}
