import { z } from 'zod';
import { isDay } from '@/lib/model/township-time';

// GET /api/plans/report?from=YYYY-MM-DD&to=YYYY-MM-DD: township days, both inclusive
// (the range and its cap are checked by lib/plans/report.ts, which the briefing shares).

const day = z.string().refine(isDay, 'must be a day written YYYY-MM-DD');

export const ReportQuerySchema = z.object({ from: day, to: day }).strict();
