'use client';
// A button that asks again before it acts (disable a device, delete a plan):
// the first press arms it, the second acts, "cancel" disarms.
import { useState } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** A button that asks again before it acts: the first press arms it, the second acts. */
export function ConfirmButton({ label, confirmLabel, testId, disabled, onConfirm }: { label: string; confirmLabel: string; testId: string; disabled: boolean; onConfirm: () => void }) {
  const { t } = useI18n();
  const [armed, setArmed] = useState(false);
  if (!armed) {
    return (
      <button type="button" className="action-button" data-testid={testId} disabled={disabled} onClick={() => setArmed(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-pair">
      <button
        type="button"
        className="action-button action-button--danger"
        data-testid={`${testId}-confirm`}
        disabled={disabled}
        onClick={() => {
          setArmed(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="action-button" onClick={() => setArmed(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
