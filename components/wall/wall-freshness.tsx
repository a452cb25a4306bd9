'use client';
// How old the wall's figures are, small but legible: the live data's
// `dataAsOf` (when the database last answered, not when a heartbeat last came)
// and the KPIs' `asOf`, as township clock times. The age is judged on its own
// five-second clock, so only this line renders for it, and its text changes
// when the data does (or turns stale), not every second.
import { memo } from 'react';
import { deriveFreshness } from '@/lib/live/live-store';
import { useCoarseNow } from '@/lib/hooks/use-coarse-now';
import { formatAge, formatClock } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface WallFreshnessProps {
  /** LiveData.dataAsOf, server epoch ms. */
  dataAsOf: number | null;
  /** WallKpis.asOf, or undefined before the first answer. */
  kpisAsOf: number | undefined;
  /** The last KPI request failed (the tiles show the previous answer). */
  kpisFailed: boolean;
  /** serverTime − client time (LiveView.clockOffsetMs). */
  clockOffsetMs: number;
  timeZone: string;
}

/** Staleness shows within this of the threshold (DATA_STALE_MS, 15 s). */
const AGE_STEP_MS = 5_000;

export const WallFreshness = memo(function WallFreshness({ dataAsOf, kpisAsOf, kpisFailed, clockOffsetMs, timeZone }: WallFreshnessProps) {
  const { t, lang } = useI18n();
  const clientNow = useCoarseNow(AGE_STEP_MS);
  const serverNow = clientNow === null ? null : clientNow + clockOffsetMs;
  const { ageMs, freshness } = deriveFreshness(dataAsOf, serverNow);
  return (
    <div className="wall-freshness" data-testid="wall-freshness" data-freshness={freshness} data-as-of={dataAsOf ?? ''}>
      <span className={`wall-freshness-data wall-freshness--${freshness}`}>
        {dataAsOf === null ? t('header.noData') : t('wall.data.asOf', { time: formatClock(dataAsOf, lang, timeZone) })}
        {ageMs !== null && freshness !== 'fresh' && ` · ${formatAge(ageMs, lang)}`}
      </span>
      {kpisAsOf !== undefined && (
        <span className={`wall-freshness-kpis ${kpisFailed ? 'wall-freshness--stale' : ''}`}>
          {kpisFailed ? `${t('wall.kpi.failed')} · ` : ''}
          {t('wall.data.kpisAsOf', { time: formatClock(kpisAsOf, lang, timeZone) })}
        </span>
      )}
    </div>
  );
});
