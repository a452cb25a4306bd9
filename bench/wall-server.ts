// The server bench/wall.ts drives, run as its own process: a production build
// on the fresh embedded database in DATA_DIR (the demo township seeded as
// `npm start` seeds it), with the accounts the bench signs in as and, for the
// idle and load benchmarks, every team reporting through a device the bench
// knows. The load benchmark's 2,000 teams and 100,000 incidents are generated
// here, in SQL, before the server listens. The server's own settings (PORT,
// SIM_*, …) come from the environment as usual; the bench's:
//   WALL_BENCH_ACCOUNTS   JSON [{ username, password, role }]
//   WALL_BENCH_TEAMS      teams in all: teams are generated up to this number
//   WALL_BENCH_INCIDENTS  closed dispute incidents generated over the last 30 days
//   WALL_BENCH_TOKEN      one device per team whose secret is `<token>-<team id>`,
//                         and each team placed in its home cell with a fix from now
import type { Db, Queryable } from '../db/client';
import { insertUser } from '../db/users';
import { hashPassword } from '../lib/auth/password';
import type { Role } from '../lib/model';

interface Account {
  username: string;
  password: string;
  role: Role;
}

const env = process.env;
const accounts = JSON.parse(env.WALL_BENCH_ACCOUNTS ?? '[]') as Account[];
const teamsWanted = Number(env.WALL_BENCH_TEAMS ?? 0);
const incidentsWanted = Number(env.WALL_BENCH_INCIDENTS ?? 0);
const token = env.WALL_BENCH_TOKEN ?? '';

/** Teams beyond the demo's, up to `total`: not grid workers, so no home-cell area rule applies; each homed in a cell in turn. */
async function generateTeams(db: Queryable, total: number): Promise<void> {
  await db.query(
    `WITH g AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS c FROM grids),
          n AS (SELECT n FROM generate_series((SELECT count(*) FROM teams)::int + 1, $1::int) n),
          t AS (
            INSERT INTO teams (code, name, name_en, force_type, size, home_grid_id, on_duty)
            SELECT 'LOAD-' || lpad(n.n::text, 4, '0'), '负载队 ' || n.n, 'Load team ' || n.n,
                   (ARRAY['emergency', 'armband', 'motorcycle', 'militia'])[1 + n.n % 4], 2, g.id, true
            FROM n JOIN g ON g.k = n.n % g.c
            RETURNING id)
     INSERT INTO unit_state (team_id, status) SELECT id, 'available' FROM t`,
    [total],
  );
}

/**
 * 100,000 incidents in the heatmap's 30-day window: dispute categories (what
 * the heatmap counts), closed (so the live lists hold only the last day's,
 * as they would), spread evenly over the township's cells and over the
 * 30 days by a golden-ratio sequence, so the run is the same every time.
 */
async function generateIncidents(db: Queryable, count: number): Promise<void> {
  await db.query(
    `WITH cells AS (SELECT id, geom, count(*) OVER () AS c FROM grids),
          pts AS (
            SELECT c.id AS grid_id, (ST_Dump(ST_GeneratePoints(c.geom, ceil($1::float8 / c.c)::int, c.id))).geom AS geom
            FROM cells c),
          k AS (SELECT grid_id, geom, row_number() OVER () AS k FROM pts),
          x AS (
            SELECT k.*, now() - interval '2 minutes'
                        - interval '29 days 23 hours' * ((k.k * 0.6180339887) - floor(k.k * 0.6180339887)) AS at
            FROM k WHERE k.k <= $1::int)
     INSERT INTO incidents (category, severity, status, outcome, title, source, geom, grid_id,
                            reported_at, resolved_at, closed_at, updated_at)
     SELECT (ARRAY['neighbour_dispute', 'family_dispute', 'land_grazing_dispute', 'wage_labour_dispute'])[1 + x.k % 4],
            (1 + (x.k * 7) % 4)::smallint, 'closed', 'mediated', '负载测试事件 ' || x.k, 'coordinator', x.geom, x.grid_id,
            x.at, least(x.at + interval '20 minutes', now()), least(x.at + interval '30 minutes', now()),
            least(x.at + interval '30 minutes', now())
     FROM x`,
    [count],
  );
}

/** One device per team the bench can post for, and each team at a point of its home cell (or any cell) with a fix from now. */
async function placeTeams(db: Queryable, secretPrefix: string): Promise<void> {
  await db.query(
    `WITH d AS (
       INSERT INTO devices (team_id, secret_hash, label, protocol)
       SELECT id, encode(sha256(convert_to($1::text || '-' || id, 'UTF8')), 'hex'), 'wall bench', 'osmand' FROM teams
       RETURNING id, team_id),
     g AS (SELECT id, geom, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS c FROM grids),
     p AS (
       SELECT d.team_id, d.id AS device_id, g.id AS grid_id, ST_GeometryN(ST_GeneratePoints(g.geom, 1, d.team_id), 1) AS geom
       FROM d JOIN teams t ON t.id = d.team_id
              JOIN g ON g.id = COALESCE(t.home_grid_id, (SELECT g2.id FROM g g2 WHERE g2.k = t.id % g2.c)))
     UPDATE unit_state u SET device_id = p.device_id, geom = p.geom, grid_id = p.grid_id,
                             fix_time = now(), received_at = now(), updated_at = now()
     FROM p WHERE u.team_id = p.team_id`,
    [secretPrefix],
  );
}

async function prepare(db: Db): Promise<void> {
  for (const a of accounts) {
    await insertUser(db, { username: a.username, displayName: `${a.username} (bench)`, role: a.role, passwordHash: await hashPassword(a.password) });
  }
  const t0 = Date.now();
  await db.transaction(
    async (tx) => {
      if (teamsWanted > 0) await generateTeams(tx, teamsWanted);
      if (incidentsWanted > 0) await generateIncidents(tx, incidentsWanted);
      if (token) await placeTeams(tx, token);
    },
    { setup: true },
  );
  const { rows } = await db.query<{ teams: number; incidents: number }>(
    `SELECT (SELECT count(*) FROM teams)::int AS teams, (SELECT count(*) FROM incidents)::int AS incidents`,
  );
  console.log(`[bench] ${rows[0]!.teams} teams, ${rows[0]!.incidents} incidents (${Date.now() - t0} ms of generation)`);
}

const { buildIfNeeded } = await import('../scripts/build-if-needed');
buildIfNeeded();
const { main } = await import('../server');
await main({ dev: false, onDbReady: prepare });
