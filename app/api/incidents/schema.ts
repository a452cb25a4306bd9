import { z } from 'zod';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_OUTCOMES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  MANUAL_TARGETS,
  OPEN_INCIDENT_STATUSES,
  SEVERITIES,
  type IncidentCategory,
  type IncidentStatus,
  type Severity,
} from '@/lib/model';

export const CreateIncidentSchema = z.object({
  category: z.enum(INCIDENT_CATEGORIES),
  severity: z.literal(SEVERITIES),
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).optional(),
  reporterContact: z.string().trim().max(120).optional(),
  /** [lon, lat] */
  position: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  source: z.enum(INCIDENT_SOURCES).default('coordinator'),
});
export type CreateIncidentInput = z.infer<typeof CreateIncidentSchema>;

/**
 * A comma-separated list of values from `allowed` (`status=reported,dispatched`),
 * each named in the error when it is not one of them. `aliases` expand a word
 * to several values (`status=open`).
 */
function listOf<T extends string | number>(
  name: string,
  allowed: readonly T[],
  aliases: Record<string, readonly T[]> = {},
): z.ZodType<T[] | undefined> {
  return z
    .string()
    .max(500)
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const out = new Set<T>();
      for (const word of raw.split(',').map((w) => w.trim())) {
        const alias = aliases[word];
        const value = allowed.find((a) => String(a) === word);
        if (alias) alias.forEach((a) => out.add(a));
        else if (value !== undefined) out.add(value);
        else {
          ctx.addIssue({
            code: 'custom',
            message: `${name}: "${word.slice(0, 40)}" is not one of ${[...Object.keys(aliases), ...allowed.map(String)].join(', ')}`,
          });
          return z.NEVER;
        }
      }
      return [...out];
    });
}

const isoTime = (name: string) =>
  z
    .string()
    .max(40)
    .optional()
    .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && Number.isFinite(Date.parse(v))), {
      message: `${name}: give an ISO-8601 time such as 2025-06-01T08:00:00Z`,
    })
    .transform((v) => (v === undefined ? undefined : new Date(v).toISOString()));

/**
 * GET /api/incidents. With no filter: every open incident plus those reported
 * in the last `recentHours`. Each filter given narrows the list instead.
 */
export const ListIncidentsSchema = z
  .object({
    recentHours: z.coerce.number().int().min(1).max(24 * 30).default(24),
    status: listOf<IncidentStatus>('status', INCIDENT_STATUSES, { open: OPEN_INCIDENT_STATUSES }),
    category: listOf<IncidentCategory>('category', INCIDENT_CATEGORIES),
    severity: listOf<Severity>('severity', SEVERITIES),
    grid: z.string().trim().min(1).max(40).optional(),
    village: z.string().trim().min(1).max(40).optional(),
    from: isoTime('from'),
    to: isoTime('to'),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from: must be before to', path: ['from'] });
export type ListIncidentsQuery = z.infer<typeof ListIncidentsSchema>;

/**
 * PATCH /api/incidents/[id]. `dispatched` and `en_route` are not set by hand
 * (a dispatch and a team's acknowledgement set them). An outcome goes with
 * `resolved` (the service answers 422 when it is missing, or when `other`
 * has no note).
 */
export const ChangeIncidentSchema = z
  .object({
    status: z
      .enum(INCIDENT_STATUSES)
      .optional()
      .refine((v) => v === undefined || MANUAL_TARGETS.includes(v), {
        message: `set by hand only to ${MANUAL_TARGETS.join(', ')}; dispatch a team or record its acknowledgement instead`,
      }),
    severity: z.literal(SEVERITIES).optional(),
    outcome: z.enum(INCIDENT_OUTCOMES).optional(),
    outcomeNote: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((c) => c.status !== undefined || c.severity !== undefined, { message: 'give a status or a severity to change' });

/** POST /api/incidents/[id]/dispatch */
export const DispatchSchema = z
  .object({
    teamId: z.number().int().min(1).max(2_147_483_647),
    /** Reassign: the assignment of this incident the new team replaces. */
    replaceAssignmentId: z.number().int().min(1).max(2_147_483_647).optional(),
  })
  .strict();
