'use client';
// Pick mode: the strip over the map while a report looks for its place.
// Click the map (or a key location on it), or type a grid code / location
// name and choose a suggestion (arrows + Enter). Esc cancels (the page listens).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GridCollection, KeyLocation } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { searchPlaces, type Place } from './place-search';

export interface PlacePickerProps {
  grids: GridCollection | undefined;
  keyLocations: readonly KeyLocation[] | undefined;
  onPick(place: Place): void;
  onCancel(): void;
}

export function PlacePicker({ grids, keyLocations, onPick, onCancel }: PlacePickerProps) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const suggestions = useMemo(() => searchPlaces(query, grids, keyLocations, lang), [query, grids, keyLocations, lang]);
  const current = Math.min(active, Math.max(0, suggestions.length - 1));
  // The strip exists only while picking: focus goes straight to the search box, so typing works at once.
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + suggestions.length) % Math.max(1, suggestions.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const place = suggestions[current];
      if (place) onPick(place);
    }
  };

  return (
    <div className="pick-banner" data-testid="pick-banner" role="dialog" aria-label={t('pick.title')}>
      <div className="pick-banner-head">
        <span className="pick-banner-icon" aria-hidden="true" />
        <div className="pick-banner-text">
          <strong>{t('pick.title')}</strong>
          <span className="muted">{t('pick.hint')}</span>
        </div>
        <button type="button" className="action-button" data-testid="pick-cancel" onClick={onCancel}>
          {t('pick.cancel')}
        </button>
      </div>
      <div className="pick-search">
        <input
          type="search"
          ref={inputRef}
          value={query}
          placeholder={t('pick.search')}
          aria-label={t('pick.search')}
          data-testid="place-search"
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls="place-suggestions"
          aria-autocomplete="list"
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        {query.trim() !== '' && (
          <ul id="place-suggestions" className="pick-suggestions" role="listbox">
            {suggestions.length === 0 && <li className="muted pick-none">{t('pick.noMatch')}</li>}
            {suggestions.map((p, i) => (
              <li key={`${p.kind}-${p.id}`} role="option" aria-selected={i === current}>
                <button
                  type="button"
                  className={`pick-suggestion ${i === current ? 'pick-suggestion--active' : ''}`}
                  data-testid="place-suggestion"
                  data-kind={p.kind}
                  data-id={p.id ?? undefined}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => onPick(p)}
                >
                  <span className="kind-tag">{t(p.kind === 'grid' ? 'pick.kind.grid' : 'pick.kind.keyLocation')}</span>
                  <span className="detail-link-text">{p.label}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
