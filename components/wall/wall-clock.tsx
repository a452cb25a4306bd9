'use client';
// The wall clock and date in the township's zone. Its own small component on
// the shared one-second ticker, so only it renders each second; the text it
// writes changes once a minute (hh:mm), and React leaves the DOM alone in
// between, so the browser has nothing to lay out or paint.
import { memo } from 'react';
import { useNow } from '@/lib/hooks/use-now';
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
  const clientNow = useNow();
  if (clientNow === null) return <div className="wall-clock" />;
  // Floored to the minute so the attributes, like the text, change once a minute.
  const now = Math.floor((clientNow + clockOffsetMs) / 60_000) * 60_000;
  return (
    <div className="wall-clock">
      <time className="wall-clock-time" data-testid="wall-clock" dateTime={new Date(now).toISOString()} data-time-zone={timeZone}>
        {formatHourMinute(now, lang, timeZone)}
      </time>
      <span className="wall-clock-date">{formatLongDate(now, lang, timeZone)}</span>
    </div>
  );
});
