import type { Queryable } from './client';

/** The cheapest round trip: resolves when the database answers, throws when it does not. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
