import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client';
import { gate } from './auth/gate';
import { applyPageCsp } from './http/csp';
import { DeniedAudit } from './http/denied-audit';
import { Bus } from './bus';
import { LimitStore } from './limits';
import { ClusterLink, newOrigin } from './cluster';
import { parseTrustProxy } from './http/client-address';
import type { Config } from './config';
import { IngestGateway } from './ingest/gateway';
import { Realtime } from './realtime/server';
import { RulesEvaluator } from './rules/evaluator';
import { RetentionLoop, retentionSettings } from './retention';
import { Leadership } from './leader';
import { clearRegistry, setRegistry } from './registry';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
type UpgradeHandler = (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void;

export interface App {
  http: Server;
  bus: Bus;
  gateway: IngestGateway;
  realtime: Realtime;
  /** Arrival detection and the alert rules, every RULES_INTERVAL_MS while this process leads. */
  rules: RulesEvaluator;
  /**
   * Whether this process runs the once-per-deployment work (the rules loop,
   * retention; server.ts adds the simulator): always on the embedded engine,
   * while it holds the leader's lock on the server engine.
   */
  leader: Leadership;
  /** Denied anonymous requests, aggregated before they reach the audit log. */
  deniedAudit: DeniedAudit;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The build this server tells pages about (hello.buildId): the BUILD_ID
 * setting, else the id `next build` wrote to `<dir>/.next/BUILD_ID`, read
 * once at start — a deploy is a restart, and a wall that sees the id change
 * reloads itself. A dev server that has never been built has no file:
 * 'development'.
 */
export function readBuildId(config: Pick<Config, 'BUILD_ID'>, dir: string): string {
  if (config.BUILD_ID) return config.BUILD_ID;
  try {
    return readFileSync(join(dir, '.next', 'BUILD_ID'), 'utf8').trim() || 'development';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'development';
    throw new Error(`cannot read the build id from ${join(dir, '.next', 'BUILD_ID')}`, { cause: err });
  }
}

/**
 * One http.Server with three doors: /ingest/* (device gateway, answered
 * here), /socket.io (realtime), and everything else handed to `web` (Next.js,
 * or nothing in tests that need only the first two).
 */
export function createApp(deps: {
  db: Db;
  config: Config;
  web?: Handler;
  webUpgrade?: UpgradeHandler;
  /** hello.buildId (server.ts passes readBuildId's answer); without Next, the BUILD_ID setting or 'development'. */
  buildId?: string;
}): App {
  const { db, config } = deps;
  const bus = new Bus();
  const origin = newOrigin();
  const trustProxy = parseTrustProxy(config.TRUST_PROXY);
  let cluster: ClusterLink | null = null;
  // One Redis client per process (connected on first use) behind every shared limit; none without REDIS_URL.
  const limitStore = new LimitStore(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const gateway = new IngestGateway(db, bus, {
    limits: limitStore,
    maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
    maxFutureMs: config.MAX_FUTURE_MS,
    deviceFixesPer10s: config.INGEST_DEVICE_FIXES_PER_10S,
    gpx: { maxBytes: config.GPX_MAX_BYTES, maxPoints: config.GPX_MAX_POINTS, uploadsPerMinute: config.GPX_UPLOADS_PER_MINUTE },
  });
  const deniedAudit = new DeniedAudit(db).start();
  const rules = new RulesEvaluator({ db, bus, config });
  // Retention (issue 15): partitions ahead, old history dropped, reporter contacts erased; hourly.
  const retention = new RetentionLoop(db, retentionSettings(config));
  // Both run in one process of the deployment (issue 15): the leader. Embedded, that is this one, at once.
  const leader = new Leadership(db, { retryMs: config.LEADER_RETRY_MS });
  void leader.add({ name: 'rules', start: () => void rules.start(), stop: () => rules.stop() });
  void leader.add({ name: 'retention', start: () => void retention.start(), stop: () => retention.close() });
  leader.start();
  const http = createServer((req, res) => {
    if (gateway.handles(req.url)) {
      void gateway.handle(req, res);
      return;
    }
    // socket.io answers /socket.io/… before this listener runs; anything else
    // (/socket.iox, /socket.io.js) goes through the gate like every other path.
    void gate({ db, deniedAudit, trustProxy }, req, res)
      .then((pass) => {
        if (!pass) return;
        if (deps.web) {
          applyPageCsp(req, res);
          return deps.web(req, res);
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'not_found', message: `nothing at ${req.url}` } }));
      })
      .catch((err: unknown) => {
        console.error('[http] handler failed:', err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error; it has been logged.' } }));
      });
  });
  const realtime = new Realtime(http, db, bus, {
    positionsTickMs: config.POSITIONS_TICK_MS,
    socketsPerSession: config.SOCKETS_PER_SESSION,
    socketsPerAddress: config.SOCKETS_PER_ADDRESS,
    buildId: deps.buildId ?? config.BUILD_ID ?? 'development',
    origin,
    trustProxy,
  });
  if (deps.webUpgrade) {
    const upgrade = deps.webUpgrade;
    http.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io')) upgrade(req, socket, head);
    });
  }
  setRegistry({
    db,
    bus,
    config,
    leader,
    limits: {
      // The 11th failed login for an account in a minute is refused. A command
      // centre's desks may share one address, so that limit is looser.
      loginByAccount: limitStore.limiter({ name: 'login:acct', limit: 10, windowMs: 60_000 }),
      loginByAddress: limitStore.limiter({ name: 'login:addr', limit: 30, windowMs: 60_000 }),
    },
  });

  return {
    http,
    bus,
    gateway,
    realtime,
    rules,
    leader,
    deniedAudit,
    listen(port, host) {
      // Several processes on one server database (issue 15): live events through socket.io's
      // Redis Streams adapter, shared bus events relayed. The embedded engine is one process.
      if (config.REDIS_URL && db.engine === 'pg') {
        // Installs on one Redis keep their live traffic apart by database as well as by prefix.
        cluster = new ClusterLink(config.REDIS_URL, `${config.REDIS_KEY_PREFIX}:${db.database ?? 'postgres'}`, origin);
        bus.relay(cluster);
        realtime.useCluster(cluster);
      }
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const addr = http.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      });
    },
    async close() {
      // First: the duties stop and the lock goes, so another process can take over while this one winds down.
      await leader.close();
      await rules.close();
      await retention.close();
      await gateway.close();
      await realtime.close(); // also closes the http server
      await deniedAudit.close();
      await limitStore.close();
      await cluster?.close();
      clearRegistry();
    },
  };
}
