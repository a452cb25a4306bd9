import { z } from 'zod';
import { appendAudit, listAudit } from '@/db/audit';
import { parseInput, searchParams } from '@/lib/api';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const AuditQuery = z
  .object({
    action: z.string().max(64).optional(),
    actor: z.string().max(64).optional(),
    outcome: z.enum(['ok', 'denied', 'failed']).optional(),
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
    const q = parseInput(AuditQuery, searchParams(req));
    const { db } = getRegistry();
    const rows = await listAudit(db, q);
    // Reading the log is itself recorded, but not every page of one browse: only the first.
    if (q.before === undefined) {
      const filter = Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'limit' && v !== undefined));
      await appendAudit(db, { ...auditActor(me, req.headers), action: 'audit.read', outcome: 'ok', detail: { filter } });
    }
    return Response.json(rows);
  } catch (err) {
    return toResponse(err);
  }
}
