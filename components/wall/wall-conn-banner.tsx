'use client';
// "Connection lost since hh:mm": shown the moment the socket drops
// (LiveView.lostSince), gone once it is back; the map's live layers are dimmed
// meanwhile (MapView dimLive). The time is the township's.
import { useI18n } from '@/lib/i18n/i18n-provider';
import { formatHourMinute } from './wall-format';

export interface WallConnBannerProps {
  /** Server-corrected epoch ms at which the connection was seen going down. */
  lostAt: number;
  timeZone: string;
}

export function WallConnBanner({ lostAt, timeZone }: WallConnBannerProps) {
  const { t, lang } = useI18n();
  return (
    <div className="wall-conn-banner" data-testid="wall-conn-banner" role="alert" data-lost-at={lostAt}>
      {t('wall.conn.lost', { time: formatHourMinute(lostAt, lang, timeZone) })}
    </div>
  );
}
