'use client';
// The header bar: product, live counts, connection and data freshness, clock, language.
import { goToSignIn } from '@/lib/hooks/sign-in-redirect';
import type { ConnState } from '@/lib/hooks/live-store';
import { formatAge, formatClock, formatDate, formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Data older than this is called out in amber, then red. */
const AGE_WARN_MS = 15_000;
const AGE_ALARM_MS = 60_000;

export interface AppHeaderProps {
  conn: ConnState;
  /** serverTime of the newest event (tick included), epoch ms. */
  lastServerTime: number | null;
  /** Server-corrected now, epoch ms; null before hydration. */
  serverNow: number | null;
  /** Client clock for the wall clock; null before hydration. */
  clientNow: number | null;
  unitCount: number | null;
  openIncidentCount: number | null;
}

export function AppHeader({ conn, lastServerTime, serverNow, clientNow, unitCount, openIncidentCount }: AppHeaderProps) {
  const { t, lang, setLang } = useI18n();
  const ageMs = lastServerTime !== null && serverNow !== null ? Math.max(0, serverNow - lastServerTime) : null;
  const ageLevel = ageMs === null ? 'none' : ageMs > AGE_ALARM_MS ? 'alarm' : ageMs > AGE_WARN_MS ? 'warn' : 'ok';

  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect x="1.5" y="1.5" width="29" height="29" rx="7" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M1.5 12 H30.5 M1.5 21 H30.5 M12 1.5 V30.5 M21 1.5 V30.5" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.4" />
          <circle cx="21" cy="12" r="4.2" fill="#f97316" />
          <circle cx="21" cy="12" r="7" fill="none" stroke="#f97316" strokeOpacity="0.5" strokeWidth="1.3" />
        </svg>
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
          className={`last-update last-update--${ageLevel}`}
          data-testid="last-update"
          data-age-ms={ageMs ?? undefined}
          aria-live="off"
        >
          <span className="muted">{t('header.lastUpdate')}</span> {ageMs === null ? t('header.noData') : formatAge(ageMs, lang)}
        </span>
        <div className="clock" title={t('header.clock')}>
          <time className="clock-time" suppressHydrationWarning>
            {clientNow === null ? '--:--:--' : formatClock(clientNow, lang)}
          </time>
          <span className="clock-date">{clientNow === null ? '' : formatDate(clientNow, lang)}</span>
        </div>
        <button
          type="button"
          className="lang-switch"
          data-testid="lang-switch"
          aria-label={t('header.langSwitchLabel')}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t('header.langSwitch')}
        </button>
        <button type="button" className="lang-switch" data-testid="logout" onClick={() => void signOut()}>
          {t('auth.logout')}
        </button>
      </div>
    </header>
  );
}

/** Ends the session on the server (its live sockets are dropped too), then back to the sign-in page. */
async function signOut(): Promise<void> {
  try {
    await fetch('/api/auth/logout', { method: 'POST' });
  } finally {
    goToSignIn();
  }
}
