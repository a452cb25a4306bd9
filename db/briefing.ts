// The leadership briefing's figures (GET /api/briefing): every figure is an
// aggregate computed here, for all the periods compared at once.
import type { BriefingFigures, BriefingVillage } from '../lib/model/briefing';
import type { Queryable } from './client';
import { incidentRollupReady } from './incident-rollup';
import { patrolRollupReady } from './patrol-rollup';

export interface BriefingWindow {
  /** First instant (township midnight), inclusive. */
  start: Date;
  /** Last instant, exclusive. */
  end: Date;
}

type IncidentPart = Omit<BriefingFigures, 'patrolByForce' | 'patrolByTeam' | 'patrolKm' | 'gridsTotal' | 'gridsNotPatrolled' | 'byGrid'> & {
  byGrid: Omit<BriefingFigures['byGrid'][number], 'patrolHours'>[];
};
type PatrolPart = Pick<BriefingFigures, 'patrolByForce' | 'patrolByTeam' | 'patrolKm' | 'gridsTotal' | 'gridsNotPatrolled'> & {
  cellHours: { gridId: number; hours: number }[];
};

/** The briefing's WITH queries ($1 starts, $2 ends, $3 zone, $4 village or null, $5 herb-season months); each statement uses some. */
const WITH_HEAD = `p AS MATERIALIZED (
       SELECT w.k::int AS k, w.s AS start, w.e AS stop
       FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w(s, e, k)
     ),
     cells AS MATERIALIZED (
       SELECT g.id, g.code, g.name, g.name_en, g.village_id, g.geom FROM grids g
       WHERE $4::int IS NULL OR g.village_id = $4::int
     ),
     inc AS MATERIALIZED (
       SELECT p.k, i.id, i.category, i.severity, i.outcome, i.grid_id, i.reported_at,
              CASE WHEN i.outcome IS NOT NULL THEN COALESCE(i.resolved_at, i.closed_at) END AS resolved_at,
              (i.reported_at AT TIME ZONE $3::text) AS local
       FROM p JOIN incidents i ON i.reported_at >= p.start AND i.reported_at < p.stop
       WHERE $4::int IS NULL OR i.grid_id IN (SELECT id FROM cells)
     ),
     -- The first dispatch and arrival of each incident: one index range over
     -- assignments (the ids of the period's incidents, which the serial makes
     -- nearly contiguous) aggregated and hash-joined, not one probe per
     -- incident (104,000 probes were the largest single cost of a year).
     first_a AS (
       SELECT a.incident_id, min(a.dispatched_at) AS first_dispatch, min(a.arrived_at) AS first_arrival
       FROM assignments a
       WHERE a.incident_id BETWEEN (SELECT min(id) FROM inc) AND (SELECT max(id) FROM inc)
       GROUP BY a.incident_id
     ),
     resp AS (
       SELECT inc.k,
              extract(epoch FROM a.first_dispatch - inc.reported_at)::float8 AS to_dispatch,
              extract(epoch FROM a.first_arrival - inc.reported_at)::float8 AS to_scene,
              extract(epoch FROM inc.resolved_at - inc.reported_at)::float8 AS to_resolved
       FROM inc LEFT JOIN first_a a ON a.incident_id = inc.id
     ),
     resp_agg AS (
       SELECT k,
              count(to_dispatch)::int AS nd, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_dispatch) AS pd,
              count(to_scene)::int AS ns, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_scene) AS ps,
              count(to_resolved)::int AS nr, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY to_resolved) AS pr
       FROM resp GROUP BY k
     ),
     -- One pass over the period's incidents for every count (grouping sets: a
     -- hash per set, read once), instead of a sort of the whole set per figure.
     -- GROUPING() is a bit mask of the columns NOT grouped, in the order listed.
     -- date_part, not extract: extract answers numeric, and three numeric
     -- extracts per incident were a fifth of this pass (about 60 of 260 ms CPU
     -- over a year's 104,000 incidents); the whole numbers are the same.
     inc_groups AS MATERIALIZED (
       SELECT k, category, severity, outcome, grid_id, dow, hour,
              GROUPING(category, severity, outcome, grid_id, dow, hour) AS g,
              count(*)::int AS n, count(outcome)::int AS resolved, count(*) FILTER (WHERE herb)::int AS herb_n
       FROM (SELECT k, category, severity, outcome, grid_id, date_part('isodow', local)::int AS dow, date_part('hour', local)::int AS hour,
                    date_part('month', local)::int = ANY($5::int[]) AS herb
             FROM inc) x
       GROUP BY GROUPING SETS ((k), (k, category), (k, severity), (k, outcome), (k, grid_id), (k, dow, hour))
     ),
     inc_tot AS (SELECT k, n, resolved, herb_n FROM inc_groups WHERE g = 63),
     by_cat AS (SELECT k, category, n FROM inc_groups WHERE g = 31),
     by_sev AS (SELECT k, severity, n FROM inc_groups WHERE g = 47),
     by_out AS (SELECT k, outcome, n FROM inc_groups WHERE g = 55 AND outcome IS NOT NULL),
     by_cell AS (SELECT k, grid_id, n, resolved FROM inc_groups WHERE g = 59 AND grid_id IS NOT NULL),
     by_how AS (SELECT k, dow, hour, n FROM inc_groups WHERE g = 60),
`;

/**
 * The same incident WITH queries as WITH_HEAD's, from the incident rollup
 * (db/incident-rollup.ts; whole township days only, once refreshed): `p` and
 * `cells` word for word, then each figure's per-day counts over the
 * windows' days (the township's rows, scope 0, or the village's; one index
 * range of incident_counts each) summed per window, and the percentiles over
 * the incidents' stored durations.
 */
const countsOf = (dim: 't' | 'c' | 's' | 'o' | 'g' | 'h') =>
  `idays p JOIN incident_counts r ON r.scope = COALESCE($4::int, 0) AND r.dim = '${dim}' AND r.day >= p.d0 AND r.day < p.d1`;
const WITH_HEAD_INCIDENT_ROLLUP = `p AS MATERIALIZED (
       SELECT w.k::int AS k, w.s AS start, w.e AS stop
       FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w(s, e, k)
     ),
     cells AS MATERIALIZED (
       SELECT g.id, g.code, g.name, g.name_en, g.village_id, g.geom FROM grids g
       WHERE $4::int IS NULL OR g.village_id = $4::int
     ),
     idays AS MATERIALIZED (
       SELECT k, (start AT TIME ZONE $3::text)::date AS d0, (stop AT TIME ZONE $3::text)::date AS d1 FROM p
     ),
     -- Per window, an aggregate without GROUP BY (no sort of the durations by
     -- window before the percentiles' own sorts); an empty window gives 0 and
     -- nulls, as the direct statement's missing row does after stat's COALESCE.
     resp_agg AS (
       SELECT p.k, r.*
       FROM idays p CROSS JOIN LATERAL (
         SELECT count(f.to_dispatch)::int AS nd, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.to_dispatch) AS pd,
                count(f.to_scene)::int AS ns, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.to_scene) AS ps,
                count(f.to_resolved)::int AS nr, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.to_resolved) AS pr
         FROM incident_facts f WHERE f.day >= p.d0 AND f.day < p.d1 AND ($4::int IS NULL OR f.village_id = $4::int)
       ) r
     ),
     inc_tot AS (
       SELECT p.k, sum(r.n)::int AS n, sum(r.resolved)::int AS resolved,
              COALESCE(sum(r.n) FILTER (WHERE date_part('month', r.day)::int = ANY($5::int[])), 0)::int AS herb_n
       FROM ${countsOf('t')} GROUP BY p.k
     ),
     by_cat AS (SELECT p.k, r.key AS category, sum(r.n)::int AS n FROM ${countsOf('c')} GROUP BY p.k, r.key),
     by_sev AS (SELECT p.k, r.key::int AS severity, sum(r.n)::int AS n FROM ${countsOf('s')} GROUP BY p.k, r.key),
     by_out AS (SELECT p.k, r.key AS outcome, sum(r.n)::int AS n FROM ${countsOf('o')} GROUP BY p.k, r.key),
     by_cell AS (SELECT p.k, r.key::int AS grid_id, sum(r.n)::int AS n, sum(r.resolved)::int AS resolved FROM ${countsOf('g')} GROUP BY p.k, r.key),
     by_how AS (
       SELECT p.k, date_part('isodow', r.day)::int AS dow, r.key::int AS hour, sum(r.n)::int AS n
       FROM ${countsOf('h')} GROUP BY p.k, date_part('isodow', r.day)::int, r.key::int
     ),
`;

/** Patrol rows read from the fixes themselves (`paths`, `cell_days`, `team_days`). */
const PATROL_FROM_POSITIONS = `     -- Patrol: the fixes go straight into two small aggregates, never held
     -- whole: one row per device and township day (its path, and a mask of
     -- the clock hours holding a fix: bit h for hour h) and one per team, cell
     -- and township day (the same mask, hashed, no sort). Hours are the masks
     -- or-ed and their bits counted. The former per team-cell-hour set (73,000
     -- rows for a year of 20 devices) spilled to disk and was sorted three
     -- times; without it the statement's CPU fell from about 590 to 500 ms
     -- (bench/briefing.ts data, PostGIS server). Most of what is left is the
     -- paths themselves (sort, ST_MakeLine, spheroid length: about 380 ms).
     -- Carrying each fix's cell and hour in arrays on the path rows, to read
     -- the fixes once, measured slower than this second, hashed read.
     paths AS MATERIALIZED (
       SELECT p.k, x.team_id, x.device_id, (x.fix_time AT TIME ZONE $3::text)::date AS day,
              CASE WHEN count(*) > 1 THEN ST_Length(ST_MakeLine(x.geom ORDER BY x.fix_time)::geography) ELSE 0 END AS metres,
              bit_or(1 << date_part('hour', x.fix_time AT TIME ZONE $3::text)::int) AS hours
       FROM p JOIN positions x ON x.fix_time >= p.start AND x.fix_time < p.stop
       WHERE $4::int IS NULL OR x.grid_id IN (SELECT id FROM cells)
       GROUP BY p.k, x.team_id, x.device_id, (x.fix_time AT TIME ZONE $3::text)::date
     ),
     cell_days AS MATERIALIZED (
       SELECT p.k, x.team_id, x.grid_id, (x.fix_time AT TIME ZONE $3::text)::date AS day,
              bit_or(1 << date_part('hour', x.fix_time AT TIME ZONE $3::text)::int) AS hours
       FROM p JOIN positions x ON x.fix_time >= p.start AND x.fix_time < p.stop
       WHERE $4::int IS NULL OR x.grid_id IN (SELECT id FROM cells)
       GROUP BY p.k, x.team_id, x.grid_id, (x.fix_time AT TIME ZONE $3::text)::date
     ),
     team_days AS (SELECT k, team_id, day, bit_or(hours) AS hours FROM paths GROUP BY k, team_id, day),
`;

/** The same rows from the patrol rollup: whole township days only, once refreshed. */
const PATROL_FROM_ROLLUP = `     -- Patrol from the rollup (db/migrations/0014_patrol_rollup.sql, brought
     -- up to date just before by patrolRollupReady): the windows' township
     -- days of per-device path metres (the whole township's rows, or the
     -- village's, whose paths join only the fixes in its cells) and per-device
     -- cell hour masks. The same rows the two aggregates above make from the
     -- fixes, per device: a team's day is its devices' cell masks or-ed (each
     -- fix is in one cell row; cell 0 = outside every cell).
     pdays AS MATERIALIZED (
       SELECT k, (start AT TIME ZONE $3::text)::date AS d0, (stop AT TIME ZONE $3::text)::date AS d1 FROM p
     ),
     paths AS MATERIALIZED (
       SELECT p.k, r.team_id, r.device_id, r.day, r.metres
       FROM pdays p JOIN patrol_paths r ON r.village_id = COALESCE($4::int, 0) AND r.day >= p.d0 AND r.day < p.d1
     ),
     cell_days AS MATERIALIZED (
       SELECT p.k, r.team_id, NULLIF(r.grid_id, 0) AS grid_id, r.day, r.hours
       FROM pdays p JOIN patrol_cells r ON r.day >= p.d0 AND r.day < p.d1
       WHERE $4::int IS NULL OR r.grid_id IN (SELECT id FROM cells)
     ),
     team_days AS (SELECT k, team_id, day, bit_or(hours) AS hours FROM cell_days GROUP BY k, team_id, day),
`;

const WITH_TAIL = `     team_km AS (SELECT k, team_id, sum(metres)::float8 AS metres FROM paths GROUP BY k, team_id),
     -- Hours: the distinct township clock hours, the day's masks of all the team's devices or-ed.
     team_hours AS (
       SELECT k, team_id, sum(bit_count(hours::bit(24)))::int AS hours FROM team_days GROUP BY k, team_id
     ),
     team_act AS (
       SELECT h.k, h.team_id, h.hours, c.cells
       FROM team_hours h
       JOIN (SELECT k, team_id, count(DISTINCT grid_id)::int AS cells FROM cell_days GROUP BY k, team_id) c ON c.k = h.k AND c.team_id = h.team_id
     ),
     team_rows AS MATERIALIZED (
       SELECT a.k, t.id, t.code, t.name, t.name_en, t.force_type, a.hours, a.cells, COALESCE(m.metres, 0) AS metres
       FROM team_act a JOIN teams t ON t.id = a.team_id LEFT JOIN team_km m ON m.k = a.k AND m.team_id = a.team_id
     ),
     force_cells AS (
       SELECT f.k, t.force_type, count(DISTINCT f.grid_id)::int AS cells FROM cell_days f JOIN teams t ON t.id = f.team_id GROUP BY f.k, t.force_type
     ),
     force_rows AS (
       SELECT r.k, r.force_type, count(*)::int AS teams, sum(r.hours)::int AS hours, sum(r.metres)::float8 AS metres, c.cells
       FROM team_rows r JOIN force_cells c ON c.k = r.k AND c.force_type = r.force_type
       GROUP BY r.k, r.force_type, c.cells
     ),
     cell_hours AS MATERIALIZED (
       SELECT k, grid_id, sum(bit_count(hours::bit(24)))::int AS hours
       FROM (SELECT k, grid_id, day, bit_or(hours) AS hours FROM cell_days WHERE grid_id IS NOT NULL GROUP BY k, grid_id, day) d
       GROUP BY k, grid_id
     ),
     alr AS (
       SELECT p.k, a.kind, count(*)::int AS n
       FROM p JOIN alerts a ON a.raised_at >= p.start AND a.raised_at < p.stop
       WHERE $4::int IS NULL
          OR a.grid_id IN (SELECT id FROM cells)
          OR (a.grid_id IS NULL AND a.geom IS NOT NULL AND EXISTS (SELECT 1 FROM cells c WHERE ST_Intersects(c.geom, a.geom)))
       GROUP BY p.k, a.kind
     ),
     days AS (
       SELECT p.k, count(*) FILTER (WHERE extract(month FROM d)::int = ANY($5::int[]))::int AS herb_days, count(*)::int AS all_days
       FROM p CROSS JOIN LATERAL generate_series(p.start AT TIME ZONE $3::text, (p.stop AT TIME ZONE $3::text) - interval '1 second', interval '1 day') AS d
       GROUP BY p.k
     ),
     villages_in AS (
       SELECT v.id, v.code, v.name, v.name_en FROM villages v WHERE $4::int IS NULL OR v.id = $4::int
     ),
     stat AS (
       SELECT p.k,
              COALESCE(t.n, 0) AS n, COALESCE(t.resolved, 0) AS resolved, COALESCE(t.herb_n, 0) AS herb_n,
              COALESCE(r.nd, 0) AS nd, r.pd, COALESCE(r.ns, 0) AS ns, r.ps, COALESCE(r.nr, 0) AS nr, r.pr,
              COALESCE(d.herb_days, 0) AS herb_days, COALESCE(d.all_days, 0) AS all_days
       FROM p LEFT JOIN inc_tot t ON t.k = p.k LEFT JOIN resp_agg r ON r.k = p.k LEFT JOIN days d ON d.k = p.k
     )`;

const withQueries = (patrol: 'positions' | 'rollup', incidents: 'incidents' | 'rollup' = 'incidents'): string =>
  (incidents === 'rollup' ? WITH_HEAD_INCIDENT_ROLLUP : WITH_HEAD) + (patrol === 'rollup' ? PATROL_FROM_ROLLUP : PATROL_FROM_POSITIONS) + WITH_TAIL;

/**
 * The figures of each window, in the order given, days and hours on the
 * township's clock (`tz`), for the whole township or one village.
 *
 * Shape: the windows are one small relation (the service passes one window
 * per call and makes the calls at once, lib/briefing.ts, which measured
 * faster; several windows in one call give the same figures); incidents are
 * read for all of them in one index range (incidents_reported_at_idx), the
 * fixes in one BRIN range (positions.fix_time) per aggregate, and every
 * figure is grouped with the window's number as a key — the incident counts
 * in one GROUPING SETS pass, the fixes straight into per-path and per-cell-day
 * rows with a mask of clock hours — never a correlated subquery per window,
 * which would read the rows once per figure and window. Measured on the PostGIS server
 * (bench/briefing.ts) with 100,000 incidents over a year: docs/BENCHMARKS.md.
 *
 * The patrols come from the patrol rollup (db/patrol-rollup.ts) when every
 * window is whole township days and the rollup is up to date after its
 * refresh, else (a window not at midnight, thousands of device-days left to
 * recompute after a zone or grid change) from the fixes, as the rollup would:
 * the figures are the same either way. `patrolSource` 'auto' (the default)
 * refreshes the rollup and decides so here; a caller that already did, once
 * for several calls (readBriefing), passes its answer: 'rollup' reads the
 * rollup as it is, 'positions' the fixes (the tests compare the two).
 * The incident figures likewise come from the incident rollup
 * (db/incident-rollup.ts) or, with `incidentSource` 'incidents' or a window
 * not at whole township days, straight from the incidents and assignments.
 *
 * - An incident is in a village when its grid cell is; with no village, every
 *   incident counts, those outside any cell too.
 * - Response times run from the report to the first dispatch and the first
 *   arrival among the incident's assignments (a reassigned first team does
 *   not hide the one that arrived), and to the resolution (resolved_at, else
 *   closed_at, for incidents that carry an outcome). percentile_cont ignores
 *   the incidents that never reached a step; `samples` counts those that did.
 * - Patrol: the fixes in the window (in the village's cells when a village is
 *   given). Kilometres are each device's path per township day — its fixes in
 *   time order joined into a line, ST_Length on the spheroid — summed; hours
 *   are distinct township clock hours holding a fix.
 * - Alerts are in a village when their cell is, or, without a cell, when
 *   their point lies in one of its cells.
 */
export async function getBriefingFigures(
  db: Queryable,
  {
    windows,
    tz,
    villageId,
    herbMonths,
    patrolSource = 'auto',
    incidentSource = 'auto',
  }: {
    windows: readonly BriefingWindow[];
    tz: string;
    villageId: number | null;
    herbMonths: readonly number[];
    patrolSource?: 'auto' | 'rollup' | 'positions';
    incidentSource?: 'auto' | 'rollup' | 'incidents';
  },
): Promise<BriefingFigures[]> {
  // Two statements on two connections at once (the server's pool; the
  // embedded engine runs them one after the other): the incidents' figures
  // and the patrols' read different tables, and each takes about half the
  // time. Unreferenced WITH queries are never run, so each statement reads
  // only its own tables.
  const params = [windows.map((w) => w.start.toISOString()), windows.map((w) => w.end.toISOString()), tz, villageId, herbMonths];
  const [incidents, patrols] = await Promise.all([
    (async () => {
      const rollup = incidentSource === 'rollup' || (incidentSource === 'auto' && (await incidentRollupReady(db, windows, tz)));
      return db.query<{ k: number; f: IncidentPart }>(`WITH ${withQueries('rollup', rollup ? 'rollup' : 'incidents')}
     SELECT s.k, json_build_object(
       'incidents', s.n,
       'resolved', s.resolved,
       'byCategory', COALESCE((SELECT json_agg(json_build_object('category', category, 'count', n) ORDER BY n DESC, category) FROM by_cat WHERE k = s.k), '[]'::json),
       'bySeverity', COALESCE((SELECT json_agg(json_build_object('severity', severity, 'count', n) ORDER BY severity) FROM by_sev WHERE k = s.k), '[]'::json),
       'byOutcome', COALESCE((SELECT json_agg(json_build_object('outcome', outcome, 'count', n) ORDER BY n DESC, outcome) FROM by_out WHERE k = s.k), '[]'::json),
       'byVillage', COALESCE((
         SELECT json_agg(json_build_object('villageId', v.id, 'code', v.code, 'name', v.name, 'nameEn', v.name_en,
                                           'incidents', COALESCE(x.n, 0), 'resolved', COALESCE(x.resolved, 0))
                         ORDER BY COALESCE(x.n, 0) DESC, v.code)
         FROM villages_in v
         LEFT JOIN (SELECT c.village_id, sum(b.n)::int AS n, sum(b.resolved)::int AS resolved
                    FROM by_cell b JOIN cells c ON c.id = b.grid_id WHERE b.k = s.k GROUP BY c.village_id) x ON x.village_id = v.id
       ), '[]'::json),
       'byGrid', COALESCE((
         SELECT json_agg(json_build_object('gridId', c.id, 'code', c.code, 'name', c.name, 'nameEn', c.name_en, 'villageCode', v.code,
                                           'incidents', COALESCE(b.n, 0), 'resolved', COALESCE(b.resolved, 0))
                         ORDER BY COALESCE(b.n, 0) DESC, c.code)
         FROM cells c JOIN villages v ON v.id = c.village_id
         LEFT JOIN by_cell b ON b.k = s.k AND b.grid_id = c.id
       ), '[]'::json),
       'response', json_build_object(
         'dispatched', json_build_object('samples', s.nd, 'medianSeconds', s.pd[1], 'p90Seconds', s.pd[2]),
         'onScene', json_build_object('samples', s.ns, 'medianSeconds', s.ps[1], 'p90Seconds', s.ps[2]),
         'resolved', json_build_object('samples', s.nr, 'medianSeconds', s.pr[1], 'p90Seconds', s.pr[2])),
       'alertsByKind', COALESCE((SELECT json_agg(json_build_object('kind', kind, 'count', n) ORDER BY n DESC, kind) FROM alr WHERE k = s.k), '[]'::json),
       'hourOfWeek', COALESCE((SELECT json_agg(json_build_object('dow', dow, 'hour', hour, 'count', n) ORDER BY dow, hour) FROM by_how WHERE k = s.k), '[]'::json),
       'herbSeason', json_build_object(
         'inSeason', json_build_object('incidents', s.herb_n, 'days', s.herb_days),
         'offSeason', json_build_object('incidents', s.n - s.herb_n, 'days', s.all_days - s.herb_days))
     ) AS f
     FROM stat s ORDER BY s.k`, params);
    })(),
    (async () => {
      const rollup = patrolSource === 'rollup' || (patrolSource === 'auto' && (await patrolRollupReady(db, windows, tz)));
      return db.query<{ k: number; f: PatrolPart }>(`WITH ${withQueries(rollup ? 'rollup' : 'positions')}
     SELECT p.k, json_build_object(
       'patrolByForce', COALESCE((
         SELECT json_agg(json_build_object('forceType', force_type, 'teams', teams, 'hours', hours, 'km', round((metres / 1000)::numeric, 2)::float8, 'cells', cells)
                         ORDER BY hours DESC, force_type)
         FROM force_rows WHERE k = p.k), '[]'::json),
       'patrolByTeam', COALESCE((
         SELECT json_agg(json_build_object('teamId', id, 'code', code, 'name', name, 'nameEn', name_en, 'forceType', force_type,
                                           'hours', hours, 'km', round((metres / 1000)::numeric, 2)::float8, 'cells', cells)
                         ORDER BY hours DESC, code)
         FROM team_rows WHERE k = p.k), '[]'::json),
       'patrolKm', COALESCE((SELECT round((sum(metres) / 1000)::numeric, 2)::float8 FROM team_rows WHERE k = p.k), 0),
       'gridsTotal', (SELECT count(*)::int FROM cells),
       'gridsNotPatrolled', (SELECT count(*)::int FROM cells c WHERE NOT EXISTS (SELECT 1 FROM cell_hours h WHERE h.k = p.k AND h.grid_id = c.id)),
       'cellHours', COALESCE((SELECT json_agg(json_build_object('gridId', grid_id, 'hours', hours)) FROM cell_hours WHERE k = p.k), '[]'::json)
     ) AS f
     FROM p ORDER BY p.k`, params);
    })(),
  ]);
  return incidents.rows.map(({ f }, i) => {
    const { cellHours, ...patrol } = patrols.rows[i]!.f;
    const hours = new Map(cellHours.map((c) => [c.gridId, c.hours]));
    return { ...f, ...patrol, byGrid: f.byGrid.map((g) => ({ ...g, patrolHours: hours.get(g.gridId) ?? 0 })) };
  });
}

/** Every village, by code, for the briefing's picker. */
export async function listBriefingVillages(db: Queryable): Promise<BriefingVillage[]> {
  const { rows } = await db.query<{ id: number; code: string; name: string; name_en: string }>(
    `SELECT id, code, name, name_en FROM villages ORDER BY code`,
  );
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, nameEn: r.name_en }));
}
