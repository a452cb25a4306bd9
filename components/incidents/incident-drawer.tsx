'use client';
// The incident drawer: what it is, where, how old; for staff the narrative,
// the contact, the lifecycle buttons, the teams on it and the nearest teams to
// send; for everyone the timeline. It follows the live store: when an
// `incident:update` for it arrives, the timeline and the recommendations are
// fetched again, without a reload. Viewers get the redacted incident and no buttons.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { SEVERITY_COLORS, rgbaCss } from '@/components/map/palette';
import { IncidentStatusActions } from '@/components/panels/incident-status-actions';
import { STAFF_ROLES, isOpenStatus, type GridCollection, type IncidentTimeline, type IncidentView, type LonLat } from '@/lib/model';
import type { UnitsById } from '@/lib/live/live-store';
import { fetcher } from '@/lib/hooks/fetcher';
import { useMe } from '@/lib/hooks/use-me';
import { formatAge, formatDateTime } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName, translateCode } from '@/lib/i18n/messages';
import { AssignmentList } from './assignment-list';
import { IncidentTimelineView, timelineKey } from './incident-timeline';
import { RecommendationList, recommendationsKey } from './recommendation-list';

export interface IncidentDrawerProps {
  incidentId: number;
  /** The incident from the live store; undefined when it is not (or no longer) there. */
  incident: IncidentView | undefined;
  grids: GridCollection | undefined;
  units: UnitsById;
  now: number | null;
  onClose(): void;
  /** The answer to a change made here (applied to the live store at once). */
  onChanged(incident: IncidentView): void;
  onLocate(position: LonLat): void;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function IncidentDrawer({ incidentId, incident, grids, units, now, onClose, onChanged, onLocate }: IncidentDrawerProps) {
  const { t, lang, timeZone } = useI18n();
  const me = useMe();
  const staff = me !== undefined && (STAFF_ROLES as readonly string[]).includes(me.role);
  const [showBusy, setShowBusy] = useState(false);
  const [replacingId, setReplacingId] = useState<number | null>(null);
  const timeline = useSWR<IncidentTimeline, Error>(timelineKey(incidentId), fetcher, { keepPreviousData: false });
  const { mutate } = useSWRConfig();

  // Every change of the incident (its updatedAt, or its teams) refetches what depends on it.
  const version = incident
    ? `${incident.updatedAt}|${incident.status}|${incident.assignments.map((a) => `${a.id}:${a.acknowledgedAt ?? ''}:${a.arrivedAt ?? ''}`).join(',')}`
    : '';
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void mutate(timelineKey(incidentId));
    void mutate(recommendationsKey(incidentId, false));
    void mutate(recommendationsKey(incidentId, true));
  }, [version, incidentId, mutate]);

  const replacing = incident?.assignments.find((a) => a.id === replacingId) ?? null;
  const grid = incident?.gridId == null ? undefined : grids?.features.find((f) => f.properties.id === incident.gridId);
  const accent = incident ? rgbaCss(SEVERITY_COLORS[incident.severity]) : undefined;

  return (
    <aside
      className="details-panel incident-drawer"
      data-testid="incident-drawer"
      data-incident-id={incidentId}
      data-status={incident?.status}
      aria-label={t('drawer.label')}
      style={accent ? { borderTopColor: accent } : undefined}
    >
      <header className="details-header">
        <div>
          <p className="details-kind">
            {t('details.kind.incident')} #{incidentId}
          </p>
          <h2 className="details-title" data-testid="incident-drawer-title">
            {incident ? incident.title : t('details.gone')}
          </h2>
        </div>
        <div className="details-header-actions">
          {incident && (
            <button type="button" className="icon-button" onClick={() => onLocate(incident.position)} aria-label={t('alerts.locate')} title={t('alerts.locate')}>
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
                <path d="M8 0.8 V3.5 M8 12.5 V15.2 M0.8 8 H3.5 M12.5 8 H15.2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
              </svg>
            </button>
          )}
          <button type="button" className="icon-button" data-testid="incident-drawer-close" onClick={onClose} aria-label={t('details.close')} title={t('details.close')}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M3.5 3.5 L12.5 12.5 M12.5 3.5 L3.5 12.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      </header>

      {incident && (
        <>
          <dl className="detail-list">
            <Row label={t('details.status')}>
              <span className={`badge badge--${incident.status}`} data-testid="incident-drawer-status" data-status={incident.status}>
                {t(`incidentStatus.${incident.status}`)}
              </span>
            </Row>
            <Row label={t('details.category')}>{t(`category.${incident.category}`)}</Row>
            <Row label={t('details.severity')}>
              <span className="sev-dot" style={{ background: accent }} aria-hidden="true" />
              {t(`severity.${incident.severity}`)}
            </Row>
            <Row label={t('details.grid')}>
              {grid
                ? `${grid.properties.code} · ${localName(grid.properties, lang)} · ${lang === 'en' ? grid.properties.villageNameEn || grid.properties.villageName : grid.properties.villageName}`
                : (incident.gridCode ?? t('details.unknown'))}
            </Row>
            <Row label={t('details.reportedAt')}>
              {formatDateTime(incident.reportedAt, lang, timeZone)}
              {now !== null && (
                <span className="muted" data-testid="incident-drawer-age">
                  {' '}
                  · {formatAge(Math.max(0, now - Date.parse(incident.reportedAt)), lang)}
                </span>
              )}
            </Row>
            <Row label={t('details.source')}>{translateCode(lang, 'source', incident.source)}</Row>
            {/* The server sends the narrative, the contact and the outcome note only to roles that may read them. */}
            {incident.description && <Row label={t('details.description')}>{incident.description}</Row>}
            {incident.reporterContact && <Row label={t('details.reporterContact')}>{incident.reporterContact}</Row>}
            {incident.outcome && (
              <Row label={t('drawer.outcome')}>
                <span data-testid="incident-drawer-outcome">{t(`outcome.${incident.outcome}`)}</span>
              </Row>
            )}
            {incident.outcomeNote && <Row label={t('drawer.outcomeNote')}>{incident.outcomeNote}</Row>}
          </dl>

          {staff && <IncidentStatusActions key={incident.id} incident={incident} onChanged={onChanged} />}

          {(incident.assignments.length > 0 || (staff && isOpenStatus(incident.status))) && (
            <AssignmentList
              assignments={incident.assignments}
              units={units}
              now={now}
              staff={staff}
              replacing={replacing?.id ?? null}
              onReplace={setReplacingId}
              onChanged={onChanged}
            />
          )}

          {staff && isOpenStatus(incident.status) && (
            <RecommendationList
              incident={incident}
              now={now}
              showBusy={showBusy}
              onShowBusy={setShowBusy}
              replacing={replacing}
              onDispatched={(i) => {
                setReplacingId(null);
                onChanged(i);
              }}
            />
          )}
        </>
      )}

      <IncidentTimelineView timeline={timeline.data?.incidentId === incidentId ? timeline.data : undefined} error={timeline.error} units={units} />
    </aside>
  );
}
