import { z } from 'zod';

/** PUT /api/admin/basemap?name=… — the file name the browser had, kept to show on the admin page. */
export const UploadBasemapQuery = z.object({
  name: z
    .string()
    .max(255, 'at most 255 characters')
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .optional(),
});
