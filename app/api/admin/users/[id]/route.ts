import { appendAudit } from '@/db/audit';
import { getAdminUser, updateUser } from '@/db/users';
import { parseId, parseInput, readJson } from '@/lib/api';
import { hashPassword } from '@/lib/auth/password';
import { auditActor, requireIdentity, resetConnections } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { ChangeUserSchema } from '../../schema';

export const dynamic = 'force-dynamic';

/**
 * PATCH /api/admin/users/[id] — rename, change role, disable/enable, set a
 * new password. Disabling or a role change drops the person's live sockets at
 * once and ends recovery of dropped ones (a disabled person stays out; anyone
 * else reconnects into the rooms of the new role). An administrator cannot
 * disable or demote themselves, so there is always one left.
 */
export async function PATCH(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const id = parseId((await params).id, 'user');
    const change = parseInput(ChangeUserSchema, await readJson(req, 4096));
    const { db, bus } = getRegistry();
    const before = await getAdminUser(db, { id });
    if (!before) throw new AppError('not_found', `no user ${id}`);
    if (before.role === 'device') throw new AppError('conflict', `user ${id} is a device account; manage it with npm run device:issue`);
    if (id === me.userId && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'))) {
      throw new AppError('conflict', 'you cannot disable or demote your own account; ask another administrator');
    }
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    await updateUser(db, { id, change: { displayName: change.displayName, role: change.role, disabled: change.disabled, passwordHash } });
    // At once, before anything else can fail: a socket must not keep the old role's rooms.
    if (change.disabled === true || (change.role !== undefined && change.role !== before.role)) {
      await resetConnections({ db, bus }, { userId: id });
    }
    const after = (await getAdminUser(db, { id }))!;
    await appendAudit(db, {
      ...auditActor(me, req.headers),
      action: 'user.update',
      target: `user:${id}`,
      outcome: 'ok',
      // Never the password itself: only that it changed.
      detail: { username: after.username, ...change, password: change.password === undefined ? undefined : 'changed' },
    });
    return Response.json(after);
  } catch (err) {
    return toResponse(err);
  }
}
