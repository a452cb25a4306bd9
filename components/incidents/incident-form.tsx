'use client';
// The short form after a place is picked: category, severity, title
// (prefilled from the category until the desk types its own), and for staff
// the narrative and the reporter's contact. Enter submits (Ctrl+Enter from the
// narrative), Esc cancels (the page listens). The API's refusal is shown here.
import { useEffect, useRef, useState } from 'react';
import { INCIDENT_CATEGORIES, SEVERITIES, type Incident, type IncidentCategory, type Severity } from '@/lib/model';
import { send } from '@/lib/hooks/fetcher';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Place } from './place-search';

export interface IncidentFormProps {
  place: Place;
  onChangePlace(): void;
  onCancel(): void;
  /** The stored incident, as the POST answered it. */
  onCreated(incident: Incident): void;
}

export function IncidentForm({ place, onChangePlace, onCancel, onCreated }: IncidentFormProps) {
  const { t } = useI18n();
  const [category, setCategory] = useState<IncidentCategory>('neighbour_dispute');
  const [severity, setSeverity] = useState<Severity>(2);
  const [title, setTitle] = useState(() => t('category.neighbour_dispute'));
  const [titleEdited, setTitleEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const firstRef = useRef<HTMLSelectElement>(null);
  useEffect(() => firstRef.current?.focus(), []);

  const pickCategory = (c: IncidentCategory) => {
    setCategory(c);
    if (!titleEdited) setTitle(t(`category.${c}`));
  };

  async function submit() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const created = await send<Incident>('POST', '/api/incidents', {
        category,
        severity,
        title: title.trim(),
        description: description.trim() || undefined,
        reporterContact: contact.trim() || undefined,
        position: place.position,
        source: 'coordinator',
      });
      onCreated(created);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  const [lon, lat] = place.position;
  return (
    <form
      ref={formRef}
      className="incident-form"
      data-testid="incident-form"
      aria-label={t('form.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        // Enter submits from anywhere in the form (a select included); a button's Enter is its own click,
        // and the narrative takes Enter for new lines (Ctrl+Enter submits there).
        const el = e.target as HTMLElement;
        if (e.key === 'Enter' && el.tagName === 'SELECT') {
          e.preventDefault();
          formRef.current?.requestSubmit();
        }
      }}
    >
      <header className="details-header">
        <div>
          <p className="details-kind">{t('form.title')}</p>
          <h2 className="details-title" data-testid="incident-form-place">
            {place.label ?? t('form.placePoint')}
          </h2>
          <p className="mono muted">
            {lon.toFixed(5)}, {lat.toFixed(5)}
          </p>
        </div>
        <button type="button" className="action-button" data-testid="incident-form-change-place" onClick={onChangePlace}>
          {t('form.changePlace')}
        </button>
      </header>

      <label className="field">
        <span className="field-label">{t('form.category')}</span>
        <select
          ref={firstRef}
          data-testid="incident-form-category"
          value={category}
          onChange={(e) => pickCategory(e.currentTarget.value as IncidentCategory)}
        >
          {INCIDENT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
      </label>

      <div className="field">
        <span className="field-label">{t('form.severity')}</span>
        <div className="segmented segmented--4" role="group" aria-label={t('form.severity')} data-testid="incident-form-severity">
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={s === severity}
              data-testid={`incident-form-severity-${s}`}
              onClick={() => setSeverity(s)}
            >
              {t(`severity.${s}`)}
            </button>
          ))}
        </div>
      </div>

      <label className="field">
        <span className="field-label">{t('form.titleField')}</span>
        <input
          data-testid="incident-form-title"
          value={title}
          maxLength={120}
          required
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            setTitleEdited(true);
          }}
        />
      </label>

      <label className="field">
        <span className="field-label">
          {t('form.description')} <span className="tag">{t('form.staffOnly')}</span>
        </span>
        <textarea
          data-testid="incident-form-description"
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              formRef.current?.requestSubmit();
            }
          }}
        />
      </label>

      <label className="field">
        <span className="field-label">
          {t('form.contact')} <span className="tag">{t('form.staffOnly')}</span>
        </span>
        <input data-testid="incident-form-contact" maxLength={120} value={contact} onChange={(e) => setContact(e.currentTarget.value)} />
      </label>

      {error && (
        <p className="form-error" role="alert" data-testid="incident-form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="action-button action-button--primary" data-testid="incident-form-submit" disabled={busy}>
          {busy ? t('form.busy') : t('form.submit')}
        </button>
        <button type="button" className="action-button" data-testid="incident-form-cancel" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
      <p className="field-note">{t('form.textareaHint')}</p>
    </form>
  );
}
