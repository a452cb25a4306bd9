import { appendAudit } from '@/db/audit';
import { getAdminUser, getUserForLogin, insertUser, listUsers } from '@/db/users';
import { parseInput, readJson } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { hashPassword } from '@/lib/auth/password';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { CreateUserSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** GET /api/admin/users — every account, with live sessions and last sign-in. */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    return Response.json(await listUsers(getRegistry().db));
  } catch (err) {
    return toResponse(err);
  }
}

/** POST /api/admin/users — an administrator creates an account; the name must be free (409). */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const input = parseInput(CreateUserSchema, await readJson(req, bodyLimit('POST /api/admin/users')));
    const { db } = getRegistry();
    // Checked before the (deliberately slow) hash; the unique index still decides a race.
    if (await getUserForLogin(db, { username: input.username })) throw new AppError('conflict', `a user named "${input.username}" already exists`);
    const passwordHash = await hashPassword(input.password);
    const created = await insertUser(db, { username: input.username, displayName: input.displayName, role: input.role, passwordHash }).catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `a user named "${input.username}" already exists`);
      throw err;
    });
    await appendAudit(db, {
      ...auditActor(me, req.headers),
      action: 'user.create',
      target: `user:${created.id}`,
      outcome: 'ok',
      detail: { username: created.username, role: created.role },
    });
    return Response.json(await getAdminUser(db, { id: created.id }), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
