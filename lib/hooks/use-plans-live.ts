'use client';
// The live patrol plans (GET /api/plans/live) for the desk and the wall. The
// page's live connection (use-live.ts) patches this copy on each
// `plans:checkpoints` push and refetches it after a reconnect or a gap; the
// route coverage moves with fixes, not with pushes, so the snapshot is also
// read again every COVERAGE_REFRESH_MS.
import useSWR from 'swr';
import type { PlansLive } from '../model';
import { PLANS_LIVE_KEY } from '../live/plan-checkpoints';
import { fetcher } from './fetcher';

/** How often the coverage (and everything else in the snapshot) is read again. */
export const PLANS_LIVE_REFRESH_MS = 30_000;

export function usePlansLive(): { data: PlansLive | undefined; error: Error | undefined } {
  const { data, error } = useSWR<PlansLive, Error>(PLANS_LIVE_KEY, fetcher, { refreshInterval: PLANS_LIVE_REFRESH_MS });
  return { data, error };
}
