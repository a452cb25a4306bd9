import { parseId } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { issueSecret } from '@/lib/teams';

export const dynamic = 'force-dynamic';

/**
 * POST /api/admin/devices/[id]/secret — issues a new secret for the device and
 * answers it once; the old one stops working (404 no device, 409 disabled).
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const deviceId = parseId((await params).id, 'device');
    const issued = await issueSecret(getRegistry(), { deviceId, actor: auditActor(me, req.headers) });
    return Response.json(issued, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return toResponse(err);
  }
}
