import { z } from 'zod';
import { PLAN_KINDS } from '@/lib/model';
import { isDay, parseClock } from '@/lib/plans/recurrence';

// The plan form (POST /api/plans, PUT /api/plans/[id]) and the board's day (GET /api/plans?day=).

const id = z.number().int().min(1).max(2_147_483_647);
const day = z.string().refine(isDay, 'must be a day written YYYY-MM-DD');
const clock = z.string().refine((v) => parseClock(v) !== null, 'must be a time of day HH:MM (00:00–23:59)');
const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lon, lat]);
const ring = z.array(position).min(4).max(5_000);

/** Start and end differ; an end at or before the start crosses midnight. */
const window = z
  .object({ start: clock, end: clock })
  .strict()
  .refine((w) => w.start !== w.end, { message: 'start and end must differ (an end before the start crosses midnight)' });

const recurrence = z.discriminatedUnion('repeat', [
  z.object({ repeat: z.literal('once'), date: day }).strict(),
  z
    .object({ repeat: z.enum(['daily', 'weekdays', 'market_days']), from: day.nullable().default(null), until: day.nullable().default(null) })
    .strict()
    .refine((r) => r.from === null || r.until === null || r.from <= r.until, { message: 'from must not be after until', path: ['until'] }),
]);

const checkpoint = z
  .object({
    keyLocationId: id.nullable().default(null),
    point: position.nullable().default(null),
    name: z.string().trim().min(1).max(80).nullable().default(null),
    // 5 m: a doorway; 2 km: a pasture valley.
    radiusM: z.number().int('must be a whole number of metres').min(5).max(2000),
    frequency: z
      .object({ everyMinutes: z.number().int().min(5).max(1440), start: clock, end: clock })
      .strict()
      .refine((f) => f.start !== f.end, { message: 'start and end must differ' })
      .nullable()
      .default(null),
  })
  .strict()
  .refine((c) => (c.keyLocationId === null) !== (c.point === null), { message: 'give either keyLocationId or point' })
  .refine((c) => c.keyLocationId !== null || c.name !== null, { message: 'a map point needs a name', path: ['name'] });

export const PlanSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(120),
    kind: z.enum(PLAN_KINDS, { message: `must be one of ${PLAN_KINDS.join(', ')}` }),
    teamIds: z
      .array(id)
      .min(1, 'name at least one team')
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'a team is named twice'),
    recurrence,
    window,
    areaGridIds: z.array(id).max(500).default([]),
    areaPolygon: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) }).strict(),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(50)).min(1).max(50) }).strict(),
      ])
      .nullable()
      .default(null),
    route: z
      .object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(5_000) })
      .strict()
      .nullable()
      .default(null),
    checkpoints: z.array(checkpoint).max(100).default([]),
  })
  .strict()
  .refine((p) => p.areaGridIds.length > 0 || p.areaPolygon !== null || p.route !== null, {
    message: 'give an area (areaGridIds and/or areaPolygon) or a route',
    path: ['areaGridIds'],
  });

export const BoardQuerySchema = z.object({ day: day.optional() }).strict();
