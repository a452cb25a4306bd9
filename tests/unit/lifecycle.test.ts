// The incident lifecycle's one transition table, pinned pair by pair: a
// change to lib/model/lifecycle.ts has to change this written-out matrix too.
import { describe, expect, it } from 'vitest';
import { toTimelineEntries } from '../../db/incidents';
import { INCIDENT_STATUSES, MANUAL_TARGETS, canTransition, transitionRefusal, type IncidentStatus } from '../../lib/model';

/**
 * Rows: from. Columns, in this order: reported, dispatched, en_route,
 * on_scene, resolved, closed. `x` allowed, `.` refused.
 */
const MATRIX: Record<IncidentStatus, string> = {
  reported: '. x . . x .',
  dispatched: 'x . x x x .',
  en_route: 'x . . x x .',
  on_scene: 'x . . . x .',
  resolved: 'x . . . . x',
  closed: 'x . . . . .',
};
const COLUMNS: IncidentStatus[] = ['reported', 'dispatched', 'en_route', 'on_scene', 'resolved', 'closed'];

describe('the incident transition table', () => {
  it('covers exactly the six statuses', () => {
    expect([...INCIDENT_STATUSES].sort()).toEqual([...COLUMNS].sort());
  });

  const pairs = COLUMNS.flatMap((from) =>
    COLUMNS.map((to, i) => ({ from, to, allowed: MATRIX[from].split(' ')[i] === 'x' })),
  );
  it.each(pairs)('$from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('allows 14 transitions in all and never a status to itself', () => {
    expect(pairs.filter((p) => canTransition(p.from, p.to))).toHaveLength(14);
    for (const s of COLUMNS) expect(canTransition(s, s), s).toBe(false);
  });

  it('lets a person ask only for on scene, resolved, closed and reported', () => {
    expect(MANUAL_TARGETS).toEqual(['on_scene', 'resolved', 'closed', 'reported']);
  });

  it('names the current and the requested state when it refuses', () => {
    expect(transitionRefusal('closed', 'dispatched')).toBe('an incident that is closed cannot become dispatched (from closed it may become: reported)');
    expect(transitionRefusal('reported', 'en_route')).toBe(
      'an incident that is reported cannot become en_route (from reported it may become: dispatched, resolved)',
    );
    expect(transitionRefusal('on_scene', 'closed')).toBe('an incident that is on_scene cannot become closed (from on_scene it may become: resolved, reported)');
  });
});

describe('timeline steps stored before the dispatch loop', () => {
  it('read as actions: the first is the report, then status and severity changes; new steps pass through', () => {
    const stored = [
      { at: '2025-05-01T08:00:00Z', status: 'reported' },
      { at: '2025-05-01T08:20:00+08:00', status: 'dispatched' },
      { at: '2025-05-01T09:00:00.000Z', by: 'zhang.wei', status: 'on_scene', severity: 3 },
      { at: '2025-05-01T09:05:00.000Z', by: 'zhang.wei', severity: 4 },
      { at: '2025-05-01T10:00:00.000Z', by: 'li.na', action: 'resolved', from: 'on_scene', status: 'resolved', outcome: 'other', note: '转交' },
    ];
    expect(toTimelineEntries(stored)).toEqual([
      { at: '2025-05-01T08:00:00.000Z', by: null, action: 'reported', status: 'reported' },
      { at: '2025-05-01T00:20:00.000Z', by: null, action: 'status', status: 'dispatched' },
      { at: '2025-05-01T09:00:00.000Z', by: 'zhang.wei', action: 'status', status: 'on_scene', severity: 3 },
      { at: '2025-05-01T09:05:00.000Z', by: 'zhang.wei', action: 'severity', severity: 4 },
      { at: '2025-05-01T10:00:00.000Z', by: 'li.na', action: 'resolved', from: 'on_scene', status: 'resolved', outcome: 'other', note: '转交' },
    ]);
    expect(toTimelineEntries(null)).toEqual([]);
  });
});
