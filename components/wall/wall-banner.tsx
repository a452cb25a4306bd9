'use client';
// The interrupt banner: a new incident (what, how serious, where) or an SOS
// (which team, since when) across the top of the map, with a flash over the
// whole screen when it appears. The flash is a finite CSS animation keyed by
// the subject, so it runs once per new subject and then draws nothing; under
// prefers-reduced-motion there is no flash (wall.css).
import { memo } from 'react';
import type { Alert, IncidentView } from '@/lib/model';
import type { WallBannerSubject } from '@/lib/live/wall-rotation';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { alertTeamName } from '@/lib/i18n/messages';
import { formatHourMinute } from './wall-format';

export interface WallBannerProps {
  subject: WallBannerSubject;
  /** The incident or alert the subject names, from the live store (undefined if it has left it). */
  incident: IncidentView | undefined;
  alert: Alert | undefined;
  timeZone: string;
}

export const WallBanner = memo(function WallBanner({ subject, incident, alert, timeZone }: WallBannerProps) {
  const { t, lang } = useI18n();
  const at = subject.kind === 'sos' ? alert?.raisedAt : incident?.reportedAt;
  const time = at ? formatHourMinute(Date.parse(at), lang, timeZone) : null;
  let title: string;
  let detail: string[];
  if (subject.kind === 'sos') {
    title = `${t('sos.title')} · ${alert ? (alertTeamName(alert, lang) ?? t('sos.unknownTeam')) : t('sos.unknownTeam')}`;
    detail = [time, alert?.gridCode ?? null].filter((x): x is string => x !== null);
  } else {
    title = incident
      ? `${t('wall.banner.incident')} · ${t(`category.${incident.category}`)} · ${t(`severity.${incident.severity}`)}`
      : t('wall.banner.incident');
    detail = [time, incident?.gridCode ?? null, incident?.title ?? null].filter((x): x is string => x !== null && x !== '');
  }
  return (
    <>
      <div
        className={`wall-banner wall-banner--${subject.kind}`}
        data-testid="wall-banner"
        data-kind={subject.kind}
        data-id={subject.id}
        data-severity={subject.kind === 'incident' ? incident?.severity : undefined}
        role="alert"
        aria-label={t('wall.banner.label')}
      >
        <svg className="wall-banner-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 2 1 21h22L12 2Zm0 6 1 7h-2l1-7Zm-1 9h2v2h-2v-2Z" fill="currentColor" />
        </svg>
        <div className="wall-banner-text">
          <span className="wall-banner-title">{title}</span>
          {detail.length > 0 && <span className="wall-banner-detail">{detail.join(' · ')}</span>}
        </div>
      </div>
      <div key={`${subject.kind}:${subject.id}`} className={`wall-flash wall-flash--${subject.kind}`} aria-hidden="true" />
    </>
  );
});
