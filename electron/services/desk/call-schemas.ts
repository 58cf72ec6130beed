import { z } from 'zod';
import type { DeskCallName } from '../../api/desk-api';

// Zod's own messages (wrong type, too long…) in Vietnamese, like ours.
z.config(z.locales.vi());

const personOrProcedureName = z
  .string()
  .trim()
  .min(1, 'không được để trống')
  .max(300, 'quá dài (tối đa 300 ký tự)')
  // Control characters never belong in a name; they would corrupt printed forms.
  .refine((s) => !/\p{Cc}/u.test(s), 'có ký tự điều khiển không hợp lệ');

/** Input schema of every desk call: the boundary where renderer input is checked, whatever the transport. */
export const callInputSchemas = {
  getStatus: z
    .undefined()
    .or(z.null())
    .transform(() => undefined),
  listDossiers: z
    .object({
      query: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict()
    .default({}),
  createDossier: z
    .object({ procedureName: personOrProcedureName, applicantName: personOrProcedureName })
    .strict(),
} satisfies Record<DeskCallName, z.ZodType>;
