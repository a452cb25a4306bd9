// Retention (issue 15, lib/retention.ts) on positions partitioned by UTC day
// (migration 0019): a pass drops the day partitions older than the setting and
// keeps the newer ones; fixes at a partition's edges (UTC midnight) and at
// township midnight land in the right day; a backlog fix older than every
// partition and a fix from the future are accepted (their own day through the
// ingest statement, the default partition when written directly, moved into
// their day by the next pass); the time machine still answers inside the
// window; the patrol rollup still equals the direct query after a drop; and
// reporter contacts older than their setting are erased and audited (no
// contact in the audit), younger ones kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBriefingFigures, type BriefingWindow } from '../../db/briefing';
import { insertIncident } from '../../db/incidents';
import { insertPositions, type FixRow } from '../../db/positions';
import { getTeamsAt, getTracks } from '../../db/replay';
import { listDayPartitions } from '../../db/retention';
import { townshipDayStart } from '../../lib/model/township-time';
import { runRetention, type RetentionResult } from '../../lib/retention';
import { writeBriefingTownship, type BriefingTownship } from '../helpers/briefing-fixture';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { fixRow } from '../helpers/fixes';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
/** The pass's clock: 30 June 2025 12:00 UTC; 10 days kept → everything before 20 June 00:00 UTC goes. */
const NOW = new Date('2025-06-30T12:00:00Z');
const SETTINGS = { positionsDays: 10, contactDays: 30 };
const JUNE: BriefingWindow = { start: townshipDayStart('2025-06-01', TZ), end: townshipDayStart('2025-07-01', TZ) };

describe.each(engines())('retention on %s', (engine) => {
  let t: TestDb;
  let fx: BriefingTownship;
  let result: RetentionResult;
  let figuresBefore: Awaited<ReturnType<typeof figures>>;

  const fix = (deviceId: number, at: string, lon = 100.005, lat = 31.005): FixRow => fixRow(deviceId, at, [lon, lat]);
  /** The partition a fix is stored in. */
  const partitionOf = async (deviceId: number, at: string) =>
    (
      await t.db.query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM positions WHERE device_id = $1 AND fix_time = $2`, [
        deviceId,
        at,
      ])
    ).rows.map((r) => r.p);
  const figures = (source: 'auto' | 'positions') =>
    getBriefingFigures(t.db, { windows: [JUNE], tz: TZ, villageId: null, herbMonths: [5, 6, 7], patrolSource: source });
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await writeBriefingTownship(t.db);
    const { D1, D2 } = fx.devices;
    // D1: two fixes a day (09:00 and 10:00 township time, in cells G1 and G2), 15–30 June except the 21st.
    const fixes: FixRow[] = [];
    for (let d = 15; d <= 30; d++) {
      if (d === 21) continue;
      const day = `2025-06-${String(d).padStart(2, '0')}`;
      fixes.push(fix(D1, `${day}T09:00:00+08:00`, 100.005), fix(D1, `${day}T10:00:00+08:00`, 100.015));
    }
    // D2 at the edges: the last instant of 24 June UTC, UTC midnight, township midnight (16:00 UTC).
    fixes.push(
      fix(D2, '2025-06-24T23:59:59.999Z'),
      fix(D2, '2025-06-25T00:00:00.000Z'),
      fix(D2, '2025-06-25T15:59:59.999Z'),
      fix(D2, '2025-06-25T16:00:00.000Z'),
    );
    // A backlog older than every partition, and a clock a year ahead: through the ingest statement.
    fixes.push(fix(D2, '1990-03-04T05:06:07Z'), fix(D2, '2026-06-30T12:00:00Z'));
    const { inserted } = await insertPositions(t.db, fixes);
    expect(inserted.size).toBe(fixes.length);
    // Written directly (an import, a fixture): days without a partition land in the default one.
    await t.db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom)
       SELECT $1::int, (SELECT team_id FROM devices WHERE id = $1::int), x::timestamptz, ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326)
       FROM unnest($2::text[]) AS x`,
      [D2, ['1980-01-01T00:00:00Z', '2025-06-21T03:00:00Z']],
    );
    // The rollup read once with every day in it, so the drop has rows to take back.
    figuresBefore = await figures('auto');

    // Reporter contacts: one reported 31 days before the pass, one 29 days before, one without a contact.
    const incident = (title: string, reporterContact: string | null, daysAgo: number) =>
      insertIncident(t.db, {
        category: 'neighbour_dispute',
        severity: 2,
        title,
        reporterContact,
        source: 'hotline',
        position: [100.005, 31.005],
        reportedAt: new Date(NOW.getTime() - daysAgo * DAY),
      });
    await incident('old', '13800000001', 31);
    await incident('young', '13800000002', 29);
    await incident('none', null, 40);

    result = await runRetention(t.db, SETTINGS, NOW);
  });

  afterAll(async () => {
    await t?.drop();
  });

  it('lands each fix in its UTC day, at both edges and at township midnight; backlog and future fixes get their days', async () => {
    const { D2 } = fx.devices;
    expect(await partitionOf(D2, '2025-06-24T23:59:59.999Z')).toEqual(['positions_p20250624']);
    expect(await partitionOf(D2, '2025-06-25T00:00:00.000Z')).toEqual(['positions_p20250625']);
    expect(await partitionOf(D2, '2025-06-25T15:59:59.999Z')).toEqual(['positions_p20250625']);
    expect(await partitionOf(D2, '2025-06-25T16:00:00.000Z')).toEqual(['positions_p20250625']);
    expect(await partitionOf(D2, '2026-06-30T12:00:00Z')).toEqual(['positions_p20260630']);
    // The directly written fix of a day inside the window was moved from the default partition into its day.
    expect(await partitionOf(D2, '2025-06-21T03:00:00Z')).toEqual(['positions_p20250621']);
    expect(await count(`SELECT count(*)::int AS n FROM positions_default`)).toBe(0);
  });

  it('drops the day partitions older than the setting and keeps the newer ones', async () => {
    expect(result.positionsBefore).toBe('2025-06-20T00:00:00.000Z');
    expect(result.dropped).toEqual([
      'positions_p19900304',
      'positions_p20250615',
      'positions_p20250616',
      'positions_p20250617',
      'positions_p20250618',
      'positions_p20250619',
    ]);
    expect(result.busy).toEqual([]);
    expect(result.defaultDeleted).toBe(1); // the 1980 fix
    const days = (await listDayPartitions(t.db)).map((p) => p.name);
    expect(days[0]).toBe('positions_p20250620');
    // Ahead of the pass's clock: 29 June (yesterday) to 3 July.
    expect(days).toEqual(expect.arrayContaining(['positions_p20250629', 'positions_p20250630', 'positions_p20250703', 'positions_p20260630']));
    expect(await count(`SELECT count(*)::int AS n FROM positions WHERE fix_time < '2025-06-20T00:00:00Z'`)).toBe(0);
    // 20–30 June without the 21st: 10 days × 2 of D1, D2's 4 edge fixes, its 21 June fix and its future one.
    expect(await count(`SELECT count(*)::int AS n FROM positions`)).toBe(20 + 4 + 1 + 1);
    // The drop is audited: which days, no rows.
    const audit = (await t.db.query(`SELECT actor, detail FROM audit_log WHERE action = 'positions.retention'`)).rows;
    expect(audit).toEqual([
      {
        actor: 'system:retention',
        detail: { retentionDays: 10, before: '2025-06-20T00:00:00.000Z', droppedDays: result.dropped, defaultDeleted: 1 },
      },
    ]);
    // A second pass has nothing left to do.
    const again = await runRetention(t.db, SETTINGS, NOW);
    expect([again.dropped, again.busy, again.defaultDeleted, again.erased, again.made]).toEqual([[], [], 0, [], 0]);
  });

  it('still answers the time machine inside the window', async () => {
    const { T1, T2 } = fx.teams;
    const teams = await getTeamsAt(t.db, { at: '2025-06-25T05:00:00Z' });
    // D1's newest fix at or before 13:00 township time on 25 June: 10:00 that day; D2's: UTC midnight.
    expect(teams.find((u) => u.teamId === T1)?.fixTime).toBe('2025-06-25T02:00:00.000Z');
    expect(teams.find((u) => u.teamId === T2)?.fixTime).toBe('2025-06-25T00:00:00.000Z');
    // Before the window: nothing is left to answer with.
    const before = await getTeamsAt(t.db, { at: '2025-06-19T12:00:00Z' });
    expect(before.find((u) => u.teamId === T1)?.fixTime ?? null).toBeNull();
    const tracks = await getTracks(t.db, { from: '2025-06-24T00:00:00Z', to: '2025-06-26T00:00:00Z' });
    expect(tracks.map((tr) => [tr.deviceId, tr.t.length])).toEqual([
      [fx.devices.D1, 4],
      [fx.devices.D2, 4],
    ]);
  });

  it('keeps the patrol rollup equal to the direct query after the drop', async () => {
    const rollup = await figures('auto');
    expect(await count(`SELECT count(*)::int AS n FROM patrol_dirty`)).toBe(0);
    expect(rollup).toEqual(await figures('positions'));
    // …and the drop changed them: fewer patrol kilometres than before it.
    expect(rollup[0]!.patrolKm).toBeLessThan(figuresBefore[0]!.patrolKm);
    expect(rollup[0]!.patrolKm).toBeGreaterThan(0);
  });

  it('erases reporter contacts older than their setting, audited without the contact; younger ones kept', async () => {
    const rows = (await t.db.query<{ id: number; title: string; reporter_contact: string | null }>(
      `SELECT id::int AS id, title, reporter_contact FROM incidents WHERE title IN ('old', 'young', 'none') ORDER BY title`,
    )).rows;
    expect(rows.map((r) => [r.title, r.reporter_contact])).toEqual([
      ['none', null],
      ['old', null],
      ['young', '13800000002'],
    ]);
    const old = rows.find((r) => r.title === 'old')!;
    expect(result.erased).toEqual([old.id]);
    const audit = (await t.db.query<{ actor: string; actor_user_id: number | null; detail: Record<string, unknown> }>(
      `SELECT actor, actor_user_id, detail FROM audit_log WHERE action = 'incident.contact_erase'`,
    )).rows;
    expect(audit).toEqual([
      {
        actor: 'system:retention',
        actor_user_id: null,
        detail: { count: 1, incidentIds: [old.id], retentionDays: 30, reportedBefore: new Date(NOW.getTime() - 30 * DAY).toISOString() },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('138000');
  });
});
