// The audit log's filters and the /api/audit URL they make. Pure: no React.
import type { AuditOutcome, AuditRecord } from '@/lib/model';
import { localInputToIso } from '@/lib/model/township-time';

/** Rows per request; a shorter page means there is nothing older. */
export const AUDIT_PAGE_SIZE = 200;

export interface AuditFilters {
  /** An AUDIT_ACTIONS value, or '' for all. */
  action: string;
  actor: string;
  outcome: AuditOutcome | '';
  /** As the datetime-local inputs hold them: the township's wall-clock time, no zone. */
  since: string;
  until: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { action: '', actor: '', outcome: '', since: '', until: '' };

/**
 * GET /api/audit for the filters; `before` pages back to rows with a smaller id.
 * The since/until inputs are read in the township's zone `tz` (localInputToIso), not the browser's.
 */
export function auditUrl(filters: AuditFilters, before: number | null, tz: string): string {
  const p = new URLSearchParams();
  if (filters.action !== '') p.set('action', filters.action);
  const actor = filters.actor.trim();
  if (actor !== '') p.set('actor', actor);
  if (filters.outcome !== '') p.set('outcome', filters.outcome);
  const since = localInputToIso(filters.since, tz);
  if (since !== null) p.set('since', since);
  const until = localInputToIso(filters.until, tz);
  if (until !== null) p.set('until', until);
  p.set('limit', String(AUDIT_PAGE_SIZE));
  if (before !== null) p.set('before', String(before));
  return `/api/audit?${p.toString()}`;
}

/** The SWR-infinite key of page `index`: the first page, then one older page per full page before it. */
export function auditPageKey(filters: AuditFilters, index: number, previous: readonly AuditRecord[] | null, tz: string): string | null {
  if (index === 0) return auditUrl(filters, null, tz);
  if (previous === null || previous.length < AUDIT_PAGE_SIZE) return null;
  const last = previous[previous.length - 1];
  return last === undefined ? null : auditUrl(filters, last.id, tz);
}

/** The detail column: compact JSON on one line. */
export function compactDetail(detail: AuditRecord['detail']): string {
  return detail === null || Object.keys(detail).length === 0 ? '' : JSON.stringify(detail);
}
