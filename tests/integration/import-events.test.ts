// After an import commits, open map pages hear of it (issue 12): the apply
// route publishes `township:changed` and every signed-in socket on the map
// receives it. GET /api/township/status tells an empty install from a loaded
// one, for every role, so the map page can say what to do next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, ImportResult } from '../../lib/import/types';
import type { TownshipStatus } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

const polygon = (props: Record<string, unknown>) =>
  JSON.stringify({
    type: 'Feature',
    properties: props,
    geometry: { type: 'Polygon', coordinates: [[[100, 30], [100.03, 30], [100.03, 30.01], [100, 30.01], [100, 30]]] },
  });

describe.each(engines())('township:changed and /api/township/status (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let people: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string }>;
  const sockets: TestSocket[] = [];

  const importLayer = async (layer: string, name: string, body: string): Promise<ImportResult> => {
    const res = await fetch(`${server.baseUrl}/api/admin/import/preview?layer=${layer}&name=${name}`, { method: 'POST', headers: { cookie: people.admin.cookie }, body });
    expect(res.status).toBe(200);
    const report = (await res.json()) as ImportReport;
    const applied = await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: report.token });
    expect(applied.status).toBe(200);
    return applied.json as ImportResult;
  };
  const status = async (who: { cookie: string } | null) => callApi(server.baseUrl, who, 'GET', '/api/township/status');

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter() });
    people = { admin: await signIn(t.db, 'admin'), coordinator: await signIn(t.db, 'coordinator'), viewer: await signIn(t.db, 'viewer'), wall: await signIn(t.db, 'wall') };
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
    await t?.drop();
  });

  it('answers an empty install: nothing stored, not the demo, the boundary first — to every role, 401 to nobody signed in', async () => {
    const empty: TownshipStatus = { hasBoundary: false, name: null, demo: false, villages: 0, grids: 0, keyLocations: 0, roads: 0, teams: 0, next: 'import_boundary' };
    for (const who of [people.admin, people.coordinator, people.viewer, people.wall]) {
      const res = await status(who);
      expect(res.status).toBe(200);
      expect(res.json).toEqual(empty);
    }
    expect((await status(null)).status).toBe(401);
  });

  it('pushes township:changed to a viewer’s and a wall’s map sockets after the commit of an import, with the commit time the apply answered', async () => {
    const viewer = await connectSocket(server.baseUrl, people.viewer.cookie);
    const wall = await connectSocket(server.baseUrl, people.wall.cookie);
    sockets.push(viewer, wall);
    const heard = [viewer, wall].map((s) => waitForEvent(s, 'township:changed', (e) => e.data.layer === 'boundary'));
    const result = await importLayer('boundary', 'boundary.geojson', polygon({ name: '测试乡' }));
    for (const event of await Promise.all(heard)) {
      expect(event.data).toEqual({ layer: 'boundary', appliedAt: result.appliedAt });
      expect(event.seq).toBeGreaterThan(0);
    }
    // By the time the event arrives the layer is readable.
    const res = await status(people.viewer);
    expect(res.json).toMatchObject({ hasBoundary: true, name: '测试乡', demo: false, next: 'import_villages' });

    const next = waitForEvent(viewer, 'township:changed', (e) => e.data.layer === 'villages');
    await importLayer('villages', 'villages.geojson', polygon({ code: 'V1', name: '东村' }));
    expect((await next).data.layer).toBe('villages');
    expect((await status(people.wall)).json).toMatchObject({ villages: 1, grids: 0, next: 'import_grids' });
  });

  it('sends nothing for a preview or a refused apply', async () => {
    const viewer = await connectSocket(server.baseUrl, people.viewer.cookie);
    sockets.push(viewer);
    const events: string[] = [];
    viewer.on('township:changed', (e) => events.push(e.data.layer));
    const res = await fetch(`${server.baseUrl}/api/admin/import/preview?layer=grids&name=g.geojson`, { method: 'POST', headers: { cookie: people.admin.cookie }, body: polygon({ code: 'G01' }) });
    const report = (await res.json()) as ImportReport;
    // No name: an error, so apply refuses it.
    expect(report.importable).toBe(false);
    expect((await callApi(server.baseUrl, people.admin, 'POST', '/api/admin/import/apply', { token: report.token })).status).toBe(422);
    // A later event proves the socket was listening all along.
    const later = waitForEvent(viewer, 'township:changed', () => true);
    await importLayer('villages', 'villages.geojson', polygon({ code: 'V1', name: '东村' }));
    await later;
    expect(events).toEqual(['villages']);
  });
});
