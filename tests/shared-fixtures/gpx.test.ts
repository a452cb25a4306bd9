// Real GPX files from other projects' test suites (../shared/fixtures/gpx),
// parsed by the streaming GPX parser and uploaded through the device gateway
// (POST /ingest/gpx) into real PostGIS.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, newDeviceSecret } from '../../db/devices';
import { countPositions } from '../../db/positions';
import { parseGpx, parseGpxBody, type GpxRules } from '../../lib/ingest/gpx';
import type { GpxImportResult } from '../../lib/ingest/gpx-import';
import { startTestApp, type RunningApp } from '../helpers/app';
import { engines, freshDb, type TestDb } from '../helpers/db';
import { errorOf } from '../helpers/errors';

const DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'gpx');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const RULES: GpxRules = { maxPoints: 100_000, maxFutureMs: 5 * 60_000 };


describe('GPX parsing of real files', () => {
  it('reads a GPX 1.1 Garmin car track with every timestamp', () => {
    const r = parseGpx(read('gpxpy-around-visnjan-with-car.gpx'), RULES);
    expect(r.fixes).toHaveLength(104);
    expect(r.fixes[0]!.fixTime).toBe(Date.parse('2020-12-18T06:15:50Z'));
    expect(r.skipped).toEqual({ noTime: 0, badTime: 0, future: 0, badCoordinates: 0 });
  });

  it('reads an Apple Watch export with millisecond times across segments', () => {
    const r = parseGpx(read('togeojson-Friday-Evening-Run.gpx'), RULES);
    expect(r.fixes).toHaveLength(17);
    expect(r.fixes.some((f) => f.fixTime % 1000 !== 0)).toBe(true);
  });

  it('reads every track of a multi-track file', () => {
    const r = parseGpx(read('togeojson-multitrackgpx.gpx'), RULES);
    expect(r.tracks).toBe(3);
    expect(r.fixes).toHaveLength(38 + 65 + 14);
  });

  it('skips an empty segment and keeps the rest', () => {
    expect(parseGpx(read('gpxpy-track-with-empty-segment.gpx'), RULES).fixes).toHaveLength(9);
  });

  it('reads a file with no namespace and no version', () => {
    expect(parseGpx(read('gpxpy-track_with_speed.gpx'), RULES).fixes).toHaveLength(3);
  });

  it('reads elevation and keeps the file\'s time span', () => {
    const r = parseGpx(read('togeojson-run.gpx'), RULES);
    expect(r.fixes.every((f) => typeof f.altitude === 'number')).toBe(true);
    expect(new Date(r.from).toISOString()).toBe('2012-10-24T23:29:40.000Z');
    expect(r.to).toBe(Math.max(...r.fixes.map((f) => f.fixTime)));
  });

  it('refuses a track without timestamps, an empty track and a malformed file, each with a reason', () => {
    const untimed = errorOf(() => parseGpx(read('gpxpy-cerknicko-without-times.gpx').replace(/<time>[^<]*<\/time>/g, ''), RULES));
    expect(untimed.code).toBe('invalid_input');
    expect(untimed.message).toMatch(/no timestamped track points/);
    const empty = errorOf(() => parseGpx(read('togeojson-empty_trk.gpx'), RULES));
    expect(empty.message).toMatch(/no track points/);
    const bad = errorOf(() => parseGpx(read('togeojson-bad.gpx'), RULES));
    expect(bad.code).toBe('invalid_input');
    expect(bad.message).toMatch(/2 with bad coordinates/);
    const notXml = errorOf(() => parseGpx('<gpx><trk>', RULES));
    expect(notXml.code).toBe('bad_request');
  });

  // The upload is parsed as it arrives: where the chunks split it (even inside
  // a tag or a multi-byte character) must not change what is read.
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.gpx')))('%s reads the same in 7-byte chunks as whole', async (name) => {
    const bytes = readFileSync(join(DIR, name));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const whole = await parseGpxBody(Readable.from([bytes]), { ...RULES, maxBytes: 1 << 24 }).catch((e: unknown) => e);
    const split = await parseGpxBody(Readable.from(chunks), { ...RULES, maxBytes: 1 << 24 }).catch((e: unknown) => e);
    expect(split).toEqual(whole);
  });
});

describe.each(engines())('GPX upload of real files through the gateway into PostGIS on %s', (engine) => {
  let t: TestDb;
  let server: RunningApp;
  let deviceId: number;
  const secret = newDeviceSecret();

  beforeAll(async () => {
    t = await freshDb(engine);
    const { rows } = await t.db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ('T-1', '测试', 'Test', 'armband', 5) RETURNING id`,
    );
    deviceId = await insertDevice(t.db, { teamId: rows[0]!.id, secret, label: 'gpx' });
    server = await startTestApp(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  async function upload(xml: string): Promise<{ status: number; body: GpxImportResult }> {
    const res = await fetch(`${server.baseUrl}/ingest/gpx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/gpx+xml' },
      body: xml,
    });
    return { status: res.status, body: (await res.json()) as GpxImportResult };
  }

  it('stores a real track as history, in UTC, and a second upload stores nothing new', async () => {
    const xml = read('togeojson-run.gpx');
    const first = await upload(xml);
    expect(first.status).toBe(201);
    expect(first.body.points).toBe(206);
    // The file itself records 23:38:09 twice: one fix per device and time is kept.
    expect(first.body.stored).toBe(205);
    expect(first.body.duplicates).toBe(1);
    expect(first.body.from).toBe('2012-10-24T23:29:40.000Z');
    expect(await countPositions(t.db, deviceId)).toBe(205);
    const again = await upload(xml);
    expect(again.body.stored).toBe(0);
    expect(again.body.duplicates).toBe(206);
    expect(await countPositions(t.db, deviceId)).toBe(205);
  });

  it('keeps one fix per time when every point has the same timestamp', async () => {
    const r = await upload(read('gpxpy-Mojstrovka.gpx'));
    expect(r.status).toBe(201);
    expect(r.body.points).toBe(184);
    // 1901 times, all within one second or equal: uniqueness is per device and fix time.
    expect(r.body.stored).toBeLessThan(r.body.points);
    expect(r.body.stored + r.body.duplicates).toBe(r.body.points);
  });
});
