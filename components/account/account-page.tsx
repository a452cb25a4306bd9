'use client';
// The signed-in person's own page: who they are and their live sessions,
// any of which but the one in use can be revoked (a phone left signed in,
// a borrowed laptop).
import { useState } from 'react';
import useSWR from 'swr';
import { LoadState } from '@/components/common/load-state';
import { PageFrame } from '@/components/common/page-frame';
import { SessionTable } from '@/components/sessions/session-table';
import type { SessionInfo } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { useMe } from '@/lib/hooks/use-me';
import { useI18n } from '@/lib/i18n/i18n-provider';

export const MY_SESSIONS_KEY = '/api/auth/sessions';

export function AccountPage() {
  const { t } = useI18n();
  const me = useMe();
  const sessions = useSWR<SessionInfo[], Error>(MY_SESSIONS_KEY, fetcher);
  const [pendingId, setPendingId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function revoke(s: SessionInfo) {
    setPendingId(s.id);
    setError(null);
    try {
      await send('DELETE', `/api/auth/sessions/${s.id}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPendingId(null);
    }
    void sessions.mutate();
  }

  const list = sessions.data;
  return (
    <PageFrame title={t('account.title')} testId="account-page">
      <section className="page-section" aria-labelledby="account-who">
        <h2 className="section-title" id="account-who">
          {t('account.who')}
        </h2>
        {me === undefined ? (
          <p className="muted load-note">{t('common.loading')}</p>
        ) : (
          <dl className="detail-list account-who" data-testid="account-who">
            <div className="detail-row">
              <dt>{t('account.displayName')}</dt>
              <dd data-testid="account-display-name">{me.displayName}</dd>
            </div>
            <div className="detail-row">
              <dt>{t('account.username')}</dt>
              <dd className="mono" data-testid="account-username">
                {me.username}
              </dd>
            </div>
            <div className="detail-row">
              <dt>{t('account.role')}</dt>
              <dd data-testid="account-role" data-role={me.role}>
                <span className={`role-tag role-tag--${me.role}`}>{t(`role.${me.role}`)}</span>
              </dd>
            </div>
            <div className="detail-row">
              <dt>{t('account.sessionKind')}</dt>
              <dd>
                <span className={`kind-tag kind-tag--${me.session}`}>{t(`sessionKind.${me.session}`)}</span>
              </dd>
            </div>
          </dl>
        )}
      </section>

      <section className="page-section" aria-labelledby="account-sessions">
        <h2 className="section-title" id="account-sessions">
          {t('account.sessions')}
        </h2>
        <p className="field-note section-note">{t('account.sessionsNote')}</p>
        <LoadState loading={sessions.data === undefined} error={sessions.error} />
        {error && (
          <p className="form-error" role="alert" data-testid="my-session-error">
            {error}
          </p>
        )}
        {list !== undefined && list.length === 0 && <p className="empty-state">{t('sessions.empty')}</p>}
        {list !== undefined && list.length > 0 && (
          <SessionTable sessions={list} variant="mine" pendingId={pendingId} onRevoke={(s) => void revoke(s)} />
        )}
      </section>
    </PageFrame>
  );
}
