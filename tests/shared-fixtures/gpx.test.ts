// Real GPX files from other projects' test suites (../shared/fixtures/gpx),
// parsed and stored as a device's history on real PostGIS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDevice, newDeviceSecret } from '../../db/devices';
import { countPositions } from '../../db/positions';
import { AppError } from '../../lib/errors';
import { parseGpx } from '../../lib/ingest/gpx';
import { importGpx } from '../../lib/ingest/gpx-import';
import { engines, freshDb, type TestDb } from '../helpers/db';

const DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'gpx');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('GPX parsing of real files', () => {
  it('reads a GPX 1.1 Garmin car track with every timestamp', () => {
    const r = parseGpx(read('gpxpy-around-visnjan-with-car.gpx'));
    expect(r.fixes).toHaveLength(104);
    expect(r.fixes[0]!.fixTime).toBe(Date.parse('2020-12-18T06:15:50Z'));
    expect(r.skipped.noTime).toBe(0);
  });

  it('reads an Apple Watch export with millisecond times across segments', () => {
    const r = parseGpx(read('togeojson-Friday-Evening-Run.gpx'));
    expect(r.fixes).toHaveLength(17);
    expect(r.fixes.some((f) => f.fixTime % 1000 !== 0)).toBe(true);
  });

  it('reads every track of a multi-track file', () => {
    const r = parseGpx(read('togeojson-multitrackgpx.gpx'));
    expect(r.tracks).toBe(3);
    expect(r.fixes).toHaveLength(38 + 65 + 14);
  });

  it('skips an empty segment and keeps the rest', () => {
    expect(parseGpx(read('gpxpy-track-with-empty-segment.gpx')).fixes).toHaveLength(9);
  });

  it('reads a file with no namespace and no version', () => {
    expect(parseGpx(read('gpxpy-track_with_speed.gpx')).fixes).toHaveLength(3);
  });

  it('refuses a track without timestamps, an empty track and a malformed file, each with a reason', () => {
    const untimed = errorOf(() => parseGpx(read('gpxpy-cerknicko-without-times.gpx').replace(/<time>[^<]*<\/time>/g, '')));
    expect(untimed.code).toBe('invalid_input');
    expect(untimed.message).toMatch(/no timestamped track points/);
    const empty = errorOf(() => parseGpx(read('togeojson-empty_trk.gpx')));
    expect(empty.message).toMatch(/no track points|no timestamped/);
    const bad = errorOf(() => parseGpx(read('togeojson-bad.gpx')));
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const notXml = errorOf(() => parseGpx('<gpx><trk>'));
    expect(notXml.code).toBe('bad_request');
  });
});

describe.each(engines())('GPX import into PostGIS on %s', (engine) => {
  let t: TestDb;
  let deviceId: number;

  beforeAll(async () => {
    t = await freshDb(engine);
    const { rows } = await t.db.query<{ id: number }>(
      `INSERT INTO teams (code, name, name_en, force_type, size) VALUES ('T-1', '测试', 'Test', 'armband', 5) RETURNING id`,
    );
    deviceId = await insertDevice(t.db, { teamId: rows[0]!.id, secret: newDeviceSecret(), label: 'gpx' });
  });
  afterAll(async () => t?.drop());

  it('stores a real track as history, in UTC, and a second import stores nothing new', async () => {
    const xml = read('togeojson-run.gpx');
    const first = await importGpx(t.db, { deviceId, xml });
    expect(first.points).toBe(206);
    // The file itself records 23:38:09 twice: one fix per device and time is kept.
    expect(first.stored).toBe(205);
    expect(first.duplicates).toBe(1);
    expect(first.from).toBe('2012-10-24T23:29:40.000Z');
    expect(await countPositions(t.db, deviceId)).toBe(205);
    const again = await importGpx(t.db, { deviceId, xml });
    expect(again.stored).toBe(0);
    expect(again.duplicates).toBe(206);
    expect(await countPositions(t.db, deviceId)).toBe(205);
  });

  it('keeps one fix per time when every point has the same timestamp', async () => {
    const r = await importGpx(t.db, { deviceId, xml: read('gpxpy-Mojstrovka.gpx') });
    expect(r.points).toBe(184);
    // 1901 times, all within one second or equal: uniqueness is per device and fix time.
    expect(r.stored).toBeLessThan(r.points);
    expect(r.stored + r.duplicates).toBe(r.points);
  });
});
