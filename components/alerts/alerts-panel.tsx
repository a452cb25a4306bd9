'use client';
// Alerts needing attention, newest first, filterable by kind. A dispatch not
// acknowledged in time is escalated (red, pulsing) until someone acknowledges
// it. Staff acknowledge (who and when are kept) and clear an SOS; everyone
// can locate an alert on the map or open the incident it is about.
import { useMemo, useState } from 'react';
import { ALERT_KINDS, STAFF_ROLES, type Alert, type AlertKind, type GridCollection } from '@/lib/model';
import { alertPosition, attentionAlerts, isEscalatedAlert, type AlertsById, type UnitsById } from '@/lib/live/live-store';
import { send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { useMe } from '@/lib/hooks/use-me';
import { formatAge, formatDateTime } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { alertTeamName } from '@/lib/i18n/messages';

export interface AlertsPanelProps {
  alerts: AlertsById;
  units: UnitsById;
  grids: GridCollection | undefined;
  now: number | null;
  onLocate(alert: Alert): void;
  onOpenIncident(incidentId: number): void;
  /** The answer to an acknowledge / clear made here. */
  onChanged(alert: Alert): void;
}

export function AlertsPanel({ alerts, units, grids, now, onLocate, onOpenIncident, onChanged }: AlertsPanelProps) {
  const { t, lang, timeZone } = useI18n();
  const me = useMe();
  const staff = me !== undefined && (STAFF_ROLES as readonly string[]).includes(me.role);
  const [kind, setKind] = useState<AlertKind | 'all'>('all');
  const list = useMemo(() => attentionAlerts(alerts, kind), [alerts, kind]);
  const action = useAction();
  const age = (iso: string) => (now === null ? formatDateTime(iso, lang, timeZone) : formatAge(Math.max(0, now - Date.parse(iso)), lang));

  async function post(a: Alert, verb: 'acknowledge' | 'clear') {
    const answer = await action.run(`${verb}-${a.id}`, () => send<Alert>('POST', `/api/alerts/${a.id}/${verb}`));
    if (answer) onChanged(answer);
  }

  return (
    <section className="panel-section" data-testid="alerts-panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title" className="section-title">
        {t('alerts.title')}
      </h2>
      <label className="field">
        <span className="field-label">{t('alerts.filterKind')}</span>
        <select data-testid="alerts-filter-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as AlertKind | 'all')}>
          <option value="all">{t('common.all')}</option>
          {ALERT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`alertKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {action.error && (
        <p className="form-error" role="alert" data-testid="alert-action-error">
          {action.error}
        </p>
      )}
      {list.length === 0 ? (
        <p className="muted field-note">{t('alerts.empty')}</p>
      ) : (
        <ul className="alert-list">
          {list.map((a) => {
            const escalated = isEscalatedAlert(a);
            const team = alertTeamName(a, lang);
            const place = alertPosition(a, units, grids);
            return (
              <li
                key={a.id}
                className={`alert-row alert-row--${a.kind} ${escalated ? 'alert-row--escalated' : ''} ${a.acknowledgedAt ? 'alert-row--acked' : ''}`}
                data-testid="alert-row"
                data-alert-id={a.id}
                data-kind={a.kind}
                data-escalated={escalated}
                data-acknowledged={a.acknowledgedAt !== null}
                data-cleared={a.clearedAt !== null}
              >
                <div className="alert-row-head">
                  <strong>{t(`alertKind.${a.kind}`)}</strong>
                  <span className="muted" title={formatDateTime(a.raisedAt, lang, timeZone)}>
                    {age(a.raisedAt)}
                  </span>
                </div>
                {escalated && <p className="alert-escalated">{t('alerts.escalated')}</p>}
                <p className="alert-row-body">
                  {team && (
                    <span>
                      {team}
                      {a.teamCode ? ` · ${a.teamCode}` : ''}
                    </span>
                  )}
                  {a.gridCode && <span> · {a.gridCode}</span>}
                </p>
                <p className="alert-row-message muted">{a.message}</p>
                {a.acknowledgedAt && (
                  <p className="field-note" data-testid="alert-acknowledged-by">
                    {t('alerts.acknowledgedBy', { by: a.acknowledgedBy ?? '—', age: age(a.acknowledgedAt) })}
                  </p>
                )}
                {a.clearedAt && <p className="field-note">{t('alerts.cleared', { age: age(a.clearedAt) })}</p>}
                <div className="alert-row-actions">
                  {staff && a.acknowledgedAt === null && (
                    <button
                      type="button"
                      className={`action-button ${escalated || a.kind === 'sos' ? 'action-button--danger' : ''}`}
                      data-testid="alert-ack"
                      disabled={action.pending !== null}
                      onClick={() => void post(a, 'acknowledge')}
                    >
                      {action.pending === `acknowledge-${a.id}` ? t('incidentActions.busy') : t('alerts.ack')}
                    </button>
                  )}
                  {staff && a.kind === 'sos' && a.clearedAt === null && (
                    <button
                      type="button"
                      className="action-button"
                      data-testid="alert-clear"
                      disabled={action.pending !== null}
                      onClick={() => void post(a, 'clear')}
                    >
                      {action.pending === `clear-${a.id}` ? t('incidentActions.busy') : t('alerts.clear')}
                    </button>
                  )}
                  {place && (
                    <button type="button" className="action-button" data-testid="alert-locate" onClick={() => onLocate(a)}>
                      {t('alerts.locate')}
                    </button>
                  )}
                  {a.incidentId !== null && (
                    <button
                      type="button"
                      className="action-button"
                      data-testid="alert-open-incident"
                      onClick={() => a.incidentId !== null && onOpenIncident(a.incidentId)}
                    >
                      {t('alerts.openIncident', { id: a.incidentId })}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
