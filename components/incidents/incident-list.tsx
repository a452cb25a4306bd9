'use client';
// The incident list: filter by status ("open" = not yet resolved, the
// default), category, severity, grid cell, village and time. The server
// answers the filter (so older incidents come back too); the live store's
// newer versions and new matching incidents are merged in, so the list
// follows the map without a reload. A click opens the drawer.
import { useMemo, useState } from 'react';
import useSWR from 'swr';
import { SeverityBar } from './severity-bar';
import { LoadState } from '@/components/common/load-state';
import { PlaceOptions, type PlaceOption } from '@/components/common/place-options';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  SEVERITIES,
  type GridCollection,
  type IncidentCategory,
  type IncidentStatus,
  type IncidentView,
  type Severity,
} from '@/lib/model';
import {
  DEFAULT_INCIDENT_FILTER,
  incidentFilterQuery,
  listIncidents,
  villageByGrid,
  type IncidentFilter,
  type IncidentsById,
} from '@/lib/live/live-store';
import { fetcher } from '@/lib/hooks/fetcher';
import { formatAge, formatDateTime, formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localInputToIso } from '@/lib/model/township-time';

/** More rows than this would make the side panel a scroll marathon; the count says how many matched. */
export const LIST_LIMIT = 200;

export type VillageOption = PlaceOption;

export interface IncidentListProps {
  live: IncidentsById;
  grids: GridCollection | undefined;
  villages: readonly VillageOption[];
  now: number | null;
  selectedId: number | null;
  onPick(incident: IncidentView): void;
}

/** An `<input type="datetime-local">` value as epoch ms, read on the township's clock `tz`; null when empty or not a time. */
function fromLocalInput(v: string, tz: string): number | null {
  const iso = localInputToIso(v, tz);
  return iso === null ? null : Date.parse(iso);
}

export function IncidentList({ live, grids, villages, now, selectedId, onPick }: IncidentListProps) {
  const { t, lang, timeZone } = useI18n();
  const [filter, setFilter] = useState<IncidentFilter>(DEFAULT_INCIDENT_FILTER);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const set = (patch: Partial<IncidentFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const gridOptions = useMemo(
    () => [...(grids?.features ?? [])].map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code)),
    [grids],
  );
  const villageOf = useMemo(() => villageByGrid(grids), [grids]);
  const query = incidentFilterQuery(filter, {
    grid: gridOptions.find((g) => g.id === filter.gridId)?.code ?? null,
    village: villages.find((v) => v.id === filter.villageId)?.code ?? null,
  });
  const server = useSWR<IncidentView[], Error>(`/api/incidents?${query}`, fetcher, { keepPreviousData: true });
  const rows = useMemo(() => listIncidents(server.data, live, filter, villageOf), [server.data, live, filter, villageOf]);
  const shown = rows.slice(0, LIST_LIMIT);

  return (
    <section className="panel-section incident-list" data-testid="incident-list" aria-labelledby="list-title">
      <h2 id="list-title" className="section-title">
        {t('list.title')}
      </h2>
      <div className="list-filters" role="group" aria-label={t('list.filters')}>
        <label className="field">
          <span className="field-label">{t('list.status')}</span>
          <select
            data-testid="list-filter-status"
            value={filter.status}
            onChange={(e) => set({ status: e.currentTarget.value as IncidentFilter['status'] })}
          >
            <option value="open">{t('list.status.open')}</option>
            <option value="all">{t('common.all')}</option>
            {INCIDENT_STATUSES.map((s: IncidentStatus) => (
              <option key={s} value={s}>
                {t(`incidentStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('list.category')}</span>
          <select
            data-testid="list-filter-category"
            value={filter.category}
            onChange={(e) => set({ category: e.currentTarget.value as IncidentCategory | 'all' })}
          >
            <option value="all">{t('common.all')}</option>
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('list.severity')}</span>
          <select
            data-testid="list-filter-severity"
            value={String(filter.severity)}
            onChange={(e) => set({ severity: e.currentTarget.value === 'all' ? 'all' : (Number(e.currentTarget.value) as Severity) })}
          >
            <option value="all">{t('common.all')}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('list.village')}</span>
          <select
            data-testid="list-filter-village"
            value={filter.villageId ?? ''}
            onChange={(e) => set({ villageId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value), gridId: null })}
          >
            <option value="">{t('common.all')}</option>
            <PlaceOptions places={villages} withCode={false} />
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('list.grid')}</span>
          <select
            data-testid="list-filter-grid"
            value={filter.gridId ?? ''}
            onChange={(e) => set({ gridId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
          >
            <option value="">{t('common.all')}</option>
            <PlaceOptions places={gridOptions.filter((g) => filter.villageId === null || g.villageId === filter.villageId)} />
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('list.from')}</span>
          <input
            type="datetime-local"
            data-testid="list-filter-from"
            value={fromText}
            onChange={(e) => {
              setFromText(e.currentTarget.value);
              set({ from: fromLocalInput(e.currentTarget.value, timeZone) });
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('list.to')}</span>
          <input
            type="datetime-local"
            data-testid="list-filter-to"
            value={toText}
            onChange={(e) => {
              setToText(e.currentTarget.value);
              set({ to: fromLocalInput(e.currentTarget.value, timeZone) });
            }}
          />
        </label>
      </div>
      <div className="list-foot">
        <span className="muted" data-testid="incident-list-count">
          {t('list.count', { n: formatNumber(rows.length, lang) })}
        </span>
        <button
          type="button"
          className="link-button"
          data-testid="list-filter-clear"
          onClick={() => {
            setFilter(DEFAULT_INCIDENT_FILTER);
            setFromText('');
            setToText('');
          }}
        >
          {t('list.clear')}
        </button>
      </div>
      <LoadState loading={server.data === undefined && rows.length === 0} error={server.error} />
      {rows.length === 0 && server.data !== undefined && <p className="muted field-note">{t('list.empty')}</p>}
      <ul className="feed">
        {shown.map((i) => (
          <li key={i.id}>
            <button
              type="button"
              className={`feed-item ${i.id === selectedId ? 'feed-item--selected' : ''}`}
              data-testid="incident-list-row"
              data-incident-id={i.id}
              data-status={i.status}
              onClick={() => onPick(i)}
            >
              <SeverityBar severity={i.severity} />
              <span className="feed-main">
                <span className="feed-title">{lang === 'en' ? t(`category.${i.category}`) : i.title}</span>
                <span className="feed-meta">
                  <span className={`badge badge--${i.status} badge--small`}>{t(`incidentStatus.${i.status}`)}</span>{' '}
                  {lang === 'en' ? i.title : t(`category.${i.category}`)}
                  {i.gridCode ? ` · ${i.gridCode}` : ''}
                </span>
              </span>
              <span className="feed-age" title={formatDateTime(i.reportedAt, lang, timeZone)}>
                {now === null ? '' : formatAge(Math.max(0, now - Date.parse(i.reportedAt)), lang)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
