import { parseInput, readJson, searchParams } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { createPlan, planBoard } from '@/lib/plans/service';
import { getRegistry } from '@/lib/registry';
import { BoardQuerySchema, PlanSchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/plans?day=YYYY-MM-DD — the plan board of a township day (today by default): every plan and the day's occurrences. */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const { day } = parseInput(BoardQuerySchema, searchParams(req));
    return Response.json(await planBoard(getRegistry(), { day }));
  } catch (err) {
    return toResponse(err);
  }
}

/** POST /api/plans — creates a patrol plan (422 bad input; 409 off-duty team, overlapping plan, checkpoint outside the area). */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const plan = parseInput(PlanSchema, await readJson(req, bodyLimit('POST /api/plans')));
    return Response.json(await createPlan(getRegistry(), { plan, actor: auditActor(me, req.headers) }), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
