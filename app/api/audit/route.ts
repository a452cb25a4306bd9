import { z } from 'zod';
import { listAudit } from '@/db/audit';
import { parseInput, searchParams } from '@/lib/api';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const AuditQuery = z.object({
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** GET /api/audit — administrators browse and filter the audit log (newest first). */
export async function GET(req: Request): Promise<Response> {
  try {
    const q = parseInput(AuditQuery, searchParams(req));
    return Response.json(await listAudit(getRegistry().db, q));
  } catch (err) {
    return toResponse(err);
  }
}
