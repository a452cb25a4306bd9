'use client';
// Every step of an incident: who, when (local time, UTC in the tooltip), what.
// The server leaves the outcome note out for roles that may not read it.
import type { IncidentTimeline, TimelineEntry } from '@/lib/model';
import type { UnitsById } from '@/lib/live/live-store';
import { utcLabel } from '@/components/common/timestamp';
import { LoadState } from '@/components/common/load-state';
import { formatDateTime } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName, type Lang, type MessageKey, type MessageVars } from '@/lib/i18n/messages';

export function timelineKey(incidentId: number): string {
  return `/api/incidents/${incidentId}/timeline`;
}

type T = (key: MessageKey, vars?: MessageVars) => string;

function teamLabel(e: TimelineEntry, units: UnitsById, lang: Lang): string {
  const u = e.teamId === undefined ? undefined : units[e.teamId];
  return u ? `${localName(u, lang)} (${u.code})` : (e.teamCode ?? '—');
}

/** What happened, in words. */
export function describeEntry(e: TimelineEntry, t: T, team: string): string {
  switch (e.action) {
    case 'reported':
      return t('timeline.reported');
    case 'status':
      return e.from && e.status
        ? t('timeline.status', { from: t(`incidentStatus.${e.from}`), to: t(`incidentStatus.${e.status}`) })
        : t('timeline.statusTo', { to: e.status ? t(`incidentStatus.${e.status}`) : '—' });
    case 'severity':
      return t('timeline.severity', { severity: e.severity ? t(`severity.${e.severity}`) : '—' });
    case 'dispatched':
      return t('timeline.dispatched', { team });
    case 'acknowledged':
      return t('timeline.acknowledged', { team });
    case 'arrived':
      return t('timeline.arrived', { team });
    case 'released':
      return t('timeline.released', { team, reason: e.releaseReason ? t(`releaseReason.${e.releaseReason}`) : '—' });
    case 'resolved':
      return t('timeline.resolved', { outcome: e.outcome ? t(`outcome.${e.outcome}`) : '—' });
    case 'reopened':
      return t('timeline.reopened');
  }
}

/** Who did it: a username as is, `device:<label>`, arrival detected from fixes, the system, or nobody (an automatic report). */
export function describeActor(by: string | null, t: T): string {
  if (by === null) return t('timeline.byNobody');
  if (by === 'detected') return t('timeline.byDetected');
  if (by === 'system') return t('timeline.bySystem');
  if (by.startsWith('device:')) return t('timeline.byDevice', { label: by.slice('device:'.length) });
  return by;
}

export interface IncidentTimelineViewProps {
  timeline: IncidentTimeline | undefined;
  error: Error | undefined;
  units: UnitsById;
}

export function IncidentTimelineView({ timeline, error, units }: IncidentTimelineViewProps) {
  const { t, lang, timeZone } = useI18n();
  return (
    <section className="drawer-section" data-testid="timeline" aria-labelledby="timeline-title">
      <h3 id="timeline-title" className="status-actions-title">
        {t('timeline.title')}
      </h3>
      <LoadState loading={timeline === undefined} error={error} />
      {timeline && timeline.entries.length === 0 && <p className="muted field-note">{t('timeline.empty')}</p>}
      {timeline && timeline.entries.length > 0 && (
        <ol className="timeline">
          {timeline.entries.map((e, i) => (
            <li
              key={`${e.at}-${e.action}-${i}`}
              className={`timeline-entry timeline-entry--${e.action}`}
              data-testid="timeline-entry"
              data-action={e.action}
              data-status={e.status ?? undefined}
            >
              <time className="timeline-time mono" dateTime={e.at} title={utcLabel(e.at)}>
                {formatDateTime(e.at, lang, timeZone)}
              </time>
              <div className="timeline-what">
                <span>{describeEntry(e, t, teamLabel(e, units, lang))}</span>
                <span className="muted timeline-by">{describeActor(e.by, t)}</span>
                {e.note && <p className="timeline-note">{e.note}</p>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
