import { z } from 'zod';
import { describeIssues, searchParams } from '@/lib/api';
import { HEATMAP_BIN_SIZES, HEATMAP_WINDOWS, type HeatmapPayload } from '@/lib/model';
import { HEATMAP_BOX_MAX_BINS, heatmapBoxBins, heatmapFinestBin, type HeatmapBox } from '@/lib/model/heatmap-viewport';
import { requireIdentity } from '@/lib/auth/sessions';
import { AppError, toResponse } from '@/lib/errors';
import { getHeatmap } from '@/lib/heatmap';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const DEGREES = '-?\\d{1,3}(?:\\.\\d{1,12})?';
const BBOX_FORMAT = new RegExp(`^${DEGREES},${DEGREES},${DEGREES},${DEGREES}$`);

/** `minLon,minLat,maxLon,maxLat` in degrees: four numbers on the globe, west before east, south before north. */
const Bbox = z
  .string()
  .regex(BBOX_FORMAT, 'must be minLon,minLat,maxLon,maxLat: four numbers in degrees')
  .transform((s) => s.split(',').map(Number) as unknown as HeatmapBox)
  .refine(([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90, 'must lie within longitude -180..180 and latitude -90..90')
  .refine(([w, s, e, n]) => w < e && s < n, 'is inverted or empty: minLon must be below maxLon and minLat below maxLat');

const HeatmapQuery = z
  .object({
    window: z.enum(HEATMAP_WINDOWS).default('30d'),
    // The bin edge in metres (the map picks it from its zoom: heatmapBinForZoom).
    bin: z.coerce.number().pipe(z.literal(HEATMAP_BIN_SIZES)).default(400),
    // The map's viewport: only the bins in it, and finer than the window's finest while the box is small.
    bbox: Bbox.optional(),
  })
  .superRefine(({ window, bin, bbox }, ctx) => {
    if (!bbox) return;
    const finest = heatmapFinestBin(window, bbox);
    if (bin >= finest) return;
    ctx.addIssue({
      code: 'custom',
      path: ['bbox'],
      message:
        `is too large for ${bin} m bins over ${window}: it holds about ${Math.round(heatmapBoxBins(bbox, bin))} of them ` +
        `and at most ${HEATMAP_BOX_MAX_BINS} are served finer than the whole township; ask for bin=${finest} or a smaller box`,
    });
  });

export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const parsed = HeatmapQuery.safeParse(searchParams(req));
    if (!parsed.success) {
      // A box that cannot be read, or is too large for the bin, is a bad request (400); a window or bin we do not keep, 422.
      const boxIssue = parsed.error.issues.some((i) => i.path[0] === 'bbox');
      throw new AppError(boxIssue ? 'bad_request' : 'invalid_input', describeIssues(parsed.error));
    }
    const { window, bin, bbox } = parsed.data;
    const body: HeatmapPayload = await getHeatmap(getRegistry().db, { window, binM: bin, role: me.role, box: bbox ?? null });
    return Response.json(body);
  } catch (err) {
    return toResponse(err);
  }
}
