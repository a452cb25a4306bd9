'use client';
// The SOS banner: one red strip per SOS that needs attention, across the top
// of the map (never over the header), with the team, how long ago, and a
// button that flies to it. It flashes until a person acknowledges it (staff
// have the button; who did is shown), then stays, steady, until staff clear
// it. Built to be seen from across the room on a wall screen.
import { STAFF_ROLES, type Alert } from '@/lib/model';
import { send } from '@/lib/hooks/fetcher';
import { useAction } from '@/lib/hooks/use-action';
import { useMe } from '@/lib/hooks/use-me';
import { formatAge, formatDateTime } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { alertTeamName } from '@/lib/i18n/messages';

/**
 * More strips than this would bury the map; the rest are counted in one line.
 * Newest first, so a new SOS is always among the strips shown.
 */
export const MAX_SOS_STRIPS = 3;

export interface SosBannerProps {
  /** Open SOS alerts, newest first. */
  alerts: readonly Alert[];
  /** Server-corrected epoch ms (ticks every second); null before hydration. */
  now: number | null;
  onLocate(alert: Alert): void;
  /** The answer to an acknowledge / clear made here. */
  onChanged(alert: Alert): void;
}

export function SosBanner({ alerts, now, onLocate, onChanged }: SosBannerProps) {
  const { t, lang, timeZone } = useI18n();
  const me = useMe();
  const staff = me !== undefined && (STAFF_ROLES as readonly string[]).includes(me.role);
  const action = useAction();
  if (alerts.length === 0) return null;

  async function post(a: Alert, verb: 'acknowledge' | 'clear') {
    const answer = await action.run(`${verb}-${a.id}`, () => send<Alert>('POST', `/api/alerts/${a.id}/${verb}`));
    if (answer) onChanged(answer);
  }
  const shown = alerts.slice(0, MAX_SOS_STRIPS);
  const hidden = alerts.length - shown.length;

  return (
    // role="alert": inserted or changed, it is announced at once by screen readers, without focus moving.
    <div className="sos-banner" data-testid="sos-banner" role="alert" aria-label={t('sos.label')} data-count={alerts.length}>
      {shown.map((a) => {
        const team = alertTeamName(a, lang) ?? t('sos.unknownTeam');
        const ageMs = now === null ? null : Math.max(0, now - Date.parse(a.raisedAt));
        return (
          <div
            key={a.id}
            className={`sos-strip ${a.acknowledgedAt ? 'sos-strip--acked' : ''}`}
            data-testid={`sos-alert-${a.id}`}
            data-alert-id={a.id}
            data-team-id={a.teamId ?? undefined}
            data-acknowledged={a.acknowledgedAt !== null}
          >
            <svg className="sos-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 2.5 L22.5 21 H1.5 Z" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinejoin="round" />
              <path d="M12 9 V14.5 M12 17.2 V17.6" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
            </svg>
            <span className="sos-title">{t('sos.title')}</span>
            <span className="sos-team" data-testid="sos-team">
              {team}
              {a.teamCode && <span className="sos-code"> · {a.teamCode}</span>}
            </span>
            <time className="sos-age" dateTime={a.raisedAt} title={formatDateTime(a.raisedAt, lang, timeZone)} suppressHydrationWarning>
              {ageMs === null ? formatDateTime(a.raisedAt, lang, timeZone) : formatAge(ageMs, lang)}
            </time>
            {a.acknowledgedAt && (
              <span className="sos-acked" data-testid={`sos-acknowledged-${a.id}`} title={formatDateTime(a.acknowledgedAt, lang, timeZone)}>
                {t('sos.acknowledgedBy', { by: a.acknowledgedBy ?? '—' })}
              </span>
            )}
            {staff && a.acknowledgedAt === null && (
              <button
                type="button"
                className="sos-locate sos-action"
                data-testid={`sos-ack-${a.id}`}
                disabled={action.pending !== null}
                onClick={() => void post(a, 'acknowledge')}
              >
                {t('sos.ack')}
              </button>
            )}
            {staff && a.clearedAt === null && (
              <button
                type="button"
                className="sos-locate sos-action"
                data-testid={`sos-clear-${a.id}`}
                disabled={action.pending !== null}
                onClick={() => void post(a, 'clear')}
              >
                {t('sos.clear')}
              </button>
            )}
            <button
              type="button"
              className="sos-locate"
              data-testid={`sos-locate-${a.id}`}
              aria-label={t('sos.locateLabel', { team })}
              onClick={() => onLocate(a)}
            >
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
                <path d="M8 0.8 V3.5 M8 12.5 V15.2 M0.8 8 H3.5 M12.5 8 H15.2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
              </svg>
              {t('sos.locate')}
            </button>
          </div>
        );
      })}
      {hidden > 0 && <div className="sos-more">{t('sos.more', { n: hidden })}</div>}
      {action.error && (
        <div className="sos-more" role="alert" data-testid="sos-action-error">
          {action.error}
        </div>
      )}
    </div>
  );
}
