import { parseInput, searchParams } from '@/lib/api';
import { requireIdentity } from '@/lib/auth/sessions';
import { readBriefing } from '@/lib/briefing';
import { renderBriefingPdf } from '@/lib/briefing-pdf';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';
import { BriefingQuerySchema } from '../schema';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/briefing/pdf — the briefing as an A4 landscape PDF, Chinese as real text in the embedded Noto Sans SC. */
export async function GET(req: Request): Promise<Response> {
  try {
    const me = requireIdentity(req.headers);
    const { period, from, to, village, lang = 'zh' } = parseInput(BriefingQuerySchema, searchParams(req));
    const briefing = await readBriefing(getRegistry(), { period, from, to, villageId: village }, { role: me.role });
    const pdf = await renderBriefingPdf(briefing, lang);
    const name = `briefing-${briefing.current.range.from}${briefing.village ? `-${briefing.village.code}` : ''}.pdf`;
    return new Response(new Uint8Array(pdf), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
    });
  } catch (err) {
    return toResponse(err);
  }
}
