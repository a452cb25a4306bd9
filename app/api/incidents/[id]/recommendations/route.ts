import { parseId, parseInput, searchParams } from '@/lib/api';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { recommendTeams } from '@/lib/recommend';
import { getRegistry } from '@/lib/registry';
import { RecommendationsQuerySchema } from './schema';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ id: string }>;
}

/** GET /api/incidents/[id]/recommendations?busy=1 — staff: the five fastest teams by road ETA. */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const incidentId = parseId((await params).id, 'incident');
    const { busy } = parseInput(RecommendationsQuerySchema, searchParams(req));
    return Response.json(await recommendTeams(getRegistry(), { incidentId, includeBusy: busy }));
  } catch (err) {
    return toResponse(err);
  }
}
