import { z } from 'zod';
import { ALERT_KINDS } from '@/lib/model';

/** GET /api/alerts?state=attention|active|all&kind=… */
export const ListAlertsSchema = z.object({
  /** attention (default): not cleared, or cleared but not acknowledged; active: not cleared; all: every alert (newest 500). */
  state: z.enum(['attention', 'active', 'all']).default('attention'),
  kind: z.enum(ALERT_KINDS).optional(),
});
