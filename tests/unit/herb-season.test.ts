// TOWNSHIP_HERB_SEASON: months and ranges (wrapping the year end) read to a
// sorted list of months, a bad value refused at start-up naming the setting
// and the item; the demo planner's season follows it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config';
import { DEFAULT_HERB_SEASON_SETTING, HERB_SEASON_MONTHS, parseHerbSeason } from '../../lib/model/briefing';
import { generateIncidents, isHerbSeason } from '../../lib/sim/township/incidents';
import { DEMO_SEED, generateLayout } from '../../lib/sim/township/layout';

describe('parseHerbSeason', () => {
  it('reads months and inclusive ranges, in any order, each month once', () => {
    expect(parseHerbSeason('5-7')).toEqual([5, 6, 7]);
    expect(parseHerbSeason('5,6,7')).toEqual([5, 6, 7]);
    expect(parseHerbSeason(' 7 , 5-6 ,6')).toEqual([5, 6, 7]);
    expect(parseHerbSeason('9')).toEqual([9]);
    expect(parseHerbSeason('3 - 4, 10-10')).toEqual([3, 4, 10]);
    expect(parseHerbSeason('1-12')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('wraps a range over the year end: 11-2 is November to February', () => {
    expect(parseHerbSeason('11-2')).toEqual([1, 2, 11, 12]);
    expect(parseHerbSeason('12-1')).toEqual([1, 12]);
    expect(parseHerbSeason('12-1,6')).toEqual([1, 6, 12]);
  });

  it('defaults to May–July', () => {
    expect(DEFAULT_HERB_SEASON_SETTING).toBe('5-7');
    expect(HERB_SEASON_MONTHS).toEqual([5, 6, 7]);
  });

  it('names the item that is not a month', () => {
    expect(() => parseHerbSeason('13')).toThrow(/herb season item "13" is neither a month \(1…12\)/);
    expect(() => parseHerbSeason('0-3')).toThrow(/"0-3"/);
    expect(() => parseHerbSeason('5-7,may')).toThrow(/"may"/);
    expect(() => parseHerbSeason('5--7')).toThrow(/"5--7"/);
    expect(() => parseHerbSeason('-3')).toThrow(/"-3"/);
    expect(() => parseHerbSeason('5.5')).toThrow(/"5.5"/);
    expect(() => parseHerbSeason(' , ')).toThrow(/no herb season months/);
  });

  it('reads any list of months back to the same set, shuffled and duplicated', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 30 }), (months) => {
        expect(parseHerbSeason(months.join(','))).toEqual([...new Set(months)].sort((a, b) => a - b));
      }),
    );
  });

  it('reads a range as the months from its first to its last, wrapping after December', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (first, last) => {
        const got = parseHerbSeason(`${first}-${last}`);
        expect(got).toHaveLength(((last - first + 12) % 12) + 1);
        expect(got).toContain(first);
        expect(got).toContain(last);
      }),
    );
  });
});

describe('the TOWNSHIP_HERB_SEASON setting', () => {
  it('defaults to 5-7 and keeps what is set', () => {
    expect(loadConfig({}).TOWNSHIP_HERB_SEASON).toBe('5-7');
    expect(loadConfig({ TOWNSHIP_HERB_SEASON: '11-2' }).TOWNSHIP_HERB_SEASON).toBe('11-2');
  });

  it('refuses a bad value at start-up, naming the setting, the item and what is expected', () => {
    expect(() => loadConfig({ TOWNSHIP_HERB_SEASON: '5-13' })).toThrow(ConfigError);
    expect(() => loadConfig({ TOWNSHIP_HERB_SEASON: '5-13' })).toThrow(
      /TOWNSHIP_HERB_SEASON: herb season item "5-13" is neither a month \(1…12\).*give months 1…12 or ranges, comma-separated \(5-7, 5,6,7, 11-2\) \(got "5-13"\)/,
    );
    expect(() => loadConfig({ TOWNSHIP_HERB_SEASON: 'summer' })).toThrow(/TOWNSHIP_HERB_SEASON: herb season item "summer"/);
  });
});

describe('the demo planner`s season', () => {
  it('follows the months given, by default May–July (local month 0 = January)', () => {
    expect([4, 5, 6].every((m) => isHerbSeason(m))).toBe(true);
    expect(isHerbSeason(7)).toBe(false);
    const winter = parseHerbSeason('11-2');
    expect([10, 11, 0, 1].every((m) => isHerbSeason(m, winter))).toBe(true);
    expect(isHerbSeason(4, winter)).toBe(false);
  });

  it('shapes the history by the season given: fewer village incidents while the season runs', () => {
    const layout = generateLayout(DEMO_SEED);
    const opts = { seed: DEMO_SEED, now: new Date('2025-07-31T12:00:00+08:00'), historyDays: 92, tz: 'Asia/Shanghai' };
    // Village share of May–July's incidents: low in the default season, back to normal when the season is winter.
    const villageShare = (herbMonths?: readonly number[]) => {
      const all = generateIncidents(layout, { ...opts, herbMonths });
      return all.filter((i) => i.zone === 'village').length / all.length;
    };
    expect(villageShare()).toBeLessThan(villageShare(parseHerbSeason('11-2')));
  });
});
