import { z } from 'zod';

/** POST /api/assignments/[id]/release: a person stands a team down (resolving releases teams by itself). */
export const ReleaseSchema = z
  .object({
    reason: z.literal('cancelled').default('cancelled'),
  })
  .strict();
