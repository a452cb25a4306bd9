'use client';
// Everyone's live sessions, filterable by kind. Revoking one ends it on the
// server; the device's live map drops within seconds.
import { useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { LoadState } from '@/components/common/load-state';
import { SessionTable } from '@/components/sessions/session-table';
import type { SessionInfo } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { adminSessionsKey, isAdminListKey, type SessionKindFilter } from './admin-keys';

/** Last-seen times move; a list left open on a screen should follow. */
const SESSIONS_REFRESH_MS = 30_000;
const KINDS: readonly SessionKindFilter[] = ['', 'wall', 'browser'];

export function SessionList() {
  const { t } = useI18n();
  const { mutate } = useSWRConfig();
  const [kind, setKind] = useState<SessionKindFilter>('');
  const sessions = useSWR<SessionInfo[], Error>(adminSessionsKey(kind), fetcher, { refreshInterval: SESSIONS_REFRESH_MS });
  const [pendingId, setPendingId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function revoke(s: SessionInfo) {
    setPendingId(s.id);
    setError(null);
    try {
      await send('DELETE', `/api/admin/sessions/${s.id}`);
    } catch (err) {
      setError(`${s.username} #${s.id}: ${(err as Error).message}`);
    } finally {
      setPendingId(null);
    }
    void mutate(isAdminListKey);
  }

  const list = sessions.data;
  return (
    <div className="admin-section">
      <div className="filter-bar">
        <label className="field">
          <span className="field-label">{t('sessions.filter.kind')}</span>
          <select data-testid="sessions-filter-kind" value={kind} onChange={(e) => setKind(e.target.value as SessionKindFilter)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k === '' ? t('common.all') : t(`sessionKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="button" className="action-button" data-testid="sessions-refresh" onClick={() => void sessions.mutate()}>
            {t('common.refresh')}
          </button>
        </div>
        <p className="filter-note">
          <span className="kind-tag kind-tag--wall">{t('sessionKind.wall')}</span> {t('sessions.wallNote')}
        </p>
      </div>
      <LoadState loading={sessions.data === undefined} error={sessions.error} />
      {error && (
        <p className="form-error" role="alert" data-testid="session-action-error">
          {error}
        </p>
      )}
      {list !== undefined && list.length === 0 && (
        <p className="empty-state" data-testid="sessions-empty">
          {t('sessions.empty')}
        </p>
      )}
      {list !== undefined && list.length > 0 && (
        <SessionTable sessions={list} variant="admin" pendingId={pendingId} onRevoke={(s) => void revoke(s)} />
      )}
    </div>
  );
}
