'use client';
// The right end of every header: who is signed in, where they may go, language, sign out.
import { LangSwitch } from '@/components/common/lang-switch';
import { MeBadge } from '@/components/common/me-badge';
import { NavLinks } from '@/components/common/nav-links';
import { SignOutButton } from '@/components/common/sign-out-button';
import { useMe } from '@/lib/hooks/use-me';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function HeaderTools() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <>
      <nav className="header-nav" aria-label={t('nav.label')}>
        <MeBadge me={me} />
        <NavLinks me={me} />
      </nav>
      <LangSwitch />
      <SignOutButton />
    </>
  );
}
