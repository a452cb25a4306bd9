import { parseInput, readJson } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { applyImport } from '@/lib/import/service';
import { getRegistry } from '@/lib/registry';
import { ApplyImportSchema } from '../schema';

export const dynamic = 'force-dynamic';

/** POST /api/admin/import/apply {token, makeValid?} — writes a previewed layer in one transaction (404 unknown, 409 expired, 422 refused). */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { token, makeValid } = parseInput(ApplyImportSchema, await readJson(req, bodyLimit('POST /api/admin/import/apply')));
    return Response.json(await applyImport(getRegistry(), { token, makeValid, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
