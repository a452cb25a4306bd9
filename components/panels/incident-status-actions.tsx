'use client';
// The lifecycle buttons for an incident, for the roles that may change it:
// exactly the moves INCIDENT_TRANSITIONS allows from its status that a person
// may ask for (MANUAL_TARGETS) — dispatched and en route come from a team
// (dispatch, acknowledgement), and back to reported from an open status comes
// from releasing its last team, so "reported" is offered only as reopen.
// Resolve opens the outcome form. The answer is applied to the live store at
// once; the server's `incident:update` push carries the same change.
import { useState } from 'react';
import {
  INCIDENT_OUTCOMES,
  INCIDENT_TRANSITIONS,
  MANUAL_TARGETS,
  isOpenStatus,
  type IncidentOutcome,
  type IncidentStatus,
  type IncidentView,
} from '@/lib/model';
import { send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The statuses offered as buttons from `status`. */
export function nextStatuses(status: IncidentStatus): IncidentStatus[] {
  return INCIDENT_TRANSITIONS[status].filter((to) => MANUAL_TARGETS.includes(to) && !(to === 'reported' && isOpenStatus(status)));
}

export interface IncidentStatusActionsProps {
  incident: IncidentView;
  onChanged(incident: IncidentView): void;
}

export function IncidentStatusActions({ incident, onChanged }: IncidentStatusActionsProps) {
  const { t } = useI18n();
  const action = useAction();
  const [resolving, setResolving] = useState(false);
  const [outcome, setOutcome] = useState<IncidentOutcome | ''>('');
  const [note, setNote] = useState('');

  async function change(body: { status: IncidentStatus; outcome?: IncidentOutcome; outcomeNote?: string }) {
    const answer = await action.run(body.status, () => send<IncidentView>('PATCH', `/api/incidents/${incident.id}`, body));
    if (answer) {
      onChanged(answer);
      setResolving(false);
    }
  }

  const choices = nextStatuses(incident.status);
  const noteMissing = outcome === 'other' && note.trim() === '';
  return (
    <section className="status-actions" data-testid="incident-status-actions" aria-label={t('incidentActions.title')}>
      <h3 className="status-actions-title">{t('incidentActions.title')}</h3>
      <div className="status-actions-buttons">
        {choices.map((status) => {
          const reopen = status === 'reported';
          const label = reopen ? t('incidentActions.reopen') : t(`incidentStatus.${status}`);
          return (
            <button
              key={status}
              type="button"
              className={`action-button ${status === 'resolved' ? 'action-button--primary' : ''}`}
              data-testid={`incident-set-status-${status}`}
              disabled={action.pending !== null}
              aria-expanded={status === 'resolved' ? resolving : undefined}
              title={t('incidentActions.setLabel', { status: t(`incidentStatus.${status}`) })}
              onClick={() => (status === 'resolved' ? setResolving((r) => !r) : void change({ status }))}
            >
              {action.pending === status ? t('incidentActions.busy') : label}
            </button>
          );
        })}
      </div>
      {resolving && (
        <form
          className="resolve-form"
          data-testid="resolve-form"
          aria-label={t('resolve.title')}
          onSubmit={(e) => {
            e.preventDefault();
            if (outcome === '' || noteMissing) return;
            void change({ status: 'resolved', outcome, outcomeNote: note.trim() || undefined });
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setResolving(false);
            }
          }}
        >
          <label className="field">
            <span className="field-label">{t('resolve.outcome')}</span>
            <select data-testid="outcome-select" value={outcome} required onChange={(e) => setOutcome(e.currentTarget.value as IncidentOutcome)}>
              <option value="" disabled>
                {t('resolve.choose')}
              </option>
              {INCIDENT_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcome.${o}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('resolve.note')}</span>
            <textarea
              data-testid="outcome-note"
              rows={2}
              maxLength={2000}
              value={note}
              required={outcome === 'other'}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
          </label>
          {noteMissing && <p className="field-note text-warn">{t('resolve.noteRequired')}</p>}
          <div className="form-actions">
            <button
              type="submit"
              className="action-button action-button--primary"
              data-testid="resolve-submit"
              disabled={outcome === '' || noteMissing || action.pending !== null}
            >
              {action.pending === 'resolved' ? t('incidentActions.busy') : t('resolve.submit')}
            </button>
            <button type="button" className="action-button" onClick={() => setResolving(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {action.error && (
        <p className="form-error" role="alert" data-testid="incident-status-error">
          {action.error}
        </p>
      )}
    </section>
  );
}
