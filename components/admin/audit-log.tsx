'use client';
// The audit log: filters, newest first, "load older" pages back by id.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import useSWRInfinite from 'swr/infinite';
import { LoadState } from '@/components/common/load-state';
import { Timestamp } from '@/components/common/timestamp';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditRecord } from '@/lib/model';
import { fetcher } from '@/lib/hooks/fetcher';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { translateCode } from '@/lib/i18n/messages';
import { AUDIT_PAGE_SIZE, auditPageKey, compactDetail, EMPTY_AUDIT_FILTERS, type AuditFilters } from './audit-query';

/** Typing a name waits this long before asking the server. */
const ACTOR_DEBOUNCE_MS = 300;

export interface AuditLogProps {
  filters: AuditFilters;
  onFilters(filters: AuditFilters): void;
}

export function AuditLog({ filters, onFilters }: AuditLogProps) {
  const { t, lang, timeZone } = useI18n();
  const { data, error, size, setSize, isValidating, mutate } = useSWRInfinite<AuditRecord[], Error>(
    (index, previous: AuditRecord[] | null) => auditPageKey(filters, index, previous, timeZone),
    fetcher,
    { revalidateFirstPage: false, revalidateOnFocus: false },
  );
  const rows = data?.flat() ?? [];
  const lastPage = data?.[data.length - 1];
  const hasOlder = lastPage !== undefined && lastPage.length === AUDIT_PAGE_SIZE;
  const loadingOlder = isValidating && data !== undefined && size > data.length;

  // The actor box is typed into: its text is kept here and reaches the filters after a pause.
  const [actorDraft, setActorDraft] = useState(filters.actor);
  const actorTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (actorTimer.current !== null) clearTimeout(actorTimer.current);
    },
    [],
  );
  const cancelActorTimer = () => {
    if (actorTimer.current !== null) clearTimeout(actorTimer.current);
    actorTimer.current = null;
  };
  const onActor = (value: string) => {
    setActorDraft(value);
    cancelActorTimer();
    actorTimer.current = setTimeout(() => {
      actorTimer.current = null;
      onFilters({ ...filters, actor: value });
    }, ACTOR_DEBOUNCE_MS);
  };
  // Another filter changing takes the typed name along at once (and the pending timer, which holds older filters, is dropped).
  const set = (patch: Partial<AuditFilters>) => {
    cancelActorTimer();
    onFilters({ ...filters, actor: actorDraft, ...patch });
  };
  // Enter in the actor box applies it without waiting.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    set({});
  };
  const clear = () => {
    cancelActorTimer();
    setActorDraft('');
    onFilters(EMPTY_AUDIT_FILTERS);
  };

  return (
    <div className="admin-section">
      <form className="filter-bar" aria-label={t('audit.filters')} onSubmit={onSubmit}>
        <label className="field">
          <span className="field-label">{t('audit.filter.action')}</span>
          <select data-testid="audit-filter-action" value={filters.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`auditAction.${a}`)} · {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('audit.filter.actor')}</span>
          <input
            type="search"
            data-testid="audit-filter-actor"
            value={actorDraft}
            placeholder={t('audit.filter.actorPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onActor(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('audit.filter.outcome')}</span>
          <select
            data-testid="audit-filter-outcome"
            value={filters.outcome}
            onChange={(e) => set({ outcome: e.target.value as AuditFilters['outcome'] })}
          >
            <option value="">{t('common.all')}</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`auditOutcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('audit.filter.since')}</span>
          <input
            type="datetime-local"
            step={1}
            data-testid="audit-filter-since"
            value={filters.since}
            onChange={(e) => set({ since: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('audit.filter.until')}</span>
          <input
            type="datetime-local"
            step={1}
            data-testid="audit-filter-until"
            value={filters.until}
            onChange={(e) => set({ until: e.target.value })}
          />
        </label>
        <div className="filter-actions">
          <button type="button" className="action-button" data-testid="audit-clear" onClick={clear}>
            {t('audit.filter.clear')}
          </button>
          <button type="button" className="action-button" data-testid="audit-refresh" onClick={() => void mutate()}>
            {t('common.refresh')}
          </button>
        </div>
      </form>

      <LoadState loading={data === undefined} error={error} />
      {data !== undefined && rows.length === 0 && (
        <p className="empty-state" data-testid="audit-empty">
          {t('audit.empty')}
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.time')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.role')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.target')}</th>
                <th scope="col">{t('audit.col.outcome')}</th>
                <th scope="col">{t('audit.col.ip')}</th>
                <th scope="col">{t('audit.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const detail = compactDetail(r.detail);
                return (
                  <tr
                    key={r.id}
                    data-testid="audit-row"
                    data-id={r.id}
                    data-action={r.action}
                    data-outcome={r.outcome}
                    data-actor={r.actor ?? ''}
                    className={`audit-row--${r.outcome}`}
                  >
                    <td className="cell-nowrap">
                      <Timestamp iso={r.at} />
                    </td>
                    <td className="cell-nowrap">
                      {r.actor === null ? <span className="muted">{t('audit.anonymous')}</span> : <span className="mono">{r.actor}</span>}
                    </td>
                    <td className="cell-nowrap">{r.role === null ? <span className="muted">{t('common.none')}</span> : translateCode(lang, 'role', r.role)}</td>
                    <td className="cell-nowrap">
                      {translateCode(lang, 'auditAction', r.action)} <span className="mono muted">{r.action}</span>
                    </td>
                    <td className="mono cell-target">{r.target ?? ''}</td>
                    <td className="cell-nowrap">
                      <span className={`outcome outcome--${r.outcome}`}>{t(`auditOutcome.${r.outcome}`)}</span>
                    </td>
                    <td className="mono cell-nowrap">{r.ip ?? ''}</td>
                    <td className="mono cell-detail" title={detail || undefined}>
                      <div className="detail-clamp">{detail}</div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data !== undefined && rows.length > 0 && (
        <div className="table-foot">
          <span className="muted">{t('audit.count', { n: rows.length })}</span>
          {hasOlder ? (
            <button
              type="button"
              className="action-button"
              data-testid="audit-more"
              disabled={loadingOlder}
              onClick={() => void setSize(size + 1)}
            >
              {loadingOlder ? t('common.loading') : t('audit.more')}
            </button>
          ) : (
            <span className="muted" data-testid="audit-end">
              {t('audit.end')}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
