import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../db/client';
import { raiseSos } from '../alerts';
import { acknowledgeAsDevice } from '../dispatch';
import { redactIncident } from '../auth/privacy';
import type { Bus } from '../bus';
import { AppError, toErrorBody } from '../errors';
import { INGEST_PATHS } from '../model';
import { LimitStore, type Limiter } from '../limits';
import { readBody } from './body';
import { deviceSecretFromAuthorization } from './credential';
import { DeviceDirectory } from './devices';
import { isRepresentable, type ParsedFix } from './fix';
import { parseGpxBody } from './gpx';
import { GPX_DEFAULT_LIMITS, importGpx, type GpxLimits } from './gpx-import';
import { parseOsmandParams } from './osmand';
import { parseTraccarJson } from './traccar-json';
import { parseBatch } from './batch';
import { parseOwnTracks } from './owntracks';
import { PositionWriter, type FixOutcome } from './writer';

/** Leaves room under the 2 s a device may wait for its answer. */
const COMMIT_DEADLINE_MS = 1_500;
/**
 * GPX uploads being parsed or stored at once, over all devices: each holds up
 * to GPX_MAX_POINTS fixes in memory and one long transaction.
 */
const MAX_CONCURRENT_GPX = 4;

interface BatchResult {
  index: number;
  status: FixOutcome | 'rejected';
  reason?: string;
}

function owntracksDevice(req: IncomingMessage): string | null {
  const fromAuth = deviceSecretFromAuthorization(req.headers.authorization);
  if (fromAuth) return fromAuth;
  const d = req.headers['x-limit-d'];
  return typeof d === 'string' && d.trim() ? d.trim() : null;
}

export interface GatewayOptions {
  /** Where the per-device limits count: Redis shared by every process, or this process's memory (the default). */
  limits?: LimitStore;
  maxBodyBytes: number;
  maxFutureMs: number;
  deviceFixesPer10s: number;
  /** POST /ingest/gpx limits (the GPX_* settings); the defaults when not given. */
  gpx?: GpxLimits;
}

/**
 * The device door: `/ingest/*` requests are answered here, straight from the
 * Node http server, never through Next's router — this is the hot path.
 */
export class IngestGateway {
  readonly devices: DeviceDirectory;
  /** Fixes per device per 10 s (the INGEST_DEVICE_FIXES_PER_10S setting). */
  readonly #perDevice: Limiter;
  /** GPX uploads per device per minute (the GPX_UPLOADS_PER_MINUTE setting). */
  readonly #gpxUploads: Limiter;
  readonly #gpxInFlight = new Set<number>();
  readonly #gpx: GpxLimits;
  readonly writer: PositionWriter;
  readonly #unsubscribe: () => void;

  private readonly deps: { db: Db; bus: Bus };

  constructor(
    db: Db,
    bus: Bus,
    private readonly opts: GatewayOptions,
  ) {
    this.deps = { db, bus };
    const limits = opts.limits ?? new LimitStore(undefined, 'gs');
    // With REDIS_URL a batch's fixes of one device are counted in one Redis command.
    this.#perDevice = limits.limiter({ name: 'ingest:fixes', limit: opts.deviceFixesPer10s, windowMs: 10_000, coalesce: true });
    this.#gpx = opts.gpx ?? GPX_DEFAULT_LIMITS;
    this.#gpxUploads = limits.limiter({ name: 'ingest:gpx', limit: this.#gpx.uploadsPerMinute, windowMs: 60_000 });
    this.devices = new DeviceDirectory(db);
    // An administrator re-keyed or disabled a device (lib/teams.ts, after its commit): its old secret stops here at once.
    this.#unsubscribe = bus.subscribeShared('device:changed', () => this.devices.invalidate());
    this.writer = new PositionWriter(db, bus, {
      // 1,000 rows is one statement of about 120 KB of parameters: large enough
      // to amortise the round trip, small enough to commit in tens of ms.
      maxBatch: 1_000,
      // Two batches in flight let Node build the next statement while the server
      // runs the previous one; PGlite is one connection, so one at a time there.
      maxInFlight: db.engine === 'pglite' ? 1 : 2,
    });
  }

  /** Returns false when the path is not ours, so the caller can hand it on. */
  handles(url: string | undefined): boolean {
    return !!url && url.startsWith('/ingest/');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
      if (path === INGEST_PATHS.osmand) {
        await this.#osmand(req, res, new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
      } else if (path === INGEST_PATHS.owntracks) {
        await this.#owntracks(req, res);
      } else if (path === '/ingest/batch') {
        await this.#batch(req, res);
      } else if (path === '/ingest/gpx') {
        await this.#gpxUpload(req, res);
      } else if (path === '/ingest/ack') {
        await this.#ack(req, res);
      } else {
        throw new AppError('not_found', `no ingest endpoint at ${path.slice(0, 100)}`);
      }
    } catch (err) {
      // A refusal before (or part-way through) the body: discard the rest of it
      // rather than leave the connection stalled behind unread bytes.
      if (!req.readableEnded) req.resume();
      const { status, body, headers } = toErrorBody(err);
      if (!res.headersSent) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      }
    }
  }

  async #osmand(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new AppError('bad_request', `method ${req.method} is not supported; use GET or POST`);
    }
    let fix: ParsedFix;
    // A POST with no body (Traccar Client's usual request) needs no body read.
    const length = req.headers['content-length'];
    const hasBody = req.method === 'POST' && ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined);
    if (hasBody) {
      const raw = await readBody(req, this.opts.maxBodyBytes);
      const text = raw.toString('utf8').trim();
      const type = String(req.headers['content-type'] ?? '');
      if (text.startsWith('{') || type.includes('application/json')) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (err) {
          throw new AppError('bad_request', 'body is not valid JSON', { cause: err });
        }
        fix = parseTraccarJson(json, params.get('id') ?? params.get('deviceid'));
      } else {
        // Query and form body merged; the body wins where both name a parameter.
        for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
        fix = parseOsmandParams(params);
      }
    } else {
      fix = parseOsmandParams(params);
    }
    await this.accept(fix);
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  }

  async #readJson(req: IncomingMessage, { allowEmpty }: { allowEmpty: boolean }): Promise<unknown> {
    const text = (await readBody(req, this.opts.maxBodyBytes)).toString('utf8').trim();
    if (text === '') {
      if (allowEmpty) return null;
      throw new AppError('bad_request', 'empty body: send JSON');
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new AppError('bad_request', 'body is not valid JSON', { cause: err });
    }
  }

  /**
   * OwnTracks HTTP mode: one message per POST, the device named by Basic auth
   * (user or password = the issued identifier) or the X-Limit-D header.
   * Answers `[]` (no messages to hand back to the phone).
   */
  async #owntracks(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new AppError('bad_request', 'OwnTracks sends POST');
    const deviceKey = owntracksDevice(req);
    if (!deviceKey) throw new AppError('unauthorized', 'OwnTracks needs HTTP Basic auth or X-Limit-D naming the device');
    const fix = parseOwnTracks(await this.#readJson(req, { allowEmpty: true }), deviceKey);
    if (fix) await this.accept(fix);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  }

  /** GridSight's batch format: up to 1,000 fixes, one result per fix. */
  async #batch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new AppError('bad_request', 'the batch API takes POST');
    const items = parseBatch(await this.#readJson(req, { allowEmpty: false }));
    const results = await Promise.all(
      items.map(async (item, index): Promise<BatchResult> => {
        if (!item.ok) return { index, status: 'rejected', reason: item.reason };
        try {
          return { index, status: await this.accept(item.fix) };
        } catch (err) {
          // A fix the device may retry (database down) fails the whole request below.
          // Retryable refusals (database down, rate limited) answer the whole request.
          if (err instanceof AppError && err.code !== 'unavailable' && err.code !== 'rate_limited') {
            return { index, status: 'rejected', reason: err.message };
          }
          throw err;
        }
      }),
    );
    const accepted = results.filter((r) => r.status === 'accepted').length;
    const body = JSON.stringify({ accepted, results });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /**
   * GPX upload: a device's recorded track, stored as its history. The same
   * door as live fixes, with the same rules: the device's secret (401 missing,
   * 404 unknown), its limits (GPX_UPLOADS_PER_MINUTE, and none while it is over
   * its live fix limit: 429 + Retry-After), the time rule (no point more than
   * MAX_FUTURE_MS ahead, years 1900–9999) and the coordinate rule, both per
   * point: a point that breaks one is skipped and counted in `skipped`. The body
   * is parsed while it arrives, up to GPX_MAX_BYTES and GPX_MAX_POINTS (413),
   * then stored in one transaction; the answer (201) comes after the commit.
   */
  async #gpxUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new AppError('bad_request', 'GPX upload takes POST with the GPX file as the body');
    const secret = deviceSecretFromAuthorization(req.headers.authorization);
    if (!secret) throw new AppError('unauthorized', 'send the device identifier as Authorization: Bearer <identifier>');
    const device = this.devices.cached(secret) ?? (await this.devices.resolve(secret));
    if (!device) throw new AppError('unknown_device', 'unknown device id: this device is not registered');
    const key = String(device.id);
    const overFixes = await this.#perDevice.blocked(key);
    if (overFixes > 0) {
      throw new AppError('rate_limited', `this device is over its limit of ${this.#perDevice.limit} fixes in ${this.#perDevice.windowMs / 1000} s`, {
        retryAfterSeconds: overFixes,
      });
    }
    const wait = await this.#gpxUploads.hit(key);
    if (wait > 0) {
      throw new AppError('rate_limited', `this device started more than ${this.#gpxUploads.limit} GPX uploads in a minute`, {
        retryAfterSeconds: wait,
      });
    }
    if (this.#gpxInFlight.has(device.id)) {
      throw new AppError('rate_limited', 'an earlier GPX upload from this device is still being stored', { retryAfterSeconds: 5 });
    }
    if (this.#gpxInFlight.size >= MAX_CONCURRENT_GPX) {
      throw new AppError('unavailable', 'too many GPX uploads are being stored right now; retry shortly', { retryAfterSeconds: 5 });
    }
    this.#gpxInFlight.add(device.id);
    try {
      const parsed = await parseGpxBody(req, {
        maxBytes: this.#gpx.maxBytes,
        maxPoints: this.#gpx.maxPoints,
        maxFutureMs: this.opts.maxFutureMs,
      });
      const result = await importGpx(this.deps, { deviceId: device.id, parsed });
      const body = JSON.stringify(result);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } finally {
      this.#gpxInFlight.delete(device.id);
    }
  }

  /**
   * A team's device acknowledges its team's active assignment (issue 10):
   * POST with the device's secret as for GPX (401 missing, 404 unknown), no
   * body needed. 404 when the team has no active assignment, 409 when it was
   * acknowledged already. Counts against the device's fix limit, so a device
   * cannot turn this door into a flood of queries. Answers the assignment id
   * and the incident without its staff-only fields (where to go, what for).
   */
  async #ack(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new AppError('bad_request', 'acknowledgement takes POST');
    const secret = deviceSecretFromAuthorization(req.headers.authorization);
    if (!secret) throw new AppError('unauthorized', 'send the device identifier as Authorization: Bearer <identifier>');
    const device = this.devices.cached(secret) ?? (await this.devices.resolve(secret));
    if (!device) throw new AppError('unknown_device', 'unknown device id: this device is not registered');
    const wait = await this.#perDevice.hit(String(device.id));
    if (wait > 0) {
      throw new AppError('rate_limited', `this device sent more than ${this.#perDevice.limit} requests in ${this.#perDevice.windowMs / 1000} s`, {
        retryAfterSeconds: wait,
      });
    }
    // Any body is ignored (read and dropped, bounded as for fixes).
    await readBody(req, this.opts.maxBodyBytes);
    const { assignmentId, incident } = await acknowledgeAsDevice(this.deps, { deviceId: device.id });
    const body = JSON.stringify({ assignmentId, incident: redactIncident(incident) });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /**
   * Resolves the device, applies the time rules and waits for the commit —
   * all within the deadline: an uncached device's lookup on a hung database
   * must not keep the device waiting past it either.
   */
  async accept(fix: ParsedFix): Promise<FixOutcome> {
    const { device, outcome } = await this.#withinDeadline(this.#store(fix));
    if (outcome === 'accepted' && fix.alarm?.toLowerCase() === 'sos') {
      await raiseSos(this.deps, { teamId: device.teamId, deviceId: device.id, position: [fix.lon, fix.lat] });
    }
    return outcome;
  }

  async #store(fix: ParsedFix): Promise<{ device: { id: number; teamId: number }; outcome: FixOutcome }> {
    const device = this.devices.cached(fix.deviceKey) ?? (await this.devices.resolve(fix.deviceKey));
    if (!device) throw new AppError('unknown_device', 'unknown device id: this device is not registered');
    const wait = await this.#perDevice.hit(String(device.id));
    if (wait > 0) {
      throw new AppError('rate_limited', `this device sent more than ${this.#perDevice.limit} fixes in ${this.#perDevice.windowMs / 1000} s`, {
        retryAfterSeconds: wait,
      });
    }
    const now = Date.now();
    const fixTime = fix.fixTime ?? now;
    // Every parser checks its times; this is the gateway's own guard for any new one.
    if (!isRepresentable(fixTime)) throw new AppError('bad_request', 'fix time is not a time between 1900 and 9999');
    if (fixTime > now + this.opts.maxFutureMs) {
      throw new AppError(
        'bad_request',
        `fix time ${new Date(fixTime).toISOString()} is more than ${Math.round(this.opts.maxFutureMs / 1000)} s in the future`,
      );
    }
    const attributes: Record<string, unknown> = { ...fix.attributes };
    if (fix.charging !== null) attributes.charge = fix.charging;
    if (fix.alarm) attributes.alarm = fix.alarm;
    const outcome = await this.writer.submit({
      deviceId: device.id,
      fixTime,
      lon: fix.lon,
      lat: fix.lat,
      speed: fix.speed,
      heading: fix.heading,
      accuracy: fix.accuracy,
      altitude: fix.altitude,
      battery: fix.battery,
      attributes: Object.keys(attributes).length > 0 ? attributes : null,
    }, device.teamId);
    return { device, outcome };
  }

  /**
   * A device must hear back within 2 s even when the database hangs rather
   * than refuses: past the deadline it gets 503 + Retry-After. The write may
   * still commit later; the device's retry is then answered as a duplicate.
   */
  #withinDeadline<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError('unavailable', 'the database did not confirm the write in time; retry shortly')),
        COMMIT_DEADLINE_MS,
      );
    });
    return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.writer.close();
  }
}
