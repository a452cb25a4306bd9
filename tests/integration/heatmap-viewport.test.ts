// GET /api/heatmap with a viewport (`bbox`, issue 13): only the bins the box
// touches, read by ix/iy range from the rollup; finer bins than the window's
// finest only while the box is small (a 400 naming the reason otherwise); and
// for viewers the same merging as the whole township, over whole wide bins, so
// a 400 m or 1.6 km bin cut by the box edge counts all its incidents.
// Incidents are hand-placed in 100 m bins at the test database's reference
// latitude (30°), two days ago (inside every window).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeatmapPayload } from '../../lib/model';
import { apiRouter, callApi } from '../helpers/api-router';
import { startTestApp, type RunningApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { engines, freshDb, type TestDb } from '../helpers/db';

const KX = 111320 * Math.cos((30 * Math.PI) / 180);
const KY = 110574;
/** The west or south edge of 100 m bin i, in degrees. */
const lonEdge = (ix: number) => (ix * 100) / KX;
const latEdge = (iy: number) => (iy * 100) / KY;
/** The centre of bin (ix, iy) of `size` metres. */
const centre = (size: number, ix: number, iy: number): [number, number] => [((ix + 0.5) * size) / KX, ((iy + 0.5) * size) / KY];
/** 0.1 m inside a bin edge: the box then touches that bin and not its neighbour. */
const EPS = 1e-6;

/** A box over 100 m bins ix0..ix1 × iy0..iy1 (inclusive), as the `bbox` parameter. */
function bboxOver(ix0: number, iy0: number, ix1: number, iy1: number): string {
  return [lonEdge(ix0) + EPS, latEdge(iy0) + EPS, lonEdge(ix1 + 1) - EPS, latEdge(iy1 + 1) - EPS].map((v) => v.toFixed(7)).join(',');
}

interface Bin {
  n: number;
  lon: number;
  lat: number;
}
const binsOf = (body: HeatmapPayload): Bin[] =>
  body.n.map((n, i) => ({ n, lon: body.lon[i]!, lat: body.lat[i]! })).sort((a, b) => a.lon - b.lon || a.lat - b.lat);
/** Expected bins: (size, ix, iy, n), as binsOf answers them (centres to 1e-6°). */
const expected = (bins: [number, number, number, number][]): Bin[] =>
  bins
    .map(([size, ix, iy, n]) => {
      const [lon, lat] = centre(size, ix, iy);
      return { n, lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
    })
    .sort((a, b) => a.lon - b.lon || a.lat - b.lat);

// Street: 100 m bins from (100.3°, 31.2°). Viewers: 100 m bins from a 1.6 km bin's corner (H, V), 20 km away.
const SX = Math.floor((100.3 * KX) / 100);
const SY = Math.floor((31.2 * KY) / 100);
const H = Math.floor((100.5 * KX) / 1600);
const V = Math.floor((31.0 * KY) / 1600);
const X = 16 * H;
const Y = 16 * V;

describe.each(engines())('GET /api/heatmap?bbox= (%s)', (engine) => {
  let t: TestDb;
  let server: RunningApp;

  /** `count` disputes in 100 m bin (ix, iy), spread a few metres around its centre. */
  async function place(ix: number, iy: number, count: number): Promise<void> {
    const [lon, lat] = centre(100, ix, iy);
    for (let i = 0; i < count; i++) {
      await t.db.query(
        `INSERT INTO incidents (category, severity, title, geom, reported_at)
         VALUES ('neighbour_dispute', 2, $1::text, ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326), now() - interval '2 days')`,
        [`视窗测试 ${ix}/${iy}/${i}`, lon + (i - 1) * 0.00002, lat + (i % 2 ? 0.00001 : -0.00001)],
      );
    }
  }

  beforeAll(async () => {
    t = await freshDb(engine);
    // The street box below covers bins SX..SX+19 × SY..SY+9 (2 km × 1 km). Inside: 2, 4 and 1 (in its far corner).
    await place(SX, SY, 2);
    await place(SX + 10, SY + 5, 4);
    await place(SX + 19, SY + 9, 1);
    // Outside, one bin beyond each edge, and 10 km east.
    await place(SX - 1, SY, 2);
    await place(SX + 20, SY + 3, 1);
    await place(SX + 5, SY + 10, 3);
    await place(SX + 5, SY - 1, 1);
    await place(SX + 100, SY, 5);

    // The viewers' box covers bins X+3..X+40 × Y+4..Y+20: its west edge cuts the 400 m bins of column 4H and
    // the 1.6 km bin (H, V); its north edge cuts the 1.6 km bin (H+1, V+1); its east edge the 1.6 km bin (H+2, V).
    await place(X + 10, Y + 10, 4); // inside, a bin of its own
    await place(X + 3, Y + 4, 1); // inside, in 400 m bin (4H, 4V+1) …
    await place(X, Y + 5, 2); // … whose other two are outside the box: shown as one 400 m bin of 3
    await place(X + 5, Y + 1, 3); // 3 in a 100 m bin south of the box (in the cut 1.6 km bin): not shown
    await place(X + 20, Y + 18, 1); // inside, alone in its 400 m bin of 1.6 km bin (H+1, V+1) …
    await place(X + 26, Y + 28, 1); // … whose two others lie north of the box, in two other 400 m bins:
    await place(X + 30, Y + 30, 1); //   one 1.6 km bin of 3
    await place(X + 33, Y + 6, 1); // inside, in 1.6 km bin (H+2, V) …
    await place(X + 45, Y + 6, 1); // … with one more east of the box: 2 in all, withheld
    await place(X + 80, Y + 6, 5); // 8 km east: not in the box
    server = await startTestApp(t.db, { web: await apiRouter(), env: { RULES_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const get = async (who: { cookie: string }, query: string) => callApi(server.baseUrl, who, 'GET', `/api/heatmap${query}`);
  const STREET = bboxOver(SX, SY, SX + 19, SY + 9);
  const VIEW = bboxOver(X + 3, Y + 4, X + 40, Y + 20);

  it('gives staff exactly the bins inside the box, at 100 m even over a year', async () => {
    const who = await signIn(t.db, 'coordinator');
    const inside = expected([
      [100, SX, SY, 2],
      [100, SX + 10, SY + 5, 4],
      [100, SX + 19, SY + 9, 1],
    ]);
    for (const window of ['7d', '30d', '1y'] as const) {
      const r = await get(who, `?window=${window}&bin=100&bbox=${STREET}`);
      expect(r.status, r.text).toBe(200);
      const body = r.json as HeatmapPayload;
      expect({ window: body.window, binM: body.binM, count: body.count, withheld: body.withheld }).toEqual({ window, binM: 100, count: 7, withheld: 0 });
      expect(binsOf(body)).toEqual(inside);
    }
    // Without the box, the year is still the whole township at 1.6 km (every street incident, in fewer bins).
    const whole = (await get(who, '?window=1y&bin=100')).json as HeatmapPayload;
    expect(whole.binM).toBe(1600);
    expect(whole.count).toBe(39);
  });

  it('gives viewers no bin under 3 in a box: wide bins cut by its edge count all their incidents, withheld ones too', async () => {
    for (const role of ['viewer', 'wall'] as const) {
      const who = await signIn(t.db, role);
      for (const window of ['7d', '1y'] as const) {
        const body = (await get(who, `?window=${window}&bin=100&bbox=${VIEW}`)).json as HeatmapPayload;
        expect(body.binM).toBe(100);
        expect(body.minCount).toBe(3);
        expect(body.n.every((n) => n >= 3)).toBe(true);
        expect(binsOf(body)).toEqual(
          expected([
            [100, X + 10, Y + 10, 4],
            [400, 4 * H, 4 * V + 1, 3],
            [1600, H + 1, V + 1, 3],
          ]),
        );
        // 1.6 km bin (H+2, V): both its incidents, though one lies outside the box.
        expect({ count: body.count, withheld: body.withheld }).toEqual({ count: 10, withheld: 2 });
      }
      // The same wide bins in the whole township's answer, with the same counts: the box did not change them.
      const whole = binsOf((await get(who, '?window=7d&bin=100')).json as HeatmapPayload);
      for (const bin of expected([
        [400, 4 * H, 4 * V + 1, 3],
        [1600, H + 1, V + 1, 3],
      ])) {
        expect(whole).toContainEqual(bin);
      }
    }
  });

  it('gives viewers the street box with its small bins merged and withheld, none under 3', async () => {
    const body = (await get(await signIn(t.db, 'viewer'), `?window=1y&bin=100&bbox=${STREET}`)).json as HeatmapPayload;
    expect(body.binM).toBe(100);
    expect(body.minCount).toBe(3);
    expect(body.n.every((n) => n >= 3)).toBe(true);
    // The 4 inside is shown as its own 100 m bin, at that bin's centre.
    expect(binsOf(body)).toContainEqual(expected([[100, SX + 10, SY + 5, 4]])[0]);
  });

  it('allows a finer bin than the window finest only in a small box, and says why otherwise (400)', async () => {
    const who = await signIn(t.db, 'viewer');
    // 30 km × 30 km: 90,000 bins of 100 m (over the cap of 40,000), 5,625 of 400 m.
    const town = bboxOver(SX, SY, SX + 299, SY + 299);
    const tooFine = await get(who, `?window=1y&bin=100&bbox=${town}`);
    expect(tooFine.status).toBe(400);
    expect(tooFine.text).toContain('bbox: is too large for 100 m bins over 1y');
    expect(tooFine.text).toContain('ask for bin=400');
    const at400 = await get(who, `?window=1y&bin=400&bbox=${town}`);
    expect(at400.status, at400.text).toBe(200);
    expect((at400.json as HeatmapPayload).binM).toBe(400);
    expect((await get(who, `?window=30d&bin=100&bbox=${town}`)).status).toBe(400);
    // A week is served at 100 m in the whole township: any box may ask for it.
    const week = await get(who, `?window=7d&bin=100&bbox=${town}`);
    expect(week.status, week.text).toBe(200);
    // A county (100 km square) over a year: 1.6 km only.
    const county = bboxOver(SX, SY, SX + 999, SY + 999);
    const countyAt400 = await get(who, `?window=1y&bin=400&bbox=${county}`);
    expect(countyAt400.status).toBe(400);
    expect(countyAt400.text).toContain('ask for bin=1600');
    expect((await get(who, `?window=1y&bin=1600&bbox=${county}`)).status).toBe(200);
  });

  it('refuses a malformed, inverted or off-globe box with a 400 that says what is wrong', async () => {
    const who = await signIn(t.db, 'viewer');
    const cases: [string, string][] = [
      ['100.3,31.2,100.4', 'must be minLon,minLat,maxLon,maxLat'],
      ['a,b,c,d', 'must be minLon,minLat,maxLon,maxLat'],
      ['100.3,31.2,100.4,31.3,5', 'must be minLon,minLat,maxLon,maxLat'],
      ['100.4,31.2,100.3,31.3', 'is inverted or empty'],
      ['100.3,31.3,100.4,31.2', 'is inverted or empty'],
      ['100.3,31.2,100.3,31.3', 'is inverted or empty'],
      ['100.3,89.5,100.4,95', 'must lie within longitude -180..180 and latitude -90..90'],
      ['179.5,0,181,1', 'must lie within longitude -180..180 and latitude -90..90'],
    ];
    for (const [bbox, message] of cases) {
      const r = await get(who, `?window=7d&bin=100&bbox=${bbox}`);
      expect(r.status, bbox).toBe(400);
      expect((r.json as { error: { message: string } }).error.message, bbox).toContain(`bbox: ${message}`);
    }
    // A bin the rollup does not keep is still a 422, box or not.
    expect((await get(who, `?window=7d&bin=200&bbox=${STREET}`)).status).toBe(422);
  });
});
