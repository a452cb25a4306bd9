// The briefing's incident figures from the incident rollup (migration 0018)
// are exactly those the direct statement over incidents and assignments gives
// (incidentSource: 'incidents', the statement the briefing ran before the
// rollup), after each kind of write the rollup must follow: incidents created
// (one second either side of township midnight, one outside every cell),
// dispatches, arrivals and reassignments, status, severity and category
// changes, a resolution and a reopen, a late edit of the report time that
// moves an incident to another day and window, a delete, a cell change, a
// cell moved to another village, a change of the township's time zone, and a
// window not at township midnight (read directly, the rollup untouched). Each
// case compares every figure for the township and each village; a few are also
// counted by hand, so both sides being empty could not pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/client';
import { getBriefingFigures, type BriefingWindow } from '../../db/briefing';
import { incidentRollupReady } from '../../db/incident-rollup';
import { updateIncident } from '../../db/incidents';
import { townshipDayStart } from '../../lib/model/township-time';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { writeBriefingTownship, type BriefingTownship } from '../helpers/briefing-fixture';

const TZ = 'Asia/Shanghai';
const window = (from: string, to: string, tz = TZ): BriefingWindow => ({ start: townshipDayStart(from, tz), end: townshipDayStart(to, tz) });
const JUNE = window('2025-06-01', '2025-07-01');
const MAY = window('2025-05-01', '2025-06-01');
const JUNE_2 = window('2025-06-02', '2025-06-03');
const YEAR = window('2025-01-01', '2026-01-01');
const ALL = [MAY, JUNE, JUNE_2, YEAR];

describe.each(engines())('the incident rollup on %s', (engine) => {
  let t: TestDb;
  let fx: BriefingTownship;
  const ids: Record<string, number> = {};

  /** 'rollup': as the briefing reads (refresh, then the rollup when ready); 'incidents': the direct statement. */
  const figures = (windows: BriefingWindow[], villageId: number | null, source: 'rollup' | 'incidents', tz = TZ, db: Queryable = t.db) =>
    getBriefingFigures(db, { windows, tz, villageId, herbMonths: [5, 6, 7], incidentSource: source === 'rollup' ? 'auto' : 'incidents' });
  const dirty = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_dirty`)).rows[0]!.n;

  const incident = async (name: string, at: string, category: string, severity: number, grid: keyof BriefingTownship['grids'] | null) => {
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO incidents (category, severity, title, geom, grid_id, reported_at)
       VALUES ($1::text, $2::smallint, 't', ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326), $3::int, $4::timestamptz) RETURNING id::text`,
      [category, severity, grid ? fx.grids[grid] : null, at],
    );
    ids[name] = Number(rows[0]!.id);
  };
  /** A dispatch `dispatchS` after the report, arrival `arriveS` after it (or none), released three hours later. */
  const assign = (name: string, team: keyof BriefingTownship['teams'], dispatchS: number, arriveS: number | null) =>
    t.db.query(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, arrived_at, released_at, release_reason)
       SELECT i.id, $2::int, i.reported_at + make_interval(secs => $3::float8), 'test', i.reported_at + make_interval(secs => $4::float8),
              i.reported_at + interval '3 hours', 'resolved'
       FROM incidents i WHERE i.id = $1::bigint`,
      [ids[name], fx.teams[team], dispatchS, arriveS],
    );
  const resolve = (name: string, outcome: string, afterS: number) =>
    t.db.query(
      `UPDATE incidents SET status = 'resolved', outcome = $2::text, resolved_at = reported_at + make_interval(secs => $3::float8) WHERE id = $1::bigint`,
      [ids[name], outcome, afterS],
    );

  /** Every window and scope, from the rollup and directly: the same figures, read from the rollup, which is left clean. */
  async function expectSameAsIncidents(windows: BriefingWindow[] = ALL, tz = TZ) {
    for (const villageId of [null, fx.villages.V1, fx.villages.V2]) {
      expect(await incidentRollupReady(t.db, windows, tz)).toBe(true);
      expect(await dirty()).toBe(0);
      expect(await figures(windows, villageId, 'rollup', tz)).toEqual(await figures(windows, villageId, 'incidents', tz));
    }
    // …and they came from the rollup: a rollup made wrong (in a transaction
    // rolled back) gives other figures than the incidents.
    const direct = await figures(windows, null, 'incidents', tz);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`UPDATE incident_counts SET n = n + 1000 WHERE scope = 0 AND dim = 't'`);
        await tx.query(`UPDATE incident_facts SET to_dispatch = to_dispatch + 1000`);
        const tampered = await figures(windows, null, 'rollup', tz, tx);
        expect(tampered.map((f) => f.incidents)).not.toEqual(direct.map((f) => f.incidents));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
  }

  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await writeBriefingTownship(t.db);
    // One second either side of township midnight 1/2 June (16:00 UTC on 1 June), the last second of May, an incident outside every cell.
    await incident('A', '2025-06-01T23:59:59+08:00', 'neighbour_dispute', 2, 'G1');
    await incident('B', '2025-06-02T00:00:00+08:00', 'fire', 4, 'G2');
    await incident('C', '2025-05-31T23:59:59+08:00', 'family_dispute', 1, 'G3');
    await incident('D', '2025-06-02T10:30:00+08:00', 'traffic', 3, null);
    await incident('E', '2025-06-15T08:00:00+08:00', 'neighbour_dispute', 2, 'G3');
    await assign('A', 'T1', 300, 900);
    // B: the first team is reassigned before it arrives; the second arrives.
    await assign('B', 'T1', 60, null);
    await assign('B', 'T2', 120, 1800);
    await resolve('A', 'mediated', 3600);
    await resolve('B', 'referred', 7200);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives the figures the incidents give after incidents and assignments are written, for the township and each village', async () => {
    expect(await dirty()).toBeGreaterThan(0);
    await expectSameAsIncidents();
    const [june] = await figures([JUNE], null, 'rollup');
    // By hand: A, B, D, E in June (C is May's last second); A and B resolved.
    expect(june!.incidents).toBe(4);
    expect(june!.resolved).toBe(2);
    expect(june!.byCategory).toEqual([
      { category: 'neighbour_dispute', count: 2 },
      { category: 'fire', count: 1 },
      { category: 'traffic', count: 1 },
    ]);
    // A on Sunday 1 June at 23:00, B on Monday 2 June at 00:00 (township clock).
    expect(june!.hourOfWeek.filter((h) => (h.dow === 7 && h.hour === 23) || (h.dow === 1 && h.hour === 0))).toEqual([
      { dow: 1, hour: 0, count: 1 },
      { dow: 7, hour: 23, count: 1 },
    ]);
    // First dispatch 300 s (A) and 60 s (B): median 180 s; first arrival 900 s and 1800 s.
    expect(june!.response.dispatched).toMatchObject({ samples: 2, medianSeconds: 180 });
    expect(june!.response.onScene).toMatchObject({ samples: 2, medianSeconds: 1350 });
    const [v2] = await figures([JUNE], fx.villages.V2, 'rollup');
    expect(v2!.incidents).toBe(1);
    const [j2] = await figures([JUNE_2], null, 'rollup');
    expect(j2!.incidents).toBe(2);
  });

  it('follows status, severity and category changes, a resolution through the service and a reopen', async () => {
    await updateIncident(t.db, { id: ids.E!, change: { severity: 4 }, entries: [] });
    await t.db.query(`UPDATE incidents SET category = 'fire' WHERE id = $1::bigint`, [ids.D]);
    expect(await dirty()).toBe(2);
    await expectSameAsIncidents();
    await updateIncident(t.db, { id: ids.E!, change: { status: 'resolved', outcome: 'other' }, entries: [] });
    await expectSameAsIncidents();
    // Reopen: the outcome and the resolution time are cleared.
    await updateIncident(t.db, { id: ids.A!, change: { status: 'dispatched' }, entries: [] });
    await expectSameAsIncidents();
    const [june] = await figures([JUNE], null, 'rollup');
    expect(june!.resolved).toBe(2);
    expect(june!.byOutcome.map((o) => o.outcome).sort()).toEqual(['other', 'referred']);
    expect(june!.response.resolved.samples).toBe(2);
  });

  it('follows an arrival recorded later and an assignment deleted', async () => {
    await assign('E', 'T1', 30, null);
    await expectSameAsIncidents();
    await t.db.query(`UPDATE assignments SET arrived_at = dispatched_at + interval '5 minutes' WHERE incident_id = $1::bigint`, [ids.E]);
    await expectSameAsIncidents();
    await t.db.query(`DELETE FROM assignments WHERE incident_id = $1::bigint AND team_id = $2::int`, [ids.B, fx.teams.T1]);
    await expectSameAsIncidents();
  });

  it('moves an incident whose report time is edited late to its new day and window', async () => {
    // B moves from 2 June to May (and from Monday 00:00 to Saturday 12:00); its old day is recounted.
    await t.db.query(`UPDATE incidents SET reported_at = '2025-05-17T12:00:00+08:00' WHERE id = $1::bigint`, [ids.B]);
    await expectSameAsIncidents();
    const [j2, may] = await figures([JUNE_2, MAY], null, 'rollup');
    expect(j2!.incidents).toBe(1);
    expect(may!.incidents).toBe(2);
  });

  it('follows a cell change and a cell moved to another village', async () => {
    await t.db.query(`UPDATE incidents SET grid_id = $2::int WHERE id = $1::bigint`, [ids.E, fx.grids.G1]);
    await t.db.query(`UPDATE incidents SET grid_id = $2::int WHERE id = $1::bigint`, [ids.D, fx.grids.G3]);
    await expectSameAsIncidents();
    // G2 joins V2: every incident is recounted (the grids marked the rollup stale).
    await t.db.query(`UPDATE grids SET village_id = $2::int WHERE id = $1::int`, [fx.grids.G2, fx.villages.V2]);
    expect((await t.db.query<{ stale: boolean }>(`SELECT stale FROM incident_rollup_state`)).rows[0]!.stale).toBe(true);
    await expectSameAsIncidents();
    const [v2] = await figures([YEAR], fx.villages.V2, 'rollup');
    expect(v2!.byGrid.map((g) => g.code).sort()).toEqual(['G2', 'G3']);
    expect(v2!.incidents).toBe(3);
    await t.db.query(`UPDATE grids SET village_id = $2::int WHERE id = $1::int`, [fx.grids.G2, fx.villages.V1]);
    await expectSameAsIncidents();
  });

  it('recounts a deleted incident`s day', async () => {
    await t.db.query(`DELETE FROM assignments WHERE incident_id = $1::bigint`, [ids.A]);
    await t.db.query(`DELETE FROM incidents WHERE id = $1::bigint`, [ids.A]);
    await expectSameAsIncidents();
    // June: D and E (B was moved to May).
    const [june] = await figures([JUNE], null, 'rollup');
    expect(june!.incidents).toBe(2);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_facts WHERE id = $1::bigint`, [ids.A])).rows[0]!.n).toBe(0);
  });

  it('keeps today`s window exact as incidents keep coming, a refresh limit at a time', async () => {
    const today = window('2025-06-20', '2025-06-21');
    await incident('F', '2025-06-20T08:00:00+08:00', 'traffic', 1, 'G1');
    await expectSameAsIncidents([today, JUNE]);
    await incident('G', '2025-06-20T09:00:00+08:00', 'traffic', 2, 'G2');
    await assign('G', 'T2', 45, 600);
    // A refresh that recomputes nothing (limit 0) leaves the marks: the briefing would read the incidents.
    expect((await t.db.query<{ n: number }>(`SELECT incident_rollup_refresh($1::text, 0) AS n`, [TZ])).rows[0]!.n).toBe(1);
    await expectSameAsIncidents([today, JUNE]);
    const [f] = await figures([today], null, 'rollup');
    expect(f!.incidents).toBe(2);
  });

  it('reads a window that does not start at township midnight from the incidents, with the same figures', async () => {
    const noon = { start: new Date('2025-06-01T04:00:00Z'), end: new Date('2025-06-21T04:00:00Z') };
    expect(await incidentRollupReady(t.db, [noon], TZ)).toBe(false);
    await incident('H', '2025-06-05T09:00:00+08:00', 'fire', 2, 'G1');
    expect(await figures([noon], null, 'rollup')).toEqual(await figures([noon], null, 'incidents'));
    // The window not at midnight did not refresh: the mark waits for the next whole-day briefing.
    expect(await dirty()).toBe(1);
    await expectSameAsIncidents();
  });

  it('rebuilds on another time zone`s clock, days and hours split at its midnight', async () => {
    const utcJune = window('2025-06-01', '2025-07-01', 'UTC');
    const utcJune1 = window('2025-06-01', '2025-06-02', 'UTC');
    await expectSameAsIncidents([utcJune, utcJune1, window('2025-01-01', '2026-01-01', 'UTC')], 'UTC');
    expect((await t.db.query<{ time_zone: string }>(`SELECT time_zone FROM incident_rollup_state`)).rows[0]!.time_zone).toBe('UTC');
    // C (31 May 23:59:59 in Shanghai) is 31 May 15:59:59 UTC: still May; B (moved to 17 May) too.
    const [june] = await figures([utcJune], null, 'rollup', 'UTC');
    expect(june!.incidents).toBe((await figures([JUNE], null, 'incidents'))[0]!.incidents);
    // …and back on the township's zone.
    await expectSameAsIncidents();
  });
});
