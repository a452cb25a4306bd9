import { z } from 'zod';
import { parseInput, searchParams } from '@/lib/api';
import { HEATMAP_BIN_SIZES, HEATMAP_WINDOWS, type HeatmapPayload } from '@/lib/model';
import { requireIdentity } from '@/lib/auth/sessions';
import { toResponse } from '@/lib/errors';
import { getHeatmap } from '@/lib/heatmap';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const HeatmapQuery = z.object({
  window: z.enum(HEATMAP_WINDOWS).default('30d'),
  // The bin edge in metres (the map picks it from its zoom: heatmapBinForZoom).
  bin: z.coerce.number().pipe(z.literal(HEATMAP_BIN_SIZES)).default(400),
});

export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { window, bin } = parseInput(HeatmapQuery, searchParams(req));
    const body: HeatmapPayload = await getHeatmap(getRegistry().db, { window, binM: bin, role: me.role });
    return Response.json(body);
  } catch (err) {
    return toResponse(err);
  }
}
