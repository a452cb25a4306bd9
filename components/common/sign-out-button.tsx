'use client';
import { goToSignIn } from '@/lib/hooks/sign-in-redirect';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Ends the session on the server (its live sockets are dropped too), then back to the sign-in page. */
async function signOut(): Promise<void> {
  try {
    await fetch('/api/auth/logout', { method: 'POST' });
  } finally {
    goToSignIn();
  }
}

export function SignOutButton() {
  const { t } = useI18n();
  return (
    <button type="button" className="lang-switch" data-testid="logout" onClick={() => void signOut()}>
      {t('auth.logout')}
    </button>
  );
}
