import { parseId, parseInput, readJson } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { changePlan, removePlan } from '@/lib/plans/service';
import { getRegistry } from '@/lib/registry';
import { PlanSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** PUT /api/plans/[id] — replaces a plan as a whole (404 no plan; 422 and 409 as for POST /api/plans). */
export async function PUT(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'plan');
    const plan = parseInput(PlanSchema, await readJson(req, bodyLimit('PUT /api/plans/[id]')));
    return Response.json(await changePlan(getRegistry(), { id, plan, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}

/** DELETE /api/plans/[id] — deletes a plan with its checkpoints (404 no plan). */
export async function DELETE(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'plan');
    await removePlan(getRegistry(), { id, actor: auditActor(me, req.headers) });
    return new Response(null, { status: 204 });
  } catch (err) {
    return toResponse(err);
  }
}
