'use client';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** The loading line until a list first arrives, and the error line whenever its last request failed. */
export function LoadState({ loading, error }: { loading: boolean; error: Error | undefined }) {
  const { t } = useI18n();
  if (error) {
    return (
      <p className="form-error" role="alert">
        {t('error.load', { message: error.message })}
      </p>
    );
  }
  return loading ? <p className="muted load-note">{t('common.loading')}</p> : null;
}
