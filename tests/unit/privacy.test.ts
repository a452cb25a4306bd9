// A redacted incident and a full one are different types: the staff-only
// fields cannot ride along to a viewer unnoticed. The @ts-expect-error lines
// are the compile-time half (tsc fails if one of them stops being an error);
// the rest checks what the projection returns.
import { describe, expect, it } from 'vitest';
import { projectIncident, projectTimeline, redactIncident, seesIncidentDetail } from '../../lib/auth/privacy';
import {
  PERSON_ROLES,
  REDACTED_ROOM,
  ROLES,
  STAFF_ONLY_INCIDENT_FIELDS,
  STAFF_ROLES,
  type Envelope,
  type Incident,
  type IncidentRoomPayload,
  type RedactedIncident,
} from '../../lib/model';
import { incident } from '../helpers/factories';

const full: Incident = incident(1, { description: '赡养纠纷细节', reporterContact: '139-0000-1234' });

describe('incident projections', () => {
  it('a full incident is not a redacted one, for the compiler', () => {
    // @ts-expect-error a full incident carries the staff-only fields a RedactedIncident may not have
    const leaked: RedactedIncident = full;
    // @ts-expect-error the redacted room's events carry RedactedIncident, never a full one
    const toViewers: Envelope<IncidentRoomPayload[typeof REDACTED_ROOM]> = { seq: 1, serverTime: 0, data: full };
    // (the run-time values are whatever was assigned; the point is that the lines above do not compile)
    expect([leaked, toViewers.data]).toEqual([full, full]);
  });

  it('redacting drops exactly the staff-only fields', () => {
    const redacted = redactIncident(full);
    for (const field of STAFF_ONLY_INCIDENT_FIELDS) expect(redacted).not.toHaveProperty(field);
    const { description: _d, reporterContact: _c, outcomeNote: _n, ...rest } = full;
    expect(redacted).toEqual(rest);
  });

  it('projects per role: staff get the whole incident, everyone else the redacted one', () => {
    expect(ROLES.filter(seesIncidentDetail)).toEqual(['admin', 'coordinator']);
    for (const role of STAFF_ROLES) expect(projectIncident(full, role)).toBe(full);
    for (const role of ROLES.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r))) {
      const seen = projectIncident(full, role);
      expect(seen).not.toHaveProperty('description');
      expect(seen).not.toHaveProperty('reporterContact');
      expect(seen).toMatchObject({ id: 1, title: full.title });
    }
  });

  it('every person role is one of the roles, and staff are people', () => {
    expect(PERSON_ROLES.every((r) => (ROLES as readonly string[]).includes(r))).toBe(true);
    expect(STAFF_ROLES.every((r) => (PERSON_ROLES as readonly string[]).includes(r))).toBe(true);
  });
});

describe('projections, written out', () => {
  const withNote: Incident = incident(2, { description: '邻里纠纷', reporterContact: '138-0000-5678', outcomeNote: '已调解' });

  it('drops description, reporter contact and outcome note for viewers and walls, keeps them for staff', () => {
    for (const role of ['viewer', 'wall', 'device'] as const) {
      const seen = projectIncident(withNote, role);
      expect(['description', 'reporterContact', 'outcomeNote'].filter((f) => f in seen)).toEqual([]);
      expect(seen).toMatchObject({ id: 2, title: withNote.title, status: withNote.status });
    }
    for (const role of ['admin', 'coordinator'] as const) {
      expect(projectIncident(withNote, role)).toMatchObject({ description: '邻里纠纷', reporterContact: '138-0000-5678', outcomeNote: '已调解' });
    }
    expect(ROLES.map(seesIncidentDetail)).toEqual([true, true, false, false, false]);
  });

  it('strips outcome notes from the timeline for everyone but staff', () => {
    const timeline = {
      incidentId: 2,
      assignments: [],
      entries: [
        { at: '2025-06-01T07:00:00.000Z', by: 'coord', action: 'reported' as const, status: 'reported' as const },
        { at: '2025-06-01T08:00:00.000Z', by: 'coord', action: 'status' as const, status: 'resolved' as const, note: '已调解' },
      ],
    } as unknown as Parameters<typeof projectTimeline>[0];
    expect(projectTimeline(timeline, 'admin')).toBe(timeline);
    expect(projectTimeline(timeline, 'coordinator')).toBe(timeline);
    for (const role of ['viewer', 'wall'] as const) {
      expect(projectTimeline(timeline, role)).toEqual({
        incidentId: 2,
        assignments: [],
        entries: [
          { at: '2025-06-01T07:00:00.000Z', by: 'coord', action: 'reported', status: 'reported' },
          { at: '2025-06-01T08:00:00.000Z', by: 'coord', action: 'status', status: 'resolved' },
        ],
      });
    }
  });
});
