import { z } from 'zod';
import { AppError } from '../errors';
import { checkCoordinates, parseFixTime, type ParsedFix } from './fix';
import { normaliseHeading } from './osmand';

export const MAX_BATCH_FIXES = 1000;

/** One fix in GridSight's own batch format. Speed in m/s, battery in percent. */
const BatchFix = z.object({
  device: z.string().min(1).max(128),
  time: z.union([z.string().max(64), z.number()]),
  lat: z.number(),
  lon: z.number(),
  speed: z.number().min(0).max(200).nullish(),
  heading: z.number().nullish(),
  accuracy: z.number().min(0).nullish(),
  altitude: z.number().min(-500).max(10000).nullish(),
  battery: z.number().min(0).max(100).nullish(),
  attributes: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).optional(),
});

export type BatchItem = { ok: true; fix: ParsedFix } | { ok: false; reason: string };

/**
 * `{ "fixes": [ … ] }` → one item per fix: parsed, or rejected with a reason.
 * A bad fix never spoils its neighbours; only a malformed envelope is a 400.
 */
export function parseBatch(body: unknown): BatchItem[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { fixes?: unknown }).fixes)) {
    throw new AppError('bad_request', 'body must be {"fixes": [...]}');
  }
  const fixes = (body as { fixes: unknown[] }).fixes;
  if (fixes.length > MAX_BATCH_FIXES) {
    throw new AppError('payload_too_large', `${fixes.length} fixes in one request; the limit is ${MAX_BATCH_FIXES}`);
  }
  return fixes.map((raw): BatchItem => {
    const r = BatchFix.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      return { ok: false, reason: `${i.path.join('.') || 'fix'}: ${i.message}` };
    }
    try {
      const f = r.data;
      const fixTime = parseFixTime(f.time);
      if (fixTime === null) return { ok: false, reason: 'time: required' };
      return {
        ok: true,
        fix: {
          deviceKey: f.device,
          fixTime,
          ...checkCoordinates(f.lon, f.lat),
          speed: f.speed ?? null,
          heading: normaliseHeading(f.heading ?? null),
          accuracy: f.accuracy ?? null,
          altitude: f.altitude ?? null,
          battery: f.battery ?? null,
          charging: null,
          alarm: null,
          attributes: f.attributes ?? {},
        },
      };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, reason: err.message };
      throw err;
    }
  });
}
