import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError } from '../errors';
import { checkCoordinates, isRepresentable, parseFixTime, toNumber } from './fix';

export interface GpxFix {
  /** epoch ms UTC */
  fixTime: number;
  lon: number;
  lat: number;
  altitude: number | null;
}

/** Track points that could not become history, by reason. */
export interface GpxSkipped {
  /** No <time> at all: a point without a time is not history. */
  noTime: number;
  /** A <time> that is not a time, or one outside the years 1900–9999. */
  badTime: number;
  /** Further in the future than MAX_FUTURE_MS: it would pin the team there. */
  future: number;
  /** lat/lon missing, not numbers, or outside -90..90 / -180..180. */
  badCoordinates: number;
}

export interface GpxParseResult {
  fixes: GpxFix[];
  skipped: GpxSkipped;
  /** <trk> elements with at least one <trkpt>. */
  tracks: number;
  /** Earliest and latest fix time (epoch ms) among `fixes`. */
  from: number;
  to: number;
}

export interface GpxRules {
  /** More <trkpt> elements than this and the whole file is refused (413). */
  maxPoints: number;
  /** The gateway's time rule: no fix further ahead of the server clock than this. */
  maxFutureMs: number;
  now?: () => number;
}

/**
 * No GPX needs more; a body of nothing but open tags would otherwise grow the
 * parser's tag stack by one object per 3 bytes.
 */
const MAX_DEPTH = 64;
/** The longest <time> or <ele> text kept; anything longer is not a time or a height anyway. */
const MAX_VALUE_CHARS = 64;

/** GPX times without an offset are UTC (the GPX schema says so); null when unreadable or out of range. */
function gpxTime(s: string): number | null {
  try {
    const t = parseFixTime(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
    return t !== null && isRepresentable(t) ? t : null;
  } catch {
    // parseFixTime's refusal is this point's skip reason, counted in `badTime`.
    return null;
  }
}

function validCoordinates(lon: number | null, lat: number | null): { lon: number; lat: number } | null {
  try {
    return checkCoordinates(lon, lat);
  } catch {
    // The gateway's own coordinate rule; a refused point is counted in `badCoordinates`.
    return null;
  }
}

function notXml(err: unknown): AppError {
  const msg = (err as Error).message.split('\n')[0]?.slice(0, 160) ?? '';
  return new AppError('bad_request', `GPX is not well-formed XML: ${msg}`, { cause: err });
}

/**
 * A GPX 1.0/1.1 document parsed as it arrives (saxes, a SAX parser): feed it
 * text with write() as the body comes in, then end(). Only track points are
 * history (routes and waypoints are not where a device was). Memory is the
 * kept fixes, never the document; each chunk costs time in proportion to its
 * size, so a large upload never holds the event loop for long.
 *
 * Refusals: not XML or not <gpx> → 400; more than `maxPoints` track points →
 * 413; nothing but whitespace, or no point that can be history → 422.
 * Points that break the time or coordinate rules are skipped and counted.
 */
export class GpxStream {
  readonly #parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  readonly #rules: GpxRules;
  readonly #now: () => number;
  readonly #result: GpxParseResult = {
    fixes: [],
    skipped: { noTime: 0, badTime: 0, future: 0, badCoordinates: 0 },
    tracks: 0,
    from: Infinity,
    to: -Infinity,
  };
  #blank = true;
  #started = false;
  #depth = 0;
  /** Depth of the open <trk>, <trkseg>, <trkpt> and <time>/<ele>; -1 when none is open. */
  #trk = -1;
  #seg = -1;
  #pt = -1;
  #value: { name: 'time' | 'ele'; depth: number; text: string } | null = null;
  #pointsInTrack = 0;
  #points = 0;
  #point: { lat: string | undefined; lon: string | undefined; time: string | null; ele: string | null } | null = null;

  constructor(rules: GpxRules) {
    this.#rules = rules;
    this.#now = rules.now ?? Date.now;
    this.#parser.on('opentag', (tag) => this.#open(tag));
    this.#parser.on('closetag', () => this.#close());
    this.#parser.on('text', (text) => this.#text(text));
    this.#parser.on('cdata', (text) => this.#text(text));
  }

  /** Counted as they are parsed, before the whole file is: how many <trkpt> so far. */
  get points(): number {
    return this.#points;
  }

  write(text: string): void {
    if (this.#blank) {
      if (!/\S/.test(text)) return;
      this.#blank = false;
      // Neither a byte-order mark nor blank lines before `<?xml` are the document's fault.
      text = text.replace(/^\s+/, '');
    }
    try {
      this.#parser.write(text);
    } catch (err) {
      throw err instanceof AppError ? err : notXml(err);
    }
  }

  end(): GpxParseResult {
    if (this.#blank) throw new AppError('invalid_input', 'the body is empty: send a GPX file');
    try {
      this.#parser.close();
    } catch (err) {
      throw err instanceof AppError ? err : notXml(err);
    }
    const r = this.#result;
    if (r.fixes.length === 0) {
      const s = r.skipped;
      throw new AppError(
        'invalid_input',
        this.#points === 0
          ? 'the GPX file has no track points'
          : `the GPX file has no timestamped track points that can be stored (${s.noTime} without a time, ${s.badTime} with a time that is not one, ` +
            `${s.future} in the future, ${s.badCoordinates} with bad coordinates)`,
      );
    }
    return r;
  }

  #open(tag: SaxesTagPlain): void {
    const depth = ++this.#depth;
    if (depth > MAX_DEPTH) throw new AppError('bad_request', `GPX elements are nested more than ${MAX_DEPTH} deep`);
    const name = tag.name;
    if (!this.#started) {
      this.#started = true;
      if (name !== 'gpx') throw new AppError('bad_request', 'not a GPX document: the root element must be <gpx>');
      return;
    }
    if (name === 'trk' && this.#trk < 0) {
      this.#trk = depth;
      this.#pointsInTrack = 0;
    } else if (name === 'trkseg' && this.#trk >= 0 && this.#seg < 0) {
      this.#seg = depth;
    } else if (name === 'trkpt' && this.#seg >= 0 && this.#pt < 0) {
      this.#pt = depth;
      this.#point = { lat: tag.attributes.lat, lon: tag.attributes.lon, time: null, ele: null };
    } else if ((name === 'time' || name === 'ele') && this.#pt >= 0 && depth === this.#pt + 1) {
      this.#value = { name, depth, text: '' };
    }
  }

  #text(text: string): void {
    const v = this.#value;
    if (v && v.text.length < MAX_VALUE_CHARS) v.text += text.slice(0, MAX_VALUE_CHARS - v.text.length);
  }

  #close(): void {
    const depth = this.#depth--;
    const v = this.#value;
    if (v && depth === v.depth) {
      if (this.#point) this.#point[v.name] = v.text.trim();
      this.#value = null;
    } else if (depth === this.#pt) {
      this.#pt = -1;
      this.#addPoint();
    } else if (depth === this.#seg) {
      this.#seg = -1;
    } else if (depth === this.#trk) {
      this.#trk = -1;
      if (this.#pointsInTrack > 0) this.#result.tracks++;
    }
  }

  #addPoint(): void {
    const p = this.#point;
    this.#point = null;
    if (!p) return;
    this.#pointsInTrack++;
    if (++this.#points > this.#rules.maxPoints) {
      throw new AppError(
        'payload_too_large',
        `the GPX file has more than ${this.#rules.maxPoints.toLocaleString('en')} track points (the GPX_MAX_POINTS limit); upload it in parts`,
      );
    }
    const r = this.#result;
    if (!p.time) {
      r.skipped.noTime++;
      return;
    }
    const t = gpxTime(p.time);
    if (t === null) {
      r.skipped.badTime++;
      return;
    }
    if (t > this.#now() + this.#rules.maxFutureMs) {
      r.skipped.future++;
      return;
    }
    const at = validCoordinates(p.lon === undefined ? null : toNumber(p.lon), p.lat === undefined ? null : toNumber(p.lat));
    if (!at) {
      r.skipped.badCoordinates++;
      return;
    }
    const ele = p.ele ? toNumber(p.ele) : null;
    r.fixes.push({ fixTime: t, lon: at.lon, lat: at.lat, altitude: ele });
    // A loop, not Math.min(...times): spreading 100,000 arguments overflows the stack.
    if (t < r.from) r.from = t;
    if (t > r.to) r.to = t;
  }
}

/** Parses a whole GPX document held in memory (tests, scripts): the same rules as the upload. */
export function parseGpx(xml: string, rules: GpxRules): GpxParseResult {
  const s = new GpxStream(rules);
  s.write(xml);
  return s.end();
}

/**
 * Parses a request body while it arrives: at most `maxBytes` (413 as soon as
 * the count passes it, declared or not), UTF-8. Settles once the body has
 * ended or been refused; a refused body is drained, not buffered.
 */
export function parseGpxBody(body: Readable, { maxBytes, ...rules }: GpxRules & { maxBytes: number }): Promise<GpxParseResult> {
  const declared = Number((body as { headers?: Record<string, unknown> }).headers?.['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.resume();
    return Promise.reject(new AppError('payload_too_large', `the GPX file is ${declared} bytes; the limit is ${maxBytes} (GPX_MAX_BYTES)`));
  }
  return new Promise<GpxParseResult>((resolve, reject) => {
    const stream = new GpxStream(rules);
    const decoder = new StringDecoder('utf8');
    let size = 0;
    let failed = false;
    let ended = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      body.off('data', onData);
      // Discard the rest of the body so the answer can go out on this connection.
      body.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        fail(new AppError('payload_too_large', `the GPX file exceeds the limit of ${maxBytes} bytes (GPX_MAX_BYTES)`));
        return;
      }
      try {
        stream.write(decoder.write(chunk));
      } catch (err) {
        fail(err);
      }
    };
    body.on('data', onData);
    body.on('end', () => {
      ended = true;
      if (failed) return;
      try {
        stream.write(decoder.end());
        resolve(stream.end());
      } catch (err) {
        fail(err);
      }
    });
    body.on('error', (err) => fail(new AppError('bad_request', 'the request body could not be read', { cause: err })));
    // A client that goes away mid-upload: nothing is stored.
    body.on('close', () => {
      if (!ended) fail(new AppError('bad_request', 'the upload was cut off before the end of the body'));
    });
  });
}
