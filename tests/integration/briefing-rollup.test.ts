// The briefing's patrol figures from the patrol rollup (migration 0014) are
// exactly those the direct query over positions gives (patrolSource:
// 'positions', the statement the briefing ran before the rollup), on a data
// set written through the ingest statement (insertPositions) as devices send
// it: late fixes uploaded out of order after a briefing was already read, a
// device moved to another team in the middle of a day, fixes one second
// either side of township midnight (the server's clock is UTC in CI's server
// run: a UTC day would cut 2 June at 08:00 township time), a fix outside every
// cell, a village briefing, a window still filling (today), a window not at
// midnight, deleted fixes and a change of the township's time zone. A few
// figures are also counted by hand, so both sides being empty could not pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/client';
import { getBriefingFigures, type BriefingWindow } from '../../db/briefing';
import { patrolRollupReady } from '../../db/patrol-rollup';
import { insertPositions, type FixRow } from '../../db/positions';
import { townshipDay, townshipDayStart } from '../../lib/model/township-time';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { writeBriefingTownship, type BriefingTownship } from '../helpers/briefing-fixture';
import { fixRow } from '../helpers/fixes';

const TZ = 'Asia/Shanghai';
const window = (from: string, to: string, tz = TZ): BriefingWindow => ({ start: townshipDayStart(from, tz), end: townshipDayStart(to, tz) });
const JUNE = window('2025-06-01', '2025-07-01');
const MAY = window('2025-05-01', '2025-06-01');
const JUNE_2 = window('2025-06-02', '2025-06-03');
const YEAR = window('2025-01-01', '2026-01-01');

describe.each(engines())('the patrol rollup on %s', (engine) => {
  let t: TestDb;
  let fx: BriefingTownship;
  let d1: number;
  let d2: number;

  /** A fix at `at` (an instant with its offset) at a point; its cell is found by the ingest statement. */
  const fix = (deviceId: number, at: string, lon: number, lat = 31.005): FixRow => fixRow(deviceId, at, [lon, lat]);
  /** 'rollup': as the briefing reads, refreshing the rollup and reading it when ready; 'positions': straight from the fixes. */
  const figures = (windows: BriefingWindow[], villageId: number | null, source: 'rollup' | 'positions', tz = TZ, db: Queryable = t.db) =>
    getBriefingFigures(db, { windows, tz, villageId, herbMonths: [5, 6, 7], patrolSource: source === 'rollup' ? 'auto' : 'positions' });
  const dirty = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM patrol_dirty`)).rows[0]!.n;

  /** Every window and scope, from the rollup and from the fixes: the same figures, and the rollup left clean. */
  async function expectSameAsPositions(windows: BriefingWindow[], tz = TZ) {
    for (const villageId of [null, fx.villages.V1, fx.villages.V2]) {
      const rollup = await figures(windows, villageId, 'rollup', tz);
      expect(await dirty()).toBe(0);
      expect(rollup).toEqual(await figures(windows, villageId, 'positions', tz));
    }
    // …and they came from the rollup: ready for these windows, and a rollup
    // made wrong (every township path a kilometre longer, in a transaction
    // rolled back) gives other figures than the fixes.
    expect(await patrolRollupReady(t.db, windows, tz)).toBe(true);
    const direct = await figures(windows, null, 'positions', tz);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`UPDATE patrol_paths SET metres = metres + 1000 WHERE village_id = 0`);
        const tampered = await figures(windows, null, 'rollup', tz, tx);
        expect(tampered.map((f) => f.patrolKm)).not.toEqual(direct.map((f) => f.patrolKm));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await dirty()).toBe(0);
  }

  beforeAll(async () => {
    t = await freshDb(engine);
    fx = await writeBriefingTownship(t.db);
    d1 = fx.devices.D1;
    d2 = fx.devices.D2;
    // 2 June (township): D1 walks G1 → G2 (village V1) → G3 (V2) → outside every cell, 09:00–11:00.
    await insertPositions(t.db, [
      fix(d1, '2025-06-02T09:00:00+08:00', 100.005),
      fix(d1, '2025-06-02T09:30:00+08:00', 100.015),
      fix(d1, '2025-06-02T10:00:00+08:00', 100.025),
      fix(d1, '2025-06-02T11:00:00+08:00', 100.045),
    ]);
    // One second either side of township midnight 2/3 June (16:00 UTC): two days, hours 23 and 00.
    await insertPositions(t.db, [fix(d2, '2025-06-02T23:59:59+08:00', 100.006), fix(d2, '2025-06-03T00:00:00+08:00', 100.016)]);
    // The last second of May and the first of June.
    await insertPositions(t.db, [fix(d2, '2025-05-31T23:59:59+08:00', 100.007), fix(d2, '2025-06-01T00:00:00+08:00', 100.017)]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives the figures the fixes give, for the township and each village, and fills the rollup', async () => {
    expect(await dirty()).toBeGreaterThan(0);
    await expectSameAsPositions([JUNE]);
    await expectSameAsPositions([MAY, JUNE, JUNE_2, YEAR]);
    const [june] = await figures([JUNE], null, 'rollup');
    // By hand: T1 hours 09, 10, 11 on 2 June; T2 hours 23 (2 June), 00 (3 June), 00 (1 June).
    expect(june!.patrolByTeam.map((r) => [r.code, r.hours, r.cells])).toEqual([
      ['T1', 3, 3],
      ['T2', 3, 2],
    ]);
    expect(june!.patrolByTeam[0]!.km).toBeGreaterThan(3);
    // V1's path of D1 joins only its G1 and G2 fixes: about one kilometre, not the township's four.
    const [v1] = await figures([JUNE], fx.villages.V1, 'rollup');
    expect(v1!.patrolByTeam.find((r) => r.code === 'T1')!.hours).toBe(1);
    expect(v1!.patrolByTeam.find((r) => r.code === 'T1')!.km).toBeLessThan(1.5);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM patrol_paths WHERE village_id = 0`)).rows[0]!.n).toBe(5);
  });

  it('recomputes a day already briefed when late fixes arrive out of order', async () => {
    const before = (await figures([JUNE], null, 'rollup'))[0]!;
    // Buffered fixes uploaded later, older than the day's last: between 09:00 and 09:30, and at 08:15 (a new hour).
    await insertPositions(t.db, [fix(d1, '2025-06-02T09:15:00+08:00', 100.005, 31.009), fix(d1, '2025-06-02T08:15:00+08:00', 100.001)]);
    expect(await dirty()).toBe(1);
    const after = (await figures([JUNE], null, 'rollup'))[0]!;
    expect(after.patrolByTeam.find((r) => r.code === 'T1')!.hours).toBe(4);
    expect(after.patrolByTeam.find((r) => r.code === 'T1')!.km).toBeGreaterThan(before.patrolByTeam.find((r) => r.code === 'T1')!.km);
    await expectSameAsPositions([JUNE, JUNE_2]);
  });

  it('splits a device`s day between the teams it patrolled for', async () => {
    // D1 moves to T2 at noon and walks on in G1 and G2 the same day.
    await t.db.query(`UPDATE devices SET team_id = $1::int WHERE id = $2::int`, [fx.teams.T2, d1]);
    await insertPositions(t.db, [fix(d1, '2025-06-02T12:00:00+08:00', 100.004), fix(d1, '2025-06-02T12:40:00+08:00', 100.014)]);
    const [june] = await figures([JUNE], null, 'rollup');
    // T2: its own D2 hours (3) and D1's hour 12.
    expect(june!.patrolByTeam.find((r) => r.code === 'T2')!.hours).toBe(4);
    await expectSameAsPositions([JUNE, JUNE_2, YEAR]);
    await t.db.query(`UPDATE devices SET team_id = $1::int WHERE id = $2::int`, [fx.teams.T1, d1]);
  });

  it('keeps a window still filling (today) exact as fixes keep coming', async () => {
    const today = window('2025-06-20', '2025-06-21');
    await insertPositions(t.db, [fix(d2, '2025-06-20T08:00:00+08:00', 100.005)]);
    await expectSameAsPositions([today]);
    await insertPositions(t.db, [fix(d2, '2025-06-20T08:30:00+08:00', 100.025), fix(d1, '2025-06-20T09:00:00+08:00', 100.015)]);
    await expectSameAsPositions([today, JUNE]);
    const [f] = await figures([today], null, 'rollup');
    expect(f!.patrolByTeam.map((r) => [r.code, r.hours])).toEqual([
      ['T1', 1],
      ['T2', 1],
    ]);
  });

  it('reads a window that does not start at township midnight from the fixes, with the same figures', async () => {
    const noon = { start: new Date('2025-06-02T04:00:00Z'), end: new Date('2025-06-21T04:00:00Z') };
    const before = await dirty();
    expect(await figures([noon], null, 'rollup')).toEqual(await figures([noon], null, 'positions'));
    expect(await dirty()).toBe(before);
  });

  it('counts for a briefing only the marks left on its windows` days', async () => {
    // A fix written by a plain INSERT (an import, a fixture) is marked as the ingest statement`s are.
    await t.db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom) VALUES ($1::int, $2::int, '2025-08-01T09:00:00+08:00', ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326))`,
      [d1, fx.teams.T1],
    );
    expect((await t.db.query<{ day: string }>(`SELECT day::text FROM patrol_dirty`)).rows).toEqual([{ day: '2025-08-01' }]);
    // A refresh that recomputes nothing (limit 0) leaves August`s mark: it counts for August, not for June.
    const left = async (w: BriefingWindow) =>
      (
        await t.db.query<{ n: number }>(`SELECT patrol_rollup_refresh($1::text, 0, $2::date[], $3::date[]) AS n`, [
          TZ,
          [townshipDay(w.start, TZ)],
          [townshipDay(w.end, TZ)],
        ])
      ).rows[0]!.n;
    expect(await left(JUNE)).toBe(0);
    expect(await left(window('2025-08-01', '2025-08-02'))).toBe(1);
    await expectSameAsPositions([JUNE, window('2025-08-01', '2025-09-01')]);
  });

  it('marks deleted fixes` days and recomputes them', async () => {
    await t.db.query(`DELETE FROM positions WHERE device_id = $1::int AND fix_time = $2::timestamptz`, [d1, '2025-06-02T10:00:00+08:00']);
    expect(await dirty()).toBe(1);
    await expectSameAsPositions([JUNE, JUNE_2]);
  });

  it('rebuilds on another time zone`s days when the township`s zone changes, and back', async () => {
    // In UTC, D2's 23:59:59 and 00:00:00 (Shanghai) are 15:59:59 and 16:00:00 on one day.
    await expectSameAsPositions([window('2025-06-01', '2025-07-01', 'UTC'), window('2025-06-02', '2025-06-03', 'UTC')], 'UTC');
    expect((await t.db.query<{ time_zone: string }>(`SELECT time_zone FROM patrol_rollup_state`)).rows[0]!.time_zone).toBe('UTC');
    await insertPositions(t.db, [fix(d2, '2025-06-25T07:00:00+08:00', 100.005)]);
    await expectSameAsPositions([JUNE, JUNE_2]);
    expect((await t.db.query<{ time_zone: string }>(`SELECT time_zone FROM patrol_rollup_state`)).rows[0]!.time_zone).toBe(TZ);
  });

  it('turns a mark written on the old zone`s clock into the new zone`s days', async () => {
    // An ingest that counted its day on UTC's clock while the zone changed to Shanghai's.
    await t.db.query(`UPDATE patrol_rollup_state SET time_zone = 'UTC'`);
    await insertPositions(t.db, [fix(d2, '2025-06-26T07:30:00+08:00', 100.015)]);
    await t.db.query(`UPDATE patrol_rollup_state SET time_zone = $1::text`, [TZ]);
    expect((await t.db.query<{ zone: string }>(`SELECT zone FROM patrol_dirty`)).rows).toEqual([{ zone: 'UTC' }]);
    await expectSameAsPositions([JUNE, window('2025-06-26', '2025-06-27')]);
  });
});
