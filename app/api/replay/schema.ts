import { z } from 'zod';
import { REPLAY_MAX_CHUNK_MS } from '@/lib/model';

/** An ISO-8601 instant with its zone (`2025-06-01T08:00:00Z`, `…+08:00`), normalised to UTC. */
const instant = (name: string) =>
  z
    .string({ error: `${name}: required, an ISO-8601 time such as 2025-06-01T08:00:00Z` })
    .max(40)
    .refine((v) => /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(v) && Number.isFinite(Date.parse(v)), {
      message: `${name}: give an ISO-8601 time with its zone, such as 2025-06-01T08:00:00Z`,
    })
    .transform((v) => new Date(v).toISOString());

/** GET /api/replay/state?at= */
export const ReplayStateSchema = z.object({ at: instant('at') }).strict();

/** GET /api/replay/history?from=&to= — at most REPLAY_MAX_CHUNK_MS long. */
export const ReplayHistorySchema = z
  .object({ from: instant('from'), to: instant('to') })
  .strict()
  .refine((q) => q.from < q.to, { message: 'from: must be before to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= REPLAY_MAX_CHUNK_MS, {
    message: `to: a chunk covers at most ${REPLAY_MAX_CHUNK_MS / 60_000} minutes`,
    path: ['to'],
  });
