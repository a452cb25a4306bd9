'use client';
// Who is signed in: display name and role, shown on every page's header.
import type { Me } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function MeBadge({ me }: { me: Me | undefined }) {
  const { t } = useI18n();
  // Nothing until /api/auth/me answers: a placeholder name would flash on every page load.
  if (!me) return null;
  const role = t(`role.${me.role}`);
  return (
    <span
      className={`me-badge me-badge--${me.role}`}
      data-testid="me-badge"
      data-role={me.role}
      title={t('me.label', { name: me.displayName, role })}
    >
      <svg className="me-icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="8" cy="5.2" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M2.5 14.5c.6-3 2.8-4.6 5.5-4.6s4.9 1.6 5.5 4.6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      </svg>
      <span className="me-name">{me.displayName}</span>
      <span className="me-role">{role}</span>
    </span>
  );
}
