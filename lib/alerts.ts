import { insertAlert } from '../db/alerts';
import type { Db } from '../db/client';
import type { Alert, LonLat } from './model';
import type { Bus } from './bus';

/**
 * An SOS from a device: stored first, then pushed to every live screen.
 * Called only for a fix that was newly accepted, so a device resending the
 * same SOS fix does not raise it twice.
 */
export async function raiseSos(
  deps: { db: Db; bus: Bus },
  { teamId, deviceId, position }: { teamId: number; deviceId: number; position: LonLat },
): Promise<Alert> {
  const alert = await insertAlert(deps.db, {
    kind: 'sos',
    severity: 4,
    teamId,
    deviceId,
    position,
    message: 'SOS from a team device',
  });
  deps.bus.publish('alert:new', alert);
  return alert;
}
