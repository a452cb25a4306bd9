// The dispatch loop over HTTP, through the real gate and the app's own route
// handlers, on a real database: every lifecycle transition a person can ask
// for (allowed and refused), dispatch, acknowledgement by a coordinator and by
// the device itself, arrival, release, reassignment, resolve with an outcome,
// reopen — each step in the timeline with who did it, and in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markArrived } from '../../lib/dispatch';
import type { AuditRecord, Incident, IncidentStatus, IncidentTimeline, IncidentView, UnitState } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

type Person = Awaited<ReturnType<typeof signIn>>;
interface ErrorBody {
  error: { code: string; message: string; incidentId?: number };
}

describe.each(engines())('the dispatch loop on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let admin: Person;
  let coordinator: Person;
  let viewer: Person;
  let town: DispatchTownship;
  let coordinatorName: string;

  const call = (who: { cookie: string } | null, method: string, path: string, body?: unknown) => callApi(server.baseUrl, who, method, path, body);
  const deps = () => ({ db: t.db, bus: server.app.bus });
  const report = async (title: string): Promise<Incident> => {
    const r = await call(coordinator, 'POST', '/api/incidents', {
      category: 'land_grazing_dispute',
      severity: 3,
      title,
      description: '两户因地界争执',
      position: town.inside,
    });
    expect(r.status, r.text).toBe(201);
    return r.json as Incident;
  };
  const patch = (id: number, body: unknown) => call(coordinator, 'PATCH', `/api/incidents/${id}`, body);
  const dispatch = (id: number, body: unknown) => call(coordinator, 'POST', `/api/incidents/${id}/dispatch`, body);
  const unit = async (teamId: number): Promise<UnitState> => {
    const units = (await call(viewer, 'GET', '/api/units')).json as UnitState[];
    return units.find((u) => u.teamId === teamId)!;
  };
  const activeCount = async (teamId: number) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments WHERE team_id = $1 AND released_at IS NULL`, [teamId])).rows[0]!.n;
  /** Puts an incident straight into a status (setup only: the outcome the CHECK wants goes with resolved/closed). */
  const force = async (id: number, status: IncidentStatus) => {
    await t.db.query(`UPDATE incidents SET status = $2, outcome = CASE WHEN $2 IN ('resolved', 'closed') THEN 'mediated' END WHERE id = $1`, [id, status]);
  };
  const ackByDevice = (secret: string | null) =>
    fetch(`${server.baseUrl}/ingest/ack`, { method: 'POST', headers: secret ? { authorization: `Bearer ${secret}` } : {} }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as unknown,
    }));
  const audit = async (action: string) => (await call(admin, 'GET', `/api/audit?action=${action}`)).json as AuditRecord[];

  beforeAll(async () => {
    t = await freshDb(engine);
    town = await insertDispatchTownship(t.db);
    server = await startTestApp(t.db, { web: await apiRouter() });
    admin = await signIn(t.db, 'admin');
    coordinator = await signIn(t.db, 'coordinator');
    viewer = await signIn(t.db, 'viewer');
    const { rows } = await t.db.query<{ username: string }>(`SELECT username FROM users WHERE id = $1`, [coordinator.userId]);
    coordinatorName = rows[0]!.username;
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('answers every status a person may ask for, from every status, as the transition table says', async () => {
    // Written out: from → [on_scene, resolved, closed, reported].
    const expected: Record<IncidentStatus, [number, number, number, number]> = {
      reported: [409, 200, 409, 409],
      dispatched: [200, 200, 409, 200],
      en_route: [200, 200, 409, 200],
      on_scene: [409, 200, 409, 200],
      resolved: [409, 409, 200, 200],
      closed: [409, 409, 409, 200],
    };
    const targets = ['on_scene', 'resolved', 'closed', 'reported'] as const;
    for (const [from, codes] of Object.entries(expected) as [IncidentStatus, number[]][]) {
      for (const [k, to] of targets.entries()) {
        const inc = await report(`转换 ${from}→${to}`);
        await force(inc.id, from);
        const r = await patch(inc.id, to === 'resolved' ? { status: to, outcome: 'mediated' } : { status: to });
        expect(r.status, `${from} → ${to}: ${r.text}`).toBe(codes[k]);
        if (r.status === 409) {
          expect((r.json as ErrorBody).error.message, `${from} → ${to}`).toContain(`an incident that is ${from} cannot become ${to}`);
          const { rows } = await t.db.query<{ status: string }>(`SELECT status FROM incidents WHERE id = $1`, [inc.id]);
          expect(rows[0]!.status).toBe(from);
        } else {
          expect((r.json as Incident).status).toBe(to);
        }
      }
    }
  });

  it('refuses dispatched and en route by hand (422: a dispatch and an acknowledgement set them)', async () => {
    const inc = await report('手动派出');
    for (const status of ['dispatched', 'en_route']) {
      const r = await patch(inc.id, { status });
      expect(r.status, status).toBe(422);
      expect((r.json as ErrorBody).error.message).toContain('set by hand only to on_scene, resolved, closed, reported');
    }
  });

  it('resolves only with an outcome, "other" only with a note; reopening clears both', async () => {
    const inc = await report('需要结果');
    const noOutcome = await patch(inc.id, { status: 'resolved' });
    expect(noOutcome.status).toBe(422);
    expect((noOutcome.json as ErrorBody).error.message).toMatch(/^outcome: resolving an incident needs an outcome/);
    const otherNoNote = await patch(inc.id, { status: 'resolved', outcome: 'other', outcomeNote: '   ' });
    expect(otherNoNote.status).toBe(422);
    expect((otherNoNote.json as ErrorBody).error.message).toMatch(/^outcomeNote: /);
    const stray = await patch(inc.id, { severity: 2, outcome: 'mediated' });
    expect(stray.status).toBe(422);
    const bad = await patch(inc.id, { status: 'resolved', outcome: 'settled' });
    expect(bad.status).toBe(422);
    expect((bad.json as ErrorBody).error.message).toMatch(/^outcome: /);

    const resolved = await patch(inc.id, { status: 'resolved', outcome: 'other', outcomeNote: '转交司法所调解' });
    expect(resolved.status, resolved.text).toBe(200);
    const r = resolved.json as Incident;
    expect([r.status, r.outcome, r.outcomeNote]).toEqual(['resolved', 'other', '转交司法所调解']);
    expect(r.resolvedAt).not.toBeNull();
    const closed = (await patch(inc.id, { status: 'closed' })).json as Incident;
    expect([closed.status, closed.outcome]).toEqual(['closed', 'other']);
    expect(closed.closedAt).not.toBeNull();

    const reopened = await patch(inc.id, { status: 'reported' });
    expect(reopened.status).toBe(200);
    const o = reopened.json as Incident;
    expect([o.status, o.outcome, o.outcomeNote, o.resolvedAt, o.closedAt]).toEqual(['reported', null, null, null, null]);
    const timeline = (await call(coordinator, 'GET', `/api/incidents/${inc.id}/timeline`)).json as IncidentTimeline;
    expect(timeline.entries.map((e) => [e.action, e.from ?? null, e.status ?? null, e.by])).toEqual([
      ['reported', null, 'reported', coordinatorName],
      ['resolved', 'reported', 'resolved', coordinatorName],
      ['status', 'resolved', 'closed', coordinatorName],
      ['reopened', 'closed', 'reported', coordinatorName],
    ]);
    expect(timeline.entries[1]).toMatchObject({ outcome: 'other', note: '转交司法所调解' });
  });

  it('runs the loop: dispatch → acknowledged by a coordinator and by a device → arrival → resolve frees the teams', async () => {
    const [a, b] = town.teams as [DispatchTownship['teams'][0], DispatchTownship['teams'][0]];
    const inc = await report('草场纠纷 全流程');

    const d1 = await dispatch(inc.id, { teamId: a.id });
    expect(d1.status, d1.text).toBe(200);
    const afterDispatch = d1.json as Incident;
    expect(afterDispatch.status).toBe('dispatched');
    expect(afterDispatch.assignments.map((x) => [x.teamCode, x.dispatchedBy, x.acknowledgedAt])).toEqual([[a.code, coordinatorName, null]]);
    expect(await unit(a.id)).toMatchObject({ status: 'dispatched', incidentId: inc.id });
    const assignmentA = afterDispatch.assignments[0]!.id;

    const ack = await call(coordinator, 'POST', `/api/assignments/${assignmentA}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    expect((ack.json as Incident).status).toBe('en_route');
    expect((ack.json as Incident).assignments[0]!.acknowledgedBy).toBe(coordinatorName);
    expect((await unit(a.id)).status).toBe('en_route');
    const again = await call(coordinator, 'POST', `/api/assignments/${assignmentA}/acknowledge`);
    expect(again.status).toBe(409);
    expect((again.json as ErrorBody).error.message).toMatch(/was already acknowledged at \d{4}-/);

    // A second team joins; the incident stays en route.
    const d2 = await dispatch(inc.id, { teamId: b.id });
    expect((d2.json as Incident).status).toBe('en_route');
    const assignmentB = (d2.json as Incident).assignments.find((x) => x.teamId === b.id)!.id;

    // The device acknowledges for itself with its own secret.
    expect((await ackByDevice(null)).status).toBe(401);
    expect((await ackByDevice('no-such-device-secret-0000000000')).status).toBe(404);
    const byDevice = await ackByDevice(b.secret);
    expect(byDevice.status, JSON.stringify(byDevice.json)).toBe(200);
    const answer = byDevice.json as { assignmentId: number; incident: IncidentView };
    expect(answer.assignmentId).toBe(assignmentB);
    expect(answer.incident.id).toBe(inc.id);
    expect(answer.incident).not.toHaveProperty('description');
    expect((await ackByDevice(b.secret)).status).toBe(409);
    expect((await ackByDevice(town.teams[2]!.secret)).status).toBe(404);

    const arrived = await markArrived(deps(), { assignmentId: assignmentA, at: new Date('2025-06-01T08:30:00Z') });
    expect(arrived?.status).toBe('on_scene');
    expect(arrived?.assignments.find((x) => x.id === assignmentA)).toMatchObject({ arrivedBy: 'detected', arrivedAt: '2025-06-01T08:30:00.000Z' });
    expect((await unit(a.id)).status).toBe('on_scene');
    expect(await markArrived(deps(), { assignmentId: assignmentA, at: new Date() })).toBeNull();

    const resolved = await patch(inc.id, { status: 'resolved', outcome: 'mediated', outcomeNote: '双方签署协议' });
    expect(resolved.status, resolved.text).toBe(200);
    expect((resolved.json as Incident).assignments).toEqual([]);
    for (const team of [a, b]) expect(await unit(team.id)).toMatchObject({ status: 'available', incidentId: null });
    expect(await markArrived(deps(), { assignmentId: assignmentB, at: new Date() })).toBeNull();

    const timeline = (await call(coordinator, 'GET', `/api/incidents/${inc.id}/timeline`)).json as IncidentTimeline;
    expect(timeline.entries.map((e) => [e.action, e.by, e.teamCode ?? null, e.status ?? null])).toEqual([
      ['reported', coordinatorName, null, 'reported'],
      ['dispatched', coordinatorName, a.code, 'dispatched'],
      ['acknowledged', coordinatorName, a.code, 'en_route'],
      ['dispatched', coordinatorName, b.code, null],
      ['acknowledged', `device:${b.label}`, b.code, null],
      ['arrived', 'detected', a.code, 'on_scene'],
      ['resolved', coordinatorName, null, 'resolved'],
      ['released', coordinatorName, a.code, null],
      ['released', coordinatorName, b.code, null],
    ]);
    expect(timeline.entries[5]!.at).toBe('2025-06-01T08:30:00.000Z');
    expect(timeline.entries.filter((e) => e.action === 'released').map((e) => e.releaseReason)).toEqual(['resolved', 'resolved']);
    expect(timeline.assignments.map((x) => [x.teamCode, x.acknowledgedBy, x.arrivedBy, x.releaseReason])).toEqual([
      [a.code, coordinatorName, 'detected', 'resolved'],
      [b.code, `device:${b.label}`, null, 'resolved'],
    ]);
    expect(timeline.entries[6]!.note).toBe('双方签署协议');

    // The viewer sees every step, never the note.
    const seen = await call(viewer, 'GET', `/api/incidents/${inc.id}/timeline`);
    expect(seen.status).toBe(200);
    expect((seen.json as IncidentTimeline).entries).toHaveLength(9);
    expect(seen.text).not.toContain('双方签署协议');
    expect(seen.text).not.toContain('"note"');

    // The audit log has one row per action, the device's named as the device.
    const target = `incident:${inc.id}`;
    expect((await audit('incident.dispatch')).filter((r) => r.target === target).map((r) => r.actor)).toEqual([coordinatorName, coordinatorName]);
    const acks = (await audit('assignment.acknowledge')).filter((r) => r.target === `assignment:${assignmentA}` || r.target === `assignment:${assignmentB}`);
    expect(acks.map((r) => [r.target, r.actor, r.role]).sort()).toEqual(
      [
        [`assignment:${assignmentA}`, coordinatorName, 'coordinator'],
        [`assignment:${assignmentB}`, `device:${b.label}`, 'device'],
      ].sort(),
    );
    expect((await audit('incident.update')).filter((r) => r.target === target).map((r) => r.detail)).toEqual([
      { from: 'on_scene', status: 'resolved', outcome: 'mediated', released: [assignmentA, assignmentB] },
    ]);
  });

  it('a released last team sends the incident back to reported; releasing twice is 409', async () => {
    const [a] = town.teams;
    const inc = await report('取消派遣');
    const d = (await dispatch(inc.id, { teamId: a!.id })).json as Incident;
    const assignmentId = d.assignments[0]!.id;
    const r = await call(coordinator, 'POST', `/api/assignments/${assignmentId}/release`, {});
    expect(r.status, r.text).toBe(200);
    expect((r.json as Incident).status).toBe('reported');
    expect((r.json as Incident).assignments).toEqual([]);
    expect(await unit(a!.id)).toMatchObject({ status: 'available', incidentId: null });
    const twice = await call(coordinator, 'POST', `/api/assignments/${assignmentId}/release`, { reason: 'cancelled' });
    expect(twice.status).toBe(409);
    expect((twice.json as ErrorBody).error.message).toContain('was released (cancelled)');
    expect((await call(coordinator, 'POST', `/api/assignments/${assignmentId}/release`, { reason: 'resolved' })).status).toBe(422);
    expect((await call(coordinator, 'POST', '/api/assignments/2147483647/release', {})).status).toBe(404);
    const ackReleased = await call(coordinator, 'POST', `/api/assignments/${assignmentId}/acknowledge`);
    expect(ackReleased.status).toBe(409);
    const timeline = (await call(coordinator, 'GET', `/api/incidents/${inc.id}/timeline`)).json as IncidentTimeline;
    expect(timeline.entries.map((e) => [e.action, e.releaseReason ?? null, e.status ?? null])).toEqual([
      ['reported', null, 'reported'],
      ['dispatched', null, 'dispatched'],
      ['released', 'cancelled', null],
      ['status', null, 'reported'],
    ]);
    expect((await audit('assignment.release')).find((x) => x.target === `assignment:${assignmentId}`)?.detail).toEqual({
      incidentId: inc.id,
      teamId: a!.id,
      reason: 'cancelled',
    });
  });

  it('cancelling by hand (back to reported) releases every team', async () => {
    const [a, b] = town.teams;
    const inc = await report('人工撤回');
    await dispatch(inc.id, { teamId: a!.id });
    await dispatch(inc.id, { teamId: b!.id });
    const r = await patch(inc.id, { status: 'reported' });
    expect(r.status, r.text).toBe(200);
    expect((r.json as Incident).assignments).toEqual([]);
    expect(await activeCount(a!.id)).toBe(0);
    expect(await activeCount(b!.id)).toBe(0);
    expect((await unit(b!.id)).status).toBe('available');
  });

  it('on scene by hand marks the active teams arrived by that person', async () => {
    const [a] = town.teams;
    const inc = await report('手动到场');
    await dispatch(inc.id, { teamId: a!.id });
    const r = await patch(inc.id, { status: 'on_scene' });
    expect(r.status, r.text).toBe(200);
    expect((r.json as Incident).assignments[0]).toMatchObject({ arrivedBy: coordinatorName });
    expect((await unit(a!.id)).status).toBe('on_scene');
    await patch(inc.id, { status: 'resolved', outcome: 'no_action_needed' });
    expect((await unit(a!.id)).status).toBe('available');
  });

  it('reassigns: the old team is released (reassigned) and available, the new one dispatched, in one step', async () => {
    const [a, b] = town.teams;
    const inc = await report('改派');
    const first = (await dispatch(inc.id, { teamId: a!.id })).json as Incident;
    const old = first.assignments[0]!.id;
    const r = await dispatch(inc.id, { teamId: b!.id, replaceAssignmentId: old });
    expect(r.status, r.text).toBe(200);
    expect((r.json as Incident).assignments.map((x) => x.teamCode)).toEqual([b!.code]);
    expect((r.json as Incident).status).toBe('dispatched');
    expect(await unit(a!.id)).toMatchObject({ status: 'available', incidentId: null });
    expect(await unit(b!.id)).toMatchObject({ status: 'dispatched', incidentId: inc.id });
    const { rows } = await t.db.query<{ release_reason: string }>(`SELECT release_reason FROM assignments WHERE id = $1`, [old]);
    expect(rows[0]!.release_reason).toBe('reassigned');
    // Replacing an assignment of another incident, or one already released, is refused and changes nothing.
    const other = await report('另一个');
    expect((await dispatch(other.id, { teamId: a!.id, replaceAssignmentId: old })).status).toBe(404);
    expect(await activeCount(a!.id)).toBe(0);
    await patch(inc.id, { status: 'reported' });
  });

  it('refuses an off-duty team, a busy team (naming its incident), an unknown team, and a closed incident', async () => {
    const [a] = town.teams;
    const inc = await report('拒绝派遣');
    const off = await dispatch(inc.id, { teamId: town.offDuty.id });
    expect(off.status).toBe(409);
    expect((off.json as ErrorBody).error.message).toBe(`team ${town.offDuty.code} is off duty`);

    const busyWith = await report('先到的事件');
    expect((await dispatch(busyWith.id, { teamId: a!.id })).status).toBe(200);
    const busy = await dispatch(inc.id, { teamId: a!.id });
    expect(busy.status).toBe(409);
    expect(busy.json).toEqual({ error: { code: 'conflict', message: `team ${a!.code} is already committed to incident ${busyWith.id}`, incidentId: busyWith.id } });

    expect((await dispatch(inc.id, { teamId: 999_999 })).status).toBe(404);
    expect((await dispatch(inc.id, { teamId: 'M-01' })).status).toBe(422);
    expect((await dispatch(inc.id, {})).status).toBe(422);
    expect((await dispatch(2_147_483_647, { teamId: a!.id })).status).toBe(404);

    await patch(inc.id, { status: 'resolved', outcome: 'referred' });
    const toResolved = await dispatch(inc.id, { teamId: town.teams[2]!.id });
    expect(toResolved.status).toBe(409);
    expect((toResolved.json as ErrorBody).error.message).toMatch(new RegExp(`^incident ${inc.id} is resolved: a team can be sent only to an open incident`));
    await patch(busyWith.id, { status: 'reported' });
  });

  it('filters the list in SQL by status, category, severity, grid, village and time; bad values are 400/422 naming the parameter', async () => {
    const inc = await report('筛选用');
    const list = async (q: string) => {
      const r = await call(coordinator, 'GET', `/api/incidents?${q}`);
      expect(r.status, `${q}: ${r.text}`).toBe(200);
      return (r.json as Incident[]).map((i) => i.id);
    };
    expect(await list(`status=open&grid=${town.gridCode}`)).toContain(inc.id);
    expect(await list(`status=resolved,closed&grid=${town.gridCode}`)).not.toContain(inc.id);
    // "open" written out here, not read from OPEN_INCIDENT_STATUSES: the header and the wall count with it.
    const { rows: unresolved } = await t.db.query<{ id: string }>(
      `SELECT id::text FROM incidents WHERE status NOT IN ('resolved', 'closed')`,
    );
    const byNumber = (x: number, y: number) => x - y;
    expect((await list('status=open')).sort(byNumber)).toEqual(unresolved.map((r) => Number(r.id)).sort(byNumber));
    expect(await list(`category=land_grazing_dispute&severity=3,4&village=${town.villageCode}`)).toContain(inc.id);
    expect(await list('category=family_dispute')).not.toContain(inc.id);
    expect(await list(`grid=NOPE-99`)).toEqual([]);
    expect(await list(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toEqual([]);
    expect(await list(`from=2020-01-01T00:00:00Z&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toContain(inc.id);
    for (const [q, name] of [
      ['status=opened', 'status'],
      ['severity=7', 'severity'],
      ['category=noise', 'category'],
      ['from=yesterday', 'from'],
      ['from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z', 'from'],
    ]) {
      const r = await call(coordinator, 'GET', `/api/incidents?${q}`);
      expect(r.status, q).toBeGreaterThanOrEqual(400);
      expect(r.status, q).toBeLessThan(500);
      expect((r.json as ErrorBody).error.message, q).toContain(name);
    }
  });

  it('counts open as not yet resolved: the default list keeps every open incident, old ones too', async () => {
    const old = await report('很久以前上报');
    await t.db.query(`UPDATE incidents SET reported_at = now() - interval '40 days', status = 'en_route' WHERE id = $1`, [old.id]);
    const ids = ((await call(viewer, 'GET', '/api/incidents')).json as IncidentView[]).map((i) => i.id);
    expect(ids).toContain(old.id);
    await force(old.id, 'resolved');
    const after = ((await call(viewer, 'GET', '/api/incidents')).json as IncidentView[]).map((i) => i.id);
    expect(after).not.toContain(old.id);
  });
});
