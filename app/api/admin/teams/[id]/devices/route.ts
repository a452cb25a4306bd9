import { parseId, parseInput, readJson } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { bodyLimit } from '@/lib/http/body-limits';
import { getRegistry } from '@/lib/registry';
import { addDevice } from '@/lib/teams';
import { CreateDeviceSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/**
 * POST /api/admin/teams/[id]/devices {label, protocol} — registers a device
 * for the team and answers its secret: the only time it can be read (404 no team).
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const teamId = parseId((await params).id, 'team');
    const device = parseInput(CreateDeviceSchema, await readJson(req, bodyLimit('POST /api/admin/teams/[id]/devices')));
    const issued = await addDevice(getRegistry(), { teamId, device, actor: auditActor(me, req.headers) });
    return Response.json(issued, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return toResponse(err);
  }
}
