// Teams and devices administration (issue 12) over HTTP, through the real gate
// and the app's own route handlers: only administrators read or change teams
// and devices; a bad field is named; a taken code is a 409; every change has
// its audit row; a device's secret is answered once, works at /ingest at
// once, and stops at once when it is replaced or the device is disabled —
// even though the gateway had it cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice } from '../../db/devices';
import { getSimTeams } from '../../db/units';
import { DeviceDirectory } from '../../lib/ingest/devices';
import { decodeMoves, type AdminDevice, type AdminTeam, type AdminTeamsView, type IssuedDeviceSecret } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { connectSocket, startTestApp, waitForEvent, type RunningApp, type TestSocket } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

type Who = { cookie: string } | null;

/** A village and two grid cells side by side near 99.70 E, 28.46 N: what a team can be given. */
const CELL_A = 'MULTIPOLYGON(((99.70 28.46, 99.71 28.46, 99.71 28.47, 99.70 28.47, 99.70 28.46)))';
const CELL_B = 'MULTIPOLYGON(((99.71 28.46, 99.72 28.46, 99.72 28.47, 99.71 28.47, 99.71 28.46)))';

const NEW_TEAM = {
  code: 'ARM-9',
  name: '红袖标巡逻九队',
  nameEn: 'Red-armband patrol 9',
  forceType: 'armband',
  size: 6,
};

describe.each(engines())('teams and devices administration (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let socket: TestSocket;
  let people: Record<'admin' | 'coordinator' | 'viewer' | 'wall', { cookie: string; userId: number }>;
  let villageId: number;
  let cellA: number;
  let cellB: number;

  const as = (who: Who, method: string, path: string, body?: unknown) => callApi(server.baseUrl, who, method, path, body);
  const message = (json: unknown) => (json as { error: { message: string } }).error.message;
  /** One OsmAnd fix as Traccar Client sends it: POST with the fix in the query and no body. */
  const postFix = (secret: string, lon: number, lat: number, atMs = Date.now()) =>
    fetch(`${server.baseUrl}/ingest/osmand?id=${secret}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(atMs / 1000)}`, { method: 'POST' }).then((r) => r.status);
  const auditRows = async (action: string) =>
    (
      await t.db.query<{ role: string; actor_user_id: number; target: string; detail: Record<string, unknown> }>(
        `SELECT role, actor_user_id, target, detail FROM audit_log WHERE action = $1::text ORDER BY id`,
        [action],
      )
    ).rows;
  const createTeam = async (over: Record<string, unknown> = {}) => {
    const res = await as(people.admin, 'POST', '/api/admin/teams', { ...NEW_TEAM, ...over });
    expect(res.status, res.text).toBe(201);
    return res.json as AdminTeam;
  };
  const addDevice = async (teamId: number, label = '巡逻手机') => {
    const res = await as(people.admin, 'POST', `/api/admin/teams/${teamId}/devices`, { label, protocol: 'osmand' });
    expect(res.status, res.text).toBe(201);
    return res.json as IssuedDeviceSecret;
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    server = await startTestApp(t.db, { web: await apiRouter() });
    people = { admin: await signIn(t.db, 'admin'), coordinator: await signIn(t.db, 'coordinator'), viewer: await signIn(t.db, 'viewer'), wall: await signIn(t.db, 'wall') };
    const v = await t.db.query<{ id: number }>(
      `INSERT INTO villages (code, name, name_en, kind, centre, population) VALUES ('V01', '拉雍村', 'Layong Village', 'village', ST_SetSRID(ST_MakePoint(99.71, 28.465), 4326), 420) RETURNING id`,
    );
    villageId = v.rows[0]!.id;
    const g = await t.db.query<{ id: number }>(
      `INSERT INTO grids (code, name, name_en, village_id, geom)
       VALUES ('G01', '一号网格', 'Grid 1', $1::int, ST_GeomFromText($2::text, 4326)), ('G02', '二号网格', 'Grid 2', $1::int, ST_GeomFromText($3::text, 4326))
       RETURNING id`,
      [villageId, CELL_A, CELL_B],
    );
    [cellA, cellB] = g.rows.map((r) => r.id) as [number, number];
    socket = await connectSocket(server.baseUrl, people.coordinator.cookie);
  });
  afterAll(async () => {
    socket?.disconnect();
    await server?.close();
    await t?.drop();
  });

  it('lets only administrators in, reads included: anonymous 401, coordinator, viewer and wall 403, and nothing changes', async () => {
    const routes: [string, string, unknown][] = [
      ['GET', '/api/admin/teams', undefined],
      ['POST', '/api/admin/teams', NEW_TEAM],
      ['PATCH', '/api/admin/teams/1', { size: 3 }],
      ['POST', '/api/admin/teams/1/devices', { label: 'x', protocol: 'osmand' }],
      ['POST', '/api/admin/devices/1/secret', undefined],
      ['POST', '/api/admin/devices/1/disable', undefined],
    ];
    for (const [method, path, body] of routes) {
      const codes: number[] = [];
      for (const who of [null, people.coordinator, people.viewer, people.wall]) codes.push((await as(who, method, path, body)).status);
      expect(codes, `${method} ${path}`).toEqual([401, 403, 403, 403]);
    }
    const { rows } = await t.db.query(`SELECT 1 FROM teams`);
    expect(rows).toEqual([]);
    // Each refusal of a signed-in person is audited as denied.
    const denied = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'http.denied' AND role IS NOT NULL`);
    expect(denied.rows[0]!.n).toBe(routes.length * 3);
  });

  it('creates a team with its village, home cell and area, audits it, lists it, and tells live maps at once', async () => {
    const pushed = waitForEvent(socket, 'positions', (e) => Object.values(e.data).some((u) => u.code === 'GW-101'));
    const team = await createTeam({ code: 'GW-101', forceType: 'grid_worker', size: 2, villageId, homeGridId: cellA, areaGridIds: [cellB, cellA] });
    expect(team).toMatchObject({ code: 'GW-101', name: NEW_TEAM.name, nameEn: NEW_TEAM.nameEn, forceType: 'grid_worker', size: 2, villageId, homeGridId: cellA, onDuty: true, devices: [] });
    // The area is the union of both cells, read back as the cells it covers.
    expect(team.areaGridIds).toEqual([cellA, cellB].sort((a, b) => a - b));
    const area = await t.db.query<{ type: string; km2: number }>(`SELECT GeometryType(area) AS type, ST_Area(area::geography) / 1e6 AS km2 FROM teams WHERE id = $1::int`, [team.id]);
    expect(area.rows[0]!.type).toBe('MULTIPOLYGON');
    expect(area.rows[0]!.km2).toBeGreaterThan(2 * 0.9);

    // The live map learns of the team before its first fix (no position yet).
    const event = await pushed;
    expect(event.data[team.id]).toMatchObject({ teamId: team.id, code: 'GW-101', status: 'available', position: null });

    expect(await auditRows('team.create')).toEqual([
      { role: 'admin', actor_user_id: people.admin.userId, target: `team:${team.id}`, detail: expect.objectContaining({ code: 'GW-101', homeGridId: cellA }) },
    ]);
    const list = await as(people.admin, 'GET', '/api/admin/teams');
    expect(list.status).toBe(200);
    const view = list.json as AdminTeamsView;
    expect(view.teams.map((x) => x.code)).toContain('GW-101');
    expect(view.villages).toEqual([{ id: villageId, code: 'V01', name: '拉雍村', nameEn: 'Layong Village' }]);
    expect(view.grids.map((g) => g.code)).toEqual(['G01', 'G02']);
  });

  it('answers a bad field with a message that names it, and a taken code with 409', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ code: 'has space' }, 422, /^code: /],
      [{ code: '' }, 422, /^code: /],
      [{ size: 0 }, 422, /^size: /],
      [{ size: 2.5 }, 422, /^size: must be a whole number/],
      [{ forceType: 'cavalry' }, 422, /^forceType: must be one of emergency, armband, motorcycle, militia, grid_worker/],
      [{ name: '   ' }, 422, /^name: must not be empty/],
      [{ villageId: 9999 }, 422, /^villageId: no village 9999/],
      [{ homeGridId: 9999 }, 422, /^homeGridId: no grid cell 9999/],
      [{ areaGridIds: [cellA, 8888] }, 422, /^areaGridIds: no grid cell 8888/],
      [{ colour: 'red' }, 422, /colour/],
    ];
    for (const [over, status, text] of cases) {
      const res = await as(people.admin, 'POST', '/api/admin/teams', { ...NEW_TEAM, code: 'ARM-X', ...over });
      expect(res.status, JSON.stringify(over)).toBe(status);
      expect(message(res.json), JSON.stringify(over)).toMatch(text);
    }
    const missing = await as(people.admin, 'POST', '/api/admin/teams', { code: 'ARM-X', name: '队' });
    expect(missing.status).toBe(422);
    expect(message(missing.json)).toMatch(/nameEn: /);
    // Not JSON at all: 400.
    const raw = await fetch(`${server.baseUrl}/api/admin/teams`, { method: 'POST', headers: { cookie: people.admin.cookie, 'content-type': 'application/json' }, body: '{"code":' });
    expect(raw.status).toBe(400);

    await createTeam({ code: 'ARM-10' });
    const dup = await as(people.admin, 'POST', '/api/admin/teams', { ...NEW_TEAM, code: 'ARM-10' });
    expect(dup.status).toBe(409);
    expect(message(dup.json)).toBe('a team with code "ARM-10" already exists');
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teams WHERE code = 'ARM-X' OR code = 'ARM-10'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('changes a team: 404 for none, 409 for another team’s code, off duty moves an idle unit off duty, audited', async () => {
    const team = await createTeam({ code: 'MC-1', forceType: 'motorcycle', size: 3 });
    const { secret } = await addDevice(team.id);
    expect(await postFix(secret, 99.705, 28.465)).toBe(200);
    const other = await createTeam({ code: 'MC-2', forceType: 'motorcycle', size: 3 });

    const pushed = waitForEvent(socket, 'positions', (e) => e.data[team.id]?.status === 'off_duty');
    const changed = await as(people.admin, 'PATCH', `/api/admin/teams/${team.id}`, { name: '摩托车应急一排', onDuty: false, homeGridId: cellA });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ id: team.id, code: 'MC-1', name: '摩托车应急一排', onDuty: false, homeGridId: cellA, areaGridIds: [] });
    expect((await pushed).data[team.id]).toMatchObject({ name: '摩托车应急一排', status: 'off_duty' });
    const back = await as(people.admin, 'PATCH', `/api/admin/teams/${team.id}`, { onDuty: true, homeGridId: null });
    expect(back.json).toMatchObject({ onDuty: true, homeGridId: null });
    const state = await t.db.query<{ status: string }>(`SELECT status FROM unit_state WHERE team_id = $1::int`, [team.id]);
    expect(state.rows).toEqual([{ status: 'available' }]);
    expect((await auditRows('team.update')).filter((r) => r.target === `team:${team.id}`).map((r) => r.detail)).toEqual([
      { name: '摩托车应急一排', onDuty: false, homeGridId: cellA },
      { onDuty: true, homeGridId: null },
    ]);

    const taken = await as(people.admin, 'PATCH', `/api/admin/teams/${team.id}`, { code: 'MC-2' });
    expect(taken.status).toBe(409);
    expect(message(taken.json)).toBe('a team with code "MC-2" already exists');
    expect((await t.db.query(`SELECT code FROM teams WHERE id = $1::int`, [other.id])).rows).toEqual([{ code: 'MC-2' }]);

    const none = await as(people.admin, 'PATCH', '/api/admin/teams/999999', { size: 4 });
    expect(none.status).toBe(404);
    expect(message(none.json)).toBe('no team 999999');
    expect((await as(people.admin, 'PATCH', '/api/admin/teams/abc', { size: 4 })).status).toBe(400);
    const empty = await as(people.admin, 'PATCH', `/api/admin/teams/${team.id}`, {});
    expect(empty.status).toBe(422);
    expect(message(empty.json)).toMatch(/give at least one of code, name/);
  });

  it('adds a device with its secret answered once; the secret works at /ingest at once and puts the new team on the live map', async () => {
    const team = await createTeam({ code: 'EM-1', forceType: 'emergency', size: 8 });
    const issued = await addDevice(team.id, '应急排手机');
    expect(issued.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.team).toEqual({ id: team.id, code: 'EM-1', name: NEW_TEAM.name, nameEn: NEW_TEAM.nameEn });
    expect(issued.device).toMatchObject({ teamId: team.id, label: '应急排手机', protocol: 'osmand', disabledAt: null, lastFixAt: null });

    // The database keeps only the hash; nothing that reads devices back holds the secret.
    const list = await as(people.admin, 'GET', '/api/admin/teams');
    expect(list.text).not.toContain(issued.secret);
    const stored = await t.db.query<{ row: string }>(`SELECT row_to_json(d)::text AS row FROM devices d WHERE id = $1::int`, [issued.device.id]);
    expect(stored.rows[0]!.row).not.toContain(issued.secret);
    const audit = (await auditRows('device.create')).find((r) => r.target === `device:${issued.device.id}`);
    expect(audit).toEqual({ role: 'admin', actor_user_id: people.admin.userId, target: `device:${issued.device.id}`, detail: { teamId: team.id, team: 'EM-1', label: '应急排手机', protocol: 'osmand' } });
    expect(JSON.stringify(await auditRows('device.create'))).not.toContain(issued.secret);

    // The fix reaches the map as a compact move, or inside a whole-unit `positions` event when a
    // re-read of the new team (its creation) was already due: that read carries the committed fix.
    const onMap = Promise.any([
      waitForEvent(socket, 'moves', (e) => e.data.i.includes(team.id)).then((e) => {
        const m = decodeMoves(e.data, e.serverTime)!.find((x) => x.teamId === team.id)!;
        return { lon: m.lon, lat: m.lat, gridId: m.gridId };
      }),
      waitForEvent(socket, 'positions', (e) => e.data[team.id]?.position !== null && e.data[team.id]?.position !== undefined).then((e) => {
        const u = e.data[team.id]!;
        return { lon: u.position![0], lat: u.position![1], gridId: u.gridId };
      }),
    ]);
    const fixAt = Date.now() - 5_000;
    expect(await postFix(issued.secret, 99.715, 28.465, fixAt)).toBe(200);
    expect(await onMap).toEqual({ lon: 99.715, lat: 28.465, gridId: cellB });

    const after = (await as(people.admin, 'GET', '/api/admin/teams')).json as AdminTeamsView;
    const device = after.teams.find((x) => x.id === team.id)!.devices[0]!;
    expect(Date.parse(device.lastFixAt!)).toBe(Math.floor(fixAt / 1000) * 1000);
    expect(device.lastReceivedAt).not.toBeNull();

    // Its device is a real phone now: the demo simulator leaves the team alone.
    expect((await getSimTeams(t.db)).map((s) => s.teamId)).not.toContain(team.id);

    const noTeam = await as(people.admin, 'POST', '/api/admin/teams/999999/devices', { label: '手机', protocol: 'osmand' });
    expect(noTeam.status).toBe(404);
    expect(message(noTeam.json)).toBe('no team 999999');
    const badProtocol = await as(people.admin, 'POST', `/api/admin/teams/${team.id}/devices`, { label: '手机', protocol: 'h02' });
    expect(badProtocol.status).toBe(422);
    expect(message(badProtocol.json)).toMatch(/^protocol: must be one of osmand, owntracks/);
    const noLabel = await as(people.admin, 'POST', `/api/admin/teams/${team.id}/devices`, { protocol: 'owntracks' });
    expect(noLabel.status).toBe(422);
    expect(message(noLabel.json)).toMatch(/^label: /);
  });

  it('replaces a secret: the new one works, the old one stops at once although the gateway had it cached', async () => {
    const team = await createTeam({ code: 'MI-1', forceType: 'militia', size: 5 });
    const first = await addDevice(team.id);
    expect(await postFix(first.secret, 99.705, 28.462, Date.now() - 60_000)).toBe(200);
    expect(server.app.gateway.devices.cached(first.secret)).toMatchObject({ id: first.device.id });

    const res = await as(people.admin, 'POST', `/api/admin/devices/${first.device.id}/secret`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const second = res.json as IssuedDeviceSecret;
    expect(second.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(second.secret).not.toBe(first.secret);
    expect(Date.parse(second.device.secretIssuedAt)).toBeGreaterThanOrEqual(Date.parse(first.device.secretIssuedAt));

    expect(await postFix(first.secret, 99.705, 28.463, Date.now() - 30_000)).toBe(404);
    expect(await postFix(second.secret, 99.705, 28.464, Date.now() - 20_000)).toBe(200);
    // OwnTracks sends the same secret as its Basic-auth password.
    const owntracks = await fetch(`${server.baseUrl}/ingest/owntracks`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`MI-1:${second.secret}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ _type: 'location', lat: 28.465, lon: 99.706, tst: Math.floor(Date.now() / 1000) - 10 }),
    });
    expect(owntracks.status).toBe(200);

    expect((await auditRows('device.secret')).map((r) => ({ target: r.target, detail: r.detail }))).toEqual([
      { target: `device:${first.device.id}`, detail: { teamId: team.id, team: 'MI-1', label: '巡逻手机' } },
    ]);
    const none = await as(people.admin, 'POST', '/api/admin/devices/999999/secret');
    expect(none.status).toBe(404);
    expect(message(none.json)).toBe('no device 999999');
    expect((await as(people.admin, 'POST', '/api/admin/devices/0/secret')).status).toBe(400);
  });

  it('disables a device: its secret stops at once, a second disable or a new secret is a 409, audited', async () => {
    const team = await createTeam({ code: 'ARM-11' });
    const { device, secret } = await addDevice(team.id);
    expect(await postFix(secret, 99.702, 28.462, Date.now() - 60_000)).toBe(200);
    expect(server.app.gateway.devices.cached(secret)).toBeDefined();

    const res = await as(people.admin, 'POST', `/api/admin/devices/${device.id}/disable`);
    expect(res.status, res.text).toBe(200);
    expect((res.json as AdminDevice).disabledAt).not.toBeNull();
    expect(await postFix(secret, 99.702, 28.463, Date.now() - 30_000)).toBe(404);

    const again = await as(people.admin, 'POST', `/api/admin/devices/${device.id}/disable`);
    expect(again.status).toBe(409);
    expect(message(again.json)).toBe(`device ${device.id} is disabled already`);
    const rekey = await as(people.admin, 'POST', `/api/admin/devices/${device.id}/secret`);
    expect(rekey.status).toBe(409);
    expect(message(rekey.json)).toMatch(/is disabled; add a new device/);
    expect((await as(people.admin, 'POST', '/api/admin/devices/999999/disable')).status).toBe(404);

    expect((await auditRows('device.disable')).map((r) => ({ role: r.role, target: r.target }))).toEqual([{ role: 'admin', target: `device:${device.id}` }]);
    const listed = (await as(people.admin, 'GET', '/api/admin/teams')).json as AdminTeamsView;
    expect(listed.teams.find((x) => x.id === team.id)!.devices.map((d) => d.disabledAt !== null)).toEqual([true]);
  });
});

describe.each(engines())('the gateway device directory (%s)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(engine);
  });
  afterAll(async () => t?.drop());

  it('keeps nothing from a lookup that was under way when it was told to forget', async () => {
    const team = await t.db.query<{ id: number }>(`INSERT INTO teams (code, name, name_en, force_type, size) VALUES ('T-1', '测试队', 'Test team', 'armband', 3) RETURNING id`);
    const secret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    await insertDevice(t.db, { teamId: team.rows[0]!.id, secret, label: '测试手机' });
    const directory = new DeviceDirectory(t.db);

    const during = directory.resolve(secret);
    directory.invalidate();
    // The lookup that began before still answers its own request…
    expect(await during).toMatchObject({ teamId: team.rows[0]!.id });
    // …but is not trusted for the next one.
    expect(directory.cached(secret)).toBeUndefined();
    await directory.resolve(secret);
    expect(directory.cached(secret)).toBeDefined();
  });
});
