// The leadership briefing (GET /api/briefing, GET /api/briefing/pdf) against a
// small database written here: every expected figure is counted by hand from
// these rows (times written with their +08:00 offset), or — for kilometres —
// measured by a second, simpler query over the same points. The township's
// day edges are tested at 00:00 and 23:59:59 of the month: a UTC day would
// move I1 into May and I4 into June.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Queryable } from '../../db/client';
import { briefingSpans, readBriefing } from '../../lib/briefing';
import { splitCsv } from '../../lib/import/csv';
import type { Briefing } from '../../lib/model/briefing';
import { briefingCsv, BRIEFING_TABLES } from '../../components/briefing/briefing-csv';
import { callApi } from '../helpers/api-router';
import { signIn } from '../helpers/auth';
import { BRIEFING_NON_STAFF, BRIEFING_NOW, briefingApp, writeBriefingTownship, type BriefingTownship } from '../helpers/briefing-fixture';
import { engines } from '../helpers/db';

const SECRET_TITLE = '张家与李家因宅基地争执（机密标题）';
const SECRET_NOTE = '当事人情绪激动，详情见笔录';
const SECRET_CONTACT = '13812345678';

type Fixture = BriefingTownship;

async function writeFixture(db: Queryable): Promise<Fixture> {
  const fx = await writeBriefingTownship(db);
  const { grids } = fx;
  const { T1: t1, T2: t2 } = fx.teams;
  const { D1: d1, D2: d2 } = fx.devices;

  const incident = async (
    at: string,
    category: string,
    severity: number,
    grid: keyof Fixture['grids'] | null,
    resolved: { outcome: string; afterS: number } | null,
  ) =>
    Number(
      (
        await db.query<{ id: string }>(
          `INSERT INTO incidents (category, severity, status, outcome, title, description, reporter_contact, geom, grid_id, reported_at, resolved_at)
           VALUES ($1::text, $2::smallint, CASE WHEN $6::text IS NULL THEN 'reported' ELSE 'resolved' END, $6::text,
                   $3::text, $4::text, $5::text, ST_SetSRID(ST_MakePoint(100.005, 31.005), 4326), $7::int, $8::timestamptz,
                   $8::timestamptz + make_interval(secs => $9::float8))
           RETURNING id::text`,
          [category, severity, SECRET_TITLE, SECRET_NOTE, SECRET_CONTACT, resolved?.outcome ?? null, grid ? grids[grid] : null, at, resolved?.afterS ?? null],
        )
      ).rows[0]!.id,
    );
  const assignment = async (incidentId: number, teamId: number, at: string, dispatchS: number, arriveS: number | null) =>
    db.query(
      `INSERT INTO assignments (incident_id, team_id, dispatched_at, dispatched_by, arrived_at, released_at, release_reason)
       VALUES ($1::bigint, $2::int, $3::timestamptz + make_interval(secs => $4::float8), 'test',
               $3::timestamptz + make_interval(secs => $5::float8), $3::timestamptz + interval '3 hours', 'resolved')`,
      [incidentId, teamId, at, dispatchS, arriveS],
    );

  // June 2025 (Shanghai): I1 at its first instant, I3 at its last second, I5, I6 (no cell).
  const i1 = await incident('2025-06-01T00:00:00+08:00', 'neighbour_dispute', 2, 'G1', { outcome: 'mediated', afterS: 3600 });
  await assignment(i1, t1, '2025-06-01T00:00:00+08:00', 300, 900);
  await incident('2025-05-31T23:59:00+08:00', 'family_dispute', 1, 'G1', null); // I2: May
  const i3 = await incident('2025-06-30T23:59:59+08:00', 'fire', 4, 'G2', { outcome: 'referred', afterS: 7200 });
  await assignment(i3, t1, '2025-06-30T23:59:59+08:00', 60, null); // reassigned before arriving
  await assignment(i3, t2, '2025-06-30T23:59:59+08:00', 120, 1800);
  await incident('2025-07-01T00:00:00+08:00', 'fire', 4, 'G2', null); // I4: July
  const i5 = await incident('2025-06-15T10:00:00+08:00', 'neighbour_dispute', 2, 'G3', null);
  await assignment(i5, t2, '2025-06-15T10:00:00+08:00', 600, null);
  await incident('2025-06-10T12:00:00+08:00', 'traffic', 3, null, null); // I6
  await incident('2024-06-20T08:00:00+08:00', 'fire', 3, 'G3', null); // I7: a year earlier
  await incident('2025-05-10T09:00:00+08:00', 'neighbour_dispute', 2, 'G2', null); // I8: May

  const fix = (deviceId: number, teamId: number, at: string, lon: number, lat: number, grid: keyof Fixture['grids']) =>
    db.query(
      `INSERT INTO positions (device_id, team_id, fix_time, geom, grid_id) VALUES ($1::int, $2::int, $3::timestamptz, ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326), $6::int)`,
      [deviceId, teamId, at, lon, lat, grids[grid]],
    );
  await fix(d1, t1, '2025-06-02T09:00:00+08:00', 100.005, 31.001, 'G1');
  await fix(d1, t1, '2025-06-02T09:10:00+08:00', 100.005, 31.006, 'G1');
  await fix(d1, t1, '2025-06-02T09:50:00+08:00', 100.015, 31.006, 'G2');
  await fix(d1, t1, '2025-06-02T10:05:00+08:00', 100.015, 31.001, 'G2');
  // The next township day (still 2 June in UTC): a new path, the jump back is not patrolled.
  await fix(d1, t1, '2025-06-03T00:30:00+08:00', 100.005, 31.001, 'G1');
  await fix(d2, t2, '2025-06-20T08:00:00+08:00', 100.005, 31.002, 'G1');
  await fix(d2, t2, '2025-07-01T00:00:00+08:00', 100.025, 31.002, 'G3'); // July

  const alert = (kind: string, at: string, grid: keyof Fixture['grids'] | null, point: [number, number] | null) =>
    db.query(
      `INSERT INTO alerts (kind, severity, message, raised_at, grid_id, geom)
       VALUES ($1::text, 3, 'a', $2::timestamptz, $3::int, CASE WHEN $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) END)`,
      [kind, at, grid ? grids[grid] : null, point?.[0] ?? null, point?.[1] ?? null],
    );
  await alert('sos', '2025-06-05T08:00:00+08:00', 'G1', null);
  await alert('stale', '2025-06-06T08:00:00+08:00', null, [100.025, 31.005]); // in G3 by its point
  await alert('sos', '2025-05-31T23:00:00+08:00', 'G1', null); // May
  await alert('offline', '2025-06-07T08:00:00+08:00', null, null);
  return fx;
}

/** Metres along the points, by a second query: the distance of each pair on the spheroid, summed. */
async function metresAlong(db: Queryable, points: [number, number][]): Promise<number> {
  const { rows } = await db.query<{ m: number }>(
    `SELECT sum(ST_Distance(ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)::geography, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326)::geography))::float8 AS m
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS a(lon, lat, n)
     JOIN unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS b(lon, lat, n) ON b.n = a.n + 1`,
    [points.map((p) => p[0]), points.map((p) => p[1])],
  );
  return rows[0]!.m;
}

const NOW = BRIEFING_NOW;
/** Every person who may read the briefing and is not staff (who sees no narrative or contact anywhere else): from the permission rules. */
const NON_STAFF = BRIEFING_NON_STAFF;

/** A query, the day it is asked on, and the three spans briefingSpans gives. */
type SpansCase = [query: Parameters<typeof briefingSpans>[0], today: string, spans: ReturnType<typeof briefingSpans>];
const spans = (current: [string, string], previous: [string, string], yearAgo: [string, string]): ReturnType<typeof briefingSpans> => ({
  current: { from: current[0], to: current[1] },
  previous: { from: previous[0], to: previous[1] },
  yearAgo: { from: yearAgo[0], to: yearAgo[1] },
});

describe('briefing periods', () => {
  it.each<SpansCase>([
    [{ period: 'month' }, '2025-07-15', spans(['2025-06-01', '2025-07-01'], ['2025-05-01', '2025-06-01'], ['2024-06-01', '2024-07-01'])],
    // ISO weeks; a year earlier is 52 weeks back, the same weekdays.
    [{ period: 'week', from: '2025-07-02' }, '2025-07-15', spans(['2025-06-30', '2025-07-07'], ['2025-06-23', '2025-06-30'], ['2024-07-01', '2024-07-08'])],
    [{ period: 'year' }, '2025-07-15', spans(['2024-01-01', '2025-01-01'], ['2023-01-01', '2024-01-01'], ['2023-01-01', '2024-01-01'])],
    [{ period: 'custom', from: '2024-02-29', to: '2024-03-10' }, '2025-07-15', spans(['2024-02-29', '2024-03-10'], ['2024-02-19', '2024-02-29'], ['2023-02-28', '2023-03-10'])],
  ])('takes the last whole period by default and compares with the one before and a year earlier: %o on %s', (query, today, expected) => {
    expect(briefingSpans(query, today)).toEqual(expected);
  });

  it.each<SpansCase>([
    // A day: yesterday, the day before, and 364 days earlier (the same weekday, over 29 February 2024).
    [{ period: 'day' }, '2025-03-01', spans(['2025-02-28', '2025-03-01'], ['2025-02-27', '2025-02-28'], ['2024-03-01', '2024-03-02'])],
    // A week that spans the new year (1 January 2026 is a Thursday).
    [{ period: 'week', from: '2026-01-01' }, '2026-02-01', spans(['2025-12-29', '2026-01-05'], ['2025-12-22', '2025-12-29'], ['2024-12-30', '2025-01-06'])],
    // The 31st of a month whose previous month is short.
    [{ period: 'month', from: '2024-03-31' }, '2025-07-15', spans(['2024-03-01', '2024-04-01'], ['2024-02-01', '2024-03-01'], ['2023-03-01', '2023-04-01'])],
    [{ period: 'quarter' }, '2025-01-05', spans(['2024-10-01', '2025-01-01'], ['2024-07-01', '2024-10-01'], ['2023-10-01', '2024-01-01'])],
    [{ period: 'quarter', from: '2025-06-30' }, '2025-07-15', spans(['2025-04-01', '2025-07-01'], ['2025-01-01', '2025-04-01'], ['2024-04-01', '2024-07-01'])],
  ])('steps back exactly one aligned period, across month, quarter and year ends and leap days: %o on %s', (query, today, expected) => {
    expect(briefingSpans(query, today)).toEqual(expected);
  });

  it.each<[query: Parameters<typeof briefingSpans>[0], today: string, current: { from: string; to: string }]>([
    [{ period: 'quarter' }, '2025-01-05', { from: '2024-10-01', to: '2025-01-01' }],
    // Today the first day of a period: the default is the whole one before it.
    [{ period: 'month' }, '2025-07-01', { from: '2025-06-01', to: '2025-07-01' }],
    [{ period: 'year' }, '2025-01-01', { from: '2024-01-01', to: '2025-01-01' }],
  ])('briefs the whole period before today by default: %o on %s', (query, today, current) => {
    expect(briefingSpans(query, today).current).toEqual(current);
  });
});

describe.each(engines())('the briefing on %s', (engine) => {
  const app = briefingApp(engine, writeFixture);
  const config = { TOWNSHIP_TZ: 'Asia/Shanghai' };
  const june = (villageId?: number) => readBriefing({ db: app.db, config }, { period: 'month', villageId }, { now: NOW });

  it('counts June 2025 in township days: incidents by category, severity and outcome, resolved, the week-hour matrix and the herb season', async () => {
    const b = await june();
    expect(b.current.range).toEqual({
      from: '2025-06-01',
      to: '2025-07-01',
      start: '2025-05-31T16:00:00.000Z',
      end: '2025-06-30T16:00:00.000Z',
      days: 30,
    });
    const f = b.current.figures;
    // I1 (00:00 on the 1st), I3 (23:59:59 on the 30th), I5, I6; not I2 (23:59 on 31 May) nor I4 (00:00 on 1 July).
    expect(f.incidents).toBe(4);
    expect(f.resolved).toBe(2);
    expect(f.byCategory).toEqual([
      { category: 'neighbour_dispute', count: 2 },
      { category: 'fire', count: 1 },
      { category: 'traffic', count: 1 },
    ]);
    expect(f.bySeverity).toEqual([
      { severity: 2, count: 2 },
      { severity: 3, count: 1 },
      { severity: 4, count: 1 },
    ]);
    expect(f.byOutcome).toEqual([
      { outcome: 'mediated', count: 1 },
      { outcome: 'referred', count: 1 },
    ]);
    // Sunday 1 June 00h, Tuesday 10 June 12h, Sunday 15 June 10h, Monday 30 June 23h.
    expect(f.hourOfWeek).toEqual([
      { dow: 1, hour: 23, count: 1 },
      { dow: 2, hour: 12, count: 1 },
      { dow: 7, hour: 0, count: 1 },
      { dow: 7, hour: 10, count: 1 },
    ]);
    expect(b.herbSeasonMonths).toEqual([5, 6, 7]);
    expect(f.herbSeason).toEqual({ inSeason: { incidents: 4, days: 30 }, offSeason: { incidents: 0, days: 0 } });
    // May: I2, I8; a year earlier: I7.
    expect(b.previous.figures.incidents).toBe(2);
    expect(b.previous.range.from).toBe('2025-05-01');
    expect(b.previous.range).toEqual({ from: '2025-05-01', to: '2025-06-01', start: '2025-04-30T16:00:00.000Z', end: '2025-05-31T16:00:00.000Z', days: 31 });
    expect(b.yearAgo.range).toEqual({ from: '2024-06-01', to: '2024-07-01', start: '2024-05-31T16:00:00.000Z', end: '2024-06-30T16:00:00.000Z', days: 30 });
    expect(b.yearAgo.figures.incidents).toBe(1);
    expect(b.yearAgo.figures.byCategory).toEqual([{ category: 'fire', count: 1 }]);
  });

  it('gives response times from the first dispatch, the first arrival and the resolution: median and p90', async () => {
    const { response } = (await june()).current.figures;
    // Dispatch: I1 300 s, I3 60 s (the first, reassigned), I5 600 s. p90 of 60, 300, 600: 300 + 0.8 × 300.
    expect(response.dispatched).toEqual({ samples: 3, medianSeconds: 300, p90Seconds: 540 });
    // On scene: I1 900 s, I3 1,800 s (the second team); I5 never arrived.
    expect(response.onScene).toEqual({ samples: 2, medianSeconds: 1350, p90Seconds: 1710 });
    // Resolved: I1 3,600 s, I3 7,200 s.
    expect(response.resolved).toEqual({ samples: 2, medianSeconds: 5400, p90Seconds: 6840 });
    expect((await june()).previous.figures.response.dispatched).toEqual({ samples: 0, medianSeconds: null, p90Seconds: null });
  });

  it('tables every village and cell, zeros included, with patrol hours; counts unpatrolled cells and alerts by kind', async () => {
    const f = (await june()).current.figures;
    expect(f.byVillage.map((v) => [v.code, v.incidents, v.resolved])).toEqual([
      ['V1', 2, 2],
      ['V2', 1, 0],
    ]);
    // G1: hours 09 and 00 (T1), 08 (T2); G2: 09 and 10; G3 none.
    expect(f.byGrid.map((g) => [g.code, g.villageCode, g.incidents, g.resolved, g.patrolHours])).toEqual([
      ['G1', 'V1', 1, 1, 3],
      ['G2', 'V1', 1, 1, 2],
      ['G3', 'V2', 1, 0, 0],
    ]);
    expect({ total: f.gridsTotal, notPatrolled: f.gridsNotPatrolled }).toEqual({ total: 3, notPatrolled: 1 });
    expect(f.alertsByKind).toEqual([
      { kind: 'offline', count: 1 },
      { kind: 'sos', count: 1 },
      { kind: 'stale', count: 1 },
    ]);
  });

  it('measures patrol per team and force type: hours with fixes, km along each day`s path, cells visited', async () => {
    const f = (await june()).current.figures;
    // T1 on 2 June: three legs; 3 June 00:30 starts a new township day, so the jump back is not walked.
    const km = (await metresAlong(app.db, [[100.005, 31.001], [100.005, 31.006], [100.015, 31.006], [100.015, 31.001]])) / 1000;
    expect(km).toBeGreaterThan(2);
    expect(f.patrolByTeam.map((r) => [r.code, r.forceType, r.hours, r.cells])).toEqual([
      ['T1', 'armband', 3, 2],
      ['T2', 'motorcycle', 1, 1],
    ]);
    expect(f.patrolByTeam[0]!.km).toBeCloseTo(km, 2);
    expect(f.patrolByTeam[1]!.km).toBe(0);
    expect(f.patrolKm).toBeCloseTo(km, 2);
    expect(f.patrolByForce.map((r) => [r.forceType, r.teams, r.hours, r.cells])).toEqual([
      ['armband', 1, 3, 2],
      ['motorcycle', 1, 1, 1],
    ]);
  });

  it('narrows everything to one village: its cells, its incidents, its patrols and alerts', async () => {
    const b = await june(app.fx.villages.V2);
    expect(b.village).toEqual({ id: app.fx.villages.V2, code: 'V2', name: '下村', nameEn: 'V2' });
    const f = b.current.figures;
    expect(f.incidents).toBe(1);
    expect(f.byVillage.map((v) => v.code)).toEqual(['V2']);
    expect(f.byGrid.map((g) => g.code)).toEqual(['G3']);
    expect({ total: f.gridsTotal, notPatrolled: f.gridsNotPatrolled, teams: f.patrolByTeam.length }).toEqual({ total: 1, notPatrolled: 1, teams: 0 });
    expect(f.alertsByKind).toEqual([{ kind: 'stale', count: 1 }]);
    expect(b.yearAgo.figures.incidents).toBe(1);
    const v1 = (await june(app.fx.villages.V1)).current.figures;
    expect({ incidents: v1.incidents, alerts: v1.alertsByKind, cells: v1.gridsNotPatrolled }).toEqual({
      incidents: 2,
      alerts: [{ kind: 'sos', count: 1 }],
      cells: 0,
    });
  });

  it('answers a viewer and a wall display over HTTP with aggregates only: no narrative, title or contact', async () => {
    expect(NON_STAFF).toEqual(expect.arrayContaining(['viewer', 'wall']));
    for (const role of NON_STAFF) {
      const who = await signIn(app.db, role);
      const r = await callApi(app.server.baseUrl, who, 'GET', '/api/briefing?period=month&from=2025-06-10');
      expect(r.status, r.text).toBe(200);
      const body = r.json as Briefing;
      expect(body.current.figures.incidents).toBe(4);
      for (const secret of [SECRET_TITLE, SECRET_NOTE, SECRET_CONTACT, 'title', 'description', 'contact']) expect(r.text).not.toContain(secret);
    }
    expect((await callApi(app.server.baseUrl, null, 'GET', '/api/briefing')).status).toBe(401);
  });

  it('refuses bad input with 422 and a message that says what is wrong', async () => {
    const who = await signIn(app.db, 'coordinator');
    const cases: [string, RegExp][] = [
      ['period=fortnight', /period/],
      ['period=month&from=2025-02-30', /from: is not a real calendar day/],
      ['period=custom&from=2025-06-01', /custom needs from and to/],
      ['period=custom&from=2025-06-10&to=2025-06-01', /to must be after from/],
      ['period=custom&from=2023-01-01&to=2025-01-01', /at most 366 days/],
      ['period=month&to=2025-06-01', /to is only for period=custom/],
      ['period=month&village=abc', /village/],
      ['period=month&colour=red', /colour/],
    ];
    for (const [q, message] of cases) {
      const r = await callApi(app.server.baseUrl, who, 'GET', `/api/briefing?${q}`);
      expect(r.status, q).toBe(422);
      expect((r.json as { error: { message: string } }).error.message, q).toMatch(message);
    }
    expect((await callApi(app.server.baseUrl, who, 'GET', '/api/briefing?period=month&village=999999')).status).toBe(404);
  });

  it('writes a PDF whose text holds the period, the KPI figures and Chinese category names', async () => {
    // Every person who is not staff, as for the JSON: the PDF is the same aggregates.
    for (const role of NON_STAFF) {
      const who = await signIn(app.db, role);
      const res = await fetch(`${app.server.baseUrl}/api/briefing/pdf?period=month&from=2025-06-01`, { headers: { cookie: who.cookie } });
      expect(res.status, role).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain('briefing-2025-06-01');
      const bytes = new Uint8Array(await res.arrayBuffer());
      const pdf = await getDocument({ data: bytes }).promise;
      let text = '';
      for (let n = 1; n <= pdf.numPages; n++) {
        const content = await (await pdf.getPage(n)).getTextContent();
        text += content.items.map((i) => ('str' in i ? i.str : '')).join('') + '\n';
      }
      await pdf.destroy();
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('2025-06-01—2025-06-30');
      expect(flat).toContain('事件总数4');
      expect(flat).toContain('已化解2');
      // The KPI cards' medians (I1 300 s, I3 60 s, I5 600 s to dispatch: 5.0 min; p90 would be 9.0) against May's none.
      expect(flat).toContain('上报→派遣（中位）5.0分钟上期—');
      expect(flat).toContain('邻里纠纷2');
      expect(flat).toContain('火情1');
      expect(flat).toContain('交通事故1');
      for (const secret of [SECRET_TITLE, SECRET_NOTE, SECRET_CONTACT]) expect(flat).not.toContain(secret);
    }
    expect((await fetch(`${app.server.baseUrl}/api/briefing/pdf?period=month`)).status).toBe(401);
  });

  it('exports each table as CSV with a BOM that a CSV parser reads back to the same numbers', async () => {
    const b = await june();
    for (const table of BRIEFING_TABLES) {
      const csv = briefingCsv(table, b, 'zh');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const rows = readCsvBack(csv.slice(1));
      const { columns, rows: expected } = table.rows(b, 'zh');
      expect(rows[0]).toEqual(columns);
      expect(rows.slice(1)).toEqual(expected.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : v))));
    }
    const grid = readCsvBack(briefingCsv(BRIEFING_TABLES.find((x) => x.id === 'grids')!, b, 'zh').slice(1));
    expect(grid.slice(1).map((r) => [r[0], Number(r[3]), Number(r[4]), Number(r[5])])).toEqual([
      ['G1', 1, 1, 3],
      ['G2', 1, 1, 2],
      ['G3', 1, 0, 0],
    ]);
  });
});

/** The CSV read back by the importer's own RFC 4180 reader (lib/import/csv.ts). */
const readCsvBack = (text: string): string[][] => splitCsv(text, ',').map((r) => r.fields);
