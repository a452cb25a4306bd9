// A redacted incident and a full one are different types: the staff-only
// fields cannot ride along to a viewer unnoticed. The @ts-expect-error lines
// are the compile-time half (tsc fails if one of them stops being an error);
// the rest checks what the projection returns.
import { describe, expect, it } from 'vitest';
import { projectIncident, redactIncident, seesIncidentDetail } from '../../lib/auth/privacy';
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
    const { description: _d, reporterContact: _c, ...rest } = full;
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
