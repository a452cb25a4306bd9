'use client';
// Links between the map, the account page, the time machine, the plan board,
// the briefing and the admin page: each shown to the roles its page rule
// (lib/auth/permissions PAGE_RULES) lets in; the server refuses the page to anyone else.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { PLAN_BOARD_ROLES, type Me, type PersonRole } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { bt } from '@/lib/i18n/briefing';

type Lang = ReturnType<typeof useI18n>['lang'];
type T = ReturnType<typeof useI18n>['t'];

/** The header's links, in order: where, test id, label, icon, and who may open the page (everyone when not given). */
const LINKS: { href: string; testId: string; label: (t: T, lang: Lang) => string; icon: ReactNode; roles?: readonly PersonRole[] }[] = [
  {
    href: '/admin',
    testId: 'nav-admin',
    roles: ['admin'],
    label: (t) => t('nav.admin'),
    icon: (
      <>
        <path
          d="M8 1.5 13.5 3.6v4.1c0 3.3-2.3 5.8-5.5 6.8-3.2-1-5.5-3.5-5.5-6.8V3.6Z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinejoin="round"
        />
        <path d="M5.6 8.1 7.3 9.8l3.2-3.4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      </>
    ),
  },
  {
    href: '/replay',
    testId: 'nav-replay',
    label: (t) => t('nav.replay'),
    icon: (
      <>
        <path d="M2.5 8a5.5 5.5 0 1 0 1.7-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        <path d="M2 2.2v2.9h2.9" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        <path d="M8 5v3.2l2 1.3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
      </>
    ),
  },
  {
    href: '/plans',
    testId: 'nav-plans',
    roles: PLAN_BOARD_ROLES,
    label: (t) => t('nav.plans'),
    icon: (
      <>
        <rect x="2" y="2.5" width="12" height="11.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M2 6h12M5.5 1.5v2.5M10.5 1.5v2.5M5 9h2M9 9h2M5 11.5h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </>
    ),
  },
  {
    href: '/briefing',
    testId: 'nav-briefing',
    label: (_t, lang) => bt(lang, 'title'),
    icon: <path d="M2.5 13.5h11M4 11V8M7 11V4.5M10 11V6.5M13 11V3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />,
  },
  {
    href: '/account',
    testId: 'nav-account',
    label: (t) => t('nav.account'),
    icon: (
      <>
        <rect x="1.75" y="3" width="12.5" height="10" rx="1.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <circle cx="5.8" cy="7.2" r="1.6" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M3.6 11c.4-1.2 1.2-1.8 2.2-1.8s1.8.6 2.2 1.8M9.6 6.6h2.8M9.6 9h2" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </>
    ),
  },
];

/** Before `me` is known, only the pages every person may open. */
const mayOpen = (roles: readonly PersonRole[] | undefined, me: Me | undefined) => roles === undefined || (me !== undefined && roles.includes(me.role));

export function NavLinks({ me }: { me: Me | undefined }) {
  const { t, lang } = useI18n();
  const pathname = usePathname();
  return LINKS.filter((l) => mayOpen(l.roles, me)).map((l) => {
    const label = l.label(t, lang);
    return (
      <Link
        key={l.href}
        href={l.href}
        className="header-link"
        data-testid={l.testId}
        title={label}
        aria-label={label}
        aria-current={pathname === l.href ? 'page' : undefined}
      >
        <svg viewBox="0 0 16 16" aria-hidden="true">
          {l.icon}
        </svg>
        <span className="header-link-text">{label}</span>
      </Link>
    );
  });
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
