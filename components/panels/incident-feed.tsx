'use client';
// The newest open incidents, most recent first; a click selects and centres one.
import { SeverityBar } from '@/components/incidents/severity-bar';
import { type IncidentView, NEW_INCIDENT_MS } from '@/lib/model';
import { isNewIncident, isOpenIncident } from '@/lib/live/live-store';
import { formatAge } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

const FEED_LENGTH = 8;

export interface IncidentFeedProps {
  /** Newest first. */
  incidents: readonly IncidentView[];
  now: number | null;
  selectedId: number | null;
  onPick(incident: IncidentView): void;
}

export function IncidentFeed({ incidents, now, selectedId, onPick }: IncidentFeedProps) {
  const { t, lang } = useI18n();
  const open = incidents.filter(isOpenIncident).slice(0, FEED_LENGTH);
  return (
    <section className="panel-section" aria-labelledby="feed-title">
      <h2 id="feed-title" className="section-title">
        {t('feed.title')}
      </h2>
      {open.length === 0 ? (
        <p className="muted field-note">{t('feed.empty')}</p>
      ) : (
        <ul className="feed">
          {open.map((i) => {
            const fresh = now !== null && isNewIncident(i, now, NEW_INCIDENT_MS);
            return (
              <li key={i.id}>
                <button
                  type="button"
                  className={`feed-item ${fresh ? 'feed-item--new' : ''} ${i.id === selectedId ? 'feed-item--selected' : ''}`}
                  onClick={() => onPick(i)}
                >
                  <SeverityBar severity={i.severity} />
                  <span className="feed-main">
                    {/* Titles are free text in the reporter's language (no English twin): in English lead with the category. */}
                    <span className="feed-title">{lang === 'en' ? t(`category.${i.category}`) : i.title}</span>
                    <span className="feed-meta">
                      {lang === 'en' ? i.title : t(`category.${i.category}`)} · {t(`incidentStatus.${i.status}`)}
                      {i.gridCode ? ` · ${i.gridCode}` : ''}
                    </span>
                  </span>
                  <span className="feed-age">{now === null ? '' : formatAge(Math.max(0, now - Date.parse(i.reportedAt)), lang)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
