// Properties of the whole ingest path on real PostGIS: fixes sent shuffled,
// duplicated and split across concurrent requests are stored exactly once
// each, and the team's latest position is the newest fix.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, issueDeviceSecret } from '../../db/devices';
import { seedDemoTownship } from '../../lib/sim/seed';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { pointInFirstGrid } from '../helpers/township';

describe.each(engines())('ingest properties on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let box: { lon: number; lat: number };
  let run = 0;

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    box = await pointInFirstGrid(t.db);
    server = await startTestApp(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('shuffled, duplicated fixes in concurrent requests give exactly the unique set; the latest is the newest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 86_400 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (offsets, dupPicks, chunks, rand) => {
          // A fresh team and device per run, so runs do not see each other's fixes.
          const identifier = `prop-${engine}-${run++}-${'x'.repeat(24)}`;
          const { rows } = await t.db.query<{ id: number }>(
            `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ($1::text, $1::text, $1::text, 'armband', 3) RETURNING id`,
            [identifier],
          );
          const teamId = rows[0]!.id;
          const deviceId = await insertDevice(t.db, { teamId, secret: identifier, label: 'prop' });
          const base = Date.now() - 2 * 86_400_000;
          const unique = offsets.map((o) => ({ device: identifier, time: base + o * 1000, lat: box.lat + o * 1e-7, lon: box.lon }));
          const sent = [...unique, ...dupPicks.map((p) => unique[p % unique.length]!)];
          const coin = rand[Symbol.iterator]();
          sent.sort(() => coin.next().value! - 0.5);
          const size = Math.ceil(sent.length / chunks);
          const requests = [];
          for (let i = 0; i < sent.length; i += size) {
            requests.push(
              fetch(`${server.baseUrl}/ingest/batch`, { method: 'POST', body: JSON.stringify({ fixes: sent.slice(i, i + size) }) }).then(
                async (r) => ({ status: r.status, body: (await r.json()) as { results: { status: string }[] } }),
              ),
            );
          }
          const answers = await Promise.all(requests);
          expect(answers.every((a) => a.status === 200)).toBe(true);
          const statuses = answers.flatMap((a) => a.body.results.map((r) => r.status));
          expect(statuses.filter((s) => s === 'accepted')).toHaveLength(unique.length);
          expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(sent.length - unique.length);

          const stored = await t.db.query<{ ms: string }>(
            `SELECT round(extract(epoch FROM fix_time) * 1000)::bigint::text AS ms FROM positions WHERE device_id = $1 ORDER BY fix_time`,
            [deviceId],
          );
          expect(stored.rows.map((r) => Number(r.ms))).toEqual(unique.map((u) => u.time).sort((a, b) => a - b));
          const latest = await t.db.query<{ ms: string }>(
            `SELECT round(extract(epoch FROM fix_time) * 1000)::bigint::text AS ms FROM unit_state WHERE team_id = $1`,
            [teamId],
          );
          expect(Number(latest.rows[0]!.ms)).toBe(Math.max(...unique.map((u) => u.time)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe.each(engines())('the device gateway under arbitrary input on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let identifier: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    t = await freshDb(engine);
    await seedDemoTownship(t.db, { historyDays: 1 });
    const deviceId = (await t.db.query<{ id: number }>(`SELECT id FROM devices ORDER BY id LIMIT 1`)).rows[0]!.id;
    identifier = await issueDeviceSecret(t.db, { deviceId });
    server = await startTestApp(t.db);
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.close();
    await t?.drop();
  });

  it('never answers 5xx and never leaves an unhandled rejection (10,000 requests)', async () => {
    const param = fc.tuple(
      fc.constantFrom('id', 'deviceid', 'lat', 'lon', 'location', 'timestamp', 'speed', 'bearing', 'batt', 'alarm', 'x'),
      fc.oneof(fc.string({ maxLength: 30 }), fc.double().map(String), fc.constant(identifier), fc.constantFrom('28.45', '99.7', '-1', '1e999', '2026-11-27 10:00:00')),
    );
    const request = fc.oneof(
      fc.record({ path: fc.constant('/ingest/osmand'), method: fc.constantFrom('GET', 'POST'), query: fc.array(param, { maxLength: 8 }), body: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v))), { nil: undefined }) }),
      fc.record({ path: fc.constant('/ingest/owntracks'), method: fc.constant('POST'), query: fc.constant([]), body: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v)), fc.record({ _type: fc.constant('location'), lat: fc.anything(), lon: fc.anything(), tst: fc.anything() }).map((v) => JSON.stringify(v))), { nil: undefined }) }),
      fc.record({ path: fc.constant('/ingest/batch'), method: fc.constantFrom('POST', 'GET'), query: fc.constant([]), body: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v)), fc.array(fc.record({ device: fc.oneof(fc.constant(identifier), fc.string()), time: fc.anything(), lat: fc.anything(), lon: fc.anything() }, { requiredKeys: [] }), { maxLength: 5 }).map((fixes) => JSON.stringify({ fixes }))), { nil: undefined }) }),
      fc.record({ path: fc.string({ maxLength: 30 }).map((s) => `/ingest/${encodeURIComponent(s)}`), method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), query: fc.constant([]), body: fc.constant(undefined) }),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const qs = new URLSearchParams(r.query.map(([k, v]) => [k, v])).toString();
        const res = await fetch(`${server.baseUrl}${r.path}${qs ? `?${qs}` : ''}`, {
          method: r.method,
          body: r.method === 'GET' ? undefined : r.body,
          headers: r.path.endsWith('owntracks') ? { authorization: `Basic ${Buffer.from(`u:${identifier}`).toString('base64')}` } : {},
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 10_000 },
    );
    expect(unhandled).toEqual([]);
    // The generator reaches both sides: stored fixes and refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
  });
});
