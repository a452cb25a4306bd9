// Township time: "today", the start of the day and the hour of day are the
// township's, whatever the server's TZ. CI runs the unit suite under
// TZ=Asia/Shanghai and TZ=UTC; every case below is answered in a zone given as
// an argument, and the cases span zones on both sides of UTC, so an
// implementation that used UTC or the server's zone fails under either TZ.
// Instants are written as UTC ISO strings; the local reading is in the comment.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  firstOfMonth,
  isDay,
  isoWeekday,
  isTownshipToday,
  startOfTownshipDay,
  townshipDay,
  townshipDayStart,
  townshipHour,
} from '../../lib/model/township-time';

const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);

describe('"today" in the township (Asia/Shanghai, UTC+8)', () => {
  // Reported at 07:30 local on 1 March 2026, which is 23:30 UTC on 28 February.
  const incident = at('2026-02-28T23:30:00Z');

  it('an incident at 07:30 local on the 1st is today on the 1st, though it is the 28th in UTC', () => {
    expect(townshipDay(incident, SHANGHAI)).toBe('2026-03-01');
    // 12:00 local on the 1st.
    expect(isTownshipToday(incident, at('2026-03-01T04:00:00Z'), SHANGHAI)).toBe(true);
    // 04:00 local on the 1st: still the 28th in UTC, and the same township day as the incident.
    expect(isTownshipToday(incident, at('2026-02-28T20:00:00Z'), SHANGHAI)).toBe(true);
    // 23:59:59.999 local on the 1st, the last instant of that day.
    expect(isTownshipToday(incident, at('2026-03-01T15:59:59.999Z'), SHANGHAI)).toBe(true);
  });

  it('is not today on the 2nd, nor on the evening of the 28th, though UTC would say so', () => {
    // 00:00 local on the 2nd.
    expect(isTownshipToday(incident, at('2026-03-01T16:00:00Z'), SHANGHAI)).toBe(false);
    // 23:59 local on the 28th: the 28th in UTC too, like the incident, but the day before in the township.
    expect(isTownshipToday(incident, at('2026-02-28T15:59:00Z'), SHANGHAI)).toBe(false);
  });

  it('takes Dates as well as epoch milliseconds', () => {
    expect(isTownshipToday(new Date(incident), new Date('2026-03-01T04:00:00Z'), SHANGHAI)).toBe(true);
    expect(townshipDay(new Date(incident), SHANGHAI)).toBe('2026-03-01');
    expect(townshipHour(new Date(incident), SHANGHAI)).toBe(7);
    expect(startOfTownshipDay(new Date(incident), SHANGHAI)).toEqual(new Date('2026-02-28T16:00:00.000Z'));
  });

  it('the hour of day is the local one: 07 for the incident, 23 in UTC', () => {
    expect(townshipHour(incident, SHANGHAI)).toBe(7);
    expect(townshipHour(incident, 'UTC')).toBe(23);
    // Local midnight is hour 0, not 24.
    expect(townshipHour(at('2026-03-01T16:00:00Z'), SHANGHAI)).toBe(0);
    expect(townshipHour(at('2026-03-01T15:59:59.999Z'), SHANGHAI)).toBe(23);
  });

  it('the day starts at local midnight, 16:00 UTC the day before', () => {
    expect(startOfTownshipDay(incident, SHANGHAI).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(startOfTownshipDay(at('2026-02-28T16:00:00.000Z'), SHANGHAI).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(startOfTownshipDay(at('2026-02-28T15:59:59.999Z'), SHANGHAI).toISOString()).toBe('2026-02-27T16:00:00.000Z');
    expect(townshipDayStart('2026-03-01', SHANGHAI).toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('the day boundary is exact to the millisecond', () => {
    expect(townshipDay(at('2026-02-28T15:59:59.999Z'), SHANGHAI)).toBe('2026-02-28');
    expect(townshipDay(at('2026-02-28T16:00:00.000Z'), SHANGHAI)).toBe('2026-03-01');
  });
});

describe('the zone is the argument, not the server', () => {
  const instant = at('2026-02-28T23:30:00Z');

  it('gives each zone its own day and hour for the same instant', () => {
    expect(townshipDay(instant, 'UTC')).toBe('2026-02-28');
    expect(townshipDay(instant, 'America/Los_Angeles')).toBe('2026-02-28');
    expect(townshipHour(instant, 'America/Los_Angeles')).toBe(15);
    // UTC+5:45.
    expect(townshipDay(instant, 'Asia/Kathmandu')).toBe('2026-03-01');
    expect(townshipHour(instant, 'Asia/Kathmandu')).toBe(5);
    // UTC+14 and UTC-12, the two ends.
    expect(townshipDay(at('2026-03-01T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-03-02');
    expect(townshipDay(at('2026-03-01T11:59:59Z'), 'Etc/GMT+12')).toBe('2026-02-28');
  });

  it('finds local midnight in zones on both sides of UTC, and at the two ends', () => {
    expect(townshipDayStart('2026-03-01', 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(townshipDayStart('2026-03-02', 'Asia/Kathmandu').toISOString()).toBe('2026-03-01T18:15:00.000Z');
    expect(townshipDayStart('2026-03-02', 'Pacific/Kiritimati').toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(townshipDayStart('2026-03-02', 'Etc/GMT+12').toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('is "today" by the zone given: the same two instants are one day in one zone and two in another', () => {
    // 15:00 and 16:30 UTC on the 28th: both the 28th in UTC; 23:00 on the 28th and 00:30 on the 1st in Shanghai.
    const a = at('2026-02-28T15:00:00Z');
    const b = at('2026-02-28T16:30:00Z');
    expect(isTownshipToday(a, b, 'UTC')).toBe(true);
    expect(isTownshipToday(a, b, SHANGHAI)).toBe(false);
  });

  it('follows daylight saving: a day of 23 hours and one of 25 (America/Los_Angeles, 2026)', () => {
    // Clocks go forward on 8 March at 02:00 and back on 1 November at 02:00.
    expect(townshipDayStart('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(townshipDayStart('2026-03-09', 'America/Los_Angeles').toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(townshipDayStart('2026-11-01', 'America/Los_Angeles').toISOString()).toBe('2026-11-01T07:00:00.000Z');
    expect(townshipDayStart('2026-11-02', 'America/Los_Angeles').toISOString()).toBe('2026-11-02T08:00:00.000Z');
    // 12:00 PDT on 8 March.
    expect(startOfTownshipDay(at('2026-03-08T19:00:00Z'), 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
  });

  it('starts a day whose midnight does not exist at the jump (America/Havana, 8 March 2026: 00:00 → 01:00)', () => {
    expect(townshipDayStart('2026-03-08', 'America/Havana').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(townshipDay(at('2026-03-08T04:59:59.999Z'), 'America/Havana')).toBe('2026-03-07');
    expect(townshipHour(at('2026-03-08T05:00:00Z'), 'America/Havana')).toBe(1);
  });

  it('starts a day whose midnight happens twice at the first one (America/Havana, 1 November 2026: 01:00 → 00:00)', () => {
    expect(townshipDayStart('2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('handles instants before 1970 and years before 1000', () => {
    expect(townshipDay(-1, 'UTC')).toBe('1969-12-31');
    expect(townshipDayStart('1970-01-01', SHANGHAI).getTime()).toBe(-28_800_000);
    expect(startOfTownshipDay(-28_799_500, SHANGHAI).getTime()).toBe(-28_800_000);
    expect(townshipDay(at('0999-06-15T12:00:00Z'), 'UTC')).toBe('0999-06-15');
  });
});

describe('bad input', () => {
  it('refuses an invalid instant, a malformed day and an unknown zone with a RangeError', () => {
    expect(() => townshipDay(Number.NaN, SHANGHAI)).toThrow(/not a time/);
    expect(() => townshipDay(new Date('soon'), SHANGHAI)).toThrow(/not a time/);
    expect(() => townshipHour(Number.POSITIVE_INFINITY, SHANGHAI)).toThrow(/not a time/);
    expect(() => townshipDayStart('2026-3-1', SHANGHAI)).toThrow(/not a day \(YYYY-MM-DD\): 2026-3-1/);
    expect(() => townshipDayStart(' 2026-03-01', SHANGHAI)).toThrow(RangeError);
    expect(() => townshipDayStart('2026-03-01x', SHANGHAI)).toThrow(RangeError);
    expect(() => townshipDay(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('calendar days on their own (the briefing, the heatmap and patrol plans share them)', () => {
  it('counts days across month, year and leap-day ends, every year as written', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-03-10', '2025-03-01')).toBe(-9);
    // Not 1999: a year below 100 stays itself.
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    expect([isoWeekday('2025-06-30'), isoWeekday('2025-06-01')]).toEqual([1, 7]);
  });

  it('gives the first of a month some months on, back across a year end too', () => {
    expect(firstOfMonth('2025-06-30')).toBe('2025-06-01');
    expect(firstOfMonth('2025-12-15', 1)).toBe('2026-01-01');
    expect(firstOfMonth('2025-01-31', -1)).toBe('2024-12-01');
    expect(firstOfMonth('2025-02-01', -14)).toBe('2023-12-01');
    expect(firstOfMonth('2024-01-01', 12)).toBe('2025-01-01');
  });

  it('refuses what is not a calendar day', () => {
    expect([isDay('2025-02-29'), isDay('2024-02-29'), isDay('2025-13-01'), isDay('2025-6-01')]).toEqual([false, true, false, false]);
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });
});
