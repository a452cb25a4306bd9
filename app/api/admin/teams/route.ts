import { parseInput, readJson } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { createTeam, listTeams } from '@/lib/teams';
import { CreateTeamSchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/admin/teams — every team with its devices and their last fix, and the villages and grid cells a team can be given. */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json(await listTeams(getRegistry()));
  } catch (err) {
    return toResponse(err);
  }
}

/** POST /api/admin/teams — creates a team; its code must be free (409). */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const team = parseInput(CreateTeamSchema, await readJson(req, bodyLimit('POST /api/admin/teams')));
    return Response.json(await createTeam(getRegistry(), { team, actor: auditActor(me, req.headers) }), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
