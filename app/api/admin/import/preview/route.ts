import { describeIssues, readBytes, searchParams } from '@/lib/api';
import { bodyLimit } from '@/lib/http/body-limits';
import { auditActor, requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { previewImport } from '@/lib/import/service';
import { getRegistry } from '@/lib/registry';
import { PreviewQuery } from '../schema';

export const dynamic = 'force-dynamic';

/**
 * POST /api/admin/import/preview?layer=…&datum=…&name=… — the raw file as the
 * body. Answers the report (problems, diff, token); stores nothing in the
 * township's tables. A file that cannot be read is a report with errors, not a 4xx.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const query = PreviewQuery.safeParse(searchParams(req));
    if (!query.success) throw new AppError('bad_request', describeIssues(query.error));
    const bytes = await readBytes(req, bodyLimit('POST /api/admin/import/preview'));
    const { layer, datum, name } = query.data;
    return Response.json(await previewImport(getRegistry(), { layer, datum, file: { name, bytes }, actor: auditActor(me, req.headers) }));
  } catch (err) {
    return toResponse(err);
  }
}
