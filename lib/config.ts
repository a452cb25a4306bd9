import { resolve } from 'node:path';
import { parseTrustProxy } from './http/client-address';
import { z } from 'zod';
import { DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_SETUP_TIMEOUT_MS, type DbOptions } from '../db/client';
import { DEFAULT_POSITIONS_TICK_MS } from './model';
import { DEFAULT_TOWNSHIP_TZ } from './model/township-time';
import { DEFAULT_HERB_SEASON_SETTING, parseHerbSeason } from './model/briefing';
import { GPX_DEFAULT_LIMITS } from './ingest/gpx-import';
import { DEFAULT_PLAN_ROUTE_COVER_M } from './model/plan-report';
import { DEFAULT_MARKET_DAYS_SETTING, parseMarketDays } from './plans/recurrence';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** Every setting GridSight reads, with its default. The README lists the same. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * Rate limits shared by every GridSight process (sign-in, device fixes, GPX
   * uploads): a Redis server. Unset: each process counts on its own.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^/?#]/, 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379')
    .refine((v) => URL.canParse(v), 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379')
    .optional(),
  /**
   * Which TCP peers are our own proxy (nginx in front of several processes),
   * whose X-Forwarded-For names the client: unset/`off` none, `loopback`, or
   * a comma list of addresses (lib/http/client-address.ts).
   */
  TRUST_PROXY: z
    .string()
    .refine((v) => {
      try {
        parseTrustProxy(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be off, loopback, or a comma-separated list of IP addresses (loopback among them if wanted)')
    .optional(),
  /** The start of every key GridSight writes to Redis (`gs:login:acct:…`): installs sharing one Redis keep apart by it. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or _ . : -')
    .default('gs'),
  DATA_DIR: z.string().min(1).default('./data'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Server engine: the longest one statement may run (the server cancels it:
   * 503) and, 1 s later, how long a silent connection is trusted before it is
   * destroyed. Also the longest a transaction may sit idle between statements.
   */
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(DEFAULT_QUERY_TIMEOUT_MS),
  /** Server engine: the same for setup work, migrations and the demo seed. */
  DB_SETUP_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(DEFAULT_SETUP_TIMEOUT_MS),
  DEMO_SEED: z.coerce.number().int().default(20261127),
  SEED_DEMO: bool.default(true),
  SIM_ENABLED: bool.default(true),
  /** How often each simulated device reports, in seconds. */
  SIM_REPORT_SECONDS: z.coerce.number().min(0.2).max(600).default(5),
  /** New simulated incidents per hour (0 turns them off). */
  SIM_INCIDENTS_PER_HOUR: z.coerce.number().min(0).max(3600).default(12),
  /** Positions are coalesced into one socket event per tick. */
  POSITIONS_TICK_MS: z.coerce.number().int().min(50).max(1000).default(DEFAULT_POSITIONS_TICK_MS),
  /** Fixes further in the future than this are refused. */
  MAX_FUTURE_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /**
   * Fixes one device may send per 10 s: 1,000 (100/s) is far above any phone
   * (one fix a second at most) and a batch backfill, but stops one stolen
   * secret from flooding the table.
   */
  INGEST_DEVICE_FIXES_PER_10S: z.coerce.number().int().min(1).default(1_000),
  /** Live sockets one session may hold: a person keeps a few tabs open (one socket each). */
  SOCKETS_PER_SESSION: z.coerce.number().int().min(1).max(1000).default(8),
  /** Live sockets from one client address: a command centre's desks may share one NAT address. */
  SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(200),
  /** POST /ingest/gpx: the largest GPX body, counted while it arrives (413 past it). */
  GPX_MAX_BYTES: z.coerce.number().int().min(1024).default(GPX_DEFAULT_LIMITS.maxBytes),
  /** Track points in one GPX upload (413 past it): one upload is one transaction. */
  GPX_MAX_POINTS: z.coerce.number().int().min(1).default(GPX_DEFAULT_LIMITS.maxPoints),
  /** GPX uploads one device may start per minute (429 + Retry-After past it). */
  GPX_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(GPX_DEFAULT_LIMITS.uploadsPerMinute),
  /** The township's time zone: every "today", day boundary, hour of day, week and recurrence is computed in it. */
  TOWNSHIP_TZ: z
    .string()
    .min(1)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai')
    .default(DEFAULT_TOWNSHIP_TZ),
  /**
   * Patrol plans: the township's market days, weekday names and/or days of the
   * month (`sun`, `1,11,21`, `sat,15`). Default: Sunday, the demo township's market day.
   */
  TOWNSHIP_MARKET_DAYS: z
    .string()
    .refine((v) => {
      try {
        parseMarketDays(v);
        return true;
      } catch {
        return false;
      }
    }, 'must list weekdays (mon…sun) and/or days of the month (1…31), comma-separated')
    .default(DEFAULT_MARKET_DAYS_SETTING),
  /**
   * The briefing's herb season (and the demo planner's): township calendar
   * months, each a month or a range that may wrap the year end (`5-7`,
   * `5,6,7`, `11-2`). Default May to July.
   */
  TOWNSHIP_HERB_SEASON: z
    .string()
    .superRefine((v, ctx) => {
      try {
        parseHerbSeason(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; give months 1…12 or ranges, comma-separated (5-7, 5,6,7, 11-2)` });
      }
    })
    .default(DEFAULT_HERB_SEASON_SETTING),
  /** Dispatch ETA: road speeds per travel mode (FORCE_TRAVEL_MODE), km/h. Off-road legs are always at ETA_FOOT_KMH. */
  ETA_FOOT_KMH: z.coerce.number().min(1).max(30).default(5),
  ETA_MOTORCYCLE_KMH: z.coerce.number().min(5).max(150).default(30),
  ETA_VEHICLE_KMH: z.coerce.number().min(5).max(150).default(40),
  /** An off-road leg is the straight line × this factor (paths are not straight). */
  ETA_DETOUR_FACTOR: z.coerce.number().min(1).max(5).default(1.4),
  /** Arrival: a dispatched team whose fixes stay within this many metres of its incident … */
  ARRIVAL_RADIUS_M: z.coerce.number().min(5).max(2000).default(60),
  /** … for this many seconds is on scene, without anyone pressing a button. */
  ARRIVAL_DWELL_S: z.coerce.number().min(0).max(3600).default(30),
  /** Patrol plans: a plan team within a checkpoint's radius for this many seconds has visited it (a shorter pass-through has not). */
  PLAN_VISIT_DWELL_S: z.coerce.number().min(0).max(3600).default(60),
  /** Patrol plans: a plan team not on duty, or with no fix in this many minutes before its occurrence starts, raises plan_team_unready at the start (cleared by a fix, coming on duty, or the occurrence's end). */
  PLAN_START_FIX_MINUTES: z.coerce.number().min(0).max(1440).default(10),
  /** Patrol plans: a joint patrol whose teams' newest fixes are further apart than this many metres … */
  PLAN_SPLIT_DISTANCE_M: z.coerce.number().min(10).max(50_000).default(300),
  /** … for this many minutes raises joint_patrol_split (cleared when they are back within the distance). */
  PLAN_SPLIT_MINUTES: z.coerce.number().min(0).max(1440).default(5),
  /** Plan vs actual: the share of a plan's route within this many metres of its teams' fixes during the occurrence is covered. */
  PLAN_ROUTE_COVER_M: z.coerce.number().min(1).max(1000).default(DEFAULT_PLAN_ROUTE_COVER_M),
  /** Position history is kept this many days (whole UTC days, at least this many): older day partitions are dropped (lib/retention.ts). */
  POSITIONS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** An incident's reporter contact is erased this many days after the report (the incident is kept); each erasure is audited. */
  INCIDENT_CONTACT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
  /** How often arrival and the alert rules are evaluated (off the ingest path). */
  RULES_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  /**
   * Several processes on one database server: the one holding the leader's
   * lock runs the rules loop, retention and the simulator (lib/leader.ts). The
   * others try for it this often, and the leader checks it still holds it as
   * often. At most 10 s, so the work moves within 15 s of a leader dying.
   */
  LEADER_RETRY_MS: z.coerce.number().int().min(50).max(10_000).default(5_000),
  /** Alert: a dispatch not acknowledged within this many minutes. */
  ALERT_UNACK_MINUTES: z.coerce.number().min(0.05).max(1440).default(3),
  /** Alert: an on-duty unit with no fix for this many minutes is stale … */
  ALERT_STALE_MINUTES: z.coerce.number().min(0.05).max(1440).default(5),
  /** … and for this many, offline. */
  ALERT_OFFLINE_MINUTES: z.coerce.number().min(0.05).max(10_080).default(30),
  /** Alert: a patrolling team outside its area for more than this many minutes. */
  ALERT_OUTSIDE_AREA_MINUTES: z.coerce.number().min(0.05).max(1440).default(10),
  /** Alert: a grid cell no patrol has entered for this many hours. */
  ALERT_COVERAGE_GAP_HOURS: z.coerce.number().min(0.01).max(720).default(8),
  /** The wall: seconds each view (township, busiest cells, newest incident) is shown before the next. */
  WALL_ROTATE_S: z.coerce.number().min(2).max(3600).default(20),
  /** The build this server reports to pages (hello.buildId); Next's .next/BUILD_ID when unset. A change makes walls reload. */
  BUILD_ID: z.string().min(1).max(200).optional(),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What openDb needs from the configuration: the server, the pool and its timeouts. */
export function dbOptions(config: Config): DbOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolMax: config.DB_POOL_MAX,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    setupTimeoutMs: config.DB_SETUP_TIMEOUT_MS,
  };
}

/** Parses the environment once, at start-up. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`),
    );
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}
