import { z } from 'zod';
import { BRIEFING_PERIODS } from '@/lib/model/briefing';
import { isDay } from '@/lib/model/township-time';

/** A calendar day that exists (2025-02-30 does not). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD')
  .refine(isDay, 'is not a real calendar day')
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'must be between 2000-01-01 and 2100-12-31');

/** GET /api/briefing and /api/briefing/pdf: `?period=day|week|month|quarter|year|custom&from=&to=&village=`. */
export const BriefingQuerySchema = z.strictObject({
  period: z.enum(BRIEFING_PERIODS).default('month'),
  from: Day.optional(),
  to: Day.optional(),
  village: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});
