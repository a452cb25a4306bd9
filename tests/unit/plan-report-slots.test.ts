// Plan vs actual's slot outcomes (lib/plans/report.ts slotOutcome): on time,
// late within the occurrence, missed, suspended by an overlapping dispatch
// (never missed), pending while the slot runs.
import { describe, expect, it } from 'vitest';
import { slotOutcome } from '../../lib/plans/report';

const H = 3_600_000;
const slot = { start: 10 * H, end: 11 * H };
const base = { arrivals: [] as number[], spans: [], occurrenceEnd: 14 * H, now: 20 * H };

describe('slotOutcome', () => {
  it('on time when a visit arrived in the slot, even before it ended', () => {
    expect(slotOutcome(slot, { ...base, arrivals: [10.5 * H] })).toBe('onTime');
    expect(slotOutcome(slot, { ...base, arrivals: [10.5 * H], now: 10.6 * H })).toBe('onTime');
  });
  it('pending while the slot runs unvisited, and for a visit not yet made at `now`', () => {
    expect(slotOutcome(slot, { ...base, now: 10.9 * H })).toBe('pending');
    expect(slotOutcome(slot, { ...base, arrivals: [10.95 * H], now: 10.9 * H })).toBe('pending');
  });
  it('late when the visit came after the slot within the occurrence; missed after the occurrence or never', () => {
    expect(slotOutcome(slot, { ...base, arrivals: [12 * H] })).toBe('late');
    // The slot's edges: an arrival at its first instant is on time, at its end (exclusive) late.
    expect(slotOutcome(slot, { ...base, arrivals: [10 * H] })).toBe('onTime');
    expect(slotOutcome(slot, { ...base, arrivals: [11 * H] })).toBe('late');
    expect(slotOutcome(slot, { ...base, arrivals: [9.5 * H, 14 * H] })).toBe('missed');
    expect(slotOutcome(slot, base)).toBe('missed');
  });
  it('suspended when a dispatch overlapped the unvisited slot (a running dispatch too), before late', () => {
    const spans = [{ teamId: 1, incidentId: 7, start: 10.9 * H, end: 12 * H }];
    expect(slotOutcome(slot, { ...base, spans })).toBe('suspended');
    expect(slotOutcome(slot, { ...base, spans, arrivals: [12.5 * H] })).toBe('suspended');
    expect(slotOutcome(slot, { ...base, spans: [{ teamId: 1, incidentId: 7, start: 9 * H, end: null }] })).toBe('suspended');
    expect(slotOutcome(slot, { ...base, spans: [{ teamId: 1, incidentId: 7, start: 11 * H, end: 12 * H }] })).toBe('missed');
  });
});
