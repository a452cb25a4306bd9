// The datetime-local filters (incident list, audit log) are read on the
// township's clock, never the browser's: localInputToIso / isoToLocalInput in
// lib/model/township-time.ts. The process runs in New York for this file, so a
// reader that used the process's (the browser's) zone answers five hours off.
// (Under Stryker's worker threads the zone cannot be changed and stays
// Asia/Shanghai; the cases in UTC and New York still catch such a reader.)
// Expected instants are written out as UTC ISO strings; the local reading is in
// the comment.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_AUDIT_FILTERS, auditPageKey, auditUrl } from '@/components/admin/audit-query';
import { DEFAULT_TOWNSHIP_TZ, daysInMonth, isoToLocalInput, localInputToIso } from '@/lib/model/township-time';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';

const before = process.env.TZ;
beforeAll(() => {
  process.env.TZ = NEW_YORK;
});
afterAll(() => {
  if (before === undefined) delete process.env.TZ;
  else process.env.TZ = before;
});

describe('localInputToIso: a datetime-local value on the township clock', () => {
  it('reads 07:30 on 1 March in Shanghai as 23:30 UTC on 28 February, whatever the browser zone', () => {
    expect(localInputToIso('2026-03-01T07:30', SHANGHAI)).toBe('2026-02-28T23:30:00.000Z');
    expect(localInputToIso('2026-03-01T07:30', 'UTC')).toBe('2026-03-01T07:30:00.000Z');
    expect(localInputToIso('2026-03-01T00:00', SHANGHAI)).toBe('2026-02-28T16:00:00.000Z');
  });

  it('takes seconds and milliseconds when the input has them, and surrounding blanks', () => {
    expect(localInputToIso('2026-03-01T07:30:15', SHANGHAI)).toBe('2026-02-28T23:30:15.000Z');
    expect(localInputToIso('2026-03-01T07:30:15.5', SHANGHAI)).toBe('2026-02-28T23:30:15.500Z');
    expect(localInputToIso('2026-03-01T07:30:15.123', SHANGHAI)).toBe('2026-02-28T23:30:15.123Z');
    expect(localInputToIso(' 2026-03-01T07:30 ', SHANGHAI)).toBe('2026-02-28T23:30:00.000Z');
  });

  it('is null for an empty input and for what is not a datetime-local value', () => {
    expect(localInputToIso('', SHANGHAI)).toBeNull();
    expect(localInputToIso('   ', SHANGHAI)).toBeNull();
    expect(localInputToIso('soon', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01 07:30', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01T07:30Z', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01T07:30+08:00', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01T7:30', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01T07:30:15.1234', SHANGHAI)).toBeNull();
    expect(localInputToIso('x2026-03-01T07:30', SHANGHAI)).toBeNull();
    expect(localInputToIso('2026-03-01T07:30x', SHANGHAI)).toBeNull();
  });

  it('is null for a time no calendar or clock has, instead of rolling it over', () => {
    expect(localInputToIso('2026-13-01T00:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-00-10T00:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-04-31T00:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-03-00T00:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-02-29T10:00', 'UTC')).toBeNull();
    expect(localInputToIso('1900-02-29T10:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-03-01T24:00', 'UTC')).toBeNull();
    expect(localInputToIso('2026-03-01T10:60', 'UTC')).toBeNull();
    expect(localInputToIso('2026-03-01T10:00:60', 'UTC')).toBeNull();
    // Leap days that exist.
    expect(localInputToIso('2028-02-29T10:00', 'UTC')).toBe('2028-02-29T10:00:00.000Z');
    expect(localInputToIso('2000-02-29T10:00', 'UTC')).toBe('2000-02-29T10:00:00.000Z');
  });

  it('keeps two-digit-era years as written (not 1999 for 0099)', () => {
    expect(localInputToIso('0099-01-01T00:00', 'UTC')).toBe('0099-01-01T00:00:00.000Z');
  });
});

describe('localInputToIso across daylight saving (America/New_York, 2026)', () => {
  it('reads EST before the spring-forward gap and EDT after it', () => {
    // 01:59 EST (UTC-5).
    expect(localInputToIso('2026-03-08T01:59', NEW_YORK)).toBe('2026-03-08T06:59:00.000Z');
    // 03:00 EDT (UTC-4): the first minute after the jump.
    expect(localInputToIso('2026-03-08T03:00', NEW_YORK)).toBe('2026-03-08T07:00:00.000Z');
  });

  it('moves a reading inside the skipped hour on by the jump: 02:30 is 03:30 EDT', () => {
    expect(localInputToIso('2026-03-08T02:00', NEW_YORK)).toBe('2026-03-08T07:00:00.000Z');
    expect(localInputToIso('2026-03-08T02:30', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z');
    expect(localInputToIso('2026-03-08T03:30', NEW_YORK)).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the earlier of a repeated hour when the clocks go back (01:30 EDT, not 01:30 EST)', () => {
    expect(localInputToIso('2026-11-01T00:59', NEW_YORK)).toBe('2026-11-01T04:59:00.000Z');
    expect(localInputToIso('2026-11-01T01:30', NEW_YORK)).toBe('2026-11-01T05:30:00.000Z');
    expect(localInputToIso('2026-11-01T01:59:59', NEW_YORK)).toBe('2026-11-01T05:59:59.000Z');
    // 02:00 happens once, in EST.
    expect(localInputToIso('2026-11-01T02:00', NEW_YORK)).toBe('2026-11-01T07:00:00.000Z');
  });

  it('handles a half-hour jump (Lord Howe Island, 4 October 2026: 02:00 → 02:30, UTC+10:30 → +11)', () => {
    expect(localInputToIso('2026-10-04T01:59', 'Australia/Lord_Howe')).toBe('2026-10-03T15:29:00.000Z');
    expect(localInputToIso('2026-10-04T02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00.000Z');
    expect(localInputToIso('2026-10-04T02:30', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
  });

  it('handles a whole day skipped (Samoa left out 30 December 2011): a reading on it is moved on by the day', () => {
    expect(localInputToIso('2011-12-29T12:00', 'Pacific/Apia')).toBe('2011-12-29T22:00:00.000Z');
    expect(localInputToIso('2011-12-30T12:00', 'Pacific/Apia')).toBe('2011-12-30T22:00:00.000Z');
    expect(localInputToIso('2011-12-31T12:00', 'Pacific/Apia')).toBe('2011-12-30T22:00:00.000Z');
  });
});

describe('isoToLocalInput: an instant as the township clock reads it', () => {
  it('writes minutes, and seconds only when there are some (milliseconds dropped)', () => {
    expect(isoToLocalInput('2026-02-28T23:30:00.000Z', SHANGHAI)).toBe('2026-03-01T07:30');
    expect(isoToLocalInput('2026-02-28T23:30:15.999Z', SHANGHAI)).toBe('2026-03-01T07:30:15');
    expect(isoToLocalInput('2026-02-28T16:00:00Z', SHANGHAI)).toBe('2026-03-01T00:00');
    expect(isoToLocalInput('2026-02-28T23:30:00.000Z', 'UTC')).toBe('2026-02-28T23:30');
    expect(isoToLocalInput('0099-01-01T00:00:00Z', 'UTC')).toBe('0099-01-01T00:00');
  });

  it('reads both 01:30s of the repeated New York hour as 01:30', () => {
    expect(isoToLocalInput('2026-11-01T05:30:00Z', NEW_YORK)).toBe('2026-11-01T01:30');
    expect(isoToLocalInput('2026-11-01T06:30:00Z', NEW_YORK)).toBe('2026-11-01T01:30');
  });

  it('is empty (an empty input) for what is not a time', () => {
    expect(isoToLocalInput('soon', SHANGHAI)).toBe('');
    expect(isoToLocalInput('', SHANGHAI)).toBe('');
  });

  it('round-trips every whole second of 1992–2100 in Shanghai (no daylight saving since 1991) and UTC', () => {
    const instant = fc.integer({ min: Date.UTC(1992, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }).map((s) => new Date(s * 1000).toISOString());
    fc.assert(
      fc.property(instant, fc.constantFrom(SHANGHAI, 'UTC'), (iso, tz) => {
        expect(localInputToIso(isoToLocalInput(iso, tz), tz)).toBe(iso);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('daysInMonth', () => {
  it('knows the Gregorian leap years', () => {
    expect(daysInMonth(2026, 1)).toBe(31);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
    expect(daysInMonth(2026, 13)).toBe(0);
    expect(daysInMonth(2026, 0)).toBe(0);
  });
});

describe('the default township zone', () => {
  it('is Asia/Shanghai (TOWNSHIP_TZ when unset)', () => {
    expect(DEFAULT_TOWNSHIP_TZ).toBe('Asia/Shanghai');
  });
});

describe('the audit filters use it', () => {
  it('sends since/until read on the township clock, not the browser’s', () => {
    const filters = { ...EMPTY_AUDIT_FILTERS, since: '2026-03-01T07:30', until: '2026-03-02T00:00' };
    expect(auditUrl(filters, null, SHANGHAI)).toBe('/api/audit?since=2026-02-28T23%3A30%3A00.000Z&until=2026-03-01T16%3A00%3A00.000Z&limit=200');
    expect(auditUrl(filters, 42, 'UTC')).toBe('/api/audit?since=2026-03-01T07%3A30%3A00.000Z&until=2026-03-02T00%3A00%3A00.000Z&limit=200&before=42');
    expect(auditPageKey(filters, 0, null, SHANGHAI)).toBe('/api/audit?since=2026-02-28T23%3A30%3A00.000Z&until=2026-03-01T16%3A00%3A00.000Z&limit=200');
  });

  it('leaves out an empty or impossible bound', () => {
    expect(auditUrl({ ...EMPTY_AUDIT_FILTERS, since: '2026-02-30T00:00' }, null, SHANGHAI)).toBe('/api/audit?limit=200');
  });
});
