'use client';
// Links between the map, the account page and (for administrators) the admin page.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Me } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The admin link only for administrators (the server refuses the page to anyone else); the account link for everyone. */
export function NavLinks({ me }: { me: Me | undefined }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const current = (href: string) => (pathname === href ? 'page' : undefined);
  return (
    <>
      {me?.role === 'admin' && (
        <Link
          href="/admin"
          className="header-link"
          data-testid="nav-admin"
          title={t('nav.admin')}
          aria-label={t('nav.admin')}
          aria-current={current('/admin')}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path
              d="M8 1.5 13.5 3.6v4.1c0 3.3-2.3 5.8-5.5 6.8-3.2-1-5.5-3.5-5.5-6.8V3.6Z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.5"
              strokeLinejoin="round"
            />
            <path d="M5.6 8.1 7.3 9.8l3.2-3.4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span className="header-link-text">{t('nav.admin')}</span>
        </Link>
      )}
      <Link
        href="/account"
        className="header-link"
        data-testid="nav-account"
        title={t('nav.account')}
        aria-label={t('nav.account')}
        aria-current={current('/account')}
      >
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <rect x="1.75" y="3" width="12.5" height="10" rx="1.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <circle cx="5.8" cy="7.2" r="1.6" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M3.6 11c.4-1.2 1.2-1.8 2.2-1.8s1.8.6 2.2 1.8M9.6 6.6h2.8M9.6 9h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
        </svg>
        <span className="header-link-text">{t('nav.account')}</span>
      </Link>
    </>
  );
}

export function BackToMapLink() {
  const { t } = useI18n();
  return (
    <Link href="/" className="header-link header-link--back" data-testid="back-to-map">
      <svg viewBox="0 0 16 16" aria-hidden="true">
        <path d="M9.5 3.5 5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>{t('nav.backToMap')}</span>
    </Link>
  );
}
