import { parseInput, searchParams } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { readReplayChunk } from '@/lib/replay';
import { ReplayHistorySchema } from '../schema';

export const dynamic = 'force-dynamic';

/** GET /api/replay/history?from=&to= — one chunk of history in columns: fixes per device, status steps, new incidents (projected), alerts. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { from, to } = parseInput(ReplayHistorySchema, searchParams(req));
    return Response.json(await readReplayChunk(getRegistry(), { from, to, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
