// Who can hold an account and what kind of session they sign in with.

/** Every account role; `device` accounts belong to tracking devices (`npm run device:issue`), not people. */
export const ROLES = ['admin', 'coordinator', 'viewer', 'wall', 'device'] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person signs in with: the ones an administrator can give. */
export const PERSON_ROLES = ['admin', 'coordinator', 'viewer', 'wall'] as const satisfies readonly Role[];
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Staff read incidents' narratives and reporter contacts, and change incidents. */
export const STAFF_ROLES = ['admin', 'coordinator'] as const satisfies readonly PersonRole[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A browser session idles out; a wall display's does not. */
export const SESSION_KINDS = ['browser', 'wall'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
