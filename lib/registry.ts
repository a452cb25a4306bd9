// The one process-wide registry. server.ts creates the database, the bus and
// the services once and registers them here; route handlers (which Next loads
// as a separate copy of our modules) read them back. It lives on globalThis
// because that is the only object both copies share.
import type { Db } from '../db/client';
import type { Bus } from './bus';
import type { Config } from './config';
import type { RateLimiter } from './rate-limit';

export interface Registry {
  db: Db;
  bus: Bus;
  config: Config;
  limits: Limits;
}

/** Rate limits that live as long as the process (route handlers share them through here). */
export interface Limits {
  /** Failed logins per account name. */
  loginByAccount: RateLimiter;
  /** Failed logins per client address. */
  loginByAddress: RateLimiter;
}

const KEY = Symbol.for('gridsight.registry');
type Holder = { [KEY]?: Registry };

export function setRegistry(r: Registry): void {
  (globalThis as Holder)[KEY] = r;
}

export function getRegistry(): Registry {
  const r = (globalThis as Holder)[KEY];
  if (!r) throw new Error('GridSight registry is empty: start the app through server.ts');
  return r;
}

export function clearRegistry(): void {
  delete (globalThis as Holder)[KEY];
}
