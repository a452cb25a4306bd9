import { z } from 'zod';
import { getDisputePoints } from '@/db/incidents';
import { parseInput, searchParams } from '@/lib/api';
import { type HeatmapPayload, DISPUTE_CATEGORIES, HEATMAP_WINDOWS, HEATMAP_WINDOW_DAYS } from '@/lib/model';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const HeatmapQuery = z.object({ window: z.enum(HEATMAP_WINDOWS).default('30d') });

export async function GET(req: Request): Promise<Response> {
  try {
    requireIdentity(req.headers);
    const { window } = parseInput(HeatmapQuery, searchParams(req));
    const { from, to, points } = await getDisputePoints(getRegistry().db, {
      days: HEATMAP_WINDOW_DAYS[window],
      categories: DISPUTE_CATEGORIES,
    });
    const body: HeatmapPayload = { window, from, to, count: points.length / 3, points };
    return Response.json(body);
  } catch (err) {
    return toResponse(err);
  }
}
