// The briefing's heatmap snapshot: the heatmap rollup's bins over the period's
// township days, compared with a direct count of the dispute incidents written
// here by hand (times with their +08:00 offset: 00:00 on 1 June and 23:59:59
// on 30 June are in June in Shanghai, 23:59:59 on 31 May and 00:00 on 1 July
// are not; a UTC day would move the first into May). Viewers and walls get the
// same projection as GET /api/heatmap (no bin under 3); the PDF carries it.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Queryable } from '../../db/client';
import { getHeatmapSettings } from '../../db/heatmap';
import { readBriefing } from '../../lib/briefing';
import { DISPUTE_CATEGORIES, HEATMAP_MIN_SHOWN_COUNT } from '../../lib/model';
import type { Briefing, BriefingHeatmap } from '../../lib/model/briefing';
import { callApi } from '../helpers/api-router';
import { signIn } from '../helpers/auth';
import { BRIEFING_NON_STAFF, BRIEFING_NOW, briefingApp, writeBriefingTownship, type BriefingTownship } from '../helpers/briefing-fixture';
import { engines } from '../helpers/db';

type Fixture = BriefingTownship;

/** Points well inside their cells, so a 400 m bin's centre lies in the incident's own cell. */
const A: [number, number] = [100.005, 31.005]; // G1, village V1
const B: [number, number] = [100.015, 31.005]; // G2, village V1
const C: [number, number] = [100.025, 31.005]; // G3, village V2

async function writeFixture(db: Queryable): Promise<Fixture> {
  const fx = await writeBriefingTownship(db);
  const { grids } = fx;
  const incident = (at: string, category: string, [lon, lat]: [number, number], gridId: number) =>
    db.query(
      `INSERT INTO incidents (category, severity, status, title, geom, grid_id, reported_at)
       VALUES ($1::text, 2, 'reported', 'x', ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326), $4::int, $5::timestamptz)`,
      [category, lon, lat, gridId, at],
    );
  // June 2025 in Shanghai: A three, B one (its last second), C two.
  await incident('2025-06-01T00:00:00+08:00', 'neighbour_dispute', A, grids.G1);
  await incident('2025-06-10T12:00:00+08:00', 'family_dispute', A, grids.G1);
  await incident('2025-06-20T20:00:00+08:00', 'land_grazing_dispute', A, grids.G1);
  await incident('2025-06-30T23:59:59+08:00', 'neighbour_dispute', B, grids.G2);
  await incident('2025-06-05T09:00:00+08:00', 'wage_labour_dispute', C, grids.G3);
  await incident('2025-06-06T09:00:00+08:00', 'neighbour_dispute', C, grids.G3);
  // Outside June by a second or less, and a fire (not a dispute: the heatmap does not count it).
  await incident('2025-05-31T23:59:59+08:00', 'neighbour_dispute', A, grids.G1);
  await incident('2025-07-01T00:00:00+08:00', 'neighbour_dispute', C, grids.G3);
  await incident('2025-06-15T10:00:00+08:00', 'fire', A, grids.G1);
  // March: in the half year, not in June.
  await incident('2025-03-03T08:00:00+08:00', 'family_dispute', B, grids.G2);
  return fx;
}

type Bin = [lon: number, lat: number, n: number];

/** The snapshot's bins, sorted, as [lon, lat, n]. */
const binsOf = (h: BriefingHeatmap): Bin[] => h.lon.map((lon, i): Bin => [lon, h.lat[i]!, h.n[i]!]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

/**
 * The same bins counted straight from incidents (a scan, what the rollup spares): the dispute
 * incidents reported in [start, end), binned as migration 0011 bins them, optionally only those
 * of a village's cells; centres as the API gives them.
 */
async function directBins(db: Queryable, { binM, start, end, villageId }: { binM: number; start: string; end: string; villageId: number | null }): Promise<Bin[]> {
  const { refLat } = await getHeatmapSettings(db);
  const kx = 111_320 * Math.cos((refLat * Math.PI) / 180);
  const { rows } = await db.query<{ ix: number; iy: number; n: number }>(
    `SELECT floor(ST_X(i.geom) * $1::float8 / $2::int)::int AS ix, floor(ST_Y(i.geom) * 110574 / $2::int)::int AS iy, count(*)::int AS n
     FROM incidents i
     WHERE i.category = ANY($3::text[]) AND i.reported_at >= $4::timestamptz AND i.reported_at < $5::timestamptz
       AND ($6::int IS NULL OR i.grid_id IN (SELECT g.id FROM grids g WHERE g.village_id = $6::int))
     GROUP BY 1, 2`,
    [kx, binM, DISPUTE_CATEGORIES, start, end, villageId],
  );
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return rows
    .map((r): Bin => [r6(((r.ix + 0.5) * binM) / kx), r6(((r.iy + 0.5) * binM) / 110_574), r.n])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

const NOW = BRIEFING_NOW;
const NON_STAFF = BRIEFING_NON_STAFF;

describe.each(engines())('the briefing`s heatmap snapshot on %s', (engine) => {
  const app = briefingApp(engine, writeFixture);
  const config = { TOWNSHIP_TZ: 'Asia/Shanghai' };

  it('holds, for staff, every bin of the period`s township days as a direct count of the incidents gives it', async () => {
    const june = await readBriefing({ db: app.db, config }, { period: 'month', from: '2025-06-01' }, { now: NOW, role: 'coordinator' });
    const h = june.heatmap;
    expect({ binM: h.binM, minCount: h.minCount, count: h.count, withheld: h.withheld }).toEqual({ binM: 400, minCount: 1, count: 6, withheld: 0 });
    // By hand: A three (00:00 on 1 June in), B one (23:59:59 on 30 June in), C two; the fire and the edges out.
    expect(binsOf(h).map((b) => b[2])).toEqual([3, 1, 2]);
    const range = june.current.range;
    expect(binsOf(h)).toEqual(await directBins(app.db, { binM: 400, start: range.start, end: range.end, villageId: null }));
    // A half year maps at 1,600 m bins (March's dispute at B joins), read mostly from month rows.
    const half = await readBriefing({ db: app.db, config }, { period: 'custom', from: '2025-01-01', to: '2025-07-01' }, { now: NOW, role: 'admin' });
    expect(half.heatmap.binM).toBe(1600);
    expect(half.heatmap.count).toBe(8);
    const r = half.current.range;
    expect(binsOf(half.heatmap)).toEqual(await directBins(app.db, { binM: 1600, start: r.start, end: r.end, villageId: null }));
    // The cells under the bins: all three outlines, and their box.
    expect(h.outlines).toHaveLength(3);
    expect(h.outlines.every((ring) => ring.length === 5 && ring[0]![0] === ring[4]![0] && ring[0]![1] === ring[4]![1])).toBe(true);
    expect(h.bbox).toEqual([100.0, 31.0, 100.03, 31.01]);
  });

  it('narrows to a village`s bins: those whose centre lies in its cells', async () => {
    const v2 = await readBriefing({ db: app.db, config }, { period: 'month', from: '2025-06-01', villageId: app.fx.villages.V2 }, { now: NOW, role: 'coordinator' });
    const range = v2.current.range;
    expect(binsOf(v2.heatmap)).toEqual(await directBins(app.db, { binM: 400, start: range.start, end: range.end, villageId: app.fx.villages.V2 }));
    expect(binsOf(v2.heatmap).map((b) => b[2])).toEqual([2]);
    expect(v2.heatmap.outlines).toHaveLength(1);
    expect(v2.heatmap.bbox).toEqual([100.02, 31.0, 100.03, 31.01]);
    const v1 = await readBriefing({ db: app.db, config }, { period: 'month', from: '2025-06-01', villageId: app.fx.villages.V1 }, { now: NOW, role: 'admin' });
    expect(binsOf(v1.heatmap)).toEqual(await directBins(app.db, { binM: 400, start: range.start, end: range.end, villageId: app.fx.villages.V1 }));
    expect(v1.heatmap.count).toBe(4);
  });

  it('shows viewers and walls no bin under 3, over HTTP: small bins merged wider or withheld, the total kept', async () => {
    expect(NON_STAFF).toEqual(expect.arrayContaining(['viewer', 'wall']));
    for (const role of NON_STAFF) {
      const who = await signIn(app.db, role);
      const r = await callApi(app.server.baseUrl, who, 'GET', '/api/briefing?period=month&from=2025-06-01');
      expect(r.status, r.text).toBe(200);
      const h = (r.json as Briefing).heatmap;
      expect(h.minCount).toBe(HEATMAP_MIN_SHOWN_COUNT);
      expect(h.n.length).toBeGreaterThan(0);
      expect(h.n.every((n) => n >= HEATMAP_MIN_SHOWN_COUNT)).toBe(true);
      expect(h.count + h.withheld).toBe(6);
      // A's three stay in their own 400 m bin, where staff see them.
      const staff = binsOf((await readBriefing({ db: app.db, config }, { period: 'month', from: '2025-06-01' }, { now: NOW, role: 'admin' })).heatmap);
      expect(binsOf(h)).toContainEqual(staff.find((b) => b[2] === 3));
      // In one village, C's two are under 3 even 16× wider: withheld, only their number told.
      const v2 = (await callApi(app.server.baseUrl, who, 'GET', `/api/briefing?period=month&from=2025-06-01&village=${app.fx.villages.V2}`)).json as Briefing;
      expect({ bins: v2.heatmap.n, count: v2.heatmap.count, withheld: v2.heatmap.withheld }).toEqual({ bins: [], count: 0, withheld: 2 });
    }
    const staff = await callApi(app.server.baseUrl, await signIn(app.db, 'coordinator'), 'GET', '/api/briefing?period=month&from=2025-06-01');
    expect((staff.json as Briefing).heatmap.n.slice().sort()).toEqual([1, 2, 3]);
  });

  it('puts the snapshot in the PDF on a page of its own, with its caption as text', async () => {
    const who = await signIn(app.db, 'coordinator');
    const res = await fetch(`${app.server.baseUrl}/api/briefing/pdf?period=month&from=2025-06-01`, { headers: { cookie: who.cookie } });
    expect(res.status).toBe(200);
    const pdf = await getDocument({ data: new Uint8Array(await res.arrayBuffer()) }).promise;
    expect(pdf.numPages).toBe(2);
    const page = await pdf.getPage(2);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    // The snapshot is drawn as vector paths: the operator list holds fills (the bins) and strokes (the cells).
    const ops = await page.getOperatorList();
    await pdf.destroy();
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('纠纷热点（本期）·全乡镇·2025-06-01—2025-06-30');
    expect(flat).toContain('400米方格·图上纠纷6起');
    expect(ops.fnArray.length).toBeGreaterThan(50);
  });
});
