import { parseInput, searchParams } from '@/lib/api';
import { requireIdentity } from '@/lib/auth/sessions';
import { readBriefing } from '@/lib/briefing';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { BriefingQuerySchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/briefing — the period's figures against the previous period and a year earlier; aggregates only. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { period, from, to, village } = parseInput(BriefingQuerySchema, searchParams(req));
    return Response.json(await readBriefing(getRegistry(), { period, from, to, villageId: village }, { role: me.role }));
  } catch (err) {
    return toResponse(err);
  }
}
