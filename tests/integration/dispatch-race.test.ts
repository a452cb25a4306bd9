// Two coordinators send the same team to two incidents at the same moment:
// exactly one wins in the database, the other gets 409 naming the winner's
// incident, and nothing of the loser's attempt is left behind — no second
// active assignment, no timeline step, no status change, no audit row. Run
// for many rounds: over HTTP (two requests in flight at once) and on the
// service directly. On the PostGIS server the two transactions really
// overlap; PGlite (one connection) queues them, and the answer must be the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchTeam } from '../../lib/dispatch';
import { AppError } from '../../lib/errors';
import type { Actor } from '../../lib/audit';
import type { Incident } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { insertDispatchTownship, type DispatchTownship } from '../helpers/dispatch-fixture';

const ROUNDS = 20;

describe.each(engines())('concurrent dispatches of one team on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let coordinators: [Awaited<ReturnType<typeof signIn>>, Awaited<ReturnType<typeof signIn>>];
  let town: DispatchTownship;

  const newIncident = async (title: string): Promise<number> => {
    const r = await callApi(server.baseUrl, coordinators[0], 'POST', '/api/incidents', {
      category: 'neighbour_dispute',
      severity: 2,
      title,
      position: town.inside,
    });
    expect(r.status, r.text).toBe(201);
    return (r.json as Incident).id;
  };

  /** What the database holds after a round, for the team and the two incidents. */
  const state = async (teamId: number, ids: [number, number]) => {
    const active = await t.db.query<{ incident_id: string }>(
      `SELECT incident_id::text FROM assignments WHERE team_id = $1 AND released_at IS NULL`,
      [teamId],
    );
    const incidents = await t.db.query<{ id: string; status: string; steps: number }>(
      `SELECT id::text, status, jsonb_array_length(timeline)::int AS steps FROM incidents WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    const audits = await t.db.query<{ target: string }>(`SELECT target FROM audit_log WHERE action = 'incident.dispatch' AND target = ANY($1::text[])`, [
      ids.map((id) => `incident:${id}`),
    ]);
    const unit = await t.db.query<{ status: string }>(`SELECT status FROM unit_state WHERE team_id = $1`, [teamId]);
    return {
      active: active.rows.map((r) => Number(r.incident_id)),
      incidents: Object.fromEntries(incidents.rows.map((r) => [Number(r.id), { status: r.status, steps: r.steps }])),
      audited: audits.rows.map((r) => r.target),
      unit: unit.rows[0]!.status,
    };
  };

  /** Frees the team again for the next round (resolving the winner's incident releases it). */
  const resolve = async (id: number) => {
    const r = await callApi(server.baseUrl, coordinators[0], 'PATCH', `/api/incidents/${id}`, { status: 'resolved', outcome: 'no_action_needed' });
    expect(r.status, r.text).toBe(200);
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    town = await insertDispatchTownship(t.db);
    server = await startTestApp(t.db, { web: await apiRouter() });
    coordinators = [await signIn(t.db, 'coordinator'), await signIn(t.db, 'coordinator')];
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it(`over HTTP, ${ROUNDS} rounds: one 200, one 409 naming the winner's incident, nothing half-written`, async () => {
    const team = town.teams[0]!;
    for (let round = 0; round < ROUNDS; round++) {
      const ids: [number, number] = [await newIncident(`抢派 A${round}`), await newIncident(`抢派 B${round}`)];
      const answers = await Promise.all(
        ids.map((id, k) => callApi(server.baseUrl, coordinators[k as 0 | 1], 'POST', `/api/incidents/${id}/dispatch`, { teamId: team.id })),
      );
      expect(answers.map((a) => a.status).sort(), `round ${round}: ${answers.map((a) => a.text).join(' | ')}`).toEqual([200, 409]);
      const winner = ids[answers.findIndex((a) => a.status === 200)]!;
      const loser = ids[answers.findIndex((a) => a.status === 409)]!;
      expect(answers.find((a) => a.status === 409)!.json).toEqual({
        error: { code: 'conflict', message: `team ${team.code} is already committed to incident ${winner}`, incidentId: winner },
      });
      expect(await state(team.id, ids), `round ${round}`).toEqual({
        active: [winner],
        incidents: { [winner]: { status: 'dispatched', steps: 2 }, [loser]: { status: 'reported', steps: 1 } },
        audited: [`incident:${winner}`],
        unit: 'dispatched',
      });
      await resolve(winner);
    }
  });

  it(`on the service, ${ROUNDS} rounds: exactly one dispatch resolves, the other rejects with the 409`, async () => {
    const team = town.teams[1]!;
    const actor = (k: number): Actor => ({ actorUserId: coordinators[k as 0 | 1].userId, actor: `coordinator-${k}`, role: 'coordinator', ip: null });
    const deps = { db: t.db, bus: server.app.bus };
    for (let round = 0; round < ROUNDS; round++) {
      const ids: [number, number] = [await newIncident(`服务抢派 A${round}`), await newIncident(`服务抢派 B${round}`)];
      const settled = await Promise.allSettled(ids.map((incidentId, k) => dispatchTeam(deps, { incidentId, teamId: team.id, actor: actor(k) })));
      const won = settled.filter((s): s is PromiseFulfilledResult<Incident> => s.status === 'fulfilled');
      const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect([won.length, lost.length], `round ${round}`).toEqual([1, 1]);
      const winner = won[0]!.value.id;
      const err = lost[0]!.reason as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect([err.status, err.message, err.incidentId]).toEqual([409, `team ${team.code} is already committed to incident ${winner}`, winner]);
      const loser = ids.find((id) => id !== winner)!;
      expect(await state(team.id, ids), `round ${round}`).toEqual({
        active: [winner],
        incidents: { [winner]: { status: 'dispatched', steps: 2 }, [loser]: { status: 'reported', steps: 1 } },
        audited: [`incident:${winner}`],
        unit: 'dispatched',
      });
      await resolve(winner);
    }
  });

  it('the database refuses a second active assignment of one team by itself (the backstop under the row lock)', async () => {
    const team = town.teams[2]!;
    const [a, b] = [await newIncident('直接插入 A'), await newIncident('直接插入 B')];
    await t.db.query(`INSERT INTO assignments (incident_id, team_id, dispatched_by) VALUES ($1, $2, 'test')`, [a, team.id]);
    await expect(t.db.query(`INSERT INTO assignments (incident_id, team_id, dispatched_by) VALUES ($1, $2, 'test')`, [b, team.id])).rejects.toThrow(
      /assignments_one_active_per_team/,
    );
  });
});
