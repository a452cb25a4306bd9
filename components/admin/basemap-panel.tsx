'use client';
// The basemap (issue 12), for administrators: which PMTiles archive the map
// draws under its own layers (type, zooms, bounds, size, who uploaded it and
// when), a new one uploaded with progress, or the archive removed to go back
// to the built-in township style. The server checks the file; its refusal is
// shown as it says it.
import { useState, type FormEvent } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { LoadState } from '@/components/common/load-state';
import { fetcher, send } from '@/lib/hooks/fetcher';
import { formatNumber, formatTimestamp } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { BasemapArchiveDetails } from '@/lib/model';
import { uploadBasemap } from './basemap-upload';

const DETAILS_KEY = '/api/admin/basemap';
/** The map's snapshot names the archive: dropped after a change, so the next map page reads it again. */
const MAP_KEY = '/api/basemap';
const MIB = 1024 * 1024;

type Busy = { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'removing' };

function ArchiveDetails({ archive }: { archive: BasemapArchiveDetails }) {
  const { t, lang, timeZone } = useI18n();
  const degrees = (n: number) => formatNumber(n, lang, 4);
  const [west, south, east, north] = archive.bounds;
  const rows: [key: string, label: string, value: string][] = [
    ['type', t('basemap.field.type'), t(`basemap.type.${archive.tileType}`)],
    ['zooms', t('basemap.field.zooms'), `${archive.minZoom}–${archive.maxZoom}`],
    ['bounds', t('basemap.field.bounds'), `${degrees(west)}, ${degrees(south)} — ${degrees(east)}, ${degrees(north)}`],
    ['size', t('basemap.field.size'), `${formatNumber(archive.sizeBytes / MIB, lang, 1)} MiB`],
    ['file', t('basemap.field.file'), archive.originalName ?? t('common.none')],
    ['uploaded', t('basemap.field.uploaded'), `${formatTimestamp(archive.uploadedAt, lang, timeZone)} · ${archive.uploadedBy}`],
  ];
  if (archive.tileType === 'mvt') rows.splice(2, 0, ['layers', t('basemap.field.layers'), archive.vectorLayers.join(', ') || t('common.none')]);
  return (
    <dl className="detail-list" data-testid="basemap-current">
      {rows.map(([key, label, value]) => (
        <div className="detail-row" key={key}>
          <dt>{label}</dt>
          <dd data-testid={`basemap-detail-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function BasemapPanel() {
  const { t } = useI18n();
  const { mutate } = useSWRConfig();
  const details = useSWR<{ archive: BasemapArchiveDetails | null }, Error>(DETAILS_KEY, fetcher);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<Busy>({ kind: 'idle' });
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new file input after each upload, so the same file can be chosen again.
  const [inputKey, setInputKey] = useState(0);

  const changed = async (archive: BasemapArchiveDetails | null) => {
    await details.mutate({ archive }, { revalidate: false });
    await mutate(MAP_KEY, undefined, { revalidate: true });
  };

  async function onUpload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) {
      setError(t('basemap.upload.noFile'));
      return;
    }
    setError(null);
    setNotice(null);
    setBusy({ kind: 'uploading', fraction: 0 });
    try {
      const archive = await uploadBasemap(file, (fraction) => setBusy({ kind: 'uploading', fraction }));
      await changed(archive);
      setNotice(t('basemap.upload.done'));
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy({ kind: 'idle' });
    }
  }

  async function onRemove() {
    setError(null);
    setNotice(null);
    setConfirming(false);
    setBusy({ kind: 'removing' });
    try {
      await send('DELETE', DETAILS_KEY);
      await changed(null);
      setNotice(t('basemap.removed'));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy({ kind: 'idle' });
    }
  }

  const archive = details.data?.archive;
  const percent = busy.kind === 'uploading' ? Math.round(busy.fraction * 100) : 0;
  return (
    <div className="admin-section basemap-panel" data-testid="basemap-panel">
      <h3 className="section-title">{t('basemap.current')}</h3>
      <LoadState loading={details.data === undefined} error={details.error} />
      {archive === null && (
        <p className="empty-state" data-testid="basemap-none">
          {t('basemap.none')}
        </p>
      )}
      {archive && (
        <>
          <ArchiveDetails archive={archive} />
          <div className="filter-actions">
            {confirming ? (
              <>
                <button type="button" className="action-button action-button--danger" data-testid="basemap-remove-confirm" onClick={() => void onRemove()}>
                  {t('basemap.remove.confirm')}
                </button>
                <button type="button" className="action-button" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="action-button" data-testid="basemap-remove" disabled={busy.kind !== 'idle'} onClick={() => setConfirming(true)}>
                {t('basemap.remove')}
              </button>
            )}
          </div>
        </>
      )}

      <form className="create-form" data-testid="basemap-form" onSubmit={(e) => void onUpload(e)} aria-busy={busy.kind === 'uploading'}>
        <h3 className="section-title">{t('basemap.upload.title')}</h3>
        <p className="field-note">{t('basemap.upload.hint')}</p>
        <fieldset className="create-form-fields" disabled={busy.kind !== 'idle'}>
          <label className="field">
            <span className="field-label">{t('basemap.upload.file')}</span>
            <input key={inputKey} type="file" accept=".pmtiles" data-testid="basemap-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="submit" className="action-button action-button--primary" data-testid="basemap-upload">
            {t('basemap.upload.submit')}
          </button>
        </fieldset>
        {busy.kind === 'uploading' && (
          <p className="field-note" data-testid="basemap-progress" role="status">
            <progress max={100} value={percent} /> {percent < 100 ? t('basemap.upload.progress', { percent }) : t('basemap.upload.checking')}
          </p>
        )}
      </form>
      {notice && (
        <p className="field-note" role="status" data-testid="basemap-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="basemap-error">
          {error}
        </p>
      )}
    </div>
  );
}
