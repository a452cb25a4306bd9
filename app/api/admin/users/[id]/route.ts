import { changeAccount } from '@/lib/accounts';
import { parseId, parseInput, readJson } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { ChangeUserSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/**
 * PATCH /api/admin/users/[id] — rename, change role, disable/enable, set a
 * new password. Disabling or a role change drops the person's live sockets at
 * once (lib/accounts.ts); an administrator cannot disable or demote themselves.
 */
export async function PATCH(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'user');
    const change = parseInput(ChangeUserSchema, await readJson(req, 4096));
    return Response.json(await changeAccount(getRegistry(), { id, change, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
