import { z } from 'zod';
import { INCIDENT_CATEGORIES, INCIDENT_SOURCES, INCIDENT_STATUSES, SEVERITIES } from '@/lib/model';

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

export const ListIncidentsSchema = z.object({
  recentHours: z.coerce.number().int().min(1).max(24 * 30).default(24),
});

export const ChangeIncidentSchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    severity: z.literal(SEVERITIES).optional(),
  })
  .strict()
  .refine((c) => c.status !== undefined || c.severity !== undefined, { message: 'give a status or a severity to change' });
