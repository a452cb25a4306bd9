// Removing the demo township (`npm run demo:remove`): an install that started
// with the generated demo becomes an empty one, ready for the real township's
// import. Only the demo goes: once an import has been applied, or an
// administrator has set up a team or a device, the stored township is real
// data (or a mix) and this refuses, naming what happened and when. Accounts,
// sessions, the audit log and an uploaded basemap archive stay.
import { appendAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { deleteTownshipData, getDemoState, lockTownshipTables, type RemovedCounts } from '../../db/township';
import type { Actor } from '../audit';
import type { Bus } from '../bus';
import { AppError } from '../errors';

export interface DemoRemoval {
  removed: RemovedCounts;
  /** When the transaction committed (ISO); the `township:changed` event carries the same time. */
  removedAt: string;
}

/**
 * Removes the demo in one transaction with its 'demo.remove' audit row, then
 * publishes `township:changed` (layer 'all') when there is a bus to hear it.
 * 404 when no township is stored; 409 when the township is no longer the
 * demo. Afterwards a start with SEED_DEMO=true does not seed it again
 * (lib/sim/seed.ts); `npm run db:seed` still can.
 */
export async function removeDemoTownship(deps: { db: Db; bus?: Bus }, input: { actor: Actor | 'cli' }): Promise<DemoRemoval> {
  const removed = await deps.db.transaction(
    async (tx) => {
      // Checked under lock, so an import cannot commit between the check and the removal.
      await lockTownshipTables(tx);
      const state = await getDemoState(tx);
      if (!state.township) throw new AppError('not_found', 'No township is stored: there is no demo to remove (this install is already empty).');
      if (state.endedBy) {
        const { action, at, actor, target } = state.endedBy;
        throw new AppError(
          'conflict',
          `The stored township is no longer the demo: ${action}${target ? ` (${target})` : ''} by ${actor ?? 'someone'} at ${at} changed it after it was seeded. ` +
            'Nothing was removed; to start again from nothing, use a fresh database (a new DATA_DIR or database) and SEED_DEMO=false.',
        );
      }
      const counts = await deleteTownshipData(tx);
      const actor = input.actor === 'cli' ? { actorUserId: null, actor: 'cli', role: null, ip: null } : input.actor;
      await appendAudit(tx, { ...actor, action: 'demo.remove', target: 'township', outcome: 'ok', detail: { seededAt: state.seededAt, removed: counts } });
      return counts;
    },
    { setup: true },
  );
  const removedAt = new Date().toISOString();
  deps.bus?.publish('township:changed', { layer: 'all', appliedAt: removedAt });
  return { removed, removedAt };
}
