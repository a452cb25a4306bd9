// The alert service: an SOS raised by a device, the list people see, and what
// people do with an alert — acknowledge it (who and when) and clear an SOS.
// Rule alerts are raised and cleared by lib/rules/evaluator.ts. A change and
// its audit row commit together; the bus hears of it only after the commit.
import { getAlert, getAlerts, insertAlert, setAlertAcknowledged, setSosCleared, type AlertState } from '../db/alerts';
import type { Db, Queryable } from '../db/client';
import { recordAudit, type Actor } from './audit';
import type { Bus } from './bus';
import { AppError } from './errors';
import type { Alert, AlertKind, LonLat } from './model';

/**
 * An SOS from a device: stored first, then pushed to every live screen.
 * Called only for a fix that was newly accepted, so a device resending the
 * same SOS fix does not raise it twice. Only a person clears it.
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

/** GET /api/alerts: by default the alerts that need attention (not cleared, or cleared but not acknowledged), newest first. */
export async function listAlerts(deps: { db: Queryable }, filter: { state: AlertState; kind?: AlertKind }): Promise<Alert[]> {
  return getAlerts(deps.db, filter);
}

/** Why an alert cannot be acted on again: who did it and when. */
function alreadyDone(alert: Alert, what: 'acknowledged' | 'cleared'): AppError {
  const by = what === 'acknowledged' ? alert.acknowledgedBy : alert.clearedBy;
  const at = what === 'acknowledged' ? alert.acknowledgedAt : alert.clearedAt;
  const who = by === 'rule' ? 'its rule (the condition ended)' : (by ?? 'someone');
  return new AppError('conflict', `alert ${alert.id} was already ${what} by ${who} at ${at ?? 'an unknown time'}`);
}

/** A person acknowledges an alert: recorded with who and when, audited, then pushed as alert:update. 404 / 409 otherwise. */
export async function acknowledgeAlert(deps: { db: Db; bus: Bus }, { id, actor }: { id: number; actor: Actor }): Promise<Alert> {
  const alert = await deps.db.transaction(async (tx) => {
    const done = await setAlertAcknowledged(tx, { id, by: actor.actor });
    if (!done) {
      const existing = await getAlert(tx, { id });
      if (!existing) throw new AppError('not_found', `no alert ${id}`);
      throw alreadyDone(existing, 'acknowledged');
    }
    await recordAudit(tx, actor, { action: 'alert.acknowledge', target: `alert:${id}`, detail: { kind: done.kind } });
    return done;
  });
  deps.bus.publish('alert:update', alert);
  return alert;
}

/**
 * A person clears an SOS (and thereby acknowledges it, if nobody had). Every
 * other kind is cleared by its rule when the condition ends: 409. Audited,
 * then pushed as alert:update.
 */
export async function clearAlert(deps: { db: Db; bus: Bus }, { id, actor }: { id: number; actor: Actor }): Promise<Alert> {
  const alert = await deps.db.transaction(async (tx) => {
    const done = await setSosCleared(tx, { id, by: actor.actor });
    if (!done) {
      const existing = await getAlert(tx, { id });
      if (!existing) throw new AppError('not_found', `no alert ${id}`);
      if (existing.kind !== 'sos') {
        throw new AppError('conflict', `alert ${id} (${existing.kind}) is cleared by its rule when the condition ends; only an SOS is cleared by a person`);
      }
      throw alreadyDone(existing, 'cleared');
    }
    await recordAudit(tx, actor, { action: 'alert.clear', target: `alert:${id}`, detail: { kind: done.kind } });
    return done;
  });
  deps.bus.publish('alert:update', alert);
  return alert;
}
