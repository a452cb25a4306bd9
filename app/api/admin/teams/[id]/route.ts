import { parseId, parseInput, readJson } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { changeTeam } from '@/lib/teams';
import { ChangeTeamSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** PATCH /api/admin/teams/[id] — changes the given fields of a team (404 no team, 409 a code another team has). */
export async function PATCH(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'team');
    const change = parseInput(ChangeTeamSchema, await readJson(req, bodyLimit('PATCH /api/admin/teams/[id]')));
    return Response.json(await changeTeam(getRegistry(), { id, change, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
