'use client';
// The township import (issue 12), for administrators: choose the layer and
// the coordinate system, pick a file, read the report (counts, the diff,
// every problem, a map of the features with the problem ones marked), then
// confirm — or not. Nothing is stored before Confirm; the server refuses an
// apply the report does not allow, and its message is shown as it is.
import { useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import { IMPORT_LAYER_ORDER, IMPORT_FILE_ACCEPT, previewUrl } from './report-format';
import { ImportReportView } from './import-report';
import { ImportResultView } from './import-result';
import { SOURCE_DATUMS, type ImportLayer, type ImportReport, type ImportResult, type SourceDatum } from '@/lib/import/types';
import { send, sendBytes } from '@/lib/hooks/fetcher';
import { TOWNSHIP_KEYS } from '@/lib/hooks/use-live';
import { useI18n } from '@/lib/i18n/i18n-provider';

type Stage =
  | { kind: 'choose' }
  | { kind: 'previewing' }
  | { kind: 'report'; report: ImportReport }
  | { kind: 'applying'; report: ImportReport }
  | { kind: 'applied'; report: ImportReport; result: ImportResult };

export function ImportPanel() {
  const { t } = useI18n();
  const { mutate } = useSWRConfig();
  const [layer, setLayer] = useState<ImportLayer>('boundary');
  const [datum, setDatum] = useState<SourceDatum>('wgs84');
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [error, setError] = useState<string | null>(null);
  // A new file input each time one import is done, so the same file can be chosen again.
  const [inputKey, setInputKey] = useState(0);

  async function onPreview(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) {
      setError(t('import.noFile'));
      return;
    }
    setError(null);
    setStage({ kind: 'previewing' });
    try {
      const report = await sendBytes<ImportReport>(previewUrl({ layer, datum, fileName: file.name }), await file.arrayBuffer());
      setStage({ kind: 'report', report });
    } catch (err) {
      setError((err as Error).message);
      setStage({ kind: 'choose' });
    }
  }

  async function onApply(report: ImportReport, makeValid: boolean) {
    setError(null);
    setStage({ kind: 'applying', report });
    try {
      const result = await send<ImportResult>('POST', '/api/admin/import/apply', { token: report.token, makeValid });
      setStage({ kind: 'applied', report, result });
      // Dropped, not only revalidated: the map page keeps its basemap once fetched, and is not open (no socket) to hear `township:changed`.
      void mutate((key) => typeof key === 'string' && (TOWNSHIP_KEYS as readonly string[]).includes(key), undefined, { revalidate: true });
    } catch (err) {
      // The report stays: the administrator reads why and decides (preview again, fix the file).
      setError((err as Error).message);
      setStage({ kind: 'report', report });
    }
  }

  function startOver() {
    setStage({ kind: 'choose' });
    setFile(null);
    setError(null);
    setInputKey((k) => k + 1);
  }

  const busy = stage.kind === 'previewing' || stage.kind === 'applying';
  const choosing = stage.kind === 'choose' || stage.kind === 'previewing';
  return (
    <div className="admin-section import-panel" data-testid="import-panel">
      <p className="import-intro">{t('import.intro')}</p>
      <form className="create-form" data-testid="import-form" onSubmit={onPreview} aria-busy={stage.kind === 'previewing'}>
        <h3 className="section-title">{t('import.form.title')}</h3>
        <fieldset className="create-form-fields import-fields" disabled={!choosing || busy}>
          <label className="field">
            <span className="field-label">{t('import.layer')}</span>
            <select data-testid="import-layer" value={layer} onChange={(e) => setLayer(e.target.value as ImportLayer)}>
              {IMPORT_LAYER_ORDER.map((l) => (
                <option key={l} value={l}>
                  {t(`import.layer.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('import.datum')}</span>
            <select data-testid="import-datum" value={datum} onChange={(e) => setDatum(e.target.value as SourceDatum)} aria-describedby="import-datum-hint">
              {SOURCE_DATUMS.map((d) => (
                <option key={d} value={d}>
                  {t(`import.datum.${d}`)}
                </option>
              ))}
            </select>
            <span className="field-note" id="import-datum-hint">
              {t('import.datumHint')}
            </span>
          </label>
          <label className="field">
            <span className="field-label">{t('import.file')}</span>
            <input
              key={inputKey}
              type="file"
              data-testid="import-file"
              accept={IMPORT_FILE_ACCEPT}
              aria-describedby="import-file-hint"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <span className="field-note" id="import-file-hint">
              {t('import.fileHint')}
            </span>
          </label>
          <div className="filter-actions">
            <button type="submit" className="action-button action-button--primary" data-testid="import-preview-submit">
              {stage.kind === 'previewing' ? t('import.previewing') : t('import.preview')}
            </button>
          </div>
        </fieldset>
      </form>
      {error && (
        <p className="form-error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {(stage.kind === 'report' || stage.kind === 'applying') && (
        <ImportReportView report={stage.report} applying={stage.kind === 'applying'} onApply={onApply} onCancel={startOver} />
      )}
      {stage.kind === 'applied' && <ImportResultView report={stage.report} result={stage.result} onNext={startOver} />}
    </div>
  );
}
