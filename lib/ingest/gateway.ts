import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../db/client';
import type { Bus } from '../bus';
import { AppError, toErrorBody } from '../errors';
import { readBody } from './body';
import { DeviceDirectory } from './devices';
import type { ParsedFix } from './fix';
import { parseOsmandParams } from './osmand';
import { parseTraccarJson } from './traccar-json';
import { parseBatch } from './batch';
import { parseOwnTracks } from './owntracks';
import { PositionWriter, type FixOutcome } from './writer';

interface BatchResult {
  index: number;
  status: FixOutcome | 'rejected';
  reason?: string;
}

function owntracksDevice(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
    // The issued identifier may be given as the password (user = a readable name) or the user.
    return (pass || user).trim() || null;
  }
  const d = req.headers['x-limit-d'];
  return typeof d === 'string' && d.trim() ? d.trim() : null;
}

export interface GatewayOptions {
  maxBodyBytes: number;
  maxFutureMs: number;
  tickMs: number;
}

/**
 * The device door: `/ingest/*` requests are answered here, straight from the
 * Node http server, never through Next's router — this is the hot path.
 */
export class IngestGateway {
  readonly devices: DeviceDirectory;
  readonly writer: PositionWriter;

  constructor(
    db: Db,
    bus: Bus,
    private readonly opts: GatewayOptions,
  ) {
    this.devices = new DeviceDirectory(db);
    this.writer = new PositionWriter(db, bus, {
      tickMs: opts.tickMs,
      // 500 rows is one statement of about 60 KB of parameters: large enough to
      // amortise the round trip, small enough that a batch commits in a few ms.
      maxBatch: 500,
      maxInFlight: db.engine === 'pglite' ? 1 : 4,
    });
  }

  /** Returns false when the path is not ours, so the caller can hand it on. */
  handles(url: string | undefined): boolean {
    return !!url && url.startsWith('/ingest/');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://gateway.invalid');
      const path = url.pathname.replace(/\/+$/, '');
      if (path === '/ingest/osmand') {
        await this.#osmand(req, res, url);
      } else if (path === '/ingest/owntracks') {
        await this.#owntracks(req, res);
      } else if (path === '/ingest/batch') {
        await this.#batch(req, res);
      } else {
        throw new AppError('not_found', `no ingest endpoint at ${url.pathname}`);
      }
    } catch (err) {
      const { status, body, headers } = toErrorBody(err);
      if (!res.headersSent) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      }
    }
  }

  async #osmand(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new AppError('bad_request', `method ${req.method} is not supported; use GET or POST`);
    }
    const params = new URLSearchParams(url.search);
    let fix: ParsedFix;
    if (req.method === 'POST') {
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
          if (err instanceof AppError) return { index, status: 'rejected', reason: err.message };
          throw err;
        }
      }),
    );
    const accepted = results.filter((r) => r.status === 'accepted').length;
    const body = JSON.stringify({ accepted, results });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** Resolves the device, applies the time rules and waits for the commit. */
  async accept(fix: ParsedFix): Promise<FixOutcome> {
    const device = await this.devices.resolve(fix.deviceKey);
    if (!device) throw new AppError('unknown_device', 'unknown device id: this device is not registered');
    const now = Date.now();
    const fixTime = fix.fixTime ?? now;
    if (fixTime > now + this.opts.maxFutureMs) {
      throw new AppError(
        'bad_request',
        `fix time ${new Date(fixTime).toISOString()} is more than ${Math.round(this.opts.maxFutureMs / 1000)} s in the future`,
      );
    }
    const attributes: Record<string, unknown> = { ...fix.attributes };
    if (fix.charging !== null) attributes.charge = fix.charging;
    if (fix.alarm) attributes.alarm = fix.alarm;
    return this.writer.submit({
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
    });
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}
