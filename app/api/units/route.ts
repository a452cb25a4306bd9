import { getUnits } from '@/db/units';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    return Response.json(await getUnits(getRegistry().db));
  } catch (err) {
    return toResponse(err);
  }
}
