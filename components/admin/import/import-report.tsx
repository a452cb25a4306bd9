'use client';
// One preview's report: what was read, what would change, every problem with
// the feature and figures it is about, the features on a map, and Confirm —
// disabled while an error stands or an invalid geometry waits for the
// administrator's "repair with ST_MakeValid".
import dynamic from 'next/dynamic';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ImportDiff, ImportReport } from '@/lib/import/types';
import { formatNumber } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { previewMapData } from './preview-map-data';
import { applyBlock, countProblems, orderProblems, problemFigures, problemSubject, problemTitle } from './report-format';

const ImportPreviewMap = dynamic(() => import('./import-preview-map'), { ssr: false });

const DIFF_KINDS = ['added', 'changed', 'removed'] as const satisfies readonly (keyof ImportDiff)[];

export interface ImportReportViewProps {
  report: ImportReport;
  applying: boolean;
  onApply(report: ImportReport, makeValid: boolean): void;
  onCancel(): void;
}

export function ImportReportView({ report, applying, onApply, onCancel }: ImportReportViewProps) {
  const { t, lang } = useI18n();
  const [makeValid, setMakeValid] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A new report takes the focus, so keyboard and screen-reader users land on what the upload produced.
  useEffect(() => headingRef.current?.focus(), [report.token]);

  const mapData = useMemo(() => previewMapData(report), [report]);
  const counts = countProblems(report.problems);
  const problems = useMemo(() => orderProblems(report.problems), [report.problems]);
  const block = applyBlock(report, makeValid);

  return (
    <section
      className="create-form import-report"
      data-testid="import-report"
      data-layer={report.layer}
      data-importable={report.importable ? 'true' : 'false'}
      aria-labelledby="import-report-title"
    >
      <h3 className="section-title" id="import-report-title" ref={headingRef} tabIndex={-1}>
        {t('import.report.title', { file: report.fileName })}
      </h3>
      <dl className="import-summary">
        <div>
          <dt>{t('import.layer')}</dt>
          <dd>{t(`import.layer.${report.layer}`)}</dd>
        </div>
        <div>
          <dt>{t('import.report.format')}</dt>
          <dd>{report.format ?? t('import.report.unknownFormat')}</dd>
        </div>
        <div>
          <dt>{t('import.report.features')}</dt>
          <dd data-testid="import-feature-count">{formatNumber(report.featureCount, lang)}</dd>
        </div>
        <div>
          <dt>{t('import.report.errors')}</dt>
          <dd data-testid="import-error-count" className={counts.errors > 0 ? 'import-count--error' : undefined}>
            {formatNumber(counts.errors, lang)}
          </dd>
        </div>
        <div>
          <dt>{t('import.report.warnings')}</dt>
          <dd data-testid="import-warning-count" className={counts.warnings > 0 ? 'import-count--warning' : undefined}>
            {formatNumber(counts.warnings, lang)}
          </dd>
        </div>
      </dl>

      <h4 className="import-subtitle">{t('import.diff.title')}</h4>
      <ul className="import-diff" data-testid="import-diff">
        {DIFF_KINDS.map((kind) => (
          <li key={kind} data-testid={`import-diff-${kind}`} data-count={report.diff[kind].length}>
            <span className={`import-diff-label import-diff-label--${kind}`}>
              {t(`import.diff.${kind}`, { n: formatNumber(report.diff[kind].length, lang) })}
            </span>
            {report.diff[kind].length > 0 && <span className="import-codes mono">{report.diff[kind].join(', ')}</span>}
          </li>
        ))}
      </ul>

      <h4 className="import-subtitle">{t('import.problems.title')}</h4>
      {problems.length === 0 ? (
        <p className="form-ok" data-testid="import-no-problems">
          {t('import.problems.none')}
        </p>
      ) : (
        <ol className="import-problems" data-testid="import-problems">
          {problems.map((p, i) => {
            const subject = problemSubject(p, lang);
            const figures = problemFigures(p, lang);
            return (
              <li key={i} className={`import-problem import-problem--${p.severity}`} data-testid="import-problem" data-code={p.code} data-severity={p.severity}>
                <span className="import-problem-severity">{t(p.severity === 'error' ? 'import.severity.error' : 'import.severity.warning')}</span>
                <span className="import-problem-title">{problemTitle(p.code, lang)}</span>
                {subject && <span className="import-problem-subject mono">{subject}</span>}
                {figures.length > 0 && <span className="import-problem-figures">{figures.join(' · ')}</span>}
                <span className="import-problem-message">{p.message}</span>
              </li>
            );
          })}
        </ol>
      )}

      <h4 className="import-subtitle">{t('import.map.title')}</h4>
      <ImportPreviewMap
        key={report.token}
        data={mapData}
        label={t('import.map.label', { file: report.fileName })}
      />
      <p className="field-note import-map-legend">
        <span className="import-swatch import-swatch--ok" aria-hidden="true" /> {t('import.map.ok')}
        <span className="import-swatch import-swatch--warning" aria-hidden="true" /> {t('import.map.warning')}
        <span className="import-swatch import-swatch--error" aria-hidden="true" /> {t('import.map.error')}
        {report.preview.omitted > 0 && <> · {t('import.map.omitted', { n: formatNumber(report.preview.omitted, lang) })}</>}
      </p>

      <div className="import-actions">
        {report.needsMakeValid && (
          <label className="import-make-valid">
            <input type="checkbox" data-testid="import-make-valid" checked={makeValid} onChange={(e) => setMakeValid(e.target.checked)} disabled={applying} />
            {t('import.makeValid')}
          </label>
        )}
        <button
          type="button"
          className="action-button action-button--primary"
          data-testid="import-apply"
          disabled={block !== null || applying}
          aria-describedby={block ? 'import-apply-blocked' : undefined}
          onClick={() => onApply(report, makeValid)}
        >
          {applying ? t('import.applying') : t('import.apply')}
        </button>
        <button type="button" className="action-button" data-testid="import-cancel" onClick={onCancel} disabled={applying}>
          {t('import.cancel')}
        </button>
        {block && (
          <span className="field-note" id="import-apply-blocked" data-testid="import-apply-blocked" data-reason={block}>
            {t(block === 'errors' ? 'import.blocked.errors' : 'import.blocked.makeValid')}
          </span>
        )}
      </div>
    </section>
  );
}
