'use client';
// A table of live sessions: everyone's on the admin page, one's own on the
// account page. Wall sessions stand out (long-lived: the ones to revoke when
// a screen is lost); the session in use is marked and not offered for
// revoking, since signing out is the way to end it.
import { Timestamp } from '@/components/common/timestamp';
import type { SessionInfo } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Test ids differ by page, so a test of one page never counts the other's rows. */
const TEST_IDS = {
  admin: { row: 'session-row', revoke: 'session-revoke' },
  mine: { row: 'my-session-row', revoke: 'my-session-revoke' },
} as const;

export interface SessionTableProps {
  sessions: readonly SessionInfo[];
  /** admin: everyone's, with the user column; mine: the caller's own. */
  variant: keyof typeof TEST_IDS;
  /** The session being revoked, if any: its button shows progress and the others wait. */
  pendingId: number | null;
  onRevoke(session: SessionInfo): void;
}

export function SessionTable({ sessions, variant, pendingId, onRevoke }: SessionTableProps) {
  const { t } = useI18n();
  const ids = TEST_IDS[variant];
  const showUser = variant === 'admin';
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={variant === 'admin' ? 'session-table' : 'my-session-table'}>
        <thead>
          <tr>
            {showUser && <th scope="col">{t('sessions.col.user')}</th>}
            <th scope="col">{t('sessions.col.kind')}</th>
            <th scope="col">{t('sessions.col.created')}</th>
            <th scope="col">{t('sessions.col.lastSeen')}</th>
            <th scope="col">{t('sessions.col.expires')}</th>
            <th scope="col">{t('sessions.col.ip')}</th>
            <th scope="col">{t('sessions.col.userAgent')}</th>
            <th scope="col">{t('sessions.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr
              key={s.id}
              data-testid={ids.row}
              data-session-id={s.id}
              data-kind={s.kind}
              data-username={s.username}
              data-current={s.current ? 'true' : 'false'}
              className={`session-row--${s.kind}${s.current ? ' row--current' : ''}`}
            >
              {showUser && (
                <td className="cell-nowrap">
                  <span className="mono">{s.username}</span> <span className="muted">{t(`role.${s.role}`)}</span>
                </td>
              )}
              <td className="cell-nowrap">
                <span className={`kind-tag kind-tag--${s.kind}`}>{t(`sessionKind.${s.kind}`)}</span>
                {s.current && (
                  <span className="tag tag--current" data-testid="session-current">
                    {t('sessions.current')}
                  </span>
                )}
              </td>
              <td className="cell-nowrap">
                <Timestamp iso={s.createdAt} />
              </td>
              <td className="cell-nowrap">
                <Timestamp iso={s.lastSeenAt} />
              </td>
              <td className="cell-nowrap">
                <Timestamp iso={s.expiresAt} />
              </td>
              <td className="mono cell-nowrap">{s.ip ?? ''}</td>
              <td className="mono cell-ua" title={s.userAgent ?? undefined}>
                {s.userAgent ?? ''}
              </td>
              <td className="cell-nowrap">
                {s.current ? (
                  <span className="muted cell-hint">{t('sessions.currentHint')}</span>
                ) : (
                  <button
                    type="button"
                    className="action-button action-button--danger"
                    data-testid={ids.revoke}
                    disabled={pendingId !== null}
                    onClick={() => onRevoke(s)}
                  >
                    {pendingId === s.id ? t('sessions.revoking') : t('sessions.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
