'use client';
// The five fastest teams to an incident by road ETA (staff only), each with
// its road distance, travel mode and how old the position is — a stale
// position flagged, never hidden — and one click to dispatch. While an
// assignment is being reassigned, the click sends the team instead of it.
import useSWR from 'swr';
import type { Assignment, Incident, IncidentView, RecommendationsPayload } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { formatAge, formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';
import { LoadState } from '@/components/common/load-state';

/** Teams move: the ranking is recomputed this often while the drawer is open (and at once on every change of the incident). */
export const RECOMMENDATIONS_REFRESH_MS = 15_000;

export function recommendationsKey(incidentId: number, busy: boolean): string {
  return `/api/incidents/${incidentId}/recommendations${busy ? '?busy=1' : ''}`;
}

export interface RecommendationListProps {
  incident: IncidentView;
  now: number | null;
  showBusy: boolean;
  onShowBusy(show: boolean): void;
  replacing: Assignment | null;
  onDispatched(incident: IncidentView): void;
}

export function RecommendationList({ incident, now, showBusy, onShowBusy, replacing, onDispatched }: RecommendationListProps) {
  const { t, lang } = useI18n();
  const action = useAction();
  const recs = useSWR<RecommendationsPayload, Error>(recommendationsKey(incident.id, showBusy), fetcher, {
    refreshInterval: RECOMMENDATIONS_REFRESH_MS,
    keepPreviousData: true,
  });
  const committed = new Set(incident.assignments.map((a) => a.teamId));

  async function dispatch(teamId: number) {
    const body = replacing ? { teamId, replaceAssignmentId: replacing.id } : { teamId };
    const answer = await action.run(`team-${teamId}`, () => send<Incident>('POST', `/api/incidents/${incident.id}/dispatch`, body));
    if (answer) {
      onDispatched(answer);
      void recs.mutate();
    }
  }

  const data = recs.data?.incidentId === incident.id ? recs.data : undefined;
  return (
    <section className="drawer-section" data-testid="recommendations" aria-labelledby="recs-title">
      <div className="drawer-section-head">
        <h3 id="recs-title" className="status-actions-title">
          {t('recs.title')}
        </h3>
        <label className="toggle toggle--compact">
          <input
            type="checkbox"
            className="switch"
            data-testid="recommendations-show-busy"
            checked={showBusy}
            onChange={(e) => onShowBusy(e.currentTarget.checked)}
          />
          <span className="toggle-label">{t('recs.showBusy')}</span>
        </label>
      </div>
      {replacing && (
        <p className="reassign-note" data-testid="reassign-note">
          {t('assign.reassigning', { team: localName({ name: replacing.teamName, nameEn: replacing.teamNameEn }, lang) })}
        </p>
      )}
      <LoadState loading={data === undefined} error={recs.error} />
      {data && data.recommendations.length === 0 && <p className="muted field-note">{t('recs.empty')}</p>}
      {data && data.recommendations.length > 0 && (
        <ol className="rec-list">
          {data.recommendations.map((r, index) => {
            const fixAgeMs = now === null ? null : Math.max(0, now - Date.parse(r.fixTime));
            const busy = r.busyWith !== null;
            const here = committed.has(r.teamId);
            return (
              <li
                key={r.teamId}
                className={`rec ${r.stale ? 'rec--stale' : ''} ${busy ? 'rec--busy' : ''}`}
                data-testid="recommendation-row"
                data-team-id={r.teamId}
                data-stale={r.stale}
                data-busy={busy}
              >
                <span className="rec-rank">{index + 1}</span>
                <div className="rec-main">
                  <div className="rec-name">
                    <strong>{localName(r, lang)}</strong> <span className="muted">· {r.code}</span>
                  </div>
                  <div className="rec-meta">
                    <span className="rec-eta" data-testid="recommendation-eta">
                      {t('recs.eta', { n: formatNumber(Math.max(1, Math.round(r.etaSeconds / 60)), lang) })}
                    </span>
                    <span>{t(`mode.${r.mode}`)}</span>
                    <span>{t('recs.road', { n: formatNumber(r.roadMetres / 1000, lang, 1) })}</span>
                    {r.offRoadMetres >= 50 && <span>{t('recs.offRoad', { n: formatNumber(Math.round(r.offRoadMetres), lang) })}</span>}
                  </div>
                  <div className="rec-meta">
                    <span className={r.stale ? 'text-warn' : 'muted'} data-testid="recommendation-fix-age">
                      {t('recs.fixAge', { age: fixAgeMs === null ? '…' : formatAge(fixAgeMs, lang) })}
                    </span>
                    {r.stale && <span className="badge badge--stale">{t('recs.stale')}</span>}
                    {busy && <span className="badge badge--dispatched">{t('recs.busyWith', { id: r.busyWith ?? '' })}</span>}
                  </div>
                </div>
                <button
                  type="button"
                  className="action-button action-button--primary"
                  data-testid="dispatch-button"
                  data-team-id={r.teamId}
                  disabled={action.pending !== null || here}
                  onClick={() => void dispatch(r.teamId)}
                >
                  {action.pending === `team-${r.teamId}` ? t('incidentActions.busy') : replacing ? t('recs.replace') : t('recs.dispatch')}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {data && (
        <p className="field-note" data-testid="recommendations-excluded">
          {t('recs.excluded', {
            offDuty: data.excluded.offDuty,
            busy: data.excluded.busy,
            noPosition: data.excluded.noPosition,
            unreachable: data.excluded.unreachable,
          })}
        </p>
      )}
      {action.error && (
        <p className="form-error" role="alert" data-testid="dispatch-error">
          {action.error}
        </p>
      )}
    </section>
  );
}
