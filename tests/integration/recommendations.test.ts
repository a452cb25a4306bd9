// GET /api/incidents/[id]/recommendations over HTTP through the real gate, on
// the seeded demo township: seven foot teams are put on one long road at
// known distances from an incident on it; the ranking must follow the road,
// leave out the busy and the off-duty team, and show the busy one on request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTownship } from '../../lib/sim/seed';
import type { Incident, LonLat, RecommendationsPayload } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Person = Awaited<ReturnType<typeof signIn>>;

/** Where team k (1 … 7) stands: 2 % of the road's length per step past the incident at its middle. */
const fraction = (k: number) => 0.5 + 0.02 * k;

describe.each(engines())('recommendations on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let coordinator: Person;
  let viewer: Person;
  let incident: Incident;
  let otherIncidentId: number;
  /** Team ids placed at fraction(1) … fraction(7), in that order. */
  let teams: number[] = [];
  /** Metres along the road from the incident to each team, measured by PostGIS on the spheroid. */
  let roadMetres: number[] = [];
  let offDutyBefore = 0;

  const get = (who: Person, path: string) => callApi(server.baseUrl, who, 'GET', path);

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 2 });
    server = await startTestApp(t.db, { web: await apiRouter() });
    coordinator = await signIn(t.db, 'coordinator');
    viewer = await signIn(t.db, 'viewer');

    const { rows: road } = await t.db.query<{ id: number; lon: number; lat: number }>(
      `SELECT id, ST_X(ST_LineInterpolatePoint(geom, 0.5)) AS lon, ST_Y(ST_LineInterpolatePoint(geom, 0.5)) AS lat
       FROM basemap_features WHERE kind = 'road' AND GeometryType(geom) = 'LINESTRING'
       ORDER BY ST_Length(geom::geography) DESC LIMIT 1`,
    );
    const roadId = road[0]!.id;
    const position: LonLat = [Number(road[0]!.lon), Number(road[0]!.lat)];
    const created = await callApi(server.baseUrl, coordinator, 'POST', '/api/incidents', {
      category: 'traffic', severity: 3, title: '牧道上两车相撞', position,
    });
    expect(created.status).toBe(201);
    incident = created.json as Incident;
    const { rows: other } = await t.db.query<{ id: string }>(`SELECT id::text FROM incidents WHERE id <> $1::bigint ORDER BY id LIMIT 1`, [incident.id]);
    otherIncidentId = Number(other[0]!.id);

    const { rows: foot } = await t.db.query<{ id: number }>(
      `SELECT id FROM teams WHERE on_duty AND force_type IN ('armband', 'militia') ORDER BY id LIMIT 7`,
    );
    teams = foot.map((r) => r.id);
    expect(teams).toHaveLength(7);
    const { rows: placed } = await t.db.query<{ metres: number; team_id: number }>(
      `UPDATE unit_state u SET geom = ST_LineInterpolatePoint(r.geom, p.f), fix_time = now() - interval '20 seconds',
              received_at = now(), status = 'available'
       FROM basemap_features r, unnest($2::int[], $3::float8[]) AS p(team_id, f)
       WHERE r.id = $1::int AND u.team_id = p.team_id
       RETURNING ST_Length(ST_LineSubstring(r.geom, 0.5, p.f)::geography) AS metres, u.team_id`,
      [roadId, teams, teams.map((_, i) => fraction(i + 1))],
    );
    const metresByTeam = new Map(placed.map((r) => [r.team_id, Number(r.metres)]));
    roadMetres = teams.map((id) => metresByTeam.get(id)!);

    const { rows: off } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teams WHERE NOT on_duty`);
    offDutyBefore = off[0]!.n;
    // Team 1 (the nearest) is committed to another incident; team 2 goes off duty.
    await t.db.query(`INSERT INTO assignments (incident_id, team_id, dispatched_by) VALUES ($1::bigint, $2::int, 'coordinator')`, [otherIncidentId, teams[0]]);
    await t.db.query(`UPDATE unit_state SET status = 'dispatched' WHERE team_id = $1::int`, [teams[0]]);
    await t.db.query(`UPDATE teams SET on_duty = false WHERE id = $1::int`, [teams[1]]);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('ranks the five fastest available teams along the road, fastest first', async () => {
    const r = await get(coordinator, `/api/incidents/${incident.id}/recommendations`);
    expect(r.status).toBe(200);
    const body = r.json as RecommendationsPayload;
    expect(body.incidentId).toBe(incident.id);
    expect(body.recommendations.map((x) => x.teamId)).toEqual(teams.slice(2, 7));
    const etas = body.recommendations.map((x) => x.etaSeconds);
    expect([...etas].sort((a, b) => a - b)).toEqual(etas);
    body.recommendations.forEach((x, i) => {
      const expected = roadMetres[i + 2]!;
      // Our local projection against PostGIS on the spheroid: within 0.5 %.
      expect(Math.abs(x.roadMetres - expected) / expected).toBeLessThan(0.005);
      expect(x.offRoadMetres).toBeLessThan(0.5);
      // On foot at 5 km/h: 0.72 s per metre.
      expect(Math.abs(x.etaSeconds - x.roadMetres * 0.72)).toBeLessThan(1);
      expect(x).toMatchObject({ mode: 'foot', stale: false, busyWith: null, status: 'available' });
    });
    // Every other on-duty team of the seed has no fix yet.
    expect(body.excluded).toMatchObject({ offDuty: offDutyBefore + 1, busy: 1, unreachable: 0 });
    expect(body.excluded.noPosition).toBeGreaterThan(0);
  });

  it('shows the busy team with ?busy=1, first, with the incident it is committed to', async () => {
    const r = await get(coordinator, `/api/incidents/${incident.id}/recommendations?busy=1`);
    expect(r.status).toBe(200);
    const body = r.json as RecommendationsPayload;
    expect(body.recommendations.map((x) => x.teamId)).toEqual([teams[0], ...teams.slice(2, 6)]);
    expect(body.recommendations[0]).toMatchObject({ busyWith: otherIncidentId, status: 'dispatched' });
    expect(body.excluded).toMatchObject({ offDuty: offDutyBefore + 1, busy: 0 });
  });

  it('flags a stale position and still ranks it', async () => {
    await t.db.query(`UPDATE unit_state SET fix_time = now() - interval '10 minutes' WHERE team_id = $1::int`, [teams[2]]);
    const body = (await get(coordinator, `/api/incidents/${incident.id}/recommendations`)).json as RecommendationsPayload;
    expect(body.recommendations[0]).toMatchObject({ teamId: teams[2], stale: true });
    expect(body.recommendations.slice(1).map((x) => x.stale)).toEqual([false, false, false, false]);
  });

  it('refuses a viewer (403), an unknown incident (404), a bad id (400) and a bad busy flag (422)', async () => {
    expect((await get(viewer, `/api/incidents/${incident.id}/recommendations`)).status).toBe(403);
    const missing = await get(coordinator, '/api/incidents/999999/recommendations');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('incident 999999 does not exist');
    const bad = await get(coordinator, '/api/incidents/abc/recommendations');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('incident id must be a whole number');
    const flag = await get(coordinator, `/api/incidents/${incident.id}/recommendations?busy=maybe`);
    expect(flag.status).toBe(422);
    expect(flag.text).toContain('busy');
  });
});
