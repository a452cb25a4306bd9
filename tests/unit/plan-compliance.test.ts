// Checkpoint compliance (issue 14): the periods of a checkpoint in the
// township's clock (slots of a frequency crossing midnight and a daylight-
// saving change) and each period's state — visited, due, overdue, suspended
// during a dispatch — at a given `now`. The zone is an argument and expected
// instants are written out in UTC with the local reading beside them, so the
// file gives the same results under TZ=UTC and TZ=America/New_York.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PatrolPlan } from '../../lib/model';
import { checkpointPeriods, checkpointStatus, periodState, type Period } from '../../lib/plans/compliance';
import { livePlans, liveOccurrences } from '../../lib/plans/live';
import { parseMarketDays } from '../../lib/plans/recurrence';

const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const ms = (iso: string) => Date.parse(iso);
const spans = (ps: readonly Period[]) => ps.map((p) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()]);

describe('checkpoint periods', () => {
  it('a checkpoint without a frequency has one period, the occurrence', () => {
    const ps = checkpointPeriods({ day: '2026-12-01', window: { start: '18:00', end: '02:00' }, frequency: null, tz: SHANGHAI });
    // 18:00 on 1 December to 02:00 on 2 December, Shanghai (UTC+8).
    expect(spans(ps)).toEqual([['2026-12-01T10:00:00.000Z', '2026-12-01T18:00:00.000Z']]);
  });

  it('"every 2 h between 18:00 and 02:00" is four slots, the last one after midnight', () => {
    const ps = checkpointPeriods({
      day: '2026-12-01',
      window: { start: '18:00', end: '02:00' },
      frequency: { everyMinutes: 120, start: '18:00', end: '02:00' },
      tz: SHANGHAI,
    });
    expect(spans(ps)).toEqual([
      ['2026-12-01T10:00:00.000Z', '2026-12-01T12:00:00.000Z'], // 18:00–20:00
      ['2026-12-01T12:00:00.000Z', '2026-12-01T14:00:00.000Z'], // 20:00–22:00
      ['2026-12-01T14:00:00.000Z', '2026-12-01T16:00:00.000Z'], // 22:00–00:00
      ['2026-12-01T16:00:00.000Z', '2026-12-01T18:00:00.000Z'], // 00:00–02:00 on the 2nd
    ]);
  });

  it('a frequency window that starts after midnight inside a night window is on the next day; the last slot is cut at its end', () => {
    const ps = checkpointPeriods({
      day: '2026-12-31',
      window: { start: '20:00', end: '06:00' },
      frequency: { everyMinutes: 90, start: '01:00', end: '04:00' },
      tz: SHANGHAI,
    });
    expect(spans(ps)).toEqual([
      ['2026-12-31T17:00:00.000Z', '2026-12-31T18:30:00.000Z'], // 01:00–02:30 on 1 January
      ['2026-12-31T18:30:00.000Z', '2026-12-31T20:00:00.000Z'], // 02:30–04:00
    ]);
    const cut = checkpointPeriods({ day: '2026-12-01', window: { start: '08:00', end: '12:00' }, frequency: { everyMinutes: 150, start: '08:00', end: '12:00' }, tz: SHANGHAI });
    expect(spans(cut)).toEqual([
      ['2026-12-01T00:00:00.000Z', '2026-12-01T02:30:00.000Z'],
      ['2026-12-01T02:30:00.000Z', '2026-12-01T04:00:00.000Z'],
    ]);
  });

  it('slot edges are read on the township clock: the night the clocks go back, 00:00–02:00 lasts three hours', () => {
    // New York, 31 October 2026 22:00 EDT (UTC-4) to 1 November 04:00 EST (UTC-5); 02:00 EDT becomes 01:00 EST.
    const ps = checkpointPeriods({
      day: '2026-10-31',
      window: { start: '22:00', end: '04:00' },
      frequency: { everyMinutes: 120, start: '22:00', end: '04:00' },
      tz: NEW_YORK,
    });
    expect(spans(ps)).toEqual([
      ['2026-11-01T02:00:00.000Z', '2026-11-01T04:00:00.000Z'],
      ['2026-11-01T04:00:00.000Z', '2026-11-01T07:00:00.000Z'],
      ['2026-11-01T07:00:00.000Z', '2026-11-01T09:00:00.000Z'],
    ]);
  });
});

// The four slots of "every 2 h 18:00–02:00" on 1 December in Shanghai.
const SLOTS = checkpointPeriods({
  day: '2026-12-01',
  window: { start: '18:00', end: '02:00' },
  frequency: { everyMinutes: 120, start: '18:00', end: '02:00' },
  tz: SHANGHAI,
});
const NONE = { visits: [] as number[], suspensions: [] as { start: number; end: number | null }[] };

describe('one period', () => {
  const p = SLOTS[0]!; // 10:00Z–12:00Z
  it('upcoming before it starts, due while it runs, overdue once it ends unvisited', () => {
    expect(periodState(p, { ...NONE, now: ms('2026-12-01T09:59:59.999Z') })).toBe('upcoming');
    expect(periodState(p, { ...NONE, now: ms('2026-12-01T10:00:00Z') })).toBe('due');
    expect(periodState(p, { ...NONE, now: ms('2026-12-01T11:59:59.999Z') })).toBe('due');
    expect(periodState(p, { ...NONE, now: ms('2026-12-01T12:00:00Z') })).toBe('overdue');
  });
  it('visited by an arrival inside it (its start included, its end not)', () => {
    const now = ms('2026-12-01T13:00:00Z');
    expect(periodState(p, { ...NONE, visits: [ms('2026-12-01T10:00:00Z')], now })).toBe('visited');
    expect(periodState(p, { ...NONE, visits: [ms('2026-12-01T12:00:00Z')], now })).toBe('overdue');
    expect(periodState(p, { ...NONE, visits: [ms('2026-12-01T09:59:00Z')], now })).toBe('overdue');
  });
  it('suspended while a dispatch runs, and after its end when a dispatch overlapped it; a dispatch before or after leaves it overdue', () => {
    const during = { start: ms('2026-12-01T11:00:00Z'), end: null };
    expect(periodState(p, { ...NONE, suspensions: [during], now: ms('2026-12-01T11:30:00Z') })).toBe('suspended');
    expect(periodState(p, { ...NONE, suspensions: [during], now: ms('2026-12-01T10:30:00Z') })).toBe('due');
    const released = { start: ms('2026-12-01T10:30:00Z'), end: ms('2026-12-01T10:50:00Z') };
    expect(periodState(p, { ...NONE, suspensions: [released], now: ms('2026-12-01T11:00:00Z') })).toBe('due');
    expect(periodState(p, { ...NONE, suspensions: [released], now: ms('2026-12-01T12:30:00Z') })).toBe('suspended');
    const after = { start: ms('2026-12-01T12:00:00Z'), end: ms('2026-12-01T12:30:00Z') };
    const before = { start: ms('2026-12-01T09:00:00Z'), end: ms('2026-12-01T10:00:00Z') };
    expect(periodState(p, { ...NONE, suspensions: [after, before], now: ms('2026-12-01T13:00:00Z') })).toBe('overdue');
  });
});

describe('a checkpoint at now', () => {
  it('a missed slot keeps it overdue in the next slot until a visit; the visit makes it visited', () => {
    const now = ms('2026-12-01T12:30:00Z'); // 20:30, second slot
    expect(checkpointStatus(SLOTS, { ...NONE, now })).toMatchObject({
      state: 'overdue',
      period: { start: ms('2026-12-01T10:00:00Z'), end: ms('2026-12-01T12:00:00Z') }, // the missed slot
      lastVisitAt: null,
      nextDueAt: ms('2026-12-01T14:00:00Z'),
    });
    const visited = checkpointStatus(SLOTS, { ...NONE, visits: [ms('2026-12-01T12:20:00Z')], now });
    expect(visited).toMatchObject({ state: 'visited', lastVisitAt: ms('2026-12-01T12:20:00Z'), nextDueAt: ms('2026-12-01T16:00:00Z') });
    expect(visited.periods.map((x) => x.state)).toEqual(['overdue', 'visited', 'upcoming', 'upcoming']);
  });
  it('a visited slot followed by a running one is due; a visit in the future of now does not count', () => {
    const now = ms('2026-12-01T12:30:00Z');
    const st = checkpointStatus(SLOTS, { ...NONE, visits: [ms('2026-12-01T10:15:00Z'), ms('2026-12-01T12:45:00Z')], now });
    expect(st).toMatchObject({ state: 'due', lastVisitAt: ms('2026-12-01T10:15:00Z'), period: { start: ms('2026-12-01T12:00:00Z'), end: ms('2026-12-01T14:00:00Z') } });
  });
  it('before the first slot: upcoming, due by the first slot end; after the last: the last slot, nothing more due', () => {
    expect(checkpointStatus(SLOTS, { ...NONE, now: ms('2026-12-01T08:00:00Z') })).toMatchObject({ state: 'upcoming', nextDueAt: ms('2026-12-01T12:00:00Z') });
    const after = checkpointStatus(SLOTS, { ...NONE, visits: [ms('2026-12-01T17:00:00Z')], now: ms('2026-12-01T19:00:00Z') });
    expect(after).toMatchObject({ state: 'visited', nextDueAt: null, period: { start: ms('2026-12-01T16:00:00Z'), end: ms('2026-12-01T18:00:00Z') } });
    expect(checkpointStatus(SLOTS, { ...NONE, now: ms('2026-12-01T19:00:00Z') }).state).toBe('overdue');
  });
  it('a slot that falls due while the team is on a dispatch is suspended, not overdue; after release the running slot is due again, and a slot the dispatch overlapped never turns overdue', () => {
    const dispatch = { start: ms('2026-12-01T11:00:00Z'), end: ms('2026-12-01T12:40:00Z') };
    expect(checkpointStatus(SLOTS, { ...NONE, suspensions: [dispatch], now: ms('2026-12-01T12:10:00Z') }).state).toBe('suspended');
    const released = checkpointStatus(SLOTS, { ...NONE, suspensions: [dispatch], now: ms('2026-12-01T12:50:00Z') });
    expect(released.state).toBe('due'); // released with 70 min of the slot left: owed again
    const later = checkpointStatus(SLOTS, { ...NONE, suspensions: [dispatch], now: ms('2026-12-01T14:10:00Z') });
    expect(later.state).toBe('due');
    expect(later.periods.map((x) => x.state)).toEqual(['suspended', 'suspended', 'due', 'upcoming']);
  });
});

describe('properties', () => {
  const dayArb = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

  it('in a zone without daylight saving, slots follow each other without gaps, each `every` long but the last, from the frequency start to its end', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 5, max: 1439 }), fc.integer({ min: 5, max: 1440 }), (day, start, length, every) => {
        const w = { start: clock(start), end: clock((start + length) % 1440) };
        const ps = checkpointPeriods({ day, window: w, frequency: { everyMinutes: every, ...w }, tz: SHANGHAI });
        expect(ps[0]!.end - ps[0]!.start).toBe(Math.min(every, length) * 60_000);
        expect(ps[ps.length - 1]!.end - ps[0]!.start).toBe(length * 60_000);
        for (let i = 1; i < ps.length; i++) expect(ps[i]!.start).toBe(ps[i - 1]!.end);
        expect(ps).toHaveLength(Math.ceil(length / every));
      }),
      { numRuns: 300 },
    );
  });

  it('a checkpoint with an arrival in the running period is visited; with no dispatch it is never suspended; after the last period with no visit it is overdue', () => {
    const slotStart = SLOTS[0]!.start;
    const slotEnd = SLOTS[SLOTS.length - 1]!.end;
    fc.assert(
      fc.property(
        fc.integer({ min: slotStart - 3_600_000, max: slotEnd + 3_600_000 }),
        fc.array(fc.integer({ min: slotStart - 3_600_000, max: slotEnd + 3_600_000 }), { maxLength: 6 }),
        (now, visits) => {
          const st = checkpointStatus(SLOTS, { visits, suspensions: [], now });
          expect(st.state).not.toBe('suspended');
          const running = SLOTS.find((p) => now >= p.start && now < p.end);
          const paid = running !== undefined && visits.some((v) => v >= running.start && v < running.end && v <= now);
          expect(!paid || st.state === 'visited').toBe(true);
          expect(checkpointStatus(SLOTS, { visits: [], suspensions: [], now: Math.max(now, slotEnd) }).state).toBe('overdue');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('live plans', () => {
  const plan: PatrolPlan = {
    id: 7,
    name: 'Night market',
    kind: 'patrol',
    teams: [{ id: 3, code: 'P03', name: '巡逻三队', nameEn: 'Patrol 3', forceType: 'militia', onDuty: true }],
    recurrence: { repeat: 'daily', from: null, until: null },
    window: { start: '18:00', end: '02:00' },
    areaGridIds: [],
    area: null,
    drawnArea: null,
    route: { type: 'LineString', coordinates: [[100.5, 31.2], [100.51, 31.2]] },
    checkpoints: [
      { id: 11, seq: 1, keyLocationId: null, name: 'Bridge', point: [100.5, 31.2], radiusM: 50, frequency: { everyMinutes: 120, start: '18:00', end: '02:00' } },
      { id: 12, seq: 2, keyLocationId: null, name: 'Temple', point: [100.51, 31.2], radiusM: 50, frequency: null },
    ],
    createdBy: 'coordinator-li',
    updatedAt: '2026-11-30T00:00:00.000Z',
  };
  const market = parseMarketDays('sun');

  it("at 01:00 the night that began yesterday is still live and today's is listed ahead; yesterday's day ones are not", () => {
    const now = ms('2026-12-01T17:00:00Z'); // 01:00 on 2 December, Shanghai
    expect(liveOccurrences([plan], { now, tz: SHANGHAI, market }).map((o) => o.day)).toEqual(['2026-12-01', '2026-12-02']);
    const day = { ...plan, window: { start: '08:00', end: '12:00' } };
    expect(liveOccurrences([day], { now, tz: SHANGHAI, market }).map((o) => o.day)).toEqual(['2026-12-02']);
  });

  it('each checkpoint with its state, last visit and next due; a dispatch of the plan team suspends and names its incident', () => {
    const now = ms('2026-12-01T12:30:00Z'); // 20:30 on 1 December
    const [o] = livePlans({
      plans: [plan],
      visits: [{ planId: 7, checkpointId: 11, day: '2026-12-01', arrivedAt: ms('2026-12-01T10:20:00Z') }],
      dispatches: [{ teamId: 3, incidentId: 40, start: ms('2026-12-01T12:10:00Z'), end: null }, { teamId: 4, incidentId: 41, start: ms('2026-12-01T10:00:00Z'), end: null }],
      now,
      tz: SHANGHAI,
      market,
    });
    expect(o).toMatchObject({ planId: 7, day: '2026-12-01', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T18:00:00.000Z', teamIds: [3] });
    expect(o!.checkpoints.map((c) => [c.checkpointId, c.state, c.lastVisitAt, c.nextDueAt, c.suspendedBy])).toEqual([
      [11, 'suspended', '2026-12-01T10:20:00.000Z', '2026-12-01T14:00:00.000Z', [40]],
      [12, 'suspended', null, '2026-12-01T18:00:00.000Z', [40]],
    ]);
  });
});
