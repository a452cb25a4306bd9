import { pingDatabase } from '@/db/health';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const { db, leader } = getRegistry();
    await pingDatabase(db);
    // leader: whether this process runs the rules loop, retention and the simulator (lib/leader.ts).
    return Response.json({ ok: true, engine: db.engine, leader: leader.isLeader(), serverTime: new Date().toISOString() });
  } catch (err) {
    return toResponse(err);
  }
}
