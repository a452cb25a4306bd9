// The two safety nets under the row locks, provoked on purpose:
// - the unique index `assignments_one_active_per_team` refuses a second active
//   assignment that the team lock did not see (a writer that took no lock), and
//   the dispatch answers 409 naming the other incident, leaving nothing behind;
// - a deadlock (two transactions locking rows in opposite orders) aborts one
//   side, which `transaction()` runs again, so both callers succeed.
// (Server engine only: PGlite is one connection, so neither can happen there.
// The file is part of the suite only when DATABASE_URL is set — vitest.config.ts.)
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../../lib/bus';
import { dispatchTeam } from '../../lib/dispatch';
import { createIncident } from '../../lib/incidents';
import { AppError } from '../../lib/errors';
import type { Actor } from '../../lib/audit';
import { signIn } from '../helpers/auth';
import { freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

/** Waits until some other session of this database is blocked on a lock. */
async function untilSomeoneWaitsOnALock(db: TestDb['db']): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no session started waiting on a lock within 5 s');
}

describe('the backstops under the row locks (PostGIS server)', () => {
  let t: TestDb;
  let town: DispatchTownship;
  let other: pg.Client;
  let actor: Actor;

  const newIncident = async (title: string): Promise<number> =>
    (await createIncident({ db: t.db, bus: new Bus() }, { category: 'neighbour_dispute', severity: 2, title, source: 'coordinator', position: town.inside })).id;

  beforeAll(async () => {
    t = await freshDb('pg');
    town = await insertDispatchTownship(t.db);
    const coordinator = await signIn(t.db, 'coordinator');
    actor = { actorUserId: coordinator.userId, actor: '调度员 王建国', role: 'coordinator', ip: null };
    other = new pg.Client({ connectionString: t.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await t?.drop();
  });

  it('a second active assignment written without the team lock: 409 naming its incident, nothing of the dispatch kept', async () => {
    const team = town.teams[0]!;
    const [mine, theirs] = [await newIncident('后备约束 我的'), await newIncident('后备约束 别处')];
    // Another writer assigns the team without taking the team's row lock, and has not committed yet.
    await other.query('BEGIN');
    await other.query(`INSERT INTO assignments (incident_id, team_id, dispatched_by) VALUES ($1, $2, 'elsewhere')`, [theirs, team.id]);

    // The dispatch locks the incident and the team, sees no committed assignment, and its insert waits on the index.
    const dispatch = dispatchTeam({ db: t.db, bus: new Bus() }, { incidentId: mine, teamId: team.id, actor }).then(
      () => null,
      (err: unknown) => err,
    );
    await untilSomeoneWaitsOnALock(t.db);
    await other.query('COMMIT');

    const err = (await dispatch) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect([err.status, err.message, err.incidentId]).toEqual([409, `team ${team.code} is already committed to incident ${theirs}`, theirs]);
    const { rows } = await t.db.query<{ status: string; steps: number; audits: number; active: string[]; unit: string }>(
      `SELECT i.status, jsonb_array_length(i.timeline)::int AS steps,
              (SELECT count(*)::int FROM audit_log WHERE target = 'incident:' || i.id) AS audits,
              (SELECT array_agg(incident_id::text) FROM assignments WHERE team_id = $2 AND released_at IS NULL) AS active,
              (SELECT status FROM unit_state WHERE team_id = $2) AS unit
       FROM incidents i WHERE i.id = $1`,
      [mine, team.id],
    );
    expect(rows[0]).toEqual({ status: 'reported', steps: 1, audits: 0, active: [String(theirs)], unit: 'available' });
  });

  it('a deadlock aborts one transaction, which is run again: both callers succeed, three runs in all', async () => {
    const [a, b] = [town.teams[1]!.id, town.teams[2]!.id];
    let bothHoldTheirFirstRow!: () => void;
    const barrier = new Promise<void>((r) => (bothHoldTheirFirstRow = r));
    let holding = 0;
    const runs: string[] = [];
    const lockInOrder = (name: string, first: number, second: number) =>
      t.db.transaction(async (tx) => {
        runs.push(name);
        await tx.query(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, [first]);
        if (++holding === 2) bothHoldTheirFirstRow();
        await barrier;
        await tx.query(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, [second]);
        await tx.query(`UPDATE teams SET name = name || $2 WHERE id = $1`, [second, `·${name}`]);
        return name;
      });

    const results = await Promise.all([lockInOrder('甲', a, b), lockInOrder('乙', b, a)]);
    expect(results).toEqual(['甲', '乙']);
    // One of the two ran twice: the first run was the deadlock's victim and was rolled back whole.
    expect(runs.length).toBe(3);
    const { rows } = await t.db.query<{ marks: string }>(
      `SELECT string_agg(substring(name from '·.*$'), '' ORDER BY id) AS marks FROM teams WHERE id = ANY($1::int[])`,
      [[a, b]],
    );
    expect(rows[0]!.marks).toBe('·乙·甲');
  });
});
