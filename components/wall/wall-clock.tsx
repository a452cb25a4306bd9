'use client';
// The wall clock and date in the township's zone. Its own small component on
// a ticker of the server clock's minutes, so it renders once a minute, when
// the text it writes (hh:mm) changes, and not every second.
import { memo } from 'react';
import { useCoarseNow } from '@/lib/hooks/use-coarse-now';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { formatHourMinute, formatLongDate } from './wall-format';

export interface WallClockProps {
  /** The township's IANA zone. */
  timeZone: string;
  /** serverTime − client time (LiveView.clockOffsetMs): the clock shows the server's time, not the kiosk's. */
  clockOffsetMs: number;
}

export const WallClock = memo(function WallClock({ timeZone, clockOffsetMs }: WallClockProps) {
  const { lang } = useI18n();
  // The server clock's minutes: it renders once a minute, when hh:mm turns over.
  const clientNow = useCoarseNow(60_000, clockOffsetMs);
  if (clientNow === null) return <div className="wall-clock" />;
  const now = Math.round((clientNow + clockOffsetMs) / 60_000) * 60_000;
  return (
    <div className="wall-clock">
      <time className="wall-clock-time" data-testid="wall-clock" dateTime={new Date(now).toISOString()} data-time-zone={timeZone}>
        {formatHourMinute(now, lang, timeZone)}
      </time>
      <span className="wall-clock-date">{formatLongDate(now, lang, timeZone)}</span>
    </div>
  );
});
