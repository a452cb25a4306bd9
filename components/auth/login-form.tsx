'use client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { afterSignInPath } from '@/lib/auth/next-path';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Where to go after signing in: the asked-for path on our own origin, else the role's home (a wall display: /wall). */
function nextPath(role: string): string {
  return afterSignInPath(new URLSearchParams(window.location.search).get('next'), window.location.origin, role);
}

/** The wall-display link printed at start: /login?wall=1. */
function wallLink(): boolean {
  return new URLSearchParams(window.location.search).get('wall') === '1';
}

export function LoginForm() {
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const wallRef = useRef<HTMLInputElement>(null);

  // The wall-display link (/login?wall=1) fills in the wall account; read after
  // mount so the server-rendered form and the first client render agree.
  useEffect(() => {
    if (!wallLink()) return;
    if (usernameRef.current && !usernameRef.current.value) usernameRef.current.value = 'wall';
    if (wallRef.current) wallRef.current.checked = true;
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password'), wall: form.get('wall') === 'on' }),
      });
      if (res.ok) {
        const { user } = (await res.json()) as { user: { role: string } };
        // A full load, so the map starts with the new session's cookie and a clean state.
        window.location.href = nextPath(user.role);
        return;
      }
      setError(res.status === 401 ? t('login.failed') : `HTTP ${res.status}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={onSubmit} data-testid="login-form">
        <h1 data-testid="app-title">{t('app.title')}</h1>
        <p className="login-sub">{t('login.title')}</p>
        <label>
          {t('login.username')}
          <input ref={usernameRef} name="username" autoComplete="username" required data-testid="login-username" />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
        </label>
        <label className="login-wall">
          <input ref={wallRef} name="wall" type="checkbox" data-testid="login-wall" />
          {t('login.wall')}
        </label>
        {error && (
          <p className="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit">
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <button type="button" className="login-lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
          {lang === 'zh' ? 'EN' : '中文'}
        </button>
      </form>
    </main>
  );
}
