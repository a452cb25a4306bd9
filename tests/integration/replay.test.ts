// The time machine (issue 13) against hand-made history: every expected value
// below is written out from the rows this file inserts (fixes exactly at T,
// just after T, a device with no fix before T; an incident walked through
// reported → dispatched → on scene → resolved; alerts either side of T; a
// week before T, three incidents raised 2 → 4 → 3 whose timelines record that
// fully, not at all (written before issue 13) and in part), read through the
// real route handlers with real sessions of every role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../db/audit';
import type { Queryable } from '../../db/client';
import { getIncidentStatesAt, getIncidentSteps, getSeveritiesAtReport } from '../../db/replay';
import type { IncidentTimeline, IncidentView, ReplayChunk, ReplayState } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

/** T: Tuesday 10 June 2025, 14:00 in Shanghai. */
const T = '2025-06-10T06:00:00.000Z';
const at = (offsetMinutes: number, seconds = 0): string => new Date(Date.parse(T) + offsetMinutes * 60_000 + seconds * 1000).toISOString();

interface Fixture {
  teams: { A: number; B: number; C: number; D: number };
  devices: { A1: number; A2: number; B1: number; C1: number };
  incidents: { walked: number; oldOpen: number; oldResolved: number; later: number };
  /** Reported at severity 2 around D, raised to 4 at D+20 min, lowered to 3 at D+40 min, resolved at D+50 min. */
  severities: { recorded: number; legacy: number; bridged: number };
}

/** D: a week before T, far from every other row of the fixture. */
const D = new Date(Date.parse(T) - 7 * 24 * 3_600_000).toISOString();
const atD = (offsetMinutes: number, ms = 0): string => new Date(Date.parse(D) + offsetMinutes * 60_000 + ms).toISOString();

type StoredStep = { at: string; action?: string; status?: string | null; from?: string; severity?: number | null; fromSeverity?: number; by?: string };

async function writeFixture(db: Queryable): Promise<Fixture> {
  const team = async (code: string, name: string): Promise<number> =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ($1::text, $2::text, $3::text, 'armband', 3) RETURNING id`,
        [code, name, `Replay team ${code}`],
      )
    ).rows[0]!.id;
  const device = async (teamId: number, label: string): Promise<number> =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO devices (team_id, secret_hash, label) VALUES ($1::int, encode(sha256(convert_to($2::text, 'UTF8')), 'hex'), $3::text) RETURNING id`,
        [teamId, `replay-device-${label}-0123456789abcdef`, label],
      )
    ).rows[0]!.id;
  const teams = { A: await team('R-A', '回放一队'), B: await team('R-B', '回放二队'), C: await team('R-C', '回放三队'), D: await team('R-D', '回放四队') };
  // Team D: off duty on today's roster, no device, never assigned.
  await db.query(`UPDATE teams SET on_duty = false WHERE id = $1::int`, [teams.D]);
  const devices = {
    A1: await device(teams.A, 'A1'),
    A2: await device(teams.A, 'A2'),
    B1: await device(teams.B, 'B1'),
    C1: await device(teams.C, 'C1'),
  };
  const fix = (deviceId: number, teamId: number, time: string, lon: number, lat: number) =>
    db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom) VALUES ($1::int, $2::int, $3::timestamptz, ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326))`,
      [deviceId, teamId, time, lon, lat],
    );
  // Team A: device A1 reports up to exactly T, then just after; A2 stopped ten minutes before.
  await fix(devices.A1, teams.A, at(-10), 100.1, 31.1);
  await fix(devices.A1, teams.A, at(-5), 100.11, 31.11);
  await fix(devices.A1, teams.A, T, 100.123456, 31.123456);
  await fix(devices.A1, teams.A, at(0, 1), 100.2, 31.2);
  await fix(devices.A2, teams.A, at(-10, -5), 100.3, 31.3);
  // Team B: one fix a day before, nothing since.
  await fix(devices.B1, teams.B, at(-24 * 60), 100.4, 31.4);
  // Team C: its first fix is a second after T.
  await fix(devices.C1, teams.C, at(0, 1), 100.5, 31.5);

  const incident = async (title: string, status: string, reportedAt: string, updatedAt: string, timeline: StoredStep[], severity = 2): Promise<number> =>
    Number(
      (
        await db.query<{ id: string }>(
          `INSERT INTO incidents (category, severity, status, outcome, title, description, reporter_contact, geom,
                                  reported_at, resolved_at, updated_at, timeline)
           VALUES ('neighbour_dispute', $6::smallint, $1::text, CASE WHEN $1::text IN ('resolved', 'closed') THEN 'mediated' END,
                   $2::text, '两户因宅基地边界争执', '13800000000', ST_SetSRID(ST_MakePoint(100.15, 31.15), 4326),
                   $3::timestamptz, CASE WHEN $1::text IN ('resolved', 'closed') THEN $4::timestamptz END, $4::timestamptz, $5::jsonb)
           RETURNING id::text`,
          [status, title, reportedAt, updatedAt, JSON.stringify(timeline), severity],
        )
      ).rows[0]!.id,
    );
  const walked = await incident('宅基地纠纷', 'resolved', at(-60), at(10), [
    { at: at(-60), action: 'reported', status: 'reported' },
    { at: at(-30), action: 'dispatched', status: 'dispatched' },
    { at: at(-10), action: 'status', status: 'on_scene' },
    { at: at(10), action: 'resolved', status: 'resolved' },
  ]);
  const oldOpen = await incident('三天前的噪音投诉', 'reported', at(-3 * 24 * 60), at(-3 * 24 * 60), [{ at: at(-3 * 24 * 60), status: 'reported' }]);
  const oldResolved = await incident('两天前已解决', 'resolved', at(-3 * 24 * 60), at(-2 * 24 * 60), [
    { at: at(-3 * 24 * 60), status: 'reported' },
    { at: at(-2 * 24 * 60), status: 'resolved' },
  ]);
  const later = await incident('稍后报告', 'reported', at(5), at(5), [{ at: at(5), action: 'reported', status: 'reported' }]);
  await db.query(
    `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, acknowledged_at, acknowledged_by, arrived_at, arrived_by, released_at, release_reason)
     VALUES ($1::bigint, $2::int, $3::timestamptz, 'coord', $4::timestamptz, 'coord', $5::timestamptz, 'detected', $6::timestamptz, 'resolved')`,
    [walked, teams.A, at(-30), at(-20), at(-10), at(10)],
  );
  const alert = (kind: string, raisedAt: string, acknowledgedAt: string | null) =>
    db.query(
      `INSERT INTO alerts (kind, severity, team_id, message, raised_at, acknowledged_at, acknowledged_by)
       VALUES ($1::text, 3, $2::int, $3::text, $4::timestamptz, $5::timestamptz, CASE WHEN $5::timestamptz IS NOT NULL THEN 'coord' END)`,
      [kind, teams.B, `${kind} at ${raisedAt}`, raisedAt, acknowledgedAt],
    );
  await alert('stale', at(-60), at(5));
  await alert('sos', T, null);
  await alert('offline', at(0, 1), null);
  await alert('stale', at(-25 * 60), null);

  // Each reported at 2, raised to 4 at D+20, lowered to 3 at D+40 (today's severity), resolved at D+50.
  // Recorded as written since issue 13: the report carries its severity, each change the one it replaced.
  const recorded = await incident('等级全记录', 'resolved', atD(0), atD(50), [
    { at: atD(0), action: 'reported', status: 'reported', severity: 2 },
    { at: atD(20), action: 'severity', fromSeverity: 2, severity: 4 },
    { at: atD(40), action: 'severity', fromSeverity: 4, severity: 3 },
    { at: atD(50), action: 'resolved', from: 'reported', status: 'resolved' },
  ], 3);
  // Written before issue 10 (no actions; a severity-only change has `"status": null`, a status-only one
  // `"severity": null`): the first severity is nowhere, so before D+20 the rule falls back to today's, 3.
  const legacy = await incident('旧式时间线', 'resolved', atD(1), atD(50), [
    { at: atD(1), status: 'reported' },
    { at: atD(10), by: 'coord', status: 'dispatched', severity: null },
    { at: atD(20), by: 'coord', status: null, severity: 4 },
    { at: atD(40), by: 'coord', status: null, severity: 3 },
    { at: atD(50), by: 'coord', status: 'resolved', severity: null },
  ], 3);
  // Reported before issue 13 (no severity on the report), changed after it: the first change's `fromSeverity` tells.
  const bridged = await incident('报告在前改动在后', 'resolved', atD(2), atD(50), [
    { at: atD(2), action: 'reported', status: 'reported' },
    { at: atD(20), action: 'severity', fromSeverity: 2, severity: 4 },
    { at: atD(40), action: 'severity', fromSeverity: 4, severity: 3 },
    { at: atD(50), action: 'resolved', from: 'reported', status: 'resolved' },
  ], 3);
  return { teams, devices, incidents: { walked, oldOpen, oldResolved, later }, severities: { recorded, legacy, bridged } };
}

/** Int32 little-endian columns back from base64. */
const decode = (b64: string): number[] => {
  const buf = Buffer.from(b64, 'base64');
  return Array.from({ length: buf.length / 4 }, (_, i) => buf.readInt32LE(i * 4));
};

describe.each(engines())('the time machine on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let fx: Fixture;
  const who: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string; userId: number }> = {} as never;

  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await writeFixture(t.db);
    for (const role of ['admin', 'coordinator', 'viewer', 'wall'] as const) who[role] = await signIn(t.db, role);
    server = await startTestApp(t.db, { web: await apiRouter(), env: { RULES_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const state = async (role: keyof typeof who, when: string): Promise<ReplayState> => {
    const res = await callApi(server.baseUrl, who[role], 'GET', `/api/replay/state?at=${encodeURIComponent(when)}`);
    expect(res.status, res.text).toBe(200);
    return res.json as ReplayState;
  };

  it('places every team at its newest fix at or before T: a fix exactly at T counts, one a second later does not', async () => {
    const s = await state('coordinator', T);
    expect(s.at).toBe(T);
    const byTeam = Object.fromEntries(s.units.map((u) => [u.teamId, u]));
    expect(byTeam[fx.teams.A]).toMatchObject({ code: 'R-A', position: [100.123456, 31.123456], fixTime: T, status: 'on_scene', incidentId: fx.incidents.walked });
    expect(byTeam[fx.teams.B]).toMatchObject({ position: [100.4, 31.4], fixTime: at(-24 * 60), status: 'available', incidentId: null });
    // No fix at or before T: on the list, without a place.
    expect(byTeam[fx.teams.C]).toMatchObject({ position: null, fixTime: null });
    // No assignment at T: the roster's today, off duty included.
    expect(byTeam[fx.teams.D]).toMatchObject({ code: 'R-D', position: null, status: 'off_duty', incidentId: null });
  });

  it('reads the same history at other moments: a second after T, and before any of team A’s fixes', async () => {
    const after = await state('viewer', at(0, 1));
    const a = after.units.find((u) => u.teamId === fx.teams.A)!;
    expect(a.position).toEqual([100.2, 31.2]);
    expect(after.units.find((u) => u.teamId === fx.teams.C)!.position).toEqual([100.5, 31.5]);
    // 10 min 2 s before T only A2's fix (10 min 5 s before) exists: the newest of the team's devices wins.
    const before = await state('viewer', at(-10, -2));
    expect(before.units.find((u) => u.teamId === fx.teams.A)).toMatchObject({ position: [100.3, 31.3], status: 'en_route' });
  });

  it('shows each incident as its timeline had it at T, with its team then, and nothing from later', async () => {
    const status = async (when: string) => Object.fromEntries((await state('coordinator', when)).incidents.map((i) => [i.id, i.status]));
    expect(await status(at(-45))).toEqual({ [fx.incidents.walked]: 'reported', [fx.incidents.oldOpen]: 'reported' });
    expect(await status(at(-30))).toMatchObject({ [fx.incidents.walked]: 'dispatched' });
    expect(await status(at(-11))).toMatchObject({ [fx.incidents.walked]: 'dispatched' });
    expect(await status(T)).toEqual({ [fx.incidents.walked]: 'on_scene', [fx.incidents.oldOpen]: 'reported' });
    // Resolved at T+10 min exactly; still shown (reported within the last day); the later report appears once reported.
    expect(await status(at(10))).toEqual({ [fx.incidents.walked]: 'resolved', [fx.incidents.oldOpen]: 'reported', [fx.incidents.later]: 'reported' });

    const atT = (await state('coordinator', T)).incidents.find((i) => i.id === fx.incidents.walked)!;
    expect(atT).toMatchObject({ outcome: null, resolvedAt: null, description: '两户因宅基地边界争执', reporterContact: '13800000000' });
    expect(atT.assignments).toHaveLength(1);
    expect(atT.assignments[0]).toMatchObject({ teamId: fx.teams.A, arrivedAt: at(-10), releasedAt: null, releaseReason: null });
    const resolved = (await state('coordinator', at(10))).incidents.find((i) => i.id === fx.incidents.walked)!;
    expect(resolved).toMatchObject({ outcome: 'mediated', resolvedAt: at(10), assignments: [] });
  });

  it('shows each incident at the severity its timeline gives at T, falling back to today’s where the first was never recorded', async () => {
    const { recorded, legacy, bridged } = fx.severities;
    const at = async (when: string) => Object.fromEntries((await state('viewer', when)).incidents.map((i) => [i.id, [i.status, i.severity]]));
    expect(await at(atD(-1))).toEqual({});
    expect(await at(atD(10))).toEqual({ [recorded]: ['reported', 2], [legacy]: ['dispatched', 3], [bridged]: ['reported', 2] });
    expect(await at(atD(20, -1))).toEqual({ [recorded]: ['reported', 2], [legacy]: ['dispatched', 3], [bridged]: ['reported', 2] });
    // A step exactly at T counts; the old severity-only step (`"status": null`) leaves the status at dispatched.
    expect(await at(atD(20))).toEqual({ [recorded]: ['reported', 4], [legacy]: ['dispatched', 4], [bridged]: ['reported', 4] });
    expect(await at(atD(39))).toEqual({ [recorded]: ['reported', 4], [legacy]: ['dispatched', 4], [bridged]: ['reported', 4] });
    expect(await at(atD(40))).toEqual({ [recorded]: ['reported', 3], [legacy]: ['dispatched', 3], [bridged]: ['reported', 3] });
    // Resolved, still shown (reported within the day), at the severity it ended with.
    expect(await at(atD(55))).toEqual({ [recorded]: ['resolved', 3], [legacy]: ['resolved', 3], [bridged]: ['resolved', 3] });
  });

  it('carries severity steps in a chunk, and each new incident at the severity it was reported with', async () => {
    const { recorded, legacy, bridged } = fx.severities;
    const res = await callApi(server.baseUrl, who.viewer, 'GET', `/api/replay/history?from=${encodeURIComponent(atD(0))}&to=${encodeURIComponent(atD(60))}`);
    expect(res.status, res.text).toBe(200);
    const chunk = res.json as ReplayChunk;
    expect(chunk.events).toEqual([
      { incidentId: recorded, at: atD(0), status: 'reported', severity: 2 },
      { incidentId: legacy, at: atD(1), status: 'reported' },
      { incidentId: bridged, at: atD(2), status: 'reported' },
      { incidentId: legacy, at: atD(10), status: 'dispatched' },
      { incidentId: recorded, at: atD(20), severity: 4 },
      { incidentId: legacy, at: atD(20), severity: 4 },
      { incidentId: bridged, at: atD(20), severity: 4 },
      { incidentId: recorded, at: atD(40), severity: 3 },
      { incidentId: legacy, at: atD(40), severity: 3 },
      { incidentId: bridged, at: atD(40), severity: 3 },
      { incidentId: recorded, at: atD(50), status: 'resolved' },
      { incidentId: legacy, at: atD(50), status: 'resolved' },
      { incidentId: bridged, at: atD(50), status: 'resolved' },
    ]);
    const reported = Object.fromEntries(chunk.incidents.map((i) => [i.id, [i.status, i.severity]]));
    expect(reported).toEqual({ [recorded]: ['reported', 2], [legacy]: ['reported', 3], [bridged]: ['reported', 2] });
  });

  it('records what the time machine reads, going forward: the report’s severity and the severity each change replaced', async () => {
    const created = await callApi(server.baseUrl, who.coordinator, 'POST', '/api/incidents', {
      category: 'neighbour_dispute', severity: 2, title: '等级变化记录', position: [100.15, 31.15],
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as IncidentView).id;
    for (const severity of [4, 3]) {
      const changed = await callApi(server.baseUrl, who.coordinator, 'PATCH', `/api/incidents/${id}`, { severity });
      expect(changed.status, changed.text).toBe(200);
    }
    const timeline = (await callApi(server.baseUrl, who.coordinator, 'GET', `/api/incidents/${id}/timeline`)).json as IncidentTimeline;
    expect(timeline.entries.map(({ action, severity, fromSeverity }) => ({ action, severity, fromSeverity }))).toEqual([
      { action: 'reported', severity: 2, fromSeverity: undefined },
      { action: 'severity', severity: 4, fromSeverity: 2 },
      { action: 'severity', severity: 3, fromSeverity: 4 },
    ]);
    // Read back through the time machine: 2 just after the report (its stamp has microseconds, the
    // API's milliseconds, hence +1 ms; each change came in a later request), 4 between, 3 after.
    const severityAt = async (ms: number) => (await state('viewer', new Date(ms).toISOString())).incidents.find((i) => i.id === id)?.severity;
    const [report, raised, lowered] = timeline.entries.map((e) => Date.parse(e.at)) as [number, number, number];
    expect(report + 1).toBeLessThan(raised);
    expect(raised + 1).toBeLessThan(lowered);
    expect(await severityAt(report + 1)).toBe(2);
    expect(await severityAt(raised + 1)).toBe(4);
    expect(await severityAt(lowered + 1)).toBe(3);
  });

  it('projects incidents per role as the live map does: viewers and wall displays never get narratives or contacts', async () => {
    for (const role of ['viewer', 'wall'] as const) {
      const s = await state(role, T);
      expect(s.incidents.map((i) => i.id).sort()).toEqual([fx.incidents.walked, fx.incidents.oldOpen].sort());
      for (const i of s.incidents) {
        expect(Object.keys(i), role).not.toContain('description');
        expect(Object.keys(i), role).not.toContain('reporterContact');
        expect(Object.keys(i), role).not.toContain('outcomeNote');
      }
      const chunk = (await callApi(server.baseUrl, who[role], 'GET', `/api/replay/history?from=${at(0)}&to=${at(15)}`)).json as ReplayChunk;
      expect(chunk.incidents.map((i) => i.id)).toEqual([fx.incidents.later]);
      expect(JSON.stringify(chunk)).not.toContain('13800000000');
      expect(JSON.stringify(s)).not.toContain('宅基地边界争执');
    }
    const admin = await state('admin', T);
    expect(admin.incidents.every((i: IncidentView) => i.description === '两户因宅基地边界争执')).toBe(true);
  });

  it('hands staff the whole incident in the state and in a chunk, each read recorded as the live list records it; viewer and wall reads leave no trace', async () => {
    const chunkPath = `/api/replay/history?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(15))}`;
    const read = async (role: keyof typeof who) => {
      const res = await callApi(server.baseUrl, who[role], 'GET', chunkPath);
      expect(res.status, res.text).toBe(200);
      return { state: await state(role, T), chunk: res.json as ReplayChunk };
    };
    for (const role of ['admin', 'coordinator'] as const) {
      const { state: s, chunk } = await read(role);
      expect(s.incidents.find((i) => i.id === fx.incidents.walked), role).toMatchObject({ description: '两户因宅基地边界争执', reporterContact: '13800000000' });
      expect(chunk.incidents, role).toMatchObject([{ id: fx.incidents.later, description: '两户因宅基地边界争执', reporterContact: '13800000000' }]);
    }
    // Their redaction is the test above; here only that their reads are not recorded.
    await read('viewer');
    await read('wall');
    const reads = (await listAudit(t.db, { action: 'incidents.read_detail', limit: 1000 })).filter((a) => a.target?.startsWith('replay:'));
    const readsBy = (role: keyof typeof who) => reads.filter((a) => a.actorUserId === who[role].userId).map((a) => [a.target, a.detail]);
    for (const role of ['admin', 'coordinator'] as const) {
      expect(readsBy(role), role).toEqual(
        expect.arrayContaining([
          [`replay:${T}`, { count: 2 }],
          [`replay:${at(0)}/${at(15)}`, { count: 1 }],
        ]),
      );
    }
    expect(readsBy('viewer')).toEqual([]);
    expect(readsBy('wall')).toEqual([]);
  });

  it('lists the alerts raised in the day up to T, acknowledged only if that had happened by T', async () => {
    const s = await state('viewer', T);
    expect(s.alerts.map((a) => [a.kind, a.raisedAt, a.acknowledgedAt])).toEqual([
      ['stale', at(-60), null],
      ['sos', T, null],
    ]);
    expect((await state('viewer', at(5))).alerts[0]).toMatchObject({ kind: 'stale', acknowledgedAt: at(5), acknowledgedBy: 'coord' });
  });

  it('hands out a chunk of history in columns: fixes per device, status steps and reports in [from, to)', async () => {
    const res = await callApi(server.baseUrl, who.viewer, 'GET', `/api/replay/history?from=${encodeURIComponent(at(-15))}&to=${encodeURIComponent(at(15))}`);
    expect(res.status, res.text).toBe(200);
    const chunk = res.json as ReplayChunk;
    expect(chunk).toMatchObject({ from: at(-15), to: at(15) });
    const byDevice = Object.fromEntries(chunk.tracks.map((tr) => [tr.deviceId, tr]));
    expect(Object.keys(byDevice).map(Number).sort((a, b) => a - b)).toEqual([fx.devices.A1, fx.devices.A2, fx.devices.C1].sort((a, b) => a - b));
    const a1 = byDevice[fx.devices.A1]!;
    expect(a1).toMatchObject({ teamId: fx.teams.A, count: 4 });
    expect(decode(a1.t)).toEqual([5 * 60_000, 10 * 60_000, 15 * 60_000, 15 * 60_000 + 1000]);
    expect(decode(a1.xy)).toEqual([100_100_000, 31_100_000, 100_110_000, 31_110_000, 100_123_456, 31_123_456, 100_200_000, 31_200_000]);
    expect(chunk.events).toEqual([
      { incidentId: fx.incidents.walked, at: at(-10), status: 'on_scene' },
      { incidentId: fx.incidents.later, at: at(5), status: 'reported' },
      { incidentId: fx.incidents.walked, at: at(10), status: 'resolved' },
    ]);
    expect(chunk.incidents.map((i) => [i.id, i.status])).toEqual([[fx.incidents.later, 'reported']]);
    expect(chunk.alerts.map((a) => a.kind)).toEqual(['sos', 'offline']);
  });

  it('reads by index: the per-device probe, the incident span and the alerts window (sequential scans off, so only a missing index shows)', async () => {
    const plan = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const explain = async (sql: string, params: unknown[]) =>
        (await tx.query<Record<string, string>>(`EXPLAIN ${sql}`, params)).rows.map((r) => Object.values(r)[0]).join('\n');
      return [
        await explain(`SELECT fix_time FROM positions WHERE device_id = $1::int AND fix_time <= $2::timestamptz ORDER BY fix_time DESC LIMIT 1`, [fx.devices.A1, T]),
        await explain(
          `SELECT id FROM incidents i WHERE tstzrange(i.reported_at, CASE WHEN i.status IN ('resolved', 'closed') THEN GREATEST(i.reported_at, i.updated_at) ELSE 'infinity'::timestamptz END, '[]') @> $1::timestamptz`,
          [T],
        ),
        await explain(`SELECT id FROM alerts WHERE raised_at >= $1::timestamptz AND raised_at <= $2::timestamptz`, [at(-60), T]),
      ];
    });
    // positions is partitioned by UTC day (migration 0019): each partition's copy of the unique index.
    expect(plan[0]).toMatch(/Index (Only )?Scan Backward using positions_(p\d{8}|default)_device_id_fix_time_key/);
    expect(plan[1]).toContain('incidents_span_idx');
    expect(plan[2]).toContain('alerts_raised_at_idx');
  });

  it('reads incidents with their status and severity at T as db/replay.ts writes the queries: by index, never a scan of every incident', async () => {
    const plans = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      // The real functions, their SQL run under EXPLAIN: the rows they get back are the plan's lines.
      const planOf = async (run: (db: Queryable) => Promise<unknown>): Promise<string> => {
        const lines: string[] = [];
        const explaining: Queryable = {
          query: async <R extends object>(sql: string, params?: readonly unknown[]) => {
            lines.push(...(await tx.query<Record<string, string>>(`EXPLAIN ${sql}`, params)).rows.map((r) => String(Object.values(r)[0])));
            return { rows: [] as R[] };
          },
        };
        await run(explaining);
        return lines.join('\n');
      };
      return {
        state: await planOf((db) => getIncidentStatesAt(db, { at: atD(30) })),
        steps: await planOf((db) => getIncidentSteps(db, { from: atD(0), to: atD(60) })),
        reported: await planOf((db) => getSeveritiesAtReport(db, { ids: [fx.severities.recorded, fx.severities.legacy] })),
      };
    });
    expect(plans.state).toContain('incidents_span_idx');
    expect(plans.state).toContain('incidents_reported_at_idx');
    expect(plans.steps).toContain('incidents_span_idx');
    expect(plans.reported).toContain('incidents_pkey');
    for (const plan of Object.values(plans)) expect(plan).not.toMatch(/Seq Scan on incidents/);
  });

  it('refuses a chunk longer than an hour, a range backwards and a time without its zone', async () => {
    const bad = async (path: string, field: string) => {
      const res = await callApi(server.baseUrl, who.viewer, 'GET', path);
      expect(res.status, path).toBe(422);
      expect(res.text).toContain(field);
    };
    await bad(`/api/replay/history?from=${at(0)}&to=${at(61)}`, 'to:');
    await bad(`/api/replay/history?from=${at(10)}&to=${at(0)}`, 'from:');
    await bad(`/api/replay/state?at=2025-06-10T14:00:00`, 'at:');
    await bad(`/api/replay/state`, 'at:');
    expect((await callApi(server.baseUrl, null, 'GET', `/api/replay/state?at=${T}`)).status).toBe(401);
  });
});
