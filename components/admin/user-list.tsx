'use client';
// Accounts: who exists, with what role, when they last signed in, how many
// live sessions they hold; disable or enable one, or create a new one.
import { useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { LoadState } from '@/components/common/load-state';
import { Timestamp } from '@/components/common/timestamp';
import type { AdminUser } from '@/lib/model';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { useMe } from '@/lib/hooks/use-me';
import { formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { isAdminListKey, USERS_KEY } from './admin-keys';
import { UserCreateForm } from './user-create-form';

export function UserList() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { mutate } = useSWRConfig();
  const users = useSWR<AdminUser[], Error>(USERS_KEY, fetcher);
  const [pendingId, setPendingId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function setDisabled(user: AdminUser, disabled: boolean) {
    setPendingId(user.id);
    setError(null);
    try {
      await send<AdminUser>('PATCH', `/api/admin/users/${user.id}`, { disabled });
    } catch (err) {
      setError(`${user.username}: ${(err as Error).message}`);
    } finally {
      setPendingId(null);
    }
    // Also after a failure: the list may be what was out of date.
    void mutate(isAdminListKey);
  }

  const list = users.data;
  return (
    <div className="admin-section">
      <UserCreateForm />
      <LoadState loading={users.data === undefined} error={users.error} />
      {error && (
        <p className="form-error" role="alert" data-testid="user-action-error">
          {error}
        </p>
      )}
      {list !== undefined && list.length === 0 && <p className="empty-state">{t('users.empty')}</p>}
      {list !== undefined && list.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="user-table">
            <thead>
              <tr>
                <th scope="col">{t('users.col.username')}</th>
                <th scope="col">{t('users.col.displayName')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.created')}</th>
                <th scope="col">{t('users.col.lastSignIn')}</th>
                <th scope="col" className="cell-num">
                  {t('users.col.sessions')}
                </th>
                <th scope="col">{t('users.col.status')}</th>
                <th scope="col">{t('users.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => {
                const self = me?.id === u.id;
                return (
                  <tr
                    key={u.id}
                    data-testid="user-row"
                    data-user-id={u.id}
                    data-username={u.username}
                    data-disabled={u.disabled ? 'true' : 'false'}
                    className={u.disabled ? 'row--disabled' : undefined}
                  >
                    <td className="mono cell-nowrap">
                      {u.username}
                      {self && <span className="tag">{t('common.you')}</span>}
                    </td>
                    <td>{u.displayName}</td>
                    <td className="cell-nowrap">
                      <span className={`role-tag role-tag--${u.role}`}>{t(`role.${u.role}`)}</span>
                    </td>
                    <td className="cell-nowrap">
                      <Timestamp iso={u.createdAt} />
                    </td>
                    <td className="cell-nowrap">
                      <Timestamp iso={u.lastSignInAt} empty={t('users.never')} />
                    </td>
                    <td className="mono cell-num">{formatNumber(u.liveSessions, lang)}</td>
                    <td className="cell-nowrap">
                      <span className={`badge ${u.disabled ? 'badge--disabled' : 'badge--active'}`}>
                        {u.disabled ? t('users.disabled') : t('users.active')}
                      </span>
                    </td>
                    <td className="cell-nowrap">
                      {u.role === 'device' ? (
                        // Device accounts have their own credentials and tool; the server refuses to change them here.
                        <span className="muted cell-hint">{t('users.deviceHint')}</span>
                      ) : u.disabled ? (
                        <button
                          type="button"
                          className="action-button"
                          data-testid="user-enable"
                          disabled={pendingId !== null}
                          onClick={() => void setDisabled(u, false)}
                        >
                          {t('users.enable')}
                        </button>
                      ) : (
                        // One's own account is not offered: the server refuses it (409) and it would lock the admin out.
                        <button
                          type="button"
                          className="action-button action-button--danger"
                          data-testid="user-disable"
                          disabled={pendingId !== null || self}
                          title={self ? t('users.selfHint') : undefined}
                          onClick={() => void setDisabled(u, true)}
                        >
                          {t('users.disable')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
