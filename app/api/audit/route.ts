import { z } from 'zod';
import { parseInput, searchParams } from '@/lib/api';
import { readAuditLog } from '@/lib/audit';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { AUDIT_OUTCOMES } from '@/lib/model';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const AuditQuery = z
  .object({
    action: z.string().max(64).optional(),
    actor: z.string().max(64).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), { message: 'since must be before until', path: ['since'] });

/** GET /api/audit — administrators browse and filter the audit log, newest first; `before` pages back. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const filter = parseInput(AuditQuery, searchParams(req));
    // Reading the log is itself recorded (lib/audit.ts).
    return Response.json(await readAuditLog(getRegistry(), { filter, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
