'use client';
// Who is signed in. One SWR key for the whole app, so the header, the details
// panel and the admin pages share a single request. A 401 leaves for the
// sign-in page inside the fetcher; until the answer comes this is undefined.
import useSWR from 'swr';
import { STAFF_ROLES, type Me, type PersonRole } from '../model';
import { fetcher } from './fetcher';

export const ME_KEY = '/api/auth/me';

/** Roles that may change incidents (the server's PATCH /api/incidents/[id] rule says the same). */
export const INCIDENT_EDITORS: readonly PersonRole[] = STAFF_ROLES;

export function useMe(): Me | undefined {
  const { data } = useSWR<{ user: Me }, Error>(ME_KEY, fetcher);
  return data?.user;
}
