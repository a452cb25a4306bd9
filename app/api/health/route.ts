import { pingDatabase } from '@/db/health';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const { db } = getRegistry();
    await pingDatabase(db);
    return Response.json({ ok: true, engine: db.engine, serverTime: new Date().toISOString() });
  } catch (err) {
    return toResponse(err);
  }
}
