'use client';
// The header bar: product, live counts, connection and data freshness, clock,
// who is signed in with the links to their pages, language.
import { BrandMark } from '@/components/common/brand-mark';
import { HeaderTools } from '@/components/common/header-tools';
import { deriveFreshness, type ConnState, type DataFreshness } from '@/lib/live/live-store';
import { formatAge, formatClock, formatDate, formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Stale data is called out in amber, then red (thresholds in deriveFreshness). */
const AGE_CLASS: Record<DataFreshness, string> = { none: 'none', fresh: 'ok', stale: 'warn', alarm: 'alarm' };

export interface AppHeaderProps {
  conn: ConnState;
  /** Server time the data is known current as of (data events, or when the database last answered), epoch ms; never a heartbeat's own time. */
  dataAsOf: number | null;
  /** Server-corrected now, epoch ms; null before hydration. */
  serverNow: number | null;
  /** Client clock for the wall clock; null before hydration. */
  clientNow: number | null;
  unitCount: number | null;
  openIncidentCount: number | null;
}

export function AppHeader({ conn, dataAsOf, serverNow, clientNow, unitCount, openIncidentCount }: AppHeaderProps) {
  const { t, lang, timeZone } = useI18n();
  const { ageMs, freshness } = deriveFreshness(dataAsOf, serverNow);

  return (
    <header className="app-header">
      <div className="brand">
        <BrandMark />
        <div className="brand-text">
          <h1 data-testid="app-title">{t('app.title')}</h1>
          <p>{t('app.subtitle')}</p>
        </div>
      </div>

      <dl className="header-kpis">
        <div className="kpi">
          <dt>{t('header.unitsOnMap')}</dt>
          <dd data-testid="unit-count">{unitCount === null ? '–' : formatNumber(unitCount, lang)}</dd>
        </div>
        <div className={`kpi ${openIncidentCount ? 'kpi--alert' : ''}`}>
          <dt>{t('header.openIncidents')}</dt>
          <dd data-testid="open-incident-count">{openIncidentCount === null ? '–' : formatNumber(openIncidentCount, lang)}</dd>
        </div>
      </dl>

      <div className="header-status">
        <span className={`conn conn--${conn}`} data-testid="conn-state" data-state={conn} role="status" title={t('conn.label')}>
          <span className="conn-dot" aria-hidden="true" />
          {t(`conn.${conn}`)}
        </span>
        <span
          className={`last-update last-update--${AGE_CLASS[freshness]}`}
          data-testid="last-update"
          data-age-ms={ageMs ?? undefined}
          data-freshness={freshness}
          aria-live="off"
        >
          <span className="muted">{t('header.lastUpdate')}</span> {ageMs === null ? t('header.noData') : formatAge(ageMs, lang)}
          {freshness === 'stale' || freshness === 'alarm' ? ` · ${t('header.stale')}` : null}
        </span>
        <div className="clock" title={t('header.clock')}>
          <time className="clock-time" suppressHydrationWarning>
            {clientNow === null ? '--:--:--' : formatClock(clientNow, lang, timeZone)}
          </time>
          <span className="clock-date">{clientNow === null ? '' : formatDate(clientNow, lang, timeZone)}</span>
        </div>
        <HeaderTools />
      </div>
    </header>
  );
}
