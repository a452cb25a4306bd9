import { parseInput, searchParams } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { readReplayState } from '@/lib/replay';
import { ReplayStateSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** GET /api/replay/state?at= — the township at T: every team's last fix at or before T, incidents as they were (projected for the caller's role), alerts raised by T. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { at } = parseInput(ReplayStateSchema, searchParams(req));
    return Response.json(await readReplayState(getRegistry(), { at, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
