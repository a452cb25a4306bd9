import { parseId } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { disableTeamDevice } from '@/lib/teams';

export const dynamic = 'force-dynamic';

/** POST /api/admin/devices/[id]/disable — its secret stops working at once (404 no device, 409 disabled already). */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const deviceId = parseId((await params).id, 'device');
    return Response.json(await disableTeamDevice(getRegistry(), { deviceId, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
