'use client';
// The teams committed to an incident now: acknowledged? arrived? For staff,
// acknowledge on the team's behalf (teams often answer by radio), cancel the
// dispatch, or reassign (the recommendations below then offer "send instead").
import type { Assignment, IncidentView } from '@/lib/model';
import type { UnitsById } from '@/lib/live/live-store';
import { send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { formatAge, formatDateTime } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';

export interface AssignmentListProps {
  assignments: readonly Assignment[];
  units: UnitsById;
  now: number | null;
  staff: boolean;
  /** The assignment being replaced, or null. */
  replacing: number | null;
  onReplace(assignmentId: number | null): void;
  /** An answer that is the incident as it is now. */
  onChanged(incident: IncidentView): void;
}

/** Answers to acknowledge/release may be the incident or the assignment; only an incident is applied locally. */
export function isIncidentAnswer(x: unknown): x is IncidentView {
  return typeof x === 'object' && x !== null && 'status' in x && 'assignments' in x && 'reportedAt' in x;
}

export function AssignmentList({ assignments, units, now, staff, replacing, onReplace, onChanged }: AssignmentListProps) {
  const { t, lang, timeZone } = useI18n();
  const action = useAction();
  const age = (iso: string) => (now === null ? formatDateTime(iso, lang, timeZone) : formatAge(Math.max(0, now - Date.parse(iso)), lang));

  async function post(key: string, url: string, body?: unknown) {
    const answer = await action.run(key, () => send<unknown>('POST', url, body));
    if (isIncidentAnswer(answer)) onChanged(answer);
  }

  return (
    <section className="drawer-section" data-testid="assignments" aria-labelledby="assignments-title">
      <h3 id="assignments-title" className="status-actions-title">
        {t('assign.title')}
      </h3>
      {assignments.length === 0 ? (
        <p className="muted field-note">{t('assign.none')}</p>
      ) : (
        <ul className="assignment-list">
          {assignments.map((a) => {
            const unit = units[a.teamId];
            const name = unit ? localName(unit, lang) : localName({ name: a.teamName, nameEn: a.teamNameEn }, lang);
            return (
              <li
                key={a.id}
                className={`assignment ${a.acknowledgedAt === null ? 'assignment--unacked' : ''}`}
                data-testid="assignment-row"
                data-assignment-id={a.id}
                data-team-id={a.teamId}
                data-acknowledged={a.acknowledgedAt !== null}
                data-arrived={a.arrivedAt !== null}
              >
                <div className="assignment-main">
                  <strong>{name}</strong> <span className="muted">· {a.teamCode}</span>
                  <div className="assignment-flags">
                    <span className="muted">{t('assign.sent', { age: age(a.dispatchedAt) })}</span>
                    <span className={`badge ${a.acknowledgedAt ? 'badge--resolved' : 'badge--reported'}`} title={a.acknowledgedBy ?? undefined}>
                      {a.acknowledgedAt ? t('assign.acknowledged') : t('assign.notAcknowledged')}
                    </span>
                    <span className={`badge ${a.arrivedAt ? 'badge--on_scene' : ''}`} title={a.arrivedBy ?? undefined}>
                      {a.arrivedAt ? t('assign.arrived') : t('assign.notArrived')}
                    </span>
                    {unit && <span className={`badge badge--${unit.status}`}>{t(`unitStatus.${unit.status}`)}</span>}
                  </div>
                </div>
                {staff && (
                  <div className="assignment-actions">
                    {a.acknowledgedAt === null && (
                      <button
                        type="button"
                        className="action-button"
                        data-testid="assignment-ack"
                        title={t('assign.ackTitle')}
                        disabled={action.pending !== null}
                        onClick={() => void post(`ack-${a.id}`, `/api/assignments/${a.id}/acknowledge`)}
                      >
                        {action.pending === `ack-${a.id}` ? t('incidentActions.busy') : t('assign.ack')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="action-button"
                      data-testid="assignment-reassign"
                      aria-pressed={replacing === a.id}
                      disabled={action.pending !== null}
                      onClick={() => onReplace(replacing === a.id ? null : a.id)}
                    >
                      {replacing === a.id ? t('assign.stopReassign') : t('assign.reassign')}
                    </button>
                    <button
                      type="button"
                      className="action-button action-button--danger"
                      data-testid="assignment-release"
                      disabled={action.pending !== null}
                      onClick={() => void post(`release-${a.id}`, `/api/assignments/${a.id}/release`, { reason: 'cancelled' })}
                    >
                      {action.pending === `release-${a.id}` ? t('incidentActions.busy') : t('assign.release')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {action.error && (
        <p className="form-error" role="alert" data-testid="assignment-error">
          {action.error}
        </p>
      )}
    </section>
  );
}
