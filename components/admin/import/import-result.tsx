'use client';
// What an applied import changed: the layer's diff and the rows whose grid
// cell moved with it; then on to the map or the next layer.
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { ImportReport, ImportResult } from '@/lib/import/types';
import { formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function ImportResultView({ report, result, onNext }: { report: ImportReport; result: ImportResult; onNext(): void }) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const n = (x: number) => formatNumber(x, lang);
  const r = result.reassigned;
  return (
    <section className="create-form import-result" data-testid="import-result" data-layer={result.layer} aria-labelledby="import-result-title">
      <p className="form-ok" id="import-result-title" role="status" tabIndex={-1} ref={ref}>
        {t('import.result.done', {
          layer: t(`import.layer.${result.layer}`),
          file: report.fileName,
          added: n(result.diff.added.length),
          changed: n(result.diff.changed.length),
          removed: n(result.diff.removed.length),
        })}
      </p>
      {r.incidents + r.keyLocations + r.units + r.positions > 0 && (
        <p className="field-note" data-testid="import-reassigned">
          {t('import.result.reassigned', { incidents: n(r.incidents), keyLocations: n(r.keyLocations), units: n(r.units), positions: n(r.positions) })}
        </p>
      )}
      <div className="import-actions">
        <button type="button" className="action-button action-button--primary" data-testid="import-next" onClick={onNext}>
          {t('import.result.next')}
        </button>
        <Link className="action-button import-link-button" href="/" data-testid="import-to-map">
          {t('import.result.toMap')}
        </Link>
      </div>
    </section>
  );
}
