'use client';
// Status buttons for the selected incident, for the roles that may change it.
// The PATCH answer is not written anywhere: the server pushes the change as
// `incident:update`, and the live store (the one place incidents live) takes it from there.
import { useState } from 'react';
import { type IncidentView, INCIDENT_STATUSES, type IncidentStatus } from '@/lib/model';
import { send } from '@/lib/hooks/fetcher';
import { INCIDENT_EDITORS, useMe } from '@/lib/hooks/use-me';
import { useI18n } from '@/lib/i18n/i18n-provider';

/**
 * Where an incident may go from `status`: any later step of the workflow
 * (reported → dispatched → on_scene → resolved → closed), and back to
 * reported once it is resolved or closed (a dispute that flares up again).
 */
export function nextStatuses(status: IncidentStatus): IncidentStatus[] {
  const forward = INCIDENT_STATUSES.slice(INCIDENT_STATUSES.indexOf(status) + 1);
  return status === 'resolved' || status === 'closed' ? [...forward, 'reported'] : forward;
}

export function IncidentStatusActions({ incident }: { incident: IncidentView }) {
  const { t } = useI18n();
  const me = useMe();
  const [pending, setPending] = useState<IncidentStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!me || !INCIDENT_EDITORS.includes(me.role)) return null;

  async function setStatus(status: IncidentStatus) {
    setPending(status);
    setError(null);
    try {
      await send<IncidentView>('PATCH', `/api/incidents/${incident.id}`, { status });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(null);
    }
  }

  const choices = nextStatuses(incident.status);
  return (
    <section className="status-actions" data-testid="incident-status-actions" aria-label={t('incidentActions.title')}>
      <h3 className="status-actions-title">{t('incidentActions.title')}</h3>
      <div className="status-actions-buttons">
        {choices.map((status, index) => {
          const reopen = status === 'reported';
          const label = reopen ? t('incidentActions.reopen') : t(`incidentStatus.${status}`);
          return (
            <button
              key={status}
              type="button"
              className={`action-button ${index === 0 && !reopen ? 'action-button--primary' : ''}`}
              data-testid={`incident-set-status-${status}`}
              disabled={pending !== null}
              title={t('incidentActions.setLabel', { status: t(`incidentStatus.${status}`) })}
              onClick={() => void setStatus(status)}
            >
              {pending === status ? t('incidentActions.busy') : label}
            </button>
          );
        })}
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="incident-status-error">
          {error}
        </p>
      )}
    </section>
  );
}
