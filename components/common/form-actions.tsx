'use client';
// A form's submit button (its label says when it is saving) and, when the form
// can be left, a cancel button. Test ids: `<prefix>-submit`, `<prefix>-cancel`.
import { useI18n } from '@/lib/i18n/i18n-provider';

export function FormActions({ prefix, busy, label, busyLabel, onCancel }: { prefix: string; busy: boolean; label: string; busyLabel: string; onCancel?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="filter-actions">
      <button type="submit" className="action-button action-button--primary" data-testid={`${prefix}-submit`} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {onCancel && (
        <button type="button" className="action-button" data-testid={`${prefix}-cancel`} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}
