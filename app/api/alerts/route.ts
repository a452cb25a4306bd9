import { getOpenAlerts } from '@/db/alerts';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    return Response.json(await getOpenAlerts(getRegistry().db));
  } catch (err) {
    return toResponse(err);
  }
}
