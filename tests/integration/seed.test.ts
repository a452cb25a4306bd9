// The demo township as written by both engines: the tiling, the coverage of
// every point, the counts from PRODUCT.md, and idempotency — all asserted in SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTownship, type SeedSummary } from '../../lib/sim/seed';
import { engines, freshDb, type TestDb } from '../helpers/db';

type LonLat = [number, number];

describe.each(engines())('seedDemoTownship on %s', (engine) => {
  let t: TestDb;
  let first: SeedSummary;
  let seedMs = 0;

  const one = async <R extends object>(sql: string): Promise<R> => {
    const { rows } = await t.db.query<R>(sql);
    const r = rows[0];
    if (!r) throw new Error(`no row from: ${sql}`);
    return r;
  };

  beforeAll(async () => {
    t = await freshDb(engine);
    const started = performance.now();
    first = await seedDemoTownship(t.db, { now: new Date('2026-11-27T10:00:00Z') });
    seedMs = performance.now() - started;
    console.log(`[seed] ${engine}: seeded in ${Math.round(seedMs)} ms`, first);
  }, 120_000);

  afterAll(async () => {
    await t?.drop();
  });

  it('seeds well under a minute', () => {
    expect(first.seeded).toBe(true);
    expect(seedMs).toBeLessThan(60_000);
  });

  it('stores a 556 km² (±5 %) valid MultiPolygon boundary', async () => {
    const r = await one<{ km2: number; valid: boolean; type: string }>(
      `SELECT ST_Area(geom::geography) / 1e6 AS km2, ST_IsValid(geom) AS valid, GeometryType(geom) AS type FROM township`,
    );
    expect(r.valid).toBe(true);
    expect(r.type).toBe('MULTIPOLYGON');
    expect(Math.abs(r.km2 / 556 - 1)).toBeLessThan(0.05);
  });

  it('has 7 villages and 1 community', async () => {
    const r = await one<{ villages: number; communities: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'village')::int AS villages,
              count(*) FILTER (WHERE kind = 'community')::int AS communities FROM villages`,
    );
    expect(r).toEqual({ villages: 7, communities: 1 });
  });

  it('tiles the boundary with exactly 65 valid, non-empty grids', async () => {
    const r = await one<{ n: number; invalid: number; empty: number; codes: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT ST_IsValid(geom))::int AS invalid,
              count(*) FILTER (WHERE ST_IsEmpty(geom))::int AS empty,
              count(DISTINCT code)::int AS codes
       FROM grids`,
    );
    expect(r).toEqual({ n: 65, invalid: 0, empty: 0, codes: 65 });
    const gap = await one<{ ratio: number }>(
      `SELECT ST_Area(ST_SymDifference(u.geom, b.geom)::geography) / ST_Area(b.geom::geography) AS ratio
       FROM (SELECT ST_Union(geom) AS geom FROM grids) u, township b`,
    );
    expect(gap.ratio).toBeLessThan(0.001);
    const overlap = await one<{ m2: number | null }>(
      `SELECT max(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) AS m2
       FROM grids a JOIN grids b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)`,
    );
    expect(overlap.m2 ?? 0).toBeLessThanOrEqual(1);
  });

  it('puts every key location and every incident in exactly one grid, and records it', async () => {
    for (const table of ['key_locations', 'incidents']) {
      const r = await one<{ n: number; bad: number; mismatched: number }>(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE c.grids <> 1)::int AS bad,
                count(*) FILTER (WHERE x.grid_id IS DISTINCT FROM c.grid)::int AS mismatched
         FROM ${table} x
         CROSS JOIN LATERAL (SELECT count(*) AS grids, min(g.id) AS grid FROM grids g WHERE ST_Covers(g.geom, x.geom)) c`,
      );
      expect(r.n).toBeGreaterThan(0);
      expect(r.bad).toBe(0);
      expect(r.mismatched).toBe(0);
    }
  });

  it('has 50–80 key locations including an equipment depot and bridges', async () => {
    const r = await one<{ n: number; depots: number; bridges: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE category = 'equipment_depot')::int AS depots,
              count(*) FILTER (WHERE category = 'bridge')::int AS bridges
       FROM key_locations`,
    );
    expect(r.n).toBeGreaterThanOrEqual(50);
    expect(r.n).toBeLessThanOrEqual(80);
    expect(r.depots).toBe(1);
    expect(r.bridges).toBeGreaterThanOrEqual(1);
  });

  it('writes about 4,000 incidents a year over at least a year', async () => {
    const r = await one<{ year: number; span_days: number; open: number; contacts: number; old_open: number }>(
      `SELECT count(*) FILTER (WHERE reported_at > timestamptz '2026-11-27T10:00:00Z' - interval '365 days')::int AS year,
              EXTRACT(EPOCH FROM max(reported_at) - min(reported_at)) / 86400 AS span_days,
              count(*) FILTER (WHERE status IN ('reported', 'dispatched', 'on_scene'))::int AS open,
              count(reporter_contact)::int AS contacts,
              count(*) FILTER (WHERE status <> 'closed'
                                 AND reported_at < timestamptz '2026-11-27T10:00:00Z' - interval '3 days')::int AS old_open
       FROM incidents`,
    );
    expect(r.year).toBeGreaterThanOrEqual(3800);
    expect(r.year).toBeLessThanOrEqual(4800);
    expect(Number(r.span_days)).toBeGreaterThanOrEqual(365);
    expect(r.open).toBeGreaterThanOrEqual(5);
    expect(r.open).toBeLessThanOrEqual(10);
    expect(r.contacts).toBe(0);
    expect(r.old_open).toBe(0);
    const tl = await one<{ bad: number }>(
      `SELECT count(*) FILTER (WHERE jsonb_typeof(timeline) <> 'array'
                                OR timeline -> -1 ->> 'status' <> status
                                OR (timeline -> 0 ->> 'at')::timestamptz <> reported_at)::int AS bad
       FROM incidents`,
    );
    expect(tl.bad).toBe(0);
  });

  it('joins all roads into one network that reaches every settlement', async () => {
    const { rows } = await t.db.query<{ g: { coordinates: LonLat[] } }>(
      `SELECT ST_AsGeoJSON(geom)::json AS g FROM basemap_features WHERE kind = 'road'`,
    );
    const { rows: centres } = await t.db.query<{ g: { coordinates: LonLat } }>(
      `SELECT ST_AsGeoJSON(centre)::json AS g FROM villages`,
    );
    const key = ([x, y]: LonLat) => `${x},${y}`;
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      while (parent.get(k) !== k) k = parent.get(k) ?? k;
      return k;
    };
    for (const { g } of rows) {
      for (const p of g.coordinates) if (!parent.has(key(p))) parent.set(key(p), key(p));
      for (let i = 1; i < g.coordinates.length; i++) {
        parent.set(find(key(g.coordinates[i - 1] as LonLat)), find(key(g.coordinates[i] as LonLat)));
      }
    }
    const roots = new Set([...parent.keys()].map(find));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(roots.size).toBe(1);
    for (const { g } of centres) expect(parent.has(key(g.coordinates))).toBe(true);
    const inside = await one<{ outside: number }>(
      `SELECT count(*) FILTER (WHERE NOT ST_CoveredBy(f.geom, b.geom))::int AS outside
       FROM basemap_features f, township b`,
    );
    expect(inside.outside).toBe(0);
  });

  it('has the teams, one device and one unit state each', async () => {
    const { rows } = await t.db.query<{ force_type: string; teams: number; people: number }>(
      `SELECT force_type, count(*)::int AS teams, sum(size)::int AS people FROM teams GROUP BY force_type ORDER BY force_type`,
    );
    expect(rows).toEqual([
      { force_type: 'armband', teams: 9, people: 95 },
      { force_type: 'emergency', teams: 3, people: 30 },
      { force_type: 'grid_worker', teams: 95, people: 95 },
      { force_type: 'militia', teams: 2, people: 14 },
      { force_type: 'motorcycle', teams: 4, people: 17 },
    ]);
    const r = await one<{
      devices: number;
      bad_ids: number;
      states: number;
      wrong_status: number;
      gridless: number;
      unworked: number;
      off: number;
    }>(
      `SELECT (SELECT count(*) FROM devices)::int AS devices,
              (SELECT count(*) FROM devices WHERE secret_hash !~ '^[0-9a-f]{64}$' OR protocol <> 'osmand')::int AS bad_ids,
              (SELECT count(*) FROM unit_state u JOIN devices d ON d.id = u.device_id AND d.team_id = u.team_id
               WHERE u.geom IS NULL)::int AS states,
              (SELECT count(*) FROM unit_state u JOIN teams t ON t.id = u.team_id
               WHERE u.status <> CASE WHEN t.on_duty THEN 'available' ELSE 'off_duty' END)::int AS wrong_status,
              (SELECT count(*) FROM teams WHERE force_type = 'grid_worker' AND (home_grid_id IS NULL OR village_id IS NULL))::int AS gridless,
              (SELECT count(*) FROM grids g WHERE NOT EXISTS
                 (SELECT 1 FROM teams t WHERE t.force_type = 'grid_worker' AND t.home_grid_id = g.id))::int AS unworked,
              (SELECT count(*) FROM teams WHERE force_type = 'grid_worker' AND NOT on_duty)::int AS off`,
    );
    expect(r).toMatchObject({ devices: 113, bad_ids: 0, states: 113, wrong_status: 0, gridless: 0, unworked: 0 });
    expect(r.off).toBeGreaterThan(25);
    expect(r.off).toBeLessThan(40);
  });

  it('does nothing the second time', async () => {
    const again = await seedDemoTownship(t.db);
    expect(again).toEqual({ ...first, seeded: false });
  });
});
