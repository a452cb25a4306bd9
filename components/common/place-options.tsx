'use client';
// The <option>s of a grid cell or village select: "code · name" in the page's
// language, by id. Used by every form and filter that picks a place.
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';

export interface PlaceOption {
  id: number;
  code: string;
  name: string;
  nameEn: string;
}

export function PlaceOptions({ places, withCode = true }: { places: readonly PlaceOption[]; withCode?: boolean }) {
  const { lang } = useI18n();
  return places.map((p) => (
    <option key={p.id} value={p.id}>
      {withCode ? `${p.code} · ${localName(p, lang)}` : localName(p, lang)}
    </option>
  ));
}
