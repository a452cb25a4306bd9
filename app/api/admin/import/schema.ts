import { z } from 'zod';
import { IMPORT_LAYERS, SOURCE_DATUMS } from '@/lib/import/types';

// POST /api/admin/import/preview?layer=grids&datum=wgs84&name=<file name>: the file itself is the body.
export const PreviewQuery = z
  .object({
    layer: z.enum(IMPORT_LAYERS, { message: `must be one of ${IMPORT_LAYERS.join(', ')}` }),
    datum: z.enum(SOURCE_DATUMS, { message: `must be one of ${SOURCE_DATUMS.join(', ')}` }).default('wgs84'),
    // The file's own name tells its format apart (.kmz, .zip, .csv) and names it in the report.
    name: z.string().trim().min(1, 'give the file name').max(255),
  })
  .strict();

export const ApplyImportSchema = z
  .object({
    token: z.string().regex(/^[A-Za-z0-9_-]{32,64}$/, 'must be the token a preview answered'),
    makeValid: z.boolean().optional(),
  })
  .strict();
