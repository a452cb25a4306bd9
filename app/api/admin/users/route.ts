import { listUsers } from '@/db/users';
import { createAccount } from '@/lib/accounts';
import { parseInput, readJson } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
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
    const account = parseInput(CreateUserSchema, await readJson(req, bodyLimit('POST /api/admin/users')));
    return Response.json(await createAccount(getRegistry(), { account, actor: auditActor(me, req.headers) }), { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
