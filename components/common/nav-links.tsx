'use client';
// Links between the map, the account page, the plan board (staff and viewers) and (for administrators) the admin page.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Me } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { bt } from '@/lib/i18n/briefing';
import { rt } from '@/lib/i18n/replay';

/** The admin link only for administrators (the server refuses the page to anyone else); the account link for everyone. */
export function NavLinks({ me }: { me: Me | undefined }) {
  const { t, lang } = useI18n();
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
        href="/replay"
        className="header-link"
        data-testid="nav-replay"
        title={rt(lang, 'nav')}
        aria-label={rt(lang, 'nav')}
        aria-current={current('/replay')}
      >
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M2.5 8a5.5 5.5 0 1 0 1.7-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
          <path d="M2 2.2v2.9h2.9" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M8 5v3.2l2 1.3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
        </svg>
        <span className="header-link-text">{rt(lang, 'nav')}</span>
      </Link>
      {(me?.role === 'admin' || me?.role === 'coordinator' || me?.role === 'viewer') && (
        <Link
          href="/plans"
          className="header-link"
          data-testid="nav-plans"
          title={t('nav.plans')}
          aria-label={t('nav.plans')}
          aria-current={current('/plans')}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <rect x="2" y="2.5" width="12" height="11.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M2 6h12M5.5 1.5v2.5M10.5 1.5v2.5M5 9h2M9 9h2M5 11.5h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
          </svg>
          <span className="header-link-text">{t('nav.plans')}</span>
        </Link>
      )}
      <Link
        href="/briefing"
        className="header-link"
        data-testid="nav-briefing"
        title={bt(lang, 'title')}
        aria-label={bt(lang, 'title')}
        aria-current={current('/briefing')}
      >
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M2.5 13.5h11M4 11V8M7 11V4.5M10 11V6.5M13 11V3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        <span className="header-link-text">{bt(lang, 'title')}</span>
      </Link>
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
