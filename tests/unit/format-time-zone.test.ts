// The page's clocks and dates (lib/i18n/format.ts) are in the township's zone,
// whatever zone the browser — here the test process — is in. The process runs
// in New York for this file, so a formatter that fell back to the process's
// zone would print 11:00:05 where the township reads 00:00:05 the next day.
// (Under Stryker's worker threads the zone cannot be changed and stays
// Asia/Shanghai; the UTC and Los Angeles cases still catch such a formatter.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatDateTime, formatTimestamp } from '@/lib/i18n/format';

/** 2026-11-26T16:00:05Z: five seconds past midnight on Friday 27 November in Asia/Shanghai. */
const T = 1_795_708_805_000;
const ISO = '2026-11-26T16:00:05.000Z';

const before = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (before === undefined) delete process.env.TZ;
  else process.env.TZ = before;
});

describe('formatting in the township zone, not the process zone (TZ=America/New_York)', () => {
  it('reads the clock in the zone it is given', () => {
    expect(new Date(T).toISOString()).toBe(ISO);
    expect(formatClock(T, 'zh', 'Asia/Shanghai')).toBe('00:00:05');
    expect(formatClock(T, 'zh', 'UTC')).toBe('16:00:05');
    expect(formatClock(T, 'zh', 'America/Los_Angeles')).toBe('08:00:05');
  });

  it('shows midnight as 00, not 24, in English too', () => {
    expect(formatClock(T, 'en', 'Asia/Shanghai')).toBe('00:00:05');
    expect(formatDateTime(ISO, 'en', 'Asia/Shanghai')).toBe('11/27, 00:00:05');
  });

  it("dates the instant by the zone's calendar: Friday the 27th in Shanghai, Thursday the 26th in UTC", () => {
    expect(formatDate(T, 'zh', 'Asia/Shanghai')).toBe('2026/11/27周五');
    expect(formatDate(T, 'zh', 'UTC')).toBe('2026/11/26周四');
    expect(formatDate(T, 'en', 'Asia/Shanghai')).toBe('Fri, 11/27/2026');
    expect(formatDate(T, 'en', 'UTC')).toBe('Thu, 11/26/2026');
  });

  it('formats date-times and full timestamps in the zone', () => {
    expect(formatDateTime(ISO, 'zh', 'Asia/Shanghai')).toBe('11/27 00:00:05');
    expect(formatDateTime(ISO, 'zh', 'UTC')).toBe('11/26 16:00:05');
    expect(formatTimestamp(ISO, 'zh', 'Asia/Shanghai')).toBe('2026/11/27 00:00:05');
    expect(formatTimestamp(ISO, 'zh', 'UTC')).toBe('2026/11/26 16:00:05');
    expect(formatTimestamp(ISO, 'en', 'Asia/Shanghai')).toBe('11/27/2026, 00:00:05');
  });

  it('keeps one formatter per zone: a second zone does not change the first one’s answers', () => {
    expect(formatClock(T, 'zh', 'Asia/Kathmandu')).toBe('21:45:05');
    expect(formatClock(T, 'zh', 'Asia/Shanghai')).toBe('00:00:05');
  });
});
