// When patrol plans happen (issue 14): one-off days, daily, weekdays, market
// days and date ranges, in the township's calendar; windows crossing midnight
// and month and year ends. Every case passes its zone as an argument and the
// expected instants are written out in UTC with the local reading beside
// them, so the file passes under any server TZ (run it under TZ=UTC and
// TZ=America/New_York: the same results).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanRecurrence, PlanWindow } from '../../lib/model';
import { townshipDay } from '../../lib/model/township-time';
import {
  addDays,
  crossesMidnight,
  firstOverlap,
  isDay,
  isoWeekday,
  occurrenceOn,
  occurrencesBetween,
  occursOn,
  parseClock,
  parseMarketDays,
  windowMinutes,
  windowWithin,
} from '../../lib/plans/recurrence';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const SUNDAYS = parseMarketDays('sun');
const MORNING: PlanWindow = { start: '08:00', end: '12:00' };
const NIGHT: PlanWindow = { start: '18:00', end: '02:00' };
const daily = (from: string | null = null, until: string | null = null): PlanRecurrence => ({ repeat: 'daily', from, until });
const days = (rec: PlanRecurrence, from: string, to: string, market = SUNDAYS) =>
  occurrencesBetween({ recurrence: rec, window: MORNING }, from, to, SHANGHAI, market).map((o) => o.day);

describe('market days setting', () => {
  it('reads weekday names and days of the month, in any case and order, without repeats', () => {
    expect(parseMarketDays('sun')).toEqual({ weekdays: [7], monthDays: [] });
    expect(parseMarketDays(' 21, Sat ,1,11, 1')).toEqual({ weekdays: [6], monthDays: [1, 11, 21] });
  });

  it('refuses what is neither, naming it', () => {
    expect(() => parseMarketDays('sunday')).toThrow(/"sunday"/);
    expect(() => parseMarketDays('0')).toThrow(/"0"/);
    expect(() => parseMarketDays('32')).toThrow(/"32"/);
    expect(() => parseMarketDays(' , ')).toThrow(/no market days/);
  });
});

describe('the calendar', () => {
  it('knows weekdays of the day itself (1 Monday … 7 Sunday) and steps across month and year ends', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(isoWeekday('2027-02-07')).toBe(7);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });

  it('accepts only real days and times of day', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2027-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59')).toBe(1439);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('8:00')).toBeNull();
  });
});

describe('which days a plan happens on', () => {
  it('a one-off plan: its day only', () => {
    expect(days({ repeat: 'once', date: '2026-12-03' }, '2026-11-30', '2026-12-06')).toEqual(['2026-12-03']);
  });

  it('daily, in a date range that crosses a month end: every day of it, both ends included', () => {
    expect(days(daily('2027-01-30', '2027-02-02'), '2027-01-25', '2027-02-10')).toEqual(['2027-01-30', '2027-01-31', '2027-02-01', '2027-02-02']);
  });

  it('weekdays: Monday to Friday', () => {
    expect(days({ repeat: 'weekdays', from: null, until: null }, '2026-11-30', '2026-12-06')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
  });

  it('market days on Sundays (the demo default)', () => {
    expect(days({ repeat: 'market_days', from: null, until: null }, '2026-11-30', '2026-12-20')).toEqual(['2026-12-06', '2026-12-13', '2026-12-20']);
  });

  it('market days on days of the month: the 30th is skipped in February, and a range (the herb season) bounds them', () => {
    const market = parseMarketDays('10,20,30');
    expect(days({ repeat: 'market_days', from: null, until: null }, '2027-01-25', '2027-03-12', market)).toEqual([
      '2027-01-30',
      '2027-02-10',
      '2027-02-20',
      '2027-03-10',
    ]);
    // Herb season May–July: its market days only.
    expect(days({ repeat: 'market_days', from: '2026-05-01', until: '2026-07-31' }, '2026-04-01', '2026-08-31', market)).toEqual([
      '2026-05-10',
      '2026-05-20',
      '2026-05-30',
      '2026-06-10',
      '2026-06-20',
      '2026-06-30',
      '2026-07-10',
      '2026-07-20',
      '2026-07-30',
    ]);
  });

  it('weekdays of the herb season, which starts on a Friday', () => {
    expect(days({ repeat: 'weekdays', from: '2026-05-01', until: null }, '2026-04-28', '2026-05-05')).toEqual(['2026-05-01', '2026-05-04', '2026-05-05']);
  });
});

describe('windows in the township time zone', () => {
  it('turns a day and a window into instants in the township zone, whatever the server zone', () => {
    // 08:00–12:00 in Shanghai (UTC+8) on 1 July is 00:00–04:00 UTC.
    expect(occurrenceOn('2026-07-01', MORNING, SHANGHAI)).toEqual({ day: '2026-07-01', start: '2026-07-01T00:00:00.000Z', end: '2026-07-01T04:00:00.000Z' });
    // The same plan in New York (EDT, UTC−4) is 12:00–16:00 UTC.
    expect(occurrenceOn('2026-07-01', MORNING, NEW_YORK)).toEqual({ day: '2026-07-01', start: '2026-07-01T12:00:00.000Z', end: '2026-07-01T16:00:00.000Z' });
  });

  it('a window across midnight ends on the next day, across a year end too', () => {
    expect(crossesMidnight(NIGHT)).toBe(true);
    expect(windowMinutes(NIGHT)).toBe(480);
    // 18:00 on 31 December to 02:00 on 1 January, Shanghai.
    expect(occurrenceOn('2026-12-31', NIGHT, SHANGHAI)).toEqual({ day: '2026-12-31', start: '2026-12-31T10:00:00.000Z', end: '2026-12-31T18:00:00.000Z' });
    // 22:00 on 28 February 2027 to 01:00 on 1 March.
    expect(occurrenceOn('2027-02-28', { start: '22:00', end: '01:00' }, SHANGHAI)).toEqual({
      day: '2027-02-28',
      start: '2027-02-28T14:00:00.000Z',
      end: '2027-02-28T17:00:00.000Z',
    });
  });

  it('a night in New York when the clocks go forward is an hour shorter', () => {
    // 8 March 2026: 01:00 EST (06:00 UTC) to 04:00 EDT (08:00 UTC).
    expect(occurrenceOn('2026-03-08', { start: '01:00', end: '04:00' }, NEW_YORK)).toEqual({
      day: '2026-03-08',
      start: '2026-03-08T06:00:00.000Z',
      end: '2026-03-08T08:00:00.000Z',
    });
  });

  it('an occurrence is listed on the day it starts, not the day its night runs into', () => {
    const list = occurrencesBetween({ recurrence: { repeat: 'once', date: '2026-12-31' }, window: NIGHT }, '2027-01-01', '2027-01-01', SHANGHAI, SUNDAYS);
    expect(list).toEqual([]);
  });

  // The whole class at once: every repeat kind, a night window crossing
  // midnight, a month end, and the night New York's clocks go back (1 November
  // 2026, 02:00 EDT → 01:00 EST): 18:00 EDT on Saturday 31 October to 02:00
  // EST on Sunday 1 November is nine hours. Before it UTC−4, after it UTC−5.
  it.each([
    ['once', { repeat: 'once', date: '2026-10-31' }, ['2026-10-31']],
    ['daily', daily('2026-10-30', '2026-11-02'), ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']],
    // 30 October is a Friday, 2 November a Monday.
    ['weekdays', { repeat: 'weekdays', from: null, until: null }, ['2026-10-29', '2026-10-30', '2026-11-02', '2026-11-03']],
    // Market on Saturdays and on the 1st of the month.
    ['market_days', { repeat: 'market_days', from: null, until: null }, ['2026-10-31', '2026-11-01']],
  ] as [string, PlanRecurrence, string[]][])('%s: a night across a month end and a daylight-saving change, in New York', (_kind, recurrence, expected) => {
    const nights: Record<string, { start: string; end: string }> = {
      '2026-10-29': { start: '2026-10-29T22:00:00.000Z', end: '2026-10-30T06:00:00.000Z' },
      '2026-10-30': { start: '2026-10-30T22:00:00.000Z', end: '2026-10-31T06:00:00.000Z' },
      '2026-10-31': { start: '2026-10-31T22:00:00.000Z', end: '2026-11-01T07:00:00.000Z' },
      '2026-11-01': { start: '2026-11-01T23:00:00.000Z', end: '2026-11-02T07:00:00.000Z' },
      '2026-11-02': { start: '2026-11-02T23:00:00.000Z', end: '2026-11-03T07:00:00.000Z' },
      '2026-11-03': { start: '2026-11-03T23:00:00.000Z', end: '2026-11-04T07:00:00.000Z' },
    };
    const list = occurrencesBetween({ recurrence, window: NIGHT }, '2026-10-29', '2026-11-03', NEW_YORK, parseMarketDays('sat,1'));
    expect(list).toEqual(expected.map((day) => ({ day, ...nights[day] })));
    // Listed from the day after a night began: that night is not there.
    expect(occurrencesBetween({ recurrence, window: NIGHT }, '2026-11-01', '2026-11-01', NEW_YORK, parseMarketDays('sat,1')).map((o) => o.day)).toEqual(
      expected.filter((d) => d === '2026-11-01'),
    );
  });

  it('a frequency window lies within its plan window, midnight crossed or not', () => {
    expect(windowWithin({ start: '19:00', end: '01:00' }, NIGHT)).toBe(true);
    expect(windowWithin(NIGHT, NIGHT)).toBe(true);
    expect(windowWithin({ start: '20:00', end: '22:00' }, NIGHT)).toBe(true);
    expect(windowWithin({ start: '01:00', end: '03:00' }, NIGHT)).toBe(false);
    expect(windowWithin({ start: '17:00', end: '19:00' }, NIGHT)).toBe(false);
    expect(windowWithin({ start: '09:00', end: '11:00' }, MORNING)).toBe(true);
    expect(windowWithin({ start: '11:00', end: '09:00' }, MORNING)).toBe(false);
  });
});

describe('two plans overlapping', () => {
  const opts = { today: '2026-12-01', tz: SHANGHAI, market: SUNDAYS, horizonDays: 371 };

  it('daily mornings and weekday late mornings clash on the first day both happen', () => {
    const clash = firstOverlap({ recurrence: daily(), window: MORNING }, { recurrence: { repeat: 'weekdays', from: '2026-12-05', until: null }, window: { start: '11:00', end: '13:00' } }, opts);
    // 5 December is a Saturday: the first weekday is Monday the 7th.
    expect(clash?.a.day).toBe('2026-12-07');
    expect(clash?.b.day).toBe('2026-12-07');
  });

  it('a night patrol clashes with a one-off early the next morning', () => {
    const clash = firstOverlap({ recurrence: daily(), window: NIGHT }, { recurrence: { repeat: 'once', date: '2027-01-01' }, window: { start: '01:00', end: '03:00' } }, opts);
    expect(clash?.a.day).toBe('2026-12-31');
    expect(clash?.b.day).toBe('2027-01-01');
  });

  it('a one-off night clashes with a one-off early on the next day (found in Chromium: the spans are a day apart)', () => {
    const night = { recurrence: { repeat: 'once', date: '2031-01-15' } as PlanRecurrence, window: NIGHT };
    const early = { recurrence: { repeat: 'once', date: '2031-01-16' } as PlanRecurrence, window: { start: '01:00', end: '03:00' } };
    expect(firstOverlap(early, night, opts)).toEqual({
      a: { day: '2031-01-16', start: '2031-01-15T17:00:00.000Z', end: '2031-01-15T19:00:00.000Z' },
      b: { day: '2031-01-15', start: '2031-01-15T10:00:00.000Z', end: '2031-01-15T18:00:00.000Z' },
    });
    expect(firstOverlap(night, early, opts)?.a.day).toBe('2031-01-15');
    // The same night ending at 01:00 only touches the early one.
    expect(firstOverlap(early, { ...night, window: { start: '18:00', end: '01:00' } }, opts)).toBeNull();
  });

  it('windows that only touch, Sundays against weekdays, and ranges that do not meet never clash', () => {
    expect(firstOverlap({ recurrence: daily(), window: MORNING }, { recurrence: daily(), window: { start: '12:00', end: '14:00' } }, opts)).toBeNull();
    const sundays: PlanRecurrence = { repeat: 'market_days', from: null, until: null };
    expect(firstOverlap({ recurrence: sundays, window: MORNING }, { recurrence: { repeat: 'weekdays', from: null, until: null }, window: MORNING }, opts)).toBeNull();
    expect(firstOverlap({ recurrence: daily('2026-05-01', '2026-07-31'), window: MORNING }, { recurrence: { repeat: 'once', date: '2026-08-01' }, window: MORNING }, opts)).toBeNull();
  });

  it('finds a clash of market days on the 7th with weekdays months ahead, when the 7th is first a weekday', () => {
    const seventh = { ...opts, today: '2027-02-02', market: parseMarketDays('7,21') };
    // The 7th and 21st of February and March 2027 are Sundays; 7 April is a Wednesday.
    const clash = firstOverlap({ recurrence: { repeat: 'market_days', from: null, until: null }, window: MORNING }, { recurrence: { repeat: 'weekdays', from: null, until: null }, window: MORNING }, seventh);
    expect(clash?.a.day).toBe('2027-04-07');
  });
});

describe('properties', () => {
  const dayArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const clockArb = fc.integer({ min: 0, max: 1439 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const windowArb = fc.tuple(clockArb, clockArb).filter(([a, b]) => a !== b).map(([start, end]) => ({ start, end }));

  it('a daily plan happens once on every day of a range, each lasting its window (Shanghai has no daylight saving)', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 40 }), windowArb, (from, n, window) => {
        const list = occurrencesBetween({ recurrence: daily(), window }, from, addDays(from, n), SHANGHAI, SUNDAYS);
        expect(list.map((o) => o.day)).toEqual(Array.from({ length: n + 1 }, (_, i) => addDays(from, i)));
        for (const o of list) {
          expect(Date.parse(o.end) - Date.parse(o.start)).toBe(windowMinutes(window) * 60_000);
          expect(townshipDay(Date.parse(o.start), SHANGHAI)).toBe(o.day);
        }
      }),
    );
  });

  it('an occurrence starts on its own township day in New York too, daylight saving or not', () => {
    fc.assert(
      fc.property(dayArb, windowArb, (day, window) => {
        const o = occurrenceOn(day, window, NEW_YORK);
        expect(townshipDay(Date.parse(o.start), NEW_YORK)).toBe(day);
        expect(Date.parse(o.end)).toBeGreaterThan(Date.parse(o.start));
      }),
    );
  });

  it('weekdays and Sundays of any week: five and one', () => {
    fc.assert(
      fc.property(dayArb, (from) => {
        const week = Array.from({ length: 7 }, (_, i) => addDays(from, i));
        expect(week.filter((d) => occursOn({ repeat: 'weekdays', from: null, until: null }, d, SUNDAYS))).toHaveLength(5);
        expect(week.filter((d) => occursOn({ repeat: 'market_days', from: null, until: null }, d, SUNDAYS)).map(isoWeekday)).toEqual([7]);
      }),
    );
  });

  it('two one-off plans clash exactly when their occurrences overlap as instants (New York, daylight saving included)', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -2, max: 2 }), windowArb, windowArb, (day, gap, wa, wb) => {
        const a = { recurrence: { repeat: 'once' as const, date: day }, window: wa };
        const b = { recurrence: { repeat: 'once' as const, date: addDays(day, gap) }, window: wb };
        const oa = occurrenceOn(a.recurrence.date, wa, NEW_YORK);
        const ob = occurrenceOn(b.recurrence.date, wb, NEW_YORK);
        const overlaps = Date.parse(oa.start) < Date.parse(ob.end) && Date.parse(ob.start) < Date.parse(oa.end);
        expect(firstOverlap(a, b, { today: day, tz: NEW_YORK, market: SUNDAYS, horizonDays: 60 }) !== null).toBe(overlaps);
      }),
      { numRuns: 300 },
    );
  });

  it('overlap is symmetric', () => {
    const recArb: fc.Arbitrary<PlanRecurrence> = fc.oneof(
      dayArb.map((date) => ({ repeat: 'once' as const, date })),
      fc.constantFrom('daily' as const, 'weekdays' as const, 'market_days' as const).map((repeat) => ({ repeat, from: null, until: null })),
    );
    fc.assert(
      fc.property(recArb, windowArb, recArb, windowArb, (ra, wa, rb, wb) => {
        const opts = { today: '2026-12-01', tz: SHANGHAI, market: SUNDAYS, horizonDays: 60 };
        expect(firstOverlap({ recurrence: ra, window: wa }, { recurrence: rb, window: wb }, opts) === null).toBe(
          firstOverlap({ recurrence: rb, window: wb }, { recurrence: ra, window: wa }, opts) === null,
        );
      }),
      { numRuns: 60 },
    );
  });
});
