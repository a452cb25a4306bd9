import { z } from 'zod';
import { PERSON_ROLES, SESSION_KINDS } from '@/lib/model';

// An administrator gives a person one of PERSON_ROLES; device accounts come from `npm run device:issue`.

const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '3–32 characters of a-z 0-9 . _ -, starting with a letter or digit');
const displayName = z.string().trim().min(1).max(80);
const password = z.string().min(10, 'at least 10 characters').max(256);

export const CreateUserSchema = z
  .object({ username, displayName, role: z.enum(PERSON_ROLES), password })
  .strict();

export const ChangeUserSchema = z
  .object({ displayName, role: z.enum(PERSON_ROLES), disabled: z.boolean(), password })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'give at least one of displayName, role, disabled, password' });

export const SessionsQuery = z.object({ kind: z.enum(SESSION_KINDS).optional() });
