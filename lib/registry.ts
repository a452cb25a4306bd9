// The one process-wide registry. server.ts creates the database, the bus and
// the services once and registers them here; route handlers (which Next loads
// as a separate copy of our modules) read them back. It lives on globalThis
// because that is the only object both copies share.
import type { Db } from '../db/client';
import type { Bus } from './bus';
import type { Config } from './config';
import type { Leadership } from './leader';
import type { Limiter } from './limits';

export interface Registry {
  db: Db;
  bus: Bus;
  config: Config;
  /** Whether this process leads (GET /api/health reports it). */
  leader: Pick<Leadership, 'isLeader'>;
  limits: Limits;
}

/** Rate limits, shared by every process through Redis when REDIS_URL is set (route handlers reach them through here). */
export interface Limits {
  /** Failed logins per account name. */
  loginByAccount: Limiter;
  /** Failed logins per client address. */
  loginByAddress: Limiter;
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
