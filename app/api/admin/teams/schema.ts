import { z } from 'zod';
import { DEVICE_PROTOCOLS, FORCE_TYPES } from '@/lib/model';

// The team form (POST /api/admin/teams, PATCH /api/admin/teams/[id]) and the device form.

const id = z.number().int().min(1).max(2_147_483_647);
const name = z.string().trim().min(1, 'must not be empty').max(80);

const teamFields = {
  // What radios and the map call the team: GW-017, ARM-3.
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '1–32 letters, digits, - or _, starting with a letter or digit'),
  name,
  nameEn: name,
  forceType: z.enum(FORCE_TYPES, { message: `must be one of ${FORCE_TYPES.join(', ')}` }),
  size: z.number().int('must be a whole number').min(1).max(500),
  villageId: id.nullable(),
  homeGridId: id.nullable(),
  // The cells whose union is the team's area; [] for the whole township.
  areaGridIds: z.array(id).max(500),
  onDuty: z.boolean(),
};

export const CreateTeamSchema = z
  .object({
    ...teamFields,
    villageId: teamFields.villageId.default(null),
    homeGridId: teamFields.homeGridId.default(null),
    areaGridIds: teamFields.areaGridIds.default([]),
    onDuty: teamFields.onDuty.default(true),
  })
  .strict();

export const ChangeTeamSchema = z
  .object(teamFields)
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: `give at least one of ${Object.keys(teamFields).join(', ')}` });

export const CreateDeviceSchema = z
  .object({
    label: name,
    protocol: z.enum(DEVICE_PROTOCOLS, { message: `must be one of ${DEVICE_PROTOCOLS.join(', ')}` }),
  })
  .strict();
