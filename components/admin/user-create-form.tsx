'use client';
// Creating an account. The server checks the input and says what is wrong
// (422), or that the name is taken (409); its message is shown as it is.
import { useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { PERSON_ROLES, type AdminUser } from '@/lib/model';
import { send } from '@/lib/hooks/fetcher';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { isAdminListKey } from './admin-keys';

export function UserCreateForm() {
  const { t } = useI18n();
  const { mutate } = useSWRConfig();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const user = await send<AdminUser>('POST', '/api/admin/users', {
        username: String(form.get('username') ?? '').trim(),
        displayName: String(form.get('displayName') ?? '').trim(),
        role: String(form.get('role') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      formEl.reset();
      setCreated(user.username);
      void mutate(isAdminListKey);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  // noValidate: the server's rules and messages are the ones that count; the attributes still guide input.
  return (
    <form className="create-form" data-testid="user-create-form" onSubmit={onSubmit} noValidate>
      <h3 className="section-title">{t('users.create.title')}</h3>
      <div className="create-form-fields">
        <label className="field">
          <span className="field-label">{t('users.create.username')}</span>
          <input
            name="username"
            data-testid="user-create-username"
            autoComplete="off"
            spellCheck={false}
            pattern="[a-z0-9][a-z0-9._\-]{2,31}"
            maxLength={32}
            required
            aria-describedby="user-create-username-hint"
          />
          <span className="field-note" id="user-create-username-hint">
            {t('users.create.usernameHint')}
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('users.create.displayName')}</span>
          <input name="displayName" data-testid="user-create-display" autoComplete="off" required />
        </label>
        <label className="field">
          <span className="field-label">{t('users.create.role')}</span>
          <select name="role" data-testid="user-create-role" defaultValue="viewer">
            {PERSON_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('users.create.password')}</span>
          <input
            name="password"
            type="password"
            data-testid="user-create-password"
            autoComplete="new-password"
            minLength={10}
            required
            aria-describedby="user-create-password-hint"
          />
          <span className="field-note" id="user-create-password-hint">
            {t('users.create.passwordHint')}
          </span>
        </label>
        <div className="filter-actions">
          <button type="submit" className="action-button action-button--primary" data-testid="user-create-submit" disabled={busy}>
            {busy ? t('users.create.busy') : t('users.create.submit')}
          </button>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="user-create-error">
          {error}
        </p>
      )}
      {created && (
        <p className="form-ok" role="status" data-testid="user-create-done">
          {t('users.create.done', { username: created })}
        </p>
      )}
    </form>
  );
}
