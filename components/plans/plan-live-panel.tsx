'use client';
// The live plans beside the map (issue 14): each live occurrence with its
// route's covered share and its checkpoints by state, and how old the states
// are — as of the last snapshot or push (a push comes with every change, so
// while the link is up nothing older is hidden; with the link down the age
// grows and the line says so). The desk's side panel and the wall's corner
// show the same, the wall's in its large type.
import { memo } from 'react';
import { CHECKPOINT_STATES, type CheckpointState, type PlansLive } from '@/lib/model';
import { coverageText } from '@/components/map/layers/plan-layer';
import { formatAge, formatClock } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import './plans.css';

export interface PlanLivePanelProps {
  live: PlansLive | undefined;
  error: Error | undefined;
  /** Server-corrected epoch ms, or null before the clock is known. */
  now: number | null;
  /** The live connection is down: pushes are not arriving. */
  linkDown: boolean;
  variant?: 'desk' | 'wall';
}

/** The count of each state in an occurrence, in CHECKPOINT_STATES order, zeros left out. */
export function stateCounts(states: readonly CheckpointState[]): { state: CheckpointState; n: number }[] {
  return CHECKPOINT_STATES.map((state) => ({ state, n: states.filter((s) => s === state).length })).filter((c) => c.n > 0);
}

export const PlanLivePanel = memo(function PlanLivePanel({ live, error, now, linkDown, variant = 'desk' }: PlanLivePanelProps) {
  const { t, lang } = useI18n();
  if (!live) {
    return error ? (
      <p className="plan-live-error" role="alert">
        {t('error.load', { message: error.message })}
      </p>
    ) : null;
  }
  const asOf = Date.parse(live.serverTime);
  const age = now === null ? null : Math.max(0, now - asOf);
  const share = new Map(live.coverage.map((c) => [`${c.planId}|${c.day}`, c.share]));
  return (
    <section className={`plan-live plan-live--${variant}`} data-testid="plan-live" aria-labelledby={`plan-live-title-${variant}`}>
      <h2 id={`plan-live-title-${variant}`} className="section-title">
        {t('plans.live.title')}
      </h2>
      <p className={`plan-live-asof ${linkDown ? 'plan-live-asof--stale' : ''}`} data-testid="plan-live-asof" data-as-of={live.serverTime}>
        {t('plans.live.asOf', { time: formatClock(asOf, lang, live.timeZone) })}
        {age !== null && (linkDown || age > 60_000) && ` · ${formatAge(age, lang)}`}
        {linkDown && ` · ${t('plans.live.linkDown')}`}
      </p>
      {live.occurrences.length === 0 && <p className="plan-live-empty">{t('plans.live.none')}</p>}
      <ul className="plan-live-list">
        {live.occurrences.map((o) => {
          const s = share.get(`${o.planId}|${o.day}`) ?? null;
          return (
            <li key={`${o.planId}|${o.day}`} className="plan-live-item" data-testid="plan-live-occurrence" data-plan-id={o.planId}>
              <span className="plan-live-name">{o.name}</span>
              {s !== null && (
                <span className="plan-live-coverage" data-testid="plan-live-coverage" data-share={s}>
                  {t('plans.live.coverage', { share: coverageText(s) })}
                </span>
              )}
              {variant === 'wall' ? (
                <span className="plan-live-counts">
                  {stateCounts(o.checkpoints.map((c) => c.state)).map(({ state, n }) => (
                    <span key={state} className={`plan-live-cp plan-live-cp--${state}`} data-testid="plan-live-count" data-state={state}>
                      <span className="plan-live-cp-dot" aria-hidden="true" />
                      {n} {t(`plans.state.${state}`)}
                    </span>
                  ))}
                </span>
              ) : (
              <ul className="plan-live-checkpoints">
                {o.checkpoints.map((c) => (
                  <li key={c.checkpointId} className={`plan-live-cp plan-live-cp--${c.state}`} data-testid="plan-live-checkpoint" data-state={c.state}>
                    <span className="plan-live-cp-dot" aria-hidden="true" />
                    {c.name} · {t(`plans.state.${c.state}`)}
                  </li>
                ))}
              </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
});
