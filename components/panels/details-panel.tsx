'use client';
// Details of the clicked grid cell, key location, unit or alert (incidents open
// in the incident drawer). Looks the object up in live data by id, so a moving
// unit's age, speed and status stay current.
import type { ReactNode } from 'react';
import type { Selection } from '@/components/map/selection';
import { ALERT_COLOR, FORCE_COLORS, SEVERITY_COLORS, rgbaCss } from '@/components/map/palette';
import type { Alert, GridCollection, KeyLocation, UnitState, LonLat } from '@/lib/model';
import {
  isOpenAlert,
  isOpenIncident,
  isUnitStale,
  sortAlerts,
  type AlertsById,
  type IncidentsById,
  type UnitsById,
} from '@/lib/live/live-store';
import { formatAge, formatDateTime, formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { alertTeamName, localName, type MessageKey } from '@/lib/i18n/messages';

export interface DetailsPanelProps {
  selection: Selection;
  grids: GridCollection | undefined;
  keyLocations: readonly KeyLocation[] | undefined;
  units: UnitsById;
  incidents: IncidentsById;
  alerts: AlertsById;
  openByGrid: Readonly<Record<number, number>>;
  /** Server-corrected epoch ms; null before hydration. */
  now: number | null;
  onClose(): void;
  onSelect(selection: Selection): void;
}

const KIND_LABELS: Record<Selection['kind'], MessageKey> = {
  grid: 'details.kind.grid',
  keyLocation: 'details.kind.keyLocation',
  unit: 'details.kind.unit',
  incident: 'details.kind.incident',
  alert: 'details.kind.alert',
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Batteries report either a fraction (0–1) or a percentage. */
export function batteryPercent(b: number): number {
  return Math.round(b <= 1 ? b * 100 : b);
}

function formatLonLat([lon, lat]: LonLat): string {
  return `${lon.toFixed(5)}, ${lat.toFixed(5)}`;
}

export function DetailsPanel(props: DetailsPanelProps) {
  const { t, lang, timeZone } = useI18n();
  const { selection, grids, keyLocations, units, incidents, alerts, openByGrid, now, onClose, onSelect } = props;
  const gridById = (id: number | null) => (id === null ? undefined : grids?.features.find((f) => f.properties.id === id));
  const gridName = (id: number | null) => {
    const g = gridById(id);
    return g ? `${g.properties.code} · ${localName(g.properties, lang)}` : t('details.unknown');
  };

  let title = t('details.gone');
  let accent: string | undefined;
  let body: ReactNode = null;

  switch (selection.kind) {
    case 'grid': {
      const g = gridById(selection.id);
      if (!g) break;
      const p = g.properties;
      title = localName(p, lang);
      const open = Object.values(incidents)
        .filter((i) => i.gridId === p.id && isOpenIncident(i))
        .sort((a, b) => b.severity - a.severity || b.reportedAt.localeCompare(a.reportedAt));
      body = (
        <>
          <dl className="detail-list">
            <Row label={t('details.code')}>{p.code}</Row>
            <Row label={t('details.village')}>{lang === 'en' ? p.villageNameEn || p.villageName : p.villageName}</Row>
            <Row label={t('details.area')}>{t('details.areaValue', { n: formatNumber(p.areaKm2, lang, 2) })}</Row>
            <Row label={t('details.openIncidents')}>
              <strong className={openByGrid[p.id] ? 'text-alert' : undefined}>{openByGrid[p.id] ?? 0}</strong>
            </Row>
            <Row label={t('details.coverage')}>
              {p.lastPatrolAt === null ? (
                <span className="text-warn" data-testid="grid-never-patrolled">
                  {t('details.neverPatrolled')}
                </span>
              ) : (
                <span>
                  {formatDateTime(p.lastPatrolAt, lang, timeZone)}
                  {now !== null && <span className="muted"> · {formatAge(Math.max(0, now - Date.parse(p.lastPatrolAt)), lang)}</span>}
                </span>
              )}
            </Row>
          </dl>
          {open.length > 0 && (
            <ul className="detail-links">
              {open.slice(0, 6).map((i) => (
                <li key={i.id}>
                  <button type="button" onClick={() => onSelect({ kind: 'incident', id: i.id })}>
                    <span className="sev-dot" style={{ background: rgbaCss(SEVERITY_COLORS[i.severity]) }} aria-hidden="true" />
                    <span className="detail-link-text">{i.title}</span>
                    <span className="muted">{t(`category.${i.category}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      );
      break;
    }
    case 'keyLocation': {
      const k = keyLocations?.find((x) => x.id === selection.id);
      if (!k) break;
      title = localName(k, lang);
      body = (
        <dl className="detail-list">
          <Row label={t('details.category')}>{t(`keyLocation.${k.category}`)}</Row>
          <Row label={t('details.grid')}>{gridName(k.gridId)}</Row>
          <Row label={t('details.position')}>
            <span className="mono">{formatLonLat(k.position)}</span>
          </Row>
        </dl>
      );
      break;
    }
    case 'unit': {
      const u: UnitState | undefined = units[selection.id];
      if (!u) break;
      title = localName(u, lang);
      accent = rgbaCss(FORCE_COLORS[u.forceType]);
      const stale = now !== null && isUnitStale(u, now);
      const fixAge = u.fixTime !== null && now !== null ? formatAge(Math.max(0, now - Date.parse(u.fixTime)), lang) : null;
      // Opened from the SOS banner, the team's open alerts come first: that is why the operator is looking.
      const teamAlerts = sortAlerts(alerts).filter((a) => a.teamId === u.teamId && isOpenAlert(a));
      body = (
        <>
          {teamAlerts.length > 0 && (
            <ul className="detail-links detail-links--alert" data-testid="unit-alerts">
              {teamAlerts.slice(0, 3).map((a) => (
                <li key={a.id}>
                  <button type="button" onClick={() => onSelect({ kind: 'alert', id: a.id })}>
                    <span className="sev-dot" style={{ background: rgbaCss(ALERT_COLOR) }} aria-hidden="true" />
                    <span className="detail-link-text">{t(`alertKind.${a.kind}`)}</span>
                    <span className="muted">
                      {now === null ? formatDateTime(a.raisedAt, lang, timeZone) : formatAge(Math.max(0, now - Date.parse(a.raisedAt)), lang)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <dl className="detail-list">
            <Row label={t('details.code')}>{u.code}</Row>
            <Row label={t('details.force')}>
              <span className="legend-unit legend-unit--inline" style={{ background: accent }} aria-hidden="true" />
              {t(`force.${u.forceType}`)}
            </Row>
            <Row label={t('details.status')}>
              <span className={`badge badge--${u.status}`} data-testid="unit-status" data-status={u.status}>
                {t(`unitStatus.${u.status}`)}
              </span>
            </Row>
            {u.incidentId !== null && (
              <Row label={t('details.onIncident')}>
                <button
                  type="button"
                  className="link-button"
                  data-testid="unit-incident-link"
                  data-incident-id={u.incidentId}
                  onClick={() => u.incidentId !== null && onSelect({ kind: 'incident', id: u.incidentId })}
                >
                  #{u.incidentId} {incidents[u.incidentId]?.title ?? ''}
                </button>
              </Row>
            )}
            <Row label={t('details.size')}>{t('details.sizeValue', { n: u.size })}</Row>
            <Row label={t('details.lastFix')}>
              {u.fixTime === null ? (
                <span className="text-warn">{t('details.noFix')}</span>
              ) : (
                <span className={stale ? 'text-warn' : undefined} data-stale={stale}>
                  {fixAge} <span className="muted">({formatDateTime(u.fixTime, lang, timeZone)})</span>
                  {stale && <span className="badge badge--stale">{t('details.stale')}</span>}
                </span>
              )}
            </Row>
            <Row label={t('details.speed')}>
              {u.speed === null ? t('details.unknown') : t('details.speedValue', { n: formatNumber(u.speed * 3.6, lang, 1) })}
            </Row>
            <Row label={t('details.heading')}>
              {u.heading === null ? t('details.unknown') : t('details.headingValue', { n: Math.round(u.heading) })}
            </Row>
            <Row label={t('details.battery')}>{u.battery === null ? t('details.unknown') : `${batteryPercent(u.battery)}%`}</Row>
            <Row label={t('details.grid')}>{gridName(u.gridId)}</Row>
            {u.position && (
              <Row label={t('details.position')}>
                <span className="mono">{formatLonLat(u.position)}</span>
              </Row>
            )}
          </dl>
        </>
      );
      break;
    }
    case 'incident':
      // Incidents open in the incident drawer (components/incidents/incident-drawer.tsx), not here.
      break;
    case 'alert': {
      const a: Alert | undefined = alerts[selection.id];
      if (!a) break;
      const color = a.kind === 'sos' ? ALERT_COLOR : SEVERITY_COLORS[a.severity];
      title = t(`alertKind.${a.kind}`);
      accent = rgbaCss(color);
      const teamName = alertTeamName(a, lang);
      const teamId = a.teamId;
      body = (
        <>
          <dl className="detail-list">
            <Row label={t('details.alertKind')}>
              <span className="sev-dot" style={{ background: accent }} aria-hidden="true" />
              {t(`alertKind.${a.kind}`)}
            </Row>
            <Row label={t('details.severity')}>{t(`severity.${a.severity}`)}</Row>
            <Row label={t('details.team')}>
              {teamName === null ? t('details.unknown') : a.teamCode ? `${teamName} · ${a.teamCode}` : teamName}
            </Row>
            <Row label={t('details.raisedAt')}>
              {formatDateTime(a.raisedAt, lang, timeZone)}
              {now !== null && <span className="muted"> · {formatAge(Math.max(0, now - Date.parse(a.raisedAt)), lang)}</span>}
            </Row>
            <Row label={t('details.message')}>{a.message}</Row>
            {a.position && (
              <Row label={t('details.position')}>
                <span className="mono">{formatLonLat(a.position)}</span>
              </Row>
            )}
          </dl>
          {teamId !== null && units[teamId] && (
            <ul className="detail-links">
              <li>
                <button type="button" onClick={() => onSelect({ kind: 'unit', id: teamId })}>
                  <span className="detail-link-text">{t('details.showUnit')}</span>
                </button>
              </li>
            </ul>
          )}
        </>
      );
      break;
    }
  }

  return (
    <aside
      className="details-panel"
      data-testid="details-panel"
      data-kind={selection.kind}
      data-id={selection.id}
      aria-label={t('details.title')}
      style={accent ? { borderTopColor: accent } : undefined}
    >
      <header className="details-header">
        <div>
          <p className="details-kind">{t(KIND_LABELS[selection.kind])}</p>
          <h2 className="details-title">{title}</h2>
        </div>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('details.close')} title={t('details.close')}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M3.5 3.5 L12.5 12.5 M12.5 3.5 L3.5 12.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      {body ?? <p className="muted">{t('details.gone')}</p>}
    </aside>
  );
}
