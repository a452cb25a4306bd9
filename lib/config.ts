import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_POSITIONS_TICK_MS } from './realtime/events';

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
  DATA_DIR: z.string().min(1).default('./data'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
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
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
