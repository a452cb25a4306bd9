import { z } from 'zod';

/** GET /api/incidents/[id]/recommendations?busy=1 — busy teams are left out unless busy is 1/true. */
export const RecommendationsQuerySchema = z
  .object({
    busy: z
      .enum(['0', '1', 'true', 'false'], { message: 'busy must be 1 or 0 (or true / false)' })
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
  });
