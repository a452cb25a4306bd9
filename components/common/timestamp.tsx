'use client';
// A point in time as people read it: the township's date-time on screen (useI18n().timeZone), UTC in the tooltip.
import { formatTimestamp } from '@/lib/i18n/format';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** "2024-05-01 08:30:00 UTC" from an ISO string; the input back when it does not parse. */
export function utcLabel(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function Timestamp({ iso, empty }: { iso: string | null; empty?: string }) {
  const { t, lang, timeZone } = useI18n();
  if (iso === null) return <span className="muted">{empty ?? t('common.none')}</span>;
  return (
    <time className="mono" dateTime={iso} title={utcLabel(iso)}>
      {Number.isNaN(Date.parse(iso)) ? iso : formatTimestamp(iso, lang, timeZone)}
    </time>
  );
}
