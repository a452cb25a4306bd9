import { describeIssues, searchParams } from '@/lib/api';
import { requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { readPlanReport } from '@/lib/plans/report';
import { getRegistry } from '@/lib/registry';
import { ReportQuerySchema } from './schema';

export const dynamic = 'force-dynamic';

/** GET /api/plans/report?from=YYYY-MM-DD&to=YYYY-MM-DD — plan vs actual for township days from..to (inclusive; 400 for a bad day, to before from, or more than 92 days). */
export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const q = ReportQuerySchema.safeParse(searchParams(req));
    if (!q.success) throw new AppError('bad_request', describeIssues(q.error));
    return Response.json(await readPlanReport(getRegistry(), q.data));
  } catch (err) {
    return toResponse(err);
  }
}
